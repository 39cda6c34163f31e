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
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.portlink.organization.Organizations;
import io.portlink.platform.Convention;
import io.portlink.platform.Paging;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.Problems;
import io.portlink.platform.ValidationException;
import io.portlink.purchasing.OrderCsv;
import io.portlink.purchasing.OrderExport;
import io.portlink.purchasing.OrderInput;
import io.portlink.purchasing.OrderQueries;
import io.portlink.purchasing.OrderQueue;
import io.portlink.purchasing.OrderSearch;
import io.portlink.purchasing.OrderStatus;
import io.portlink.purchasing.Orders;
import io.portlink.purchasing.SendOption;
import io.portlink.timeline.Actor;

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
    OrderExport exports;

    @Inject
    PortlinkConfig config;

    @Inject
    Organizations organizations;

    @Inject
    java.time.Clock clock;

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
            + " 409 when the reference exists with other content. Optional consignee {name, email, phone, language}:"
            + " who receives the goods; shipments the vendor creates for the order take it as their customer"
            + " (milestone mails), the vendor never sees it.")
    public Response create(OrderInput input,
            @Parameter(description = "How string quantities and prices are written: point (1,234.56, the default) or"
                    + " comma (1.234,56). JSON numbers are always read as JSON.") @QueryParam("decimal") String decimal) {
        if (input == null) {
            throw ValidationException.of("body", "is required: a purchase order as JSON", null);
        }
        var draft = input.toDraft(config.importLimits().maxFieldLength(),
                Convention.JSON.withDecimal(Convention.DecimalMark.parse("decimal", decimal)));
        var result = orders.create(caller.organizationId(), draft, Actor.api(),
                input.send() == null ? SendOption.NONE : input.send());
        boolean created = result.outcome() == Orders.Outcome.CREATED;
        return Response.status(created ? 201 : 200).entity(created(result)).build();
    }

    @POST
    @Path("/import")
    @Consumes({ "text/csv", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM })
    @Operation(summary = "Import purchase orders from CSV, all or nothing", description = "One row per order line; columns reference, vendor_name, vendor_email, vendor_phone,"
            + " vendor_language, delivery_address, requested_date, sku, description, quantity, unit, unit_price,"
            + " currency, and optionally the consignee (who receives the goods; never shown to the vendor):"
            + " consignee_name, consignee_email, consignee_phone, consignee_language (en, de, fr, es)"
            + " (any order, comma or semicolon, UTF-8). Numbers and dates as the organisation's country writes"
            + " them (GB: 2,500.5 and 20/12/2026) unless decimal= says otherwise; YYYY-MM-DD always. Ambiguous numbers"
            + " (1.000 with a decimal point), dates that are none in the organisation's order (12/20/2026 in GB) and"
            + " scientific notation are refused." + " Any error: 422 naming row and column, nothing imported.")
    public ImportReport importCsv(InputStream body, @QueryParam("send") @DefaultValue("NONE") String sendParam,
            @Parameter(description = "point (1,234.56) or comma (1.234,56); default: the organisation's country") @QueryParam("decimal") String decimal) {
        SendOption send = sendOption(sendParam);
        var mark = Convention.DecimalMark.parse("decimal", decimal);
        var drafts = OrderCsv.parse(body, config.importLimits(), convention(mark));
        var report = orders.importAll(caller.organizationId(), drafts, Actor.api(), send);
        var created = report.orders().stream().filter(c -> c.outcome() == Orders.Outcome.CREATED)
                .map(PurchaseOrderApi::created).toList();
        return new ImportReport(report.created(), report.unchanged(), List.of(), created);
    }

    @GET
    @Path("/import/template")
    @Produces("text/csv")
    @Operation(summary = "A CSV template to fill in: the header and an example order, in the organisation's convention", description = "Importable as it is (it creates order PO-EXAMPLE-1).")
    public Response template(@QueryParam("decimal") String decimal) {
        var org = organizations.view(caller.organizationId()).orElseThrow();
        var convention = convention(Convention.DecimalMark.parse("decimal", decimal));
        String csv = OrderCsv.template(convention, Convention.currency(org.country()),
                java.time.LocalDate.now(clock).getYear() + 1);
        return Response.ok(csv, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"purchase-orders-template.csv\"").build();
    }

    @Inject
    io.portlink.fulfilment.Fulfilments fulfilments;

    /**
     * One order as JSON: the order's fields as before, plus {@code fulfilment} (derived status) and {@code shipments}
     * (each with carrier, tracking number and lines). The old {@code carrier}/{@code trackingNumber} are the latest
     * shipment's.
     */
    public record OrderJson(@com.fasterxml.jackson.annotation.JsonUnwrapped OrderQueries.Detail order,
            io.portlink.fulfilment.FulfilmentStatus fulfilment,
            List<io.portlink.fulfilment.Fulfilments.ApiShipment> shipments) {

        OrderJson(OrderQueries.Detail order, io.portlink.fulfilment.Fulfilments.ApiFulfilment f) {
            this(order, f.status(), f.shipments());
        }
    }

    @GET
    @Path("/{reference}")
    @Operation(summary = "One purchase order with its lines, links (never their tokens) and timeline")
    @APIResponse(responseCode = "200", description = "The order; quantities and prices as exact decimal strings", content = @Content(schema = @Schema(implementation = OrderQueries.Detail.class)))
    public Response get(@PathParam("reference") String reference) {
        return queries.detail(caller.organizationId(), reference)
                .map(detail -> Response
                        .ok(new OrderJson(detail, fulfilments.forApi(caller.organizationId(), reference).orElseThrow()))
                        .build())
                .orElseGet(() -> Problems.response(404, "Not found", "no purchase order " + reference).build());
    }

    @GET
    @Operation(summary = "Purchase orders, paged (at most 200 a page)", description = "q: search text (every word must"
            + " match part of the reference, a line's SKU or description, or the vendor's name, or a whole tracking number;"
            + " \"quotes\" keep a phrase; ref:, sku:, desc:, vendor: look in one field); vendor: part of the vendor's name;"
            + " createdFrom/createdTo, requestedFrom/requestedTo, expectedFrom/expectedTo: YYYY-MM-DD, both ends included;"
            + " bucket: OVERDUE, PENDING_RESPONSE, NEVER_OPENED, STALE, DECLINED, DEAD_MAIL, REOPENED;"
            + " sort: NEWEST (default), DUE, REFERENCE, UPDATED.")
    public OrderQueue.Page list(@QueryParam("status") String status, @QueryParam("bucket") String bucket,
            @QueryParam("q") String q, @QueryParam("sort") String sort, @QueryParam("page") String page,
            @QueryParam("size") String size, @QueryParam("vendor") String vendor,
            @QueryParam("createdFrom") String createdFrom, @QueryParam("createdTo") String createdTo,
            @QueryParam("requestedFrom") String requestedFrom, @QueryParam("requestedTo") String requestedTo,
            @QueryParam("expectedFrom") String expectedFrom, @QueryParam("expectedTo") String expectedTo) {
        Paging paging = Paging.parse(page, size, 50);
        var filter = filter(bucket, status, q, sort, vendor, createdFrom, createdTo, requestedFrom, requestedTo,
                expectedFrom, expectedTo);
        return queue.page(caller.organizationId(), filter, paging.page(), paging.size());
    }

    @GET
    @Path("/export")
    @Produces({ "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/problem+json" })
    @Operation(summary = "The filtered list as a file, streamed", description = "format: csv or xlsx; rows: orders"
            + " (default, one row per order) or lines (one row per order line); the filter parameters of the list."
            + " Orders in the order they were created. CSV: UTF-8 with BOM, the organisation's delimiter and decimal mark,"
            + " ISO dates; a text cell starting with = + - @ gets a leading apostrophe. XLSX: numbers and dates as such.")
    public Response export(@QueryParam("format") String format, @QueryParam("rows") String rows,
            @QueryParam("status") String status, @QueryParam("bucket") String bucket, @QueryParam("q") String q,
            @QueryParam("vendor") String vendor, @QueryParam("createdFrom") String createdFrom,
            @QueryParam("createdTo") String createdTo, @QueryParam("requestedFrom") String requestedFrom,
            @QueryParam("requestedTo") String requestedTo, @QueryParam("expectedFrom") String expectedFrom,
            @QueryParam("expectedTo") String expectedTo) {
        var errors = new ValidationException.Builder();
        OrderQueue.Filter filter = null;
        OrderExport.Format f = null;
        OrderExport.Rows r = null;
        try {
            filter = filter(bucket, status, q, null, vendor, createdFrom, createdTo, requestedFrom, requestedTo,
                    expectedFrom, expectedTo);
        } catch (ValidationException e) {
            e.errors().forEach(x -> errors.add(x.field(), x.message(), x.value()));
        }
        try {
            f = OrderExport.Format.parse(format);
        } catch (ValidationException e) {
            errors.add("format", e.errors().get(0).message(), format);
        }
        try {
            r = OrderExport.Rows.parse(rows);
        } catch (ValidationException e) {
            errors.add("rows", e.errors().get(0).message(), rows);
        }
        errors.throwIfAny();
        var download = exports.prepare(caller.organizationId(), filter, f, r).orElseThrow();
        StreamingOutput body = out -> exports.write(download, out);
        return Response.ok(body, download.format().mediaType)
                .header("Content-Disposition", "attachment; filename=\"" + download.fileName() + "\"")
                .header("Cache-Control", "no-store").build();
    }

    /**
     * The list's filter from the query string.
     *
     * @throws ValidationException
     *             naming every parameter that is wrong
     */
    private static OrderQueue.Filter filter(String bucket, String status, String q, String sort, String vendor,
            String createdFrom, String createdTo, String requestedFrom, String requestedTo, String expectedFrom,
            String expectedTo) {
        var errors = new ValidationException.Builder();
        OrderQueue.Bucket b = choice(errors, "bucket", OrderQueue.Bucket.class, bucket);
        OrderStatus st = choice(errors, "status", OrderStatus.class, status);
        OrderQueue.Sort so = choice(errors, "sort", OrderQueue.Sort.class, sort);
        var created = OrderSearch.Range.parse("created", createdFrom, createdTo, errors);
        var requested = OrderSearch.Range.parse("requested", requestedFrom, requestedTo, errors);
        var expected = OrderSearch.Range.parse("expected", expectedFrom, expectedTo, errors);
        var filter = new OrderQueue.Filter(b, st, q, so, vendor, created, requested, expected);
        try {
            filter.terms();
        } catch (ValidationException e) {
            e.errors().forEach(x -> errors.add(x.field(), x.message(), x.value()));
        }
        errors.throwIfAny();
        return filter;
    }

    private static <E extends Enum<E>> E choice(ValidationException.Builder errors, String name, Class<E> type,
            String value) {
        try {
            return choice(name, type, value);
        } catch (ValidationException e) {
            errors.add(name, e.errors().get(0).message(), value);
            return null;
        }
    }

    /** A filter value from the query string: absent is no filter, anything else must name one of the values. */
    private static <E extends Enum<E>> E choice(String name, Class<E> type, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ValidationException.of(name, "must be one of " + java.util.Arrays.stream(type.getEnumConstants())
                    .map(Enum::name).collect(java.util.stream.Collectors.joining(", ")), value);
        }
    }

    private Convention convention(Convention.DecimalMark decimal) {
        return Convention.of(organizations.view(caller.organizationId()).orElseThrow().country(), decimal);
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
