package io.portlink.portal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.portlink.link.AccessLink;
import io.portlink.platform.OverLimitBodies;
import io.portlink.shipment.DriverMessages;
import io.portlink.shipment.DriverPages;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The driver's forms over the request body limit ({@code quarkus.http.limits.max-body-size}): Quarkus answers those
 * with an empty 413 and closes the connection, so the phone shows a blank page and the driver loses what was typed.
 * This route runs just before that check, on {@code POST /d/…} with a declared length over the limit only, and answers
 * a 413 page in the driver page's style and the browser's language that names the limits and links back to the page;
 * nothing is read or saved ({@link OverLimitBodies}).
 */
@ApplicationScoped
public class DriverBodyLimit {

    @Inject
    DriverPortal portal;

    void install(@Observes Router router) {
        router.route(HttpMethod.POST, AccessLink.Scope.DRIVER.path + "*")
                .order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
    }

    private void check(RoutingContext rc) {
        DriverPortal.Limits limits = portal.limits();
        long length = OverLimitBodies.declaredLength(rc.request().getHeader("Content-Length"));
        if (length <= limits.bodyBytes()) {
            rc.next();
            return;
        }
        DriverMessages t = DriverPortal.browserMessages(rc.request().getHeader("Accept-Language"));
        String path = rc.normalizedPath();
        // only the proof of delivery carries photos; another button's body this large was made by hand
        String html = portal.refused(path, t,
                path.endsWith("/delivered") ? t.body_too_large_title() : t.too_large_title(),
                t.body_too_large_detail(DriverPages.megabytes(length, t), DriverPages.megabytes(limits.bodyBytes(), t)))
                .render();
        OverLimitBodies.answer(rc, 413, html, length);
    }
}
