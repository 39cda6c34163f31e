package io.portlink.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.portlink.platform.OverLimitBodies;
import io.portlink.platform.Problems;
import io.portlink.shipment.DriverPages;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * An API request whose declared body is over the request body limit ({@code quarkus.http.limits.max-body-size}, 40 MiB:
 * a photo, an import file, any JSON) gets a 413 {@code application/problem+json} naming its size and the limit, like
 * every other refusal of the API, instead of Quarkus's empty 413. Answered before anything is read or the key is
 * checked: the answer names no organisation, only the request's own size.
 */
@ApplicationScoped
public class ApiBodyLimit {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBody;

    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        router.route("/api/*").order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
    }

    private void check(RoutingContext rc) {
        long length = OverLimitBodies.declaredLength(rc.request().getHeader("Content-Length"));
        if (length <= maxBody.asLongValue()) {
            rc.next();
            return;
        }
        String detail = "the request's body is " + length + " bytes (" + DriverPages.megabytes(length) + " MB"
                + "); the API accepts at most " + maxBody.asLongValue() + " bytes ("
                + DriverPages.megabytes(maxBody.asLongValue()) + " MB"
                + ") in one request, so nothing was read or saved:"
                + " send a smaller file (an import may be split into several)";
        String body;
        try {
            body = json.writeValueAsString(new Problems.Problem("Request too large", 413, detail, null, null, null));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem record is always written", e);
        }
        OverLimitBodies.answer(rc, 413, Problems.MEDIA_TYPE, body, length);
    }
}
