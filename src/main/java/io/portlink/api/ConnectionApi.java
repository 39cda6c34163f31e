package io.portlink.api;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.portlink.dropship.Connections;
import io.portlink.platform.Paging;
import io.portlink.platform.Problems;
import io.portlink.platform.ValidationException;

/**
 * Dropship connections for integrations: the merchant's suppliers (invite, settings), the supplier's merchants, and
 * disconnecting from either side. Accepting an invitation needs its link (a person's step), so it has no endpoint.
 */
@Path("/api/v1/connections")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Dropship connections")
@SecurityRequirement(name = "apiKey")
public class ConnectionApi {

    @Inject
    Connections connections;

    @Inject
    ApiCaller caller;

    /** An invitation: the supplier's name (also its warehouse's) and where the link goes. */
    public record InviteInput(String supplierName, String email) {
    }

    /** The connection's settings; absent means off. */
    public record SettingsInput(Boolean passPrices, Boolean passNotes) {
    }

    /**
     * One page of connections as this API has always answered it: {@code rows} (where other lists say {@code items}),
     * {@code page} from 0, and whether another page follows.
     */
    public record Rows<T>(List<T> rows, int page, boolean hasNext) {
        static <T> Rows<T> of(Paging.Page<T> page) {
            return new Rows<>(page.items(), page.page(), page.hasNext());
        }
    }

    @GET
    @Path("/suppliers")
    @Operation(summary = "The merchant's suppliers (every state), paged")
    public Rows<Connections.SupplierView> suppliers(@QueryParam("page") String page, @QueryParam("size") String size) {
        return Rows.of(connections.suppliers(caller.organizationId(), Paging.parse(page, size, 50)));
    }

    @GET
    @Path("/merchants")
    @Operation(summary = "The supplier's merchants (accepted connections), paged")
    public Rows<Connections.MerchantView> merchants(@QueryParam("page") String page, @QueryParam("size") String size) {
        return Rows.of(connections.merchants(caller.organizationId(), Paging.parse(page, size, 50)));
    }

    @POST
    @Path("/suppliers")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Invite a supplier by e-mail", description = "201 with the connection (INVITED); the link goes"
            + " to the e-mail address only. 422 naming each field.")
    public Response invite(InviteInput input) {
        var invited = connections.invite(caller.organizationId(), input == null ? null : input.supplierName(),
                input == null ? null : input.email(), null);
        return Response.status(201).entity(invited.connection()).build();
    }

    @POST
    @Path("/suppliers/{id}/reinvite")
    @Operation(summary = "Invite again (an expired invitation, or to reconnect a disconnected supplier)", description = "200;"
            + " the previous link stops working. 404 when not the merchant's; 422 when active.")
    public Response reinvite(@PathParam("id") long id) {
        return connections.reinvite(caller.organizationId(), id, null).map(i -> Response.ok(i.connection()).build())
                .orElseGet(() -> notFound(id));
    }

    @PUT
    @Path("/suppliers/{id}/settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Connection settings: pass line prices, pass internal notes (both off by default)", description = "The"
            + " whole setting: passPrices and passNotes both required (true or false); one missing is a 422 naming it,"
            + " and nothing changes. 404 when not the merchant's.")
    public Response settings(@PathParam("id") long id, SettingsInput input) {
        // a PUT replaces the whole setting: a missing flag is refused, never read as false
        var errors = new ValidationException.Builder();
        if (input == null || input.passPrices() == null) {
            errors.add("passPrices", "is required: true or false", null);
        }
        if (input == null || input.passNotes() == null) {
            errors.add("passNotes", "is required: true or false", null);
        }
        errors.throwIfAny();
        return connections.settings(caller.organizationId(), id, input.passPrices(), input.passNotes())
                ? Response.ok(connections.supplier(caller.organizationId(), id).orElseThrow()).build() : notFound(id);
    }

    @POST
    @Path("/{id}/disconnect")
    @Operation(summary = "Disconnect (merchant or supplier side)", description = "204, also when already disconnected;"
            + " nothing flows after, the history stays. 404 when the organisation is no side of it.")
    public Response disconnect(@PathParam("id") long id) {
        return connections.disconnect(caller.organizationId(), id, "API key " + caller.keyName())
                ? Response.noContent().build() : notFound(id);
    }

    private static Response notFound(long id) {
        return Problems.response(404, "Not found", "no connection " + id).build();
    }
}
