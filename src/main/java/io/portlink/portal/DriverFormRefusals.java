package io.portlink.portal;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.portlink.link.AccessLink;
import io.portlink.shipment.DriverMessages;

/**
 * A driver's button posted with a body of another type than its form (hand-made, or a broken client: urlencoded where
 * the proof of delivery is multipart, JSON anywhere) is refused by the framework before any resource method, with an
 * empty 415 that a phone shows as a blank page. It gets the page of a form that could not be read instead, in the
 * browser's language, with the way back to the driver's page; the status stays 415 and nothing was saved.
 */
public class DriverFormRefusals {

    @Inject
    DriverPortal portal;

    @ServerResponseFilter
    public void explain(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() != 415 || response.hasEntity() || !"POST".equals(request.getMethod())) {
            return;
        }
        String path = request.getUriInfo().getPath();
        if (!path.startsWith(AccessLink.Scope.DRIVER.path)) {
            return;
        }
        DriverMessages t = DriverPortal.browserMessages(request.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
        response.setEntity(portal.refused(path, t, t.unreadable_title(), t.unreadable_detail()).render(), null,
                MediaType.TEXT_HTML_TYPE);
    }
}
