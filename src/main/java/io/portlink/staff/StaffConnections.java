package io.portlink.staff;

import java.net.URI;
import java.util.List;
import java.util.Map;

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

import io.portlink.dropship.Connections;
import io.portlink.platform.Paging;
import io.portlink.platform.ValidationException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Dropship connections: the merchant's Suppliers page (invite by e-mail, invite again, pass prices / notes, disconnect)
 * and the supplier's Merchants page (disconnect). Every action takes the signed-in organisation's side; another
 * organisation's connection is a 404.
 */
@Path("/app")
@Produces(MediaType.TEXT_HTML)
public class StaffConnections {

    @Inject
    StaffContext staff;

    @Inject
    Connections connections;

    /** The invitation form as typed. */
    public record InviteForm(String supplierName, String email) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance suppliers(StaffContext.Header header, io.portlink.platform.Locales.Format fmt,
                Paging.Page<Connections.SupplierView> page, InviteForm typed,
                List<ValidationException.FieldError> errors, String message);

        static native TemplateInstance confirmDisconnect(StaffContext.Header header, String name, String other,
                String action, String back, boolean invitation);

        static native TemplateInstance merchants(StaffContext.Header header, io.portlink.platform.Locales.Format fmt,
                Paging.Page<Connections.MerchantView> page, String message);
    }

    private static final Map<String, String> DONE = Map.of("invited", "The invitation is on its way.", "reinvited",
            "A new invitation is on its way; the previous link no longer works.", "settings",
            "The connection's settings are saved.", "disconnected",
            "Disconnected: no orders or stock flow any more; the history stays.");

    @GET
    @Path("/suppliers")
    public TemplateInstance suppliers(@QueryParam("page") String page, @QueryParam("done") String done) {
        return suppliersPage(Paging.parse(page, null, 50), new InviteForm("", ""), List.of(),
                done == null ? null : DONE.get(done));
    }

    @POST
    @Path("/suppliers")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response invite(@RestForm String supplierName, @RestForm String email) {
        try {
            connections.invite(staff.organizationId(), supplierName, email, staff.email());
        } catch (ValidationException e) {
            return Response.status(422)
                    .entity(suppliersPage(new Paging(0, 50),
                            new InviteForm(supplierName == null ? "" : supplierName, email == null ? "" : email),
                            e.errors(), null))
                    .build();
        }
        return done("/app/suppliers", "invited");
    }

    @POST
    @Path("/suppliers/{id}/reinvite")
    public Response reinvite(@PathParam("id") long id) {
        try {
            return connections.reinvite(staff.organizationId(), id, staff.email())
                    .map(i -> done("/app/suppliers", "reinvited")).orElseGet(StaffConnections::notFound);
        } catch (ValidationException e) {
            return Response.status(422)
                    .entity(suppliersPage(new Paging(0, 50), new InviteForm("", ""), e.errors(), null)).build();
        }
    }

    /** The checkboxes {@code passPrices} and {@code passNotes}: ticked turns each on, absent turns it off. */
    @POST
    @Path("/suppliers/{id}/settings")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response settings(@PathParam("id") long id, @RestForm String passPrices, @RestForm String passNotes) {
        return connections.settings(staff.organizationId(), id, ticked(passPrices), ticked(passNotes))
                ? done("/app/suppliers", "settings") : notFound();
    }

    /** Asks first, as revoking a link does: the page says what disconnecting does; its form disconnects. */
    @GET
    @Path("/suppliers/{id}/disconnect")
    public Response confirmDisconnectSupplier(@PathParam("id") long id) {
        return connections.supplier(staff.organizationId(), id)
                .filter(c -> c.status() == io.portlink.dropship.DropshipConnection.Status.ACTIVE
                        || c.status() == io.portlink.dropship.DropshipConnection.Status.INVITED
                                && c.inviteExpiresAt() != null)
                .map(c -> Response.ok(Templates.confirmDisconnect(staff.header(), c.supplierName(), "supplier",
                        "/app/suppliers/" + id + "/disconnect", "/app/suppliers",
                        c.status() == io.portlink.dropship.DropshipConnection.Status.INVITED)).build())
                .orElseGet(() -> Response.seeOther(java.net.URI.create("/app/suppliers")).build());
    }

    @POST
    @Path("/suppliers/{id}/disconnect")
    public Response disconnectSupplier(@PathParam("id") long id) {
        return disconnect(id, "/app/suppliers");
    }

    @GET
    @Path("/merchants")
    public TemplateInstance merchants(@QueryParam("page") String page, @QueryParam("done") String done) {
        return Templates.merchants(staff.header(), staff.organization().format(),
                connections.merchants(staff.organizationId(), Paging.parse(page, null, 50)),
                done == null ? null : DONE.get(done));
    }

    /** Asks first: the page says what disconnecting does; its form disconnects. */
    @GET
    @Path("/merchants/{id}/disconnect")
    public Response confirmDisconnectMerchant(@PathParam("id") long id) {
        return connections.merchant(staff.organizationId(), id)
                .filter(m -> m.status() == io.portlink.dropship.DropshipConnection.Status.ACTIVE)
                .map(m -> Response.ok(Templates.confirmDisconnect(staff.header(), m.merchant(), "merchant",
                        "/app/merchants/" + id + "/disconnect", "/app/merchants", false)).build())
                .orElseGet(() -> Response.seeOther(java.net.URI.create("/app/merchants")).build());
    }

    @POST
    @Path("/merchants/{id}/disconnect")
    public Response disconnectMerchant(@PathParam("id") long id) {
        return disconnect(id, "/app/merchants");
    }

    private Response disconnect(long id, String back) {
        return connections.disconnect(staff.organizationId(), id, staff.email()) ? done(back, "disconnected")
                : notFound();
    }

    private TemplateInstance suppliersPage(Paging paging, InviteForm typed, List<ValidationException.FieldError> errors,
            String message) {
        return Templates.suppliers(staff.header(), staff.organization().format(),
                connections.suppliers(staff.organizationId(), paging), typed, errors, message);
    }

    private static boolean ticked(String box) {
        return box != null && !box.isBlank();
    }

    private static Response done(String page, String what) {
        return Response.seeOther(URI.create(page + "?done=" + what)).build();
    }

    private static Response notFound() {
        return Response.status(404).type(MediaType.TEXT_PLAIN).entity("No such connection in your organisation.")
                .build();
    }
}
