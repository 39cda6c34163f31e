package io.portlink.staff;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.portlink.platform.OverLimitBodies;
import io.portlink.shipment.DriverPages;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * A staff form over the request body limit ({@code quarkus.http.limits.max-body-size}, e.g. a CSV file too large to
 * import) gets the staff's styled 413 page saying how large it was and what is accepted, instead of Quarkus's empty 413
 * and a closed connection ({@link OverLimitBodies}). Answered before anything is read, so before the session is looked
 * at: the plain page, without the navigation.
 */
@ApplicationScoped
public class StaffBodyLimit {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBody;

    void install(@Observes Router router) {
        router.route(HttpMethod.POST, "/app/*").order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
    }

    private void check(RoutingContext rc) {
        long length = OverLimitBodies.declaredLength(rc.request().getHeader("Content-Length"));
        if (length <= maxBody.asLongValue()) {
            rc.next();
            return;
        }
        var page = StaffErrorPages.page(413,
                "The form was " + DriverPages.megabytesText(length) + " MB; Portlink accepts at most "
                        + DriverPages.megabytes(maxBody.asLongValue()) + " MB, so nothing was saved.",
                "/app");
        OverLimitBodies.answer(rc, 413, StaffErrorPages.Templates.error(null, page, "").render(), length);
    }
}
