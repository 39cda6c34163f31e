package io.portlink.portal;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.portlink.link.AccessLink;
import io.portlink.link.Bots;
import io.portlink.link.LinkMeters;
import io.portlink.link.Links;
import io.portlink.link.NeutralPage;
import io.portlink.platform.HtmlPages;
import io.portlink.platform.Locales;
import io.portlink.shipment.TrackingPages;
import io.portlink.shipment.TrackingView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The customer's tracking page, reached with a tracking-link token only ({@code pt_}): the page, its photos and the
 * organisation's logo through the token, the person-open stylesheet, and "ask for a new link" on a gone link. GET and
 * HEAD never change a shipment (mail scanners and chat previews fetch links first). The security headers (no-store, no
 * referrer, CSP) come from the path ({@code platform.HttpFilters}), as for {@code /v/}. Rules live in
 * {@link TrackingPages}.
 */
@Path("/t/{token}")
@Produces(MediaType.TEXT_HTML)
public class TrackingPortal {

    private static final AccessLink.Scope SCOPE = AccessLink.Scope.CUSTOMER_SHIPMENT;

    @Inject
    TrackingPages pages;

    @Inject
    Links links;

    @Inject
    TrackingWords words;

    /** {@value #VIEWS}: tracking pages shown (200), to people and machines alike. */
    @Inject
    LinkMeters meters;

    /** The counter of tracking pages shown. */
    public static final String VIEWS = LinkMeters.TRACKING_VIEWS;

    @CheckedTemplate
    static class Templates {
        /** {@code beacon}: this render's stylesheet URL (its person-open signal), or null. */
        static native TemplateInstance page(TrackingView page, String beacon);
    }

    /**
     * The page, in the customer's language (else the phone's, else the organisation's); 410 or 404 with the neutral
     * page when the link does not open.
     */
    @GET
    public Response page(@PathParam("token") String token, @HeaderParam(HttpHeaders.USER_AGENT) String agent,
            @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String language) {
        var access = pages.open(token, Bots.isBot("GET", agent), words, language);
        if (access instanceof TrackingPages.Shown shown) {
            meters.trackingPageShown();
            // signed, nothing written: the stylesheet's fetch checks it (Links.confirmOpen)
            String beacon = SCOPE.path + token + "/seen/" + links.renderNonce(token, SCOPE) + ".css";
            return HtmlPages.ok(Templates.page(shown.page(), beacon).setLocale(Locales.locale(shown.page().language())))
                    .build();
        }
        return unavailable(access instanceof TrackingPages.Gone ? 410 : 404, token, language);
    }

    /** Scanners probe with HEAD: the status only, counted as a machine's fetch; nothing changes. */
    @HEAD
    public Response probe(@PathParam("token") String token) {
        return Response.status(pages.probe(token)).build();
    }

    /**
     * The stylesheet the shown page links with its render's nonce: a browser showing the page asks for it, a scanner
     * that only reads the HTML does not, so this is a person's open. Empty CSS whatever the nonce.
     */
    @GET
    @Path("/seen/{nonce}.css")
    @Produces("text/css")
    public Response seen(@PathParam("token") String token, @PathParam("nonce") String nonce,
            @HeaderParam(HttpHeaders.USER_AGENT) String agent, @HeaderParam("Sec-Fetch-Dest") String destination,
            @HeaderParam("Sec-Purpose") String secPurpose, @HeaderParam("Purpose") String purpose) {
        links.stylesheetFetched(token, SCOPE, nonce, agent, destination, secPurpose, purpose);
        return Response.ok("", "text/css").build();
    }

    /** Browsers never send HEAD for a stylesheet; a machine that does learns nothing and counts nothing. */
    @HEAD
    @Path("/seen/{nonce}.css")
    @Produces("text/css")
    public Response seenProbe() {
        return Response.ok().type("text/css").build();
    }

    /** The n-th picked gallery photo (from 1); 404 for one not picked or a link that does not open. */
    @GET
    @Path("/photos/{n:[0-9]{1,3}}")
    @Produces({ "image/jpeg", "image/png", "text/plain" })
    public Response photo(@PathParam("token") String token, @PathParam("n") int n) {
        return image(pages.photo(token, n));
    }

    /** The hero photo, only when the link's options show it; else 404. */
    @GET
    @Path("/hero")
    @Produces({ "image/jpeg", "image/png", "text/plain" })
    public Response hero(@PathParam("token") String token) {
        return image(pages.hero(token));
    }

    // ---- after delivery (issue 10, section 5): the proof of delivery's images through the token

    /** The n-th proof-of-delivery photo (from 1), when the organisation shows the proof; else 404. */
    @GET
    @Path("/delivery/photos/{n:[0-9]{1,2}}")
    @Produces({ "image/jpeg", "image/png", "text/plain" })
    public Response deliveryPhoto(@PathParam("token") String token, @PathParam("n") int n) {
        return n < 1 ? image(java.util.Optional.empty()) : image(pages.deliveryImage(token, n));
    }

    /** The receiver's drawn signature, when the organisation shows the proof; else 404. */
    @GET
    @Path("/delivery/signature")
    @Produces({ "image/png", "text/plain" })
    public Response deliverySignature(@PathParam("token") String token) {
        return image(pages.deliveryImage(token, 0));
    }

    // ---- end after delivery

    /** The organisation's logo through the token (the page needs no other URL); 404 without one. */
    @GET
    @Path("/logo")
    @Produces({ "image/jpeg", "image/png", "text/plain" })
    public Response logo(@PathParam("token") String token) {
        return image(pages.logo(token));
    }

    /**
     * "Ask for a new link" from a gone link's page: one request on the shipment's timeline (at most one a day per
     * link); the answer is the same neutral page either way, so it tells nothing about the shipment.
     */
    @POST
    @Path("/request-link")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response requestLink(@PathParam("token") String token, @RestForm String nonce,
            @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String language) {
        if (!pages.requestNewLink(token, nonce)) {
            return unavailable(403, token, language);
        }
        return NeutralPage.answer(410, new NeutralPage.Model(SCOPE, null, null, true), language);
    }

    /**
     * The address of "ask for a new link"'s answer opened again (a reload, a restored tab): back to the link's page
     * with a 303, which then shows whatever it shows now. Nothing is asked: a GET never acts.
     */
    @GET
    @Path("/request-link")
    public Response requestLinkAddress(@PathParam("token") String token) {
        return Response.seeOther(jakarta.ws.rs.core.UriBuilder.fromPath("/t/{token}").build(token)).build();
    }

    /** "Ask for a new link" sent as no form: nothing is asked. */
    @POST
    @Path("/request-link")
    @Consumes(MediaType.WILDCARD)
    public Response requestLinkNotAForm(@PathParam("token") String token,
            @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String language) {
        return unavailable(403, token, language);
    }

    /**
     * The neutral page (names no shipment, so in the browser's language). A gone link whose scope allows it offers "ask
     * for a new link" with a fresh form nonce; 403 (a refused request) shows that form again.
     */
    private Response unavailable(int status, String token, String acceptLanguage) {
        String nonce = status != 404 ? pages.requestLinkNonce(token) : null;
        String ask = nonce != null ? SCOPE.path + token + "/request-link" : null;
        return NeutralPage.answer(status, new NeutralPage.Model(SCOPE, ask, nonce, false), acceptLanguage);
    }

    /** Image bytes served so that no browser treats them as anything else, under a neutral name. */
    private static Response image(java.util.Optional<TrackingPages.Image> image) {
        return image
                .map(i -> Response.ok(i.bytes(), i.contentType())
                        .header("Content-Disposition", "inline; filename=\"" + i.name() + "\"").build())
                .orElseGet(() -> Response.status(404).type("text/plain").entity("Not available.").build());
    }
}
