package io.portlink.portal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.portlink.link.AccessLink;
import io.portlink.platform.OverLimitBodies;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * A vendor form whose declared body is over the request body limit ({@code quarkus.http.limits.max-body-size}; no
 * browser sends one from the page, whose fields are limited): the vendor's page of a form too large to read
 * ({@link VendorPortal#tooLarge(String, String)}) instead of Quarkus's empty 413 and a closed connection. This route
 * runs just before that check, on {@code POST /v/…} with such a length only; nothing is read or saved
 * ({@link OverLimitBodies}).
 */
@ApplicationScoped
public class VendorBodyLimit {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBody;

    void install(@Observes Router router) {
        router.route(HttpMethod.POST, AccessLink.Scope.VENDOR_ORDER.path + "*")
                .order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
    }

    private void check(RoutingContext rc) {
        long length = OverLimitBodies.declaredLength(rc.request().getHeader("Content-Length"));
        if (length <= maxBody.asLongValue()) {
            rc.next();
            return;
        }
        String html = VendorPortal.tooLarge(rc.normalizedPath(), rc.request().getHeader("Accept-Language")).render();
        OverLimitBodies.answer(rc, 413, html, length);
    }
}
