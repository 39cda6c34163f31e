package io.portlink.platform;

import java.util.function.BiConsumer;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.resteasy.reactive.server.runtime.ResteasyReactiveRecorder;
import io.quarkus.resteasy.reactive.server.runtime.observability.ObservabilityIntegrationRecorder;
import io.quarkus.vertx.http.runtime.security.HttpSecurityRecorder.DefaultAuthFailureHandler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The route template of a request answered before Quarkus REST matched it (a staff page that authentication sends to
 * the sign-in page), named when its answer starts rather than for every request.
 * <p>
 * With metrics on, Quarkus REST (3.30) names every request's route right after authentication, so that an answer given
 * before the endpoint is reached still carries its template ({@code /app/admin/retention}) in the HTTP measurements
 * instead of its address: a filter builds a new request mapper of all ~240 endpoints for each request, then puts in a
 * failure handler that fails the request on an authentication failure. That mapper was the largest single allocation of
 * a vendor page (about a sixth of its bytes, measured) and of every other answer, though a request that reaches its
 * endpoint is named again there.
 * <p>
 * This handler runs between authentication and that filter (a route of the filter's order, added earlier: routes
 * observed on the {@link Router} are added before the framework's filters). It puts in the failure handler Quarkus
 * would have put, so that the filter finds no default one and does nothing, and names the route when the answer's
 * headers are written, only if nothing named it by then. Headers-end handlers run last-added first, so the name is
 * there for {@link HttpFilters}' own, which records the routes a 4xx may keep. {@code MetricsTest} checks that a
 * request refused by authentication is still counted under its route and answered as before; should a later Quarkus
 * change these internals, it fails.
 */
@Singleton
public class UnmatchedRouteTemplate {

    /** Where Quarkus keeps a request's authentication failure handler. */
    static final String FAILURE_HANDLER = "io.quarkus.vertx.http.auth-failure-handler";

    /**
     * The order of Quarkus REST's filter: its priority 199 (one after authentication's 200) as a route order, negated.
     */
    static final int ORDER = -199;

    /**
     * What Quarkus REST's {@code FailingDefaultAuthFailureHandler} does: marks a failure that is no authentication
     * failure and fails the request with the root cause, for the exception mappers to answer.
     */
    static final BiConsumer<RoutingContext, Throwable> FAIL = (rc, failure) -> {
        DefaultAuthFailureHandler.markIfOtherAuthenticationFailure(rc, failure);
        if (!rc.failed()) {
            rc.fail(DefaultAuthFailureHandler.extractRootCause(failure));
        }
    };

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(rc -> {
            if (rc.get(FAILURE_HANDLER) instanceof DefaultAuthFailureHandler) {
                rc.put(FAILURE_HANDLER, FAIL);
                rc.addHeadersEndHandler(v -> {
                    if (HttpFilters.routeTemplate(rc.request()) == null) {
                        ObservabilityIntegrationRecorder.setTemplatePath(rc,
                                ResteasyReactiveRecorder.getCurrentDeployment());
                    }
                });
            }
            rc.next();
        });
    }
}
