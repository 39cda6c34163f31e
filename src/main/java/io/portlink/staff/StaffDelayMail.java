package io.portlink.staff;

import java.net.URI;
import java.util.List;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.portlink.platform.ValidationException;
import io.portlink.shipment.DelayAlerts;
import io.portlink.shipment.ShipmentActor;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Staff: the delay mail to a shipment's customer, prefilled in the customer's language (subject and body editable) and
 * sent with one click through the outbox, with the shipment's tracking link added. The shipment page shows the form
 * (through {@link Prefill}); a refused send comes back here with the text as typed and every problem.
 */
@Path("/app/shipments/delay-mail")
@Produces(MediaType.TEXT_HTML)
public class StaffDelayMail {

    @Inject
    StaffContext staff;

    @Inject
    DelayAlerts delays;

    /** The form as typed. */
    public record DelayForm(long shipmentId, String to, String subject, String body) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance form(StaffContext.Header header, DelayForm form,
                List<ValidationException.FieldError> errors, String message);
    }

    /** What the shipment page's delay-mail form shows: {@code inject:delayMail.notice(id)} in its template. */
    @RequestScoped
    @Named("delayMail")
    public static class Prefill {

        @Inject
        StaffContext staff;

        @Inject
        DelayAlerts delays;

        /** The prefilled mail of a shipment of the signed-in staff's organisation; null for none. */
        public DelayAlerts.Notice notice(long shipmentId) {
            return delays.notice(staff.organizationId(), shipmentId).orElse(null);
        }
    }

    @GET
    @Path("/{id}")
    public Response form(@PathParam("id") long id) {
        return delays.notice(staff.organizationId(), id).map(n -> Response
                .ok(Templates.form(staff.header(), new DelayForm(id, n.to(), n.subject(), n.body()), List.of(), null))
                .build()).orElseGet(StaffDelayMail::notFound);
    }

    @POST
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response send(@PathParam("id") long id, @RestForm String subject, @RestForm String body) {
        long org = staff.organizationId();
        var notice = delays.notice(org, id);
        if (notice.isEmpty()) {
            return notFound();
        }
        DelayForm form = new DelayForm(id, notice.get().to(), subject, body);
        try {
            return delays.sendNotice(org, id, subject, body, ShipmentActor.staff(staff.userId(), staff.email()))
                    .map(outcome -> outcome == DelayAlerts.Outcome.QUEUED
                            ? Response.seeOther(URI.create("/app/shipments/" + id + "?done=delay-mail")).build()
                            : Response
                                    .ok(Templates.form(staff.header(), form, List.of(),
                                            "This delay mail was queued a moment ago already: nothing new was sent."))
                                    .build())
                    .orElseGet(StaffDelayMail::notFound);
        } catch (ValidationException e) {
            return Response.status(422).entity(Templates.form(staff.header(), form, e.errors(), null)).build();
        }
    }

    private static Response notFound() {
        return Response.status(404).type(MediaType.TEXT_PLAIN).entity("No such shipment in your organisation.").build();
    }
}
