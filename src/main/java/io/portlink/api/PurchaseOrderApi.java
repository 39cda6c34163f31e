package io.portlink.api;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
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
import io.portlink.platform.Fields;
import io.portlink.platform.Paging;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.Problems;
import io.portlink.platform.ValidationException;
import io.portlink.purchasing.ImportNotes;
import io.portlink.purchasing.OrderCsv;
import io.portlink.purchasing.OrderExport;
import io.portlink.purchasing.OrderImport;
import io.portlink.purchasing.OrderInput;
import io.portlink.purchasing.OrderQueries;
import io.portlink.purchasing.OrderQueue;
import io.portlink.purchasing.OrderRevisions;
import io.portlink.purchasing.OrderSearch;
import io.portlink.purchasing.OrderStatus;
import io.portlink.purchasing.Orders;
import io.portlink.purchasing.RevisionChange;
import io.portlink.purchasing.SendOption;
import io.portlink.purchasing.StaleRevisionException;
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

    /**
     * An import's answer: counts, no errors (a refused file is a 422), the new orders with their links, and
     * {@code warnings}: what to check though it was imported (a vendor created, a line repeating another of its order;
     * at most 100, {@code unlistedWarnings} the rest).
     */
    public record ImportReport(int created, int unchanged, List<Problems.Error> errors, List<Created> orders,
            List<ImportNotes.Note> warnings, int unlistedWarnings) {
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
    @APIResponse(responseCode = "200", description = "The counts and every new order with its vendor link (shown this once)", content = @Content(schema = @Schema(implementation = ImportReport.class)))
    public Response importCsv(InputStream body, @QueryParam("send") @DefaultValue("NONE") String sendParam,
            @Parameter(description = "point (1,234.56) or comma (1.234,56); default: the organisation's country") @QueryParam("decimal") String decimal) {
        SendOption send = sendOption(sendParam);
        var mark = Convention.DecimalMark.parse("decimal", decimal);
        if (OrderImport.handles(send)) {
            // committed before a byte of the answer is written; the answer reads the new orders back in batches
            var result = imports.importFile(caller.organizationId(), body, convention(mark), Actor.api());
            StreamingOutput answer = out -> writeReport(result, out);
            return Response.ok(answer, MediaType.APPLICATION_JSON_TYPE).build();
        }
        var drafts = OrderCsv.parse(body, config.importLimits(), convention(mark));
        var report = orders.importAll(caller.organizationId(), drafts, Actor.api(), send);
        var created = report.orders().stream().filter(c -> c.outcome() == Orders.Outcome.CREATED)
                .map(PurchaseOrderApi::created).toList();
        return Response.ok(new ImportReport(report.created(), report.unchanged(), List.of(), created, report.notes(),
                report.notesUnlisted())).build();
    }

    /** The {@link ImportReport} of a committed import, written order by order (never held whole). */
    private void writeReport(OrderImport.Result result, java.io.OutputStream out) throws java.io.IOException {
        // one value after the other into the generator's buffer: no flush per order
        try (var gen = json.getFactory().createGenerator(out)) {
            gen.writeStartObject();
            gen.writeNumberField("created", result.created());
            gen.writeNumberField("unchanged", result.unchanged());
            gen.writeArrayFieldStart("errors");
            gen.writeEndArray();
            gen.writeArrayFieldStart("orders");
            imports.answer(result, order -> gen.writeObject(new Created(order.reference(), order.status(),
                    new VendorLink(order.link().linkId(), order.link().url(), order.link().expiresAt()))));
            gen.writeEndArray();
            gen.writeArrayFieldStart("warnings");
            for (ImportNotes.Note note : result.notes()) {
                gen.writeObject(note);
            }
            gen.writeEndArray();
            gen.writeNumberField("unlistedWarnings", result.notesUnlisted());
            gen.writeEndObject();
        }
    }

    @Inject
    OrderImport imports;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

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
    @Operation(summary = "One purchase order with its lines, links (never their tokens) and timeline", description = "The ETag header is the order's revision (\"3\"): send it back as If-Match to amend the order"
            + " (PUT). revision, changeAcknowledged (false while the vendor has not acknowledged the latest"
            + " amendment), revisions (each amendment's changes), cancelReason and cancelAcknowledgedAt are in the body.")
    @APIResponse(responseCode = "200", description = "The order; quantities and prices as exact decimal strings", content = @Content(schema = @Schema(implementation = OrderQueries.Detail.class)))
    public Response get(@PathParam("reference") String reference) {
        return queries.detail(caller.organizationId(), reference)
                .map(detail -> Response
                        .ok(new OrderJson(detail, fulfilments.forApi(caller.organizationId(), reference).orElseThrow()))
                        .tag(etag(detail.revision())).build())
                .orElseGet(() -> notFound(reference));
    }

    @Inject
    OrderRevisions revisions;

    /** The body of an amendment: the order as it should be now (as for creating it), and optionally its revision. */
    public record Amendment(String reference, OrderInput.VendorInput vendor, String deliveryAddress,
            String requestedDate, List<OrderInput.LineInput> lines,
            @Schema(description = "Ignored: an amendment is mailed to the vendor when the vendor had been sent the order") SendOption send,
            OrderInput.ConsigneeInput consignee,
            @Schema(description = "The revision this amendment is based on, when If-Match is not sent") Integer revision) {

        OrderInput order() {
            return new OrderInput(reference, vendor, deliveryAddress, requestedDate, lines, send, consignee);
        }
    }

    /** What an amendment did. */
    public record Amended(String reference, int revision, boolean changed, List<RevisionChange> changes,
            boolean vendorMailed, boolean awaitsAcknowledgement) {
    }

    /** 412: the amendment was based on an older revision. */
    public record StaleRevision(String title, int status, String detail, int currentRevision) {
    }

    @PUT
    @Path("/{reference}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Amend a purchase order: revision N becomes N+1", description = "The body is the whole order as it should be now, as for creating it (lines are matched to the"
            + " order's by SKU, else by position). Which revision it is based on: If-Match with the ETag of GET"
            + " (\"3\"), or a revision field; 428 without either, 412 (problem+json with currentRevision) when the"
            + " order was amended meanwhile. 200 with the new revision and what changed (the ETag is the new"
            + " revision); an unchanged order stays at its revision (changed false), and the same amendment repeated"
            + " after it was applied is answered the same way. When the vendor had been sent the order, it gets a"
            + " \"PO changed\" mail with the changes and must acknowledge the revision (changeAcknowledged on GET)."
            + " 422 for a closed order, another vendor, or a line below what was shipped of it.")
    @APIResponse(responseCode = "412", description = "Stale revision", content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = StaleRevision.class)))
    @APIResponse(responseCode = "428", description = "Neither If-Match nor revision")
    public Response amend(@PathParam("reference") String reference, Amendment body,
            @Parameter(description = "The ETag of GET: the revision this amendment is based on") @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @QueryParam("decimal") String decimal) {
        if (body == null) {
            throw ValidationException.of("body", "is required: the purchase order as JSON", null);
        }
        Integer expected = expectedRevision(ifMatch, body.revision());
        if (expected == null) {
            return Problems.response(428, "Precondition required",
                    "say which revision this amendment is based on: If-Match with the ETag of GET /api/v1/purchase-orders/"
                            + reference + " (e.g. \"1\"), or a revision field in the body")
                    .build();
        }
        Convention convention = Convention.JSON.withDecimal(Convention.DecimalMark.parse("decimal", decimal));
        io.portlink.purchasing.OrderDraft draft;
        try {
            draft = body.order().toDraft(config.importLimits().maxFieldLength(), convention);
        } catch (ValidationException e) {
            // a line below what was shipped is named with the fields refused, not once they are mended
            List<ValidationException.FieldError> all = new java.util.ArrayList<>(e.errors());
            all.addAll(revisions.shippedProblems(caller.organizationId(), reference,
                    body.order().linesAsRead(config.importLimits().maxFieldLength(), convention, false)));
            throw new ValidationException(all);
        }
        try {
            return revisions.amend(caller.organizationId(), reference, expected, draft, Actor.api())
                    .map(a -> Response.ok(new Amended(a.reference(), a.revision(), a.changed(), a.changes(),
                            a.vendorMailed(), a.awaitsAcknowledgement())).tag(etag(a.revision())).build())
                    .orElseGet(() -> notFound(reference));
        } catch (StaleRevisionException e) {
            return stale(e);
        }
    }

    /** 412 with the order's current revision (also its ETag). */
    private static Response stale(StaleRevisionException e) {
        return Response.status(412).type(Problems.MEDIA_TYPE).tag(etag(e.currentRevision()))
                .entity(new StaleRevision("Precondition failed", 412, e.getMessage(), e.currentRevision())).build();
    }

    /** The body of a cancellation. */
    public record Cancellation(
            @Schema(description = "Required: the vendor is told it", maxLength = 1000) String reason) {
    }

    @POST
    @Path("/{reference}/cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Cancel a purchase order, with a reason the vendor is told", description = "The vendor gets a mail with the reason (when it had been sent the order and has an e-mail)"
            + " and a banner on its link, where it acknowledges the cancellation (cancelAcknowledgedAt on GET)."
            + " Cancelling a cancelled order again changes nothing (200). 422 without a reason or for a delivered or"
            + " declined order; with If-Match, 412 when the order was amended meanwhile.")
    public Response cancel(@PathParam("reference") String reference, Cancellation body,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        Integer expected = expectedRevision(ifMatch, null);
        String reason = body == null ? null : body.reason();
        try {
            // the revision is compared under the order's lock (an amendment at the same moment is either seen or waits)
            var cancelled = expected == null
                    ? orders.cancel(caller.organizationId(), reference, (Long) null, Actor.api(), reason)
                    : orders.cancelAtRevision(caller.organizationId(), reference, expected, Actor.api(), reason);
            return cancelled.map(o -> get(reference)).orElseGet(() -> notFound(reference));
        } catch (StaleRevisionException e) {
            return stale(e);
        }
    }

    /**
     * The revision an amendment is based on: If-Match ({@code "3"}, {@code W/"3"} or {@code 3}) or the body's; null
     * when neither. Both, disagreeing, is a 422.
     */
    private static Integer expectedRevision(String ifMatch, Integer bodyRevision) {
        Integer fromHeader = null;
        if (ifMatch != null && !ifMatch.isBlank()) {
            String tag = ifMatch.strip();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
                tag = tag.substring(1, tag.length() - 1);
            }
            try {
                fromHeader = Integer.valueOf(tag);
            } catch (NumberFormatException e) {
                throw ValidationException.of("If-Match",
                        "must be the order's ETag, its revision in quotes like \"3\" (one tag, not *)", ifMatch);
            }
            if (fromHeader < 1) {
                throw ValidationException.of("If-Match", "must be a revision of 1 or more", ifMatch);
            }
        }
        if (bodyRevision != null && bodyRevision < 1) {
            throw ValidationException.of("revision", "must be 1 or more", bodyRevision.toString());
        }
        if (fromHeader != null && bodyRevision != null && !fromHeader.equals(bodyRevision)) {
            throw ValidationException.of("revision", "differs from If-Match " + ifMatch + ": send one of them",
                    bodyRevision.toString());
        }
        return fromHeader != null ? fromHeader : bodyRevision;
    }

    private static EntityTag etag(int revision) {
        return new EntityTag(Integer.toString(revision));
    }

    private static Response notFound(String reference) {
        return Problems.response(404, "Not found", "no purchase order " + reference).build();
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
        // every wrong parameter in one answer: the paging's and the filter's
        var errors = new ValidationException.Builder();
        Paging paging = errors.take(() -> Paging.parse(page, size, 50));
        var filter = errors.take(() -> filter(bucket, status, q, sort, vendor, createdFrom, createdTo, requestedFrom,
                requestedTo, expectedFrom, expectedTo));
        errors.throwIfAny();
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
        OrderQueue.Bucket b = Fields.choice(errors, "bucket", OrderQueue.Bucket.class, bucket);
        OrderStatus st = Fields.choice(errors, "status", OrderStatus.class, status);
        OrderQueue.Sort so = Fields.choice(errors, "sort", OrderQueue.Sort.class, sort);
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

    private Convention convention(Convention.DecimalMark decimal) {
        return organizations.convention(caller.organizationId(), decimal);
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
