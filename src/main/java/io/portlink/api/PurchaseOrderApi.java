package io.portlink.api;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;

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

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.portlink.order.Actor;
import io.portlink.order.OrderCsv;
import io.portlink.order.OrderInput;
import io.portlink.order.OrderQueries;
import io.portlink.order.OrderQueue;
import io.portlink.order.OrderStatus;
import io.portlink.order.Orders;
import io.portlink.order.SendOption;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.ValidationException;

/** Purchase orders for integrations. The organisation is always the API key's. */
@Path("/api/v1/purchase-orders")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Purchase orders")
@SecurityRequirement(name = "apiKey")
public class PurchaseOrderApi {

    @Inject
    Orders orders;

    @Inject
    OrderQueries queries;

    @Inject
    OrderQueue queue;

    @Inject
    ApiCaller caller;

    @Inject
    PortlinkConfig config;

    /** The vendor link: its URL (with the token) only in the answer that created it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VendorLink(Long id, String url, Instant expiresAt) {
    }

    public record Created(String reference, OrderStatus status, VendorLink vendorLink) {
    }

    public record ImportReport(int created, int unchanged, List<Problems.Error> errors, List<Created> orders) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a purchase order and its vendor link", description = "201 with the link when created; 200 when the same order was already created (same content);"
            + " 409 when the reference exists with other content.")
    public Response create(OrderInput input) {
        if (input == null) {
            throw ValidationException.of("body", "is required: a purchase order as JSON", null);
        }
        var result = orders.create(caller.organizationId(), input, Actor.api());
        boolean created = result.outcome() == Orders.Outcome.CREATED;
        return Response.status(created ? 201 : 200).entity(created(result)).build();
    }

    @POST
    @Path("/import")
    @Consumes({ "text/csv", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM })
    @Operation(summary = "Import purchase orders from CSV, all or nothing", description = "One row per order line; columns reference, vendor_name, vendor_email, vendor_phone,"
            + " vendor_language, delivery_address, requested_date, sku, description, quantity, unit, unit_price,"
            + " currency (any order, comma or semicolon, UTF-8). Any error: 422 naming row and column, nothing imported.")
    public ImportReport importCsv(InputStream body, @QueryParam("send") @DefaultValue("NONE") String sendParam) {
        SendOption send = sendOption(sendParam);
        var drafts = OrderCsv.parse(body, config.importLimits());
        var report = orders.importAll(caller.organizationId(), drafts, Actor.api(), send);
        var created = report.orders().stream().filter(c -> c.outcome() == Orders.Outcome.CREATED)
                .map(PurchaseOrderApi::created).toList();
        return new ImportReport(report.created(), report.unchanged(), List.of(), created);
    }

    @GET
    @Path("/{reference}")
    @Operation(summary = "One purchase order with its lines, links (never their tokens) and timeline")
    public Response get(@PathParam("reference") String reference) {
        return queries.detail(caller.organizationId(), reference).map(detail -> Response.ok(detail).build())
                .orElseGet(() -> Problems.response(404, "Not found", "no purchase order " + reference).build());
    }

    @GET
    @Operation(summary = "Purchase orders, paged (at most 200 a page)", description = "q: a reference or tracking number, or part of the vendor's name;"
            + " bucket: OVERDUE, PENDING_RESPONSE, NEVER_OPENED, STALE, DECLINED, DEAD_MAIL, REOPENED;"
            + " sort: NEWEST (default), DUE, REFERENCE, UPDATED.")
    public OrderQueue.Page list(@QueryParam("status") OrderStatus status,
            @QueryParam("bucket") OrderQueue.Bucket bucket, @QueryParam("q") String q,
            @QueryParam("sort") OrderQueue.Sort sort, @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("50") int size) {
        return queue.page(caller.organizationId(), new OrderQueue.Filter(bucket, status, q, sort), page, size);
    }

    private static SendOption sendOption(String value) {
        try {
            return SendOption.valueOf(value.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw ValidationException.of("send", "must be one of NONE, LINK_ONLY, PO_AND_LINK", value);
        }
    }

    private static Created created(Orders.Created c) {
        var link = c.link() == null ? null : new VendorLink(c.link().linkId(), c.link().url(), c.link().expiresAt());
        return new Created(c.reference(), c.status(), link);
    }
}
