package io.portlink.staff;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.portlink.outbox.Webhooks;
import io.portlink.platform.Forms;
import io.portlink.platform.Locales;
import io.portlink.platform.Paging;
import io.portlink.platform.ValidationException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Admins: the organisation's webhook endpoints. A new endpoint's secret, and a rotated one, is shown once, in the
 * answer to the form that made it; deleting and rotating ask to confirm first (a page of their own, then its form).
 * Each endpoint's page lists its deliveries, newest first, with "Retry" on a dead one.
 */
@Path("/app/admin/webhooks")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed("admin")
public class StaffWebhooks {

    @Inject
    StaffContext staff;

    @Inject
    Webhooks webhooks;

    @Inject
    OnceForms onceForms;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(StaffContext.Header header, Locales.Format fmt,
                List<Webhooks.EndpointView> endpoints, Webhooks.WithSecret created, String url, String eventTypes,
                String message, String error, int max);

        static native TemplateInstance endpoint(StaffContext.Header header, Locales.Format fmt,
                Webhooks.DeliveryPage page, Webhooks.WithSecret rotated, String message, String error);

        static native TemplateInstance confirm(StaffContext.Header header, Webhooks.EndpointView endpoint,
                String action);
    }

    private static final Map<String, String> DONE = Map.of("deleted",
            "The endpoint and its deliveries are deleted. It receives nothing more.", "enabled",
            "The endpoint is enabled: new events and deliveries waiting for it go out.", "disabled",
            "The endpoint is disabled: it gets no new events, and deliveries already queued wait.", "test",
            "A test event is queued; it goes out with the next delivery run.", "retry",
            "The delivery is queued again and goes out with the next delivery run.", "added-again",
            "This form was sent before: the endpoint it added is in the list below, and no second one was made. Its"
                    + " signing secret was shown once, in the first answer; if you did not copy it, open the endpoint"
                    + " and rotate its secret.",
            "rotated-again",
            "This confirmation was sent before: the secret was rotated then, and not again. The secret shown in that"
                    + " answer is the one in use; if you did not copy it, rotate again.");

    @GET
    public TemplateInstance list(@QueryParam("done") String done) {
        return list(null, "", "", done == null ? null : DONE.get(done), null);
    }

    /**
     * A new endpoint; the answer shows its secret, this once. The form's nonce ({@link OnceForms}) makes a reload of
     * the answer a redirect to the list ("sent before"), not a second endpoint.
     */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String url, @RestForm String eventTypes, @RestForm(OnceForms.FIELD) String once) {
        try {
            Forms.oneLine("url", url, "eventTypes", eventTypes);
            var made = onceForms.once(staff.organizationId(), "webhook", once,
                    () -> webhooks.create(staff.organizationId(), url, eventTypes), created -> created.endpoint().id());
            if (made.again()) {
                return Response.seeOther(URI.create("/app/admin/webhooks?done=added-again")).build();
            }
            Webhooks.WithSecret created = made.made();
            return Response
                    .ok(list(created, "", "",
                            "The endpoint is added. Copy its signing secret now: it will not be shown again.", null))
                    .build();
        } catch (ValidationException e) {
            return Response.status(422).entity(list(null, url == null ? "" : url, eventTypes == null ? "" : eventTypes,
                    null, String.join("; ", FormErrors.texts(e.errors())))).build();
        } catch (Webhooks.EndpointExists e) {
            return Response.status(422)
                    .entity(list(null, url == null ? "" : url, eventTypes == null ? "" : eventTypes, null,
                            "This address has an endpoint already (#" + e.endpoint().id() + "): rotate its secret there"
                                    + " for a new one, or delete it to add the address with other event types."))
                    .build();
        }
    }

    @GET
    @Path("/{id}")
    public Response endpoint(@PathParam("id") long id, @QueryParam("page") String page,
            @QueryParam("done") String done) {
        int p = Paging.parse(page, null, Webhooks.DELIVERIES_PAGE).page();
        return page(id, p, null, done == null ? null : DONE.get(done), null, 200);
    }

    @POST
    @Path("/{id}/enabled")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response setEnabled(@PathParam("id") long id, @RestForm String enabled) {
        Forms.require("enabled", enabled);
        String value = enabled.strip().toLowerCase(java.util.Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            // the form sends true or false; anything else was never a choice, and must not switch the endpoint off
            throw ValidationException.of("enabled", "must be true or false", enabled);
        }
        boolean on = value.equals("true");
        return webhooks.setEnabled(staff.organizationId(), id, on).map(e -> done(id, on ? "enabled" : "disabled"))
                .orElseGet(StaffWebhooks::notFound);
    }

    @POST
    @Path("/{id}/test")
    public Response sendTest(@PathParam("id") long id) {
        try {
            return webhooks.sendTest(staff.organizationId(), id).map(e -> done(id, "test"))
                    .orElseGet(StaffWebhooks::notFound);
        } catch (ValidationException e) {
            return page(id, 0, null, null, String.join("; ", FormErrors.texts(e.errors())), 422);
        }
    }

    @POST
    @Path("/{id}/deliveries/{deliveryId}/retry")
    public Response retry(@PathParam("id") long id, @PathParam("deliveryId") long deliveryId) {
        try {
            return webhooks.retry(staff.organizationId(), id, deliveryId) ? done(id, "retry") : notFound();
        } catch (ValidationException e) {
            return page(id, 0, null, null, String.join("; ", FormErrors.texts(e.errors())), 422);
        }
    }

    /** Asks to confirm a rotation: the old secret stops working at once. */
    @GET
    @Path("/{id}/rotate")
    public Response confirmRotate(@PathParam("id") long id) {
        return confirm(id, "rotate");
    }

    /**
     * A new secret, shown this once; every try from now on is signed with it. The same confirmation posted again (a
     * reload of the answer) leads to the endpoint's page ("rotated before") and keeps the secret it showed.
     */
    @POST
    @Path("/{id}/rotate")
    public Response rotate(@PathParam("id") long id, @RestForm(OnceForms.FIELD) String once) {
        OnceForms.Made<Optional<Webhooks.WithSecret>> made;
        try {
            // an unknown endpoint rotates nothing, and leaves the nonce unused
            made = onceForms.once(staff.organizationId(), "rotate", once,
                    () -> webhooks.rotate(staff.organizationId(), id), rotated -> rotated.isPresent() ? id : -1);
        } catch (ValidationException e) {
            return page(id, 0, null, null, String.join("; ", FormErrors.texts(e.errors())), 422);
        }
        if (made.again() && made.earlierId() != id) {
            // the confirmation of another endpoint's page, changed to this one's address: not this form
            return page(id, 0, null, null,
                    String.join("; ",
                            FormErrors.texts(
                                    List.of(new ValidationException.FieldError(null, "form", OnceForms.STALE, null)))),
                    422);
        }
        if (made.again()) {
            return Response.seeOther(URI.create("/app/admin/webhooks/" + id + "?done=rotated-again")).build();
        }
        return made.made()
                .map(rotated -> page(id, 0, rotated,
                        "The secret is rotated. Copy the new one now: it will not be shown again, and the old one no"
                                + " longer signs anything.",
                        null, 200))
                .orElseGet(StaffWebhooks::notFound);
    }

    @GET
    @Path("/{id}/delete")
    public Response confirmDelete(@PathParam("id") long id) {
        return confirm(id, "delete");
    }

    @POST
    @Path("/{id}/delete")
    public Response delete(@PathParam("id") long id) {
        return webhooks.delete(staff.organizationId(), id)
                ? Response.seeOther(URI.create("/app/admin/webhooks?done=deleted")).build() : notFound();
    }

    private Response confirm(long id, String action) {
        return webhooks.view(staff.organizationId(), id)
                .map(e -> Response.ok(Templates.confirm(staff.header(), e, action)).build())
                .orElseGet(StaffWebhooks::notFound);
    }

    private TemplateInstance list(Webhooks.WithSecret created, String url, String eventTypes, String message,
            String error) {
        return Templates.list(staff.header(), staff.organization().format(), webhooks.list(staff.organizationId()),
                created, url, eventTypes, message, error, Webhooks.MAX_ENDPOINTS);
    }

    private Response page(long id, int page, Webhooks.WithSecret rotated, String message, String error, int status) {
        return webhooks.deliveries(staff.organizationId(), id, page).map(p -> Response.status(status)
                .entity(Templates.endpoint(staff.header(), staff.organization().format(), p, rotated, message, error))
                .type(MediaType.TEXT_HTML).build()).orElseGet(StaffWebhooks::notFound);
    }

    private static Response done(long id, String done) {
        return Response.seeOther(URI.create("/app/admin/webhooks/" + id + "?done=" + done)).build();
    }

    private static Response notFound() {
        return Response.status(404).type(MediaType.TEXT_PLAIN).entity("No such webhook endpoint in your organisation.")
                .build();
    }
}
