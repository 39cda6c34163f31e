package io.portlink.staff;

import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import org.jboss.resteasy.reactive.RestForm;

import io.portlink.platform.Fields;
import io.portlink.platform.Forms;
import io.portlink.platform.Locales;
import io.portlink.platform.Paging;
import io.portlink.platform.ValidationException;
import io.portlink.purchasing.VendorLinkList;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Every link the organisation has handed out, and the actions that span links. */
@Path("/app")
@Produces(MediaType.TEXT_HTML)
public class StaffLinks {

    @Inject
    StaffContext staff;

    @Inject
    VendorLinkList links;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(StaffContext.Header header, Locales.Format fmt, VendorLinkList.Page page,
                String show, String vendor, String message);

        static native TemplateInstance confirmRevokeAll(StaffContext.Header header,
                VendorLinkList.VendorLinkSummary vendor);
    }

    /** The form field that says the staff member saw the confirmation page and confirmed there. */
    static final String CONFIRMED = "yes";

    @GET
    @Path("/links")
    public TemplateInstance list(@QueryParam("show") @DefaultValue("ALL") String show,
            @QueryParam("vendor") String vendor, @QueryParam("page") String page,
            @QueryParam("revoked") Integer revoked) {
        VendorLinkList.Show chosen = Fields.choice("show", VendorLinkList.Show.class, show);
        VendorLinkList.Show filter = chosen == null ? VendorLinkList.Show.ALL : chosen;
        Paging paging = Paging.parse(page, null, 50);
        var result = links.active(staff.organizationId(), filter, vendor, paging.page(), paging.size());
        String message = revoked == null ? null : FormErrors.count(revoked, "link", "links") + " revoked. "
                + (revoked == 1 ? "It stops" : "They stop") + " working at once.";
        return Templates.list(staff.header(), staff.organization().format(), result, filter.name(),
                vendor == null ? "" : vendor, message);
    }

    /** The confirmation step of revoking every link of a vendor: a GET only shows what would stop. */
    @GET
    @Path("/vendors/{vendorId}/revoke-links")
    public Response confirmRevokeAll(@PathParam("vendorId") long vendorId) {
        return links.summary(staff.organizationId(), vendorId)
                .map(v -> Response.ok(Templates.confirmRevokeAll(staff.header(), v)).build()).orElseGet(() -> Response
                        .status(404).type(MediaType.TEXT_PLAIN).entity("No such vendor in your organisation.").build());
    }

    /**
     * Revokes every link of the vendor, once confirmed on {@link #confirmRevokeAll}: a post without {@code confirm=yes}
     * changes nothing and leads to that page.
     */
    @POST
    @Path("/vendors/{vendorId}/revoke-links")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revokeAll(@PathParam("vendorId") long vendorId, @RestForm String confirm) {
        if (links.summary(staff.organizationId(), vendorId).isEmpty()) {
            // another organisation's vendor, or none: not found, whatever was confirmed
            return Response.status(404).type(MediaType.TEXT_PLAIN).entity("No such vendor in your organisation.")
                    .build();
        }
        if (!CONFIRMED.equals(confirm)) {
            return Response.seeOther(UriBuilder.fromPath("/app/vendors/{id}/revoke-links").build(vendorId)).build();
        }
        int count = links.revokeAllOfVendor(staff.organizationId(), vendorId, staff.actor());
        return Response.seeOther(URI.create("/app/links?revoked=" + count)).build();
    }

    /** Sets or (with an empty date) clears one link's expiry. */
    @POST
    @Path("/orders/{reference}/links/{linkId}/expiry")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response expiry(@PathParam("reference") String reference, @PathParam("linkId") long linkId,
            @RestForm String expires) {
        // an empty date clears the expiry; no field at all is no choice
        Forms.require("expires", expires);
        try {
            LocalDate day = expires == null || expires.isBlank() ? null : LocalDate.parse(expires.strip());
            if (!links.setExpiry(staff.organizationId(), reference, linkId, day, staff.actor())) {
                return Response.status(404).type(MediaType.TEXT_PLAIN)
                        .entity("No such active link in your organisation.").build();
            }
        } catch (DateTimeParseException | ValidationException e) {
            return Response
                    .status(422).type(MediaType.TEXT_PLAIN).entity("expires: " + (e instanceof ValidationException v
                            ? v.errors().get(0).message() : io.portlink.platform.Fields.isoDateProblem(expires)))
                    .build();
        }
        return Response.seeOther(UriBuilder.fromPath("/app/orders/{reference}").build(reference)).build();
    }
}
