package io.portlink.api;

import java.io.InputStream;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import io.portlink.dropship.DropshipChanges;
import io.portlink.dropship.OwnShipping;
import io.portlink.dropship.Routing;
import io.portlink.dropship.SalesOrder;
import io.portlink.dropship.SalesOrderCsv;
import io.portlink.dropship.SalesOrderInput;
import io.portlink.dropship.SalesOrders;
import io.portlink.dropship.Shipping;
import io.portlink.organization.Organizations;
import io.portlink.platform.Convention;
import io.portlink.platform.Fields;
import io.portlink.platform.JsonMapping.NumberOrText;
import io.portlink.platform.Paging;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.Problems;
import io.portlink.platform.ValidationException;
import io.portlink.timeline.Actor;

/**
 * A merchant's sales orders for integrations: in (JSON, CSV), routed to dropship suppliers, changed after routing. The
 * organisation is always the API key's.
 */
@Path("/api/v1/sales-orders")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sales orders")
@SecurityRequirement(name = "apiKey")
public class SalesOrderApi {

    /** Most open orders one call to {@code POST /route} takes. */
    static final int MAX_ROUTE = 10_000;

    @Inject
    SalesOrders orders;

    @Inject
    Routing routing;

    @Inject
    DropshipChanges changes;

    @Inject
    ApiCaller caller;

    @Inject
    PortlinkConfig config;

    @Inject
    Organizations organizations;

    @Inject
    OwnShipping ownShipping;

    /** The body of the merchant's own shipment; see {@link OwnShipping.OwnShipInput}. */
    public record OwnShipmentInput(String carrier, String trackingNumber, String shipDate, String shippingMethod,
            List<DropshipmentApi.LineInput> lines) {
    }

    /** The answer of an own shipment: the outcome, the shipment, and the order as it is now. */
    public record OwnShipped(Shipping.Outcome outcome, String message, SalesOrders.ShipmentView shipment,
            SalesOrder.Status status, SalesOrders.Detail salesOrder) {
    }

    /** A cancel request: the reason, which the supplier reads. */
    public record CancelInput(String reason) {
    }

    /** A new ship-to. */
    public record ShipToInput(String name, String company, String address, String phone) {
    }

    /** A line's new quantity (whole units; 0 removes it), as a JSON number or a string ({@code 5} or {@code "5"}). */
    public record QuantityInput(
            @Schema(ref = NumberOrText.SCHEMA) @JsonDeserialize(using = NumberOrText.class) String quantity) {
    }

    /** What {@code POST /route} did. */
    public record RouteReport(int orders, int routed) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Take in a sales order", description = "201 when created; 200 when the same order (same"
            + " reference and content) exists already; 409 naming each field that differs when the reference exists"
            + " with other content; 422 naming each invalid field. With automatic routing on, the answer carries the"
            + " routing.")
    public Response create(SalesOrderInput input) {
        if (input == null) {
            throw ValidationException.of("body", "is required: a sales order as JSON", null);
        }
        var created = orders.create(caller.organizationId(), input.toDraft(config.importLimits().maxFieldLength()),
                SalesOrder.Channel.API, actor());
        return Response.status(created.outcome() == SalesOrders.Outcome.CREATED ? 201 : 200).entity(created).build();
    }

    @POST
    @Path("/import")
    @Consumes({ "text/csv", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM })
    @Operation(summary = "Import sales orders from CSV, all or nothing", description = "One row per line, grouped by"
            + " reference; columns reference, ship_to_name, ship_to_company, ship_to_address, ship_to_phone,"
            + " shipping_method, internal_note, sku, description, quantity, unit_price (any order, comma or semicolon,"
            + " UTF-8). Any error: 422 naming row and column, nothing imported.")
    public SalesOrders.ImportReport importCsv(InputStream body, @QueryParam("decimal") String decimal) {
        var mark = Convention.DecimalMark.parse("decimal", decimal);
        var convention = organizations.convention(caller.organizationId(), mark);
        var drafts = SalesOrderCsv.parse(body, config.importLimits(), convention);
        return orders.importAll(caller.organizationId(), drafts, actor());
    }

    @GET
    @Path("/import/template")
    @Produces("text/csv")
    @Operation(summary = "A CSV template: the header and an example order, in the organisation's convention", description = "Importable as it is: it creates sales order SO-EXAMPLE-1, whose SKUs name no product, so it"
            + " routes nowhere. ?decimal=point|comma writes numbers so.")
    public Response template(@QueryParam("decimal") String decimal) {
        var convention = organizations.convention(caller.organizationId(),
                Convention.DecimalMark.parse("decimal", decimal));
        return Response.ok(SalesOrderCsv.template(convention), "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"sales-orders-template.csv\"").build();
    }

    @GET
    @Operation(summary = "Sales orders, newest first, paged (at most 200 a page)", description = "status: OPEN, ROUTED,"
            + " PARTIALLY_SHIPPED, SHIPPED, CANCELLED; q: a reference or its beginning.")
    public Paging.Page<SalesOrders.Row> list(@QueryParam("status") String status, @QueryParam("q") String q,
            @QueryParam("page") String page, @QueryParam("size") String size) {
        // every wrong parameter in one answer
        var errors = new ValidationException.Builder();
        var state = errors.take(() -> Fields.choice("status", SalesOrder.Status.class, status));
        Paging paging = errors.take(() -> Paging.parse(page, size, 50));
        errors.throwIfAny();
        return orders.page(caller.organizationId(), state, q, paging);
    }

    @GET
    @Path("/{reference}")
    @Operation(summary = "One sales order with its lines, dropshipments (revision and acknowledgement) and timeline")
    public Response get(@PathParam("reference") String reference) {
        return orders.detail(caller.organizationId(), reference).map(d -> Response.ok(d).build())
                .orElseGet(() -> notFound(reference));
    }

    @POST
    @Path("/{reference}/route")
    @Operation(summary = "Route one order to its lines' dropship suppliers", description = "One dropshipment per"
            + " supplier; lines without a connected supplier stay with the merchant (listed in kept). Routing again"
            + " routes only what is left. 409 for a cancelled order.")
    public Response route(@PathParam("reference") String reference) {
        return routing.route(caller.organizationId(), reference, actor()).map(r -> Response.ok(r).build())
                .orElseGet(() -> notFound(reference));
    }

    @POST
    @Path("/route")
    @Operation(summary = "Route every open order (oldest first, up to limit, default and at most 10000)")
    public RouteReport routeOpen(@QueryParam("limit") String limit) {
        int most = MAX_ROUTE;
        if (limit != null && !limit.isBlank()) {
            if (!limit.strip().matches("[0-9]{1,5}") || Integer.parseInt(limit.strip()) < 1
                    || Integer.parseInt(limit.strip()) > MAX_ROUTE) {
                throw ValidationException.of("limit", "must be a whole number from 1 to " + MAX_ROUTE, limit);
            }
            most = Integer.parseInt(limit.strip());
        }
        var batch = routing.routeOpen(caller.organizationId(), most, actor());
        return new RouteReport(batch.orders(), batch.routed());
    }

    @POST
    @Path("/{reference}/shipments")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Ship lines the merchant keeps (no dropshipment carries them)", description = "201 when"
            + " recorded; 200 when the same carrier and tracking number were recorded before on this order (a retry;"
            + " nothing changes). lines: [{position or sku, quantity}] (absent quantity: all that remains; no lines:"
            + " all that remains of every kept line); shipDate YYYY-MM-DD in the organisation's calendar. The order"
            + " becomes PARTIALLY_SHIPPED or SHIPPED as with a supplier's shipment, and sales_order.shipped goes to"
            + " the webhooks (dropshipment null). 422 naming each field; 409 when cancelled or nothing of the"
            + " merchant's is left to ship.")
    public Response shipOwn(@PathParam("reference") String reference, OwnShipmentInput body) {
        if (body == null) {
            throw ValidationException.of("body", "is required: a shipment as JSON", null);
        }
        var input = new OwnShipping.OwnShipInput(body.carrier(), body.trackingNumber(), body.shipDate(),
                body.shippingMethod(), DropshipmentApi.lines(body.lines()));
        return ownShipping.ship(caller.organizationId(), reference, input, actor())
                .map(r -> Response.status(r.outcome() == Shipping.Outcome.SHIPPED ? 201 : 200)
                        .entity(new OwnShipped(r.outcome(), r.message(), r.shipment(), r.status(),
                                orders.detail(caller.organizationId(), reference).orElseThrow()))
                        .build())
                .orElseGet(() -> notFound(reference));
    }

    @POST
    @Path("/{reference}/cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Cancel an order and its dropshipments", description = "Suppliers that have a dropshipment"
            + " get a new revision to acknowledge. 409 when a dropshipment has shipped, and when the order is already"
            + " cancelled (the answer says when, by whom and why; the first reason stays).")
    public Response cancel(@PathParam("reference") String reference, CancelInput input) {
        return changes.cancel(caller.organizationId(), reference, input == null ? null : input.reason(), actor())
                .map(c -> Response.ok(c).build()).orElseGet(() -> notFound(reference));
    }

    @PUT
    @Path("/{reference}/ship-to")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change the ship-to of an order and its dropshipments", description = "409 once any"
            + " line has shipped units (a partly shipped order), naming those lines.")
    public Response shipTo(@PathParam("reference") String reference, ShipToInput input) {
        ShipToInput in = input == null ? new ShipToInput(null, null, null, null) : input;
        return changes.changeShipTo(caller.organizationId(), reference, in.name(), in.company(), in.address(),
                in.phone(), actor()).map(c -> Response.ok(c).build()).orElseGet(() -> notFound(reference));
    }

    @PUT
    @Path("/{reference}/lines/{position}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a line's quantity (0 removes it)", description = "A line with shipped units may only go down, to no less than what shipped (closing the rest); 409 otherwise, naming the line.")
    public Response line(@PathParam("reference") String reference, @PathParam("position") int position,
            QuantityInput input) {
        return changes
                .changeLine(caller.organizationId(), reference, position, input == null ? null : input.quantity(),
                        actor())
                .map(c -> Response.ok(c).build()).orElseGet(() -> notFound(reference + " line " + position));
    }

    @DELETE
    @Path("/{reference}/lines/{position}")
    @Operation(summary = "Remove a line", description = "409 when the line has shipped units or is the last one.")
    public Response removeLine(@PathParam("reference") String reference, @PathParam("position") int position) {
        return changes.changeLine(caller.organizationId(), reference, position, "0", actor())
                .map(c -> Response.ok(c).build()).orElseGet(() -> notFound(reference + " line " + position));
    }

    private Actor actor() {
        return new Actor(Actor.Type.API_KEY, caller.keyId(), "API key " + caller.keyName());
    }

    private static Response notFound(String what) {
        return Problems.response(404, "Not found", "no sales order " + what).build();
    }
}
