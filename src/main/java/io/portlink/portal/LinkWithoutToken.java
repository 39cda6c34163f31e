package io.portlink.portal;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.portlink.link.AccessLink;
import io.portlink.link.NeutralPage;

/**
 * A link's address cut off before its token ({@code /v/}, {@code /t/}, {@code /d/}: a chat or mail client that broke
 * the line, a person who deleted too much): the neutral page of an unknown link, 404, in the browser's language, as for
 * any token that opens nothing, rather than an empty answer.
 */
@Path("/{scope: [vtd]}")
@Produces(MediaType.TEXT_HTML)
public class LinkWithoutToken {

    /** The neutral page ({@link NeutralPage}), 404; nothing is read or written. */
    @GET
    public Response page(@PathParam("scope") String scope, @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String language) {
        AccessLink.Scope of = switch (scope) {
        case "v" -> AccessLink.Scope.VENDOR_ORDER;
        case "t" -> AccessLink.Scope.CUSTOMER_SHIPMENT;
        default -> AccessLink.Scope.DRIVER;
        };
        return NeutralPage.answer(404, new NeutralPage.Model(of, null, null, false), language);
    }
}
