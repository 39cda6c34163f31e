package io.portlink.api;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;

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

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.portlink.dropship.Dropshipment;
import io.portlink.dropship.Shipping;
import io.portlink.dropship.ShippingImport;
import io.portlink.dropship.SupplierOrders;
import io.portlink.organization.Organizations;
import io.portlink.platform.Convention;
import io.portlink.platform.Fields;
import io.portlink.platform.Paging;
import io.portlink.platform.Problems;
import io.portlink.platform.ValidationException;
import io.portlink.timeline.Actor;

/**
 * A supplier's dropshipments: the API key's organisation as the supplier, only what merchants sent to it. Ship one
 * (idempotent by carrier and tracking number), ship many from a CSV, acknowledge a merchant's change.
 */
@Path("/api/v1/dropshipments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Dropshipments (supplier)")
@SecurityRequirement(name = "apiKey")
public class DropshipmentApi {

    @Inject
    SupplierOrders orders;

    @Inject
    Shipping shipping;

    @Inject
    ShippingImport imports;

    @Inject
    ApiCaller caller;

    @Inject
    Organizations organizations;

    /** The body of a shipment; see {@link Shipping.ShipInput}. */
    public record ShipmentInput(String carrier, String trackingNumber, String shipDate, String shippingMethod,
            List<LineInput> lines, Integer revision) {
    }

    /** A line: {@code position} or {@code sku}, and {@code quantity} (absent: all that remains of it). */
    public record LineInput(Integer position, String sku, Integer quantity) {
    }

    /**
     * A body's lines as the shipping rules read them (text, so a wrong value is named, not dropped); null stays null.
     */
    static List<Shipping.LineInput> lines(List<LineInput> lines) {
        return lines == null ? null : lines.stream()
                .map(l -> new Shipping.LineInput(l == null || l.position() == null ? null : l.position().toString(),
                        l == null ? null : l.sku(), l == null || l.quantity() == null ? null : l.quantity().toString()))
                .toList();
    }

    /** The answer of a shipment: the outcome and the dropshipment as it is now. */
    public record Shipped(Shipping.Outcome outcome, String message, SupplierOrders.ShipmentView shipment,
            SupplierOrders.Detail dropshipment) {
    }

    /** Which revision the supplier acknowledges. */
    public record AcknowledgeInput(Integer revision) {
    }

    /** The answer of an acknowledgement. */
    public record Acknowledged(int revision, Instant acknowledgedAt, boolean recorded) {
    }

    @GET
    @Operation(summary = "The supplier's dropshipments from every merchant, newest first, paged (at most 200 a page)", description = "Only dropshipments merchants sent to the API key's organisation."
            + " status: OPEN, PARTIALLY_SHIPPED, SHIPPED, CANCELLED; merchant: the merchant organisation's id.")
    public Paging.Page<SupplierOrders.Row> list(@QueryParam("status") String status,
            @QueryParam("merchant") String merchant, @QueryParam("page") String page, @QueryParam("size") String size) {
        // every wrong parameter in one answer
        var errors = new ValidationException.Builder();
        Paging paging = errors.take(() -> Paging.parse(page, size, 50));
        Long merchantId = merchant == null || merchant.isBlank() ? null : errors.take(() -> merchantId(merchant));
        var state = errors.take(() -> status(status));
        errors.throwIfAny();
        return orders.page(caller.organizationId(), new SupplierOrders.Filter(merchantId, state), paging);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One dropshipment: ship-to, method, lines, shipments, revision and change, timeline", description = "The merchant's note and line prices appear only when the merchant passes them.")
    public Response get(@PathParam("id") long id) {
        return orders.detail(caller.organizationId(), id).map(d -> Response.ok(d).build())
                .orElseGet(() -> notFound(id));
    }

    @POST
    @Path("/{id}/shipments")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Ship a dropshipment (all that remains, or the lines given)", description = "201 when recorded; 200 when the same carrier and tracking number were recorded before on this"
            + " dropshipment (a retry; nothing changes). shipDate YYYY-MM-DD, from " + Shipping.MAX_DAYS_BACK
            + " days ago to " + Shipping.MAX_DAYS_AHEAD + " days ahead. 422 naming each field (more than remains"
            + " names the line); 409 when shipped in full already, cancelled by the merchant (the attempt is noted"
            + " on both sides), changed since the revision given, or changed and not acknowledged yet.")
    public Response ship(@PathParam("id") long id, ShipmentInput body) {
        if (body == null) {
            throw ValidationException.of("body", "is required: a shipment as JSON", null);
        }
        var input = new Shipping.ShipInput(body.carrier(), body.trackingNumber(), body.shipDate(),
                body.shippingMethod(), lines(body.lines()), body.revision());
        var result = shipping.ship(caller.organizationId(), id, input, actor());
        if (result.isEmpty()) {
            return notFound(id);
        }
        if (result.get().outcome() == Shipping.Outcome.REFUSED_CANCELLED) {
            return Problems.response(409, "Cancelled", result.get().message()).build();
        }
        var detail = orders.detail(caller.organizationId(), id).orElseThrow();
        return Response.status(result.get().outcome() == Shipping.Outcome.SHIPPED ? 201 : 200)
                .entity(new Shipped(result.get().outcome(), result.get().message(), result.get().shipment(), detail))
                .build();
    }

    @POST
    @Path("/shipments/import")
    @Consumes({ "text/csv", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM })
    @Operation(summary = "Ship many dropshipments from a CSV, all or nothing", description = "Columns "
            + "reference, carrier, tracking_number, ship_date, shipping_method, sku, quantity, position; one row per"
            + " shipment (all that remains) or per line shipped, named by sku or by position (its number on the"
            + " order). Dates and quantities as the organisation's country"
            + " writes them (DE 04.12.2026 and 1.500) unless decimal= says otherwise; YYYY-MM-DD always. Any problem:"
            + " 422 naming row and column, nothing shipped. The same file again changes nothing.")
    public ShippingImport.Report importCsv(InputStream body,
            @Parameter(description = "point (1,234.56) or comma (1.234,56); default: the organisation's country") @QueryParam("decimal") String decimal) {
        return imports.importAll(caller.organizationId(), body,
                organizations.convention(caller.organizationId(), Convention.DecimalMark.parse("decimal", decimal)),
                actor());
    }

    @POST
    @Path("/{id}/acknowledge")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Acknowledge the merchant's latest change (its revision)", description = "200 with the revision acknowledged (also for a retry); 409 when the revision is not the latest"
            + " (the merchant changed it again).")
    public Response acknowledge(@PathParam("id") long id, AcknowledgeInput body) {
        if (body == null || body.revision() == null) {
            throw ValidationException.of("revision", "is required: the revision you acknowledge", null);
        }
        return shipping.acknowledge(caller.organizationId(), id, body.revision(), actor())
                .map(a -> Response.ok(new Acknowledged(a.revision(), a.at(), a.recorded())).build())
                .orElseGet(() -> notFound(id));
    }

    private Actor actor() {
        return new Actor(Actor.Type.API_KEY, caller.keyId(), "API key " + caller.keyName());
    }

    private static Response notFound(long id) {
        return Problems.response(404, "Not found", "no dropshipment " + id + " sent to your organisation").build();
    }

    private static Long merchantId(String value) {
        String v = value.strip();
        if (!v.matches("[0-9]{1,18}")) {
            throw ValidationException.of("merchant", "must be a merchant organisation's id", v);
        }
        return Long.parseLong(v);
    }

    private static Dropshipment.Status status(String value) {
        return Fields.choice("status", Dropshipment.Status.SUPPLIER_SEES, value);
    }
}
