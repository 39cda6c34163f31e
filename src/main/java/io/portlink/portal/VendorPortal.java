package io.portlink.portal;

import java.net.URI;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import org.jboss.resteasy.reactive.RestForm;

import io.portlink.link.Bots;
import io.portlink.order.VendorDesk;
import io.portlink.platform.ValidationException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The vendor portal: pages reached with a link token only. GET and HEAD never change an order (mail scanners and chat
 * previews fetch links first); every action is a POSTed form.
 */
@Path("/v/{token}")
@Produces(MediaType.TEXT_HTML)
public class VendorPortal {

    @Inject
    VendorDesk desk;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance order(VendorDesk.OrderPage order, String base, String message, String error);

        static native TemplateInstance orders(VendorDesk.OrderList list, String base);

        static native TemplateInstance unavailable(String askUrl, boolean asked);
    }

    /** Messages after a saved action, by action: the URL carries only the key, never free text. */
    private static final Map<String, String> SAVED = Map.of("CONFIRM", "Thank you: the order is confirmed.", "DECLINE",
            "The order is declined. The buyer has been told.", "EXPECTED_DATE", "The expected delivery date is saved.",
            "STATUS", "The status is saved.", "TRACKING", "The tracking number is saved.", "NOTE",
            "Your note was sent to the buyer.", "ALREADY", "Already saved: nothing changed.", "ON_TIME",
            "Thank you: the delivery date is confirmed.");

    @GET
    public Response landing(@PathParam("token") String token, @HeaderParam(HttpHeaders.USER_AGENT) String agent,
            @QueryParam("saved") String saved) {
        return show(token, null, Bots.isBot("GET", agent), saved);
    }

    /** Scanners probe with HEAD: answer the status, count a bot open, change nothing. */
    @HEAD
    public Response probe(@PathParam("token") String token) {
        return Response.status(status(desk.open(token, null, true))).build();
    }

    @GET
    @Path("/orders")
    public Response orders(@PathParam("token") String token, @HeaderParam(HttpHeaders.USER_AGENT) String agent) {
        var access = desk.orders(token, Bots.isBot("GET", agent));
        if (access instanceof VendorDesk.Shown<VendorDesk.OrderList> shown) {
            return Response.ok(Templates.orders(shown.page(), base(token))).build();
        }
        return unavailable(status(access), token);
    }

    @GET
    @Path("/orders/{reference}")
    public Response order(@PathParam("token") String token, @PathParam("reference") String reference,
            @HeaderParam(HttpHeaders.USER_AGENT) String agent, @QueryParam("saved") String saved) {
        return show(token, reference, Bots.isBot("GET", agent), saved);
    }

    @POST
    @Path("/orders/{reference}/{action}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response act(@PathParam("token") String token, @PathParam("reference") String reference,
            @PathParam("action") String actionName, @RestForm String nonce, @RestForm Long version,
            @RestForm String reason, @RestForm String date, @RestForm String status, @RestForm String carrier,
            @RestForm String trackingNumber, @RestForm String note) {
        VendorDesk.Kind kind = kind(actionName);
        if (kind == null) {
            return unavailable(404);
        }
        var action = new VendorDesk.Action(kind, nonce, version, reason, date, status, carrier, trackingNumber, note);
        VendorDesk.Outcome outcome;
        try {
            outcome = desk.act(token, reference, action);
        } catch (ValidationException e) {
            return rerender(token, reference, 422, null, e.errors().get(0).describe());
        }
        return switch (outcome.result()) {
        case SAVED -> seeOther(token, outcome.reference(), kind.name());
        case ALREADY_SAVED -> seeOther(token, outcome.reference(), "ALREADY");
        case CHANGED_MEANWHILE -> rerender(token, reference, 409, null, outcome.message());
        case GONE -> unavailable(410);
        case NOT_FOUND -> unavailable(404);
        };
    }

    private Response show(String token, String reference, boolean bot, String saved) {
        var access = desk.open(token, reference, bot);
        if (access instanceof VendorDesk.Shown<VendorDesk.OrderPage> shown) {
            String message = saved == null ? null : SAVED.get(saved);
            return Response.ok(Templates.order(shown.page(), base(token), message, null)).build();
        }
        return unavailable(status(access), token);
    }

    /** Shows the order as it is now, with a message about the form that was not applied. */
    private Response rerender(String token, String reference, int status, String message, String error) {
        var access = desk.open(token, reference, false);
        if (access instanceof VendorDesk.Shown<VendorDesk.OrderPage> shown) {
            return Response.status(status).entity(Templates.order(shown.page(), base(token), message, error)).build();
        }
        return unavailable(status(access));
    }

    private static Response seeOther(String token, String reference, String saved) {
        URI target = UriBuilder.fromPath("/v/{token}/orders/{reference}").queryParam("saved", saved).build(token,
                reference);
        return Response.seeOther(target).build();
    }

    /** The neutral page: names no order. A gone (not unknown) link may ask for a new one. */
    private static Response unavailable(int status) {
        return Response.status(status).entity(Templates.unavailable(null, false)).build();
    }

    private static Response unavailable(int status, String token) {
        String ask = status == 410 ? base(token) + "/request-link" : null;
        return Response.status(status).entity(Templates.unavailable(ask, false)).build();
    }

    /**
     * "Ask for a new link": one POST puts one request in the staff queue (at most one a day per link); the answer is
     * the same neutral page either way, so it tells nothing about the order.
     */
    @POST
    @Path("/request-link")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response requestLink(@PathParam("token") String token) {
        desk.requestNewLink(token);
        return Response.status(410).entity(Templates.unavailable(null, true)).build();
    }

    private static int status(VendorDesk.Access<?> access) {
        return access instanceof VendorDesk.Gone ? 410 : access instanceof VendorDesk.NotFound ? 404 : 200;
    }

    private static String base(String token) {
        return "/v/" + token;
    }

    private static VendorDesk.Kind kind(String action) {
        return switch (action) {
        case "confirm" -> VendorDesk.Kind.CONFIRM;
        case "decline" -> VendorDesk.Kind.DECLINE;
        case "date" -> VendorDesk.Kind.EXPECTED_DATE;
        case "status" -> VendorDesk.Kind.STATUS;
        case "tracking" -> VendorDesk.Kind.TRACKING;
        case "note" -> VendorDesk.Kind.NOTE;
        case "ontime" -> VendorDesk.Kind.ON_TIME;
        default -> null;
        };
    }
}
