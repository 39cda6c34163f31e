package io.portlink.staff;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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
import jakarta.ws.rs.core.UriBuilder;

import org.jboss.resteasy.reactive.RestForm;

import io.portlink.platform.ConflictException;
import io.portlink.platform.Forms;
import io.portlink.platform.Locales;
import io.portlink.platform.Paging;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.ValidationException;
import io.portlink.purchasing.OrderExport;
import io.portlink.purchasing.OrderQueries;
import io.portlink.purchasing.OrderQueue;
import io.portlink.purchasing.OrderSearch;
import io.portlink.purchasing.OrderStatus;
import io.portlink.purchasing.Orders;
import io.portlink.purchasing.SendOption;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The staff's orders: list, one order with its links and timeline, link actions. The CSV import is {@link StaffImport}.
 */
@Path("/app")
@Produces(MediaType.TEXT_HTML)
public class StaffOrders {

    @Inject
    StaffContext staff;

    @Inject
    Orders orders;

    @Inject
    OrderQueries queries;

    @Inject
    OrderQueue queue;

    @Inject
    io.portlink.purchasing.Reminders reminders;

    @Inject
    PortlinkConfig config;

    @Inject
    OrderExport exports;

    @Inject
    io.portlink.fulfilment.Fulfilments fulfilments;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(StaffContext.Header header, Locales.Format fmt, OrderQueue.Page page,
                Map<OrderQueue.Bucket, Long> counts, QueueView view, List<OrderStatus> statuses, String message,
                List<Orders.LinkRequestView> requests);

        static native TemplateInstance detail(StaffContext.Header header, Locales.Format fmt, OrderQueries.Detail order,
                String message, String error);

        static native TemplateInstance newLink(StaffContext.Header header, ShareLink link, String note);

        static native TemplateInstance confirmLink(StaffContext.Header header, Locales.Format fmt,
                OrderQueries.Detail order, OrderQueries.LinkView link, String action, SendOption send);
    }

    /** Flash messages after a redirect: the URL carries a key, never text. */
    private static final Map<String, String> DONE = Map.of("revoked", "The link was revoked. It stops working at once.",
            "sent", "The e-mail is queued and will be delivered in a moment.", "reminded",
            "The reminder is queued and will be delivered in a moment.", "marked",
            "The order is marked as sent to the vendor.", "cancelled",
            "The order is cancelled. Its links stop working after the expiry period.", "noted",
            "Noted: the order left the \"Reopened by vendor\" list.");

    /**
     * The queue's current filter as the page shows it and builds its links from: every value as typed, the problems
     * with them ({@code errors}, as the page says them) and, for an empty list, what to try ({@code empty}).
     */
    public record QueueView(String bucket, String status, String q, String sort, String vendor, String createdFrom,
            String createdTo, String requestedFrom, String requestedTo, String expectedFrom, String expectedTo,
            List<String> errors, String empty) {

        public List<OrderQueue.Bucket> buckets() {
            return List.of(OrderQueue.Bucket.values());
        }

        public List<OrderQueue.Sort> sorts() {
            return List.of(OrderQueue.Sort.values());
        }

        /** Whether a date is part of the filter (the dates' fold then opens). */
        public boolean dated() {
            return !(createdFrom + createdTo + requestedFrom + requestedTo + expectedFrom + expectedTo).isEmpty();
        }

        /** Query string of this view for another bucket or page. */
        public String query(String otherBucket, int page) {
            return "bucket=" + otherBucket + "&" + filters() + "&sort=" + sort + "&page=" + page;
        }

        /** The export's address: this view's filter, the format ({@code csv}, {@code xlsx}) and rows. */
        public String export(String format, String rows) {
            return "/app/orders/export?format=" + format + "&rows=" + rows + "&bucket=" + bucket + "&" + filters();
        }

        private String filters() {
            return "status=" + status + "&q=" + enc(q) + "&vendor=" + enc(vendor) + "&createdFrom=" + enc(createdFrom)
                    + "&createdTo=" + enc(createdTo) + "&requestedFrom=" + enc(requestedFrom) + "&requestedTo="
                    + enc(requestedTo) + "&expectedFrom=" + enc(expectedFrom) + "&expectedTo=" + enc(expectedTo);
        }

        private static String enc(String value) {
            return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /**
     * The list's filter as the query string gives it; every problem goes into {@code errors} (the part is left out).
     */
    record Search(OrderQueue.Filter filter, ValidationException.Builder errors) {

        static Search of(String bucket, String status, String q, String sort, String vendor, String createdFrom,
                String createdTo, String requestedFrom, String requestedTo, String expectedFrom, String expectedTo) {
            var errors = new ValidationException.Builder();
            var created = OrderSearch.Range.parse("created", createdFrom, createdTo, errors);
            var requested = OrderSearch.Range.parse("requested", requestedFrom, requestedTo, errors);
            var expected = OrderSearch.Range.parse("expected", expectedFrom, expectedTo, errors);
            String text = q;
            try {
                new OrderQueue.Filter(null, null, q, null, vendor, null, null, null).terms();
            } catch (ValidationException e) {
                e.errors().forEach(f -> errors.add(f.field(), f.message(), f.value()));
                text = null;
            }
            var filter = new OrderQueue.Filter(parse(OrderQueue.Bucket.class, bucket), parse(OrderStatus.class, status),
                    text, parse(OrderQueue.Sort.class, sort), vendor, created, requested, expected);
            return new Search(filter, errors);
        }
    }

    /** The action queue: counts per bucket, then the orders of the chosen bucket, filtered, sorted, paged. */
    @GET
    @Path("/orders")
    public Response list(@QueryParam("bucket") String bucket, @QueryParam("status") String status,
            @QueryParam("q") String q, @QueryParam("sort") String sort, @QueryParam("page") String page,
            @QueryParam("done") String done, @QueryParam("vendor") String vendor,
            @QueryParam("createdFrom") String createdFrom, @QueryParam("createdTo") String createdTo,
            @QueryParam("requestedFrom") String requestedFrom, @QueryParam("requestedTo") String requestedTo,
            @QueryParam("expectedFrom") String expectedFrom, @QueryParam("expectedTo") String expectedTo) {
        Paging paging = Paging.parse(page, null, 50);
        var search = Search.of(bucket, status, q, sort, vendor, createdFrom, createdTo, requestedFrom, requestedTo,
                expectedFrom, expectedTo);
        var filter = search.filter();
        var result = queue.page(staff.organizationId(), filter, paging.page(), paging.size());
        var view = new QueueView(name(filter.bucket()), name(filter.status()), typed(q),
                filter.sort() == null ? OrderQueue.Sort.NEWEST.name() : filter.sort().name(), typed(vendor),
                typed(createdFrom), typed(createdTo), typed(requestedFrom), typed(requestedTo), typed(expectedFrom),
                typed(expectedTo), search.errors().errors().stream().map(FormErrors::text).toList(),
                result.total() == 0 ? empty(filter) : null);
        return Response.status(search.errors().isEmpty() ? 200 : 400)
                .entity(Templates.list(staff.header(), staff.organization().format(), result,
                        queue.counts(staff.organizationId()), view, List.of(OrderStatus.values()),
                        done == null ? null : DONE.get(done), orders.openLinkRequests(staff.organizationId())))
                .build();
    }

    /**
     * The filtered list as a file ({@code format} csv or xlsx; {@code rows} orders or lines), the list's own filter
     * parameters; streamed while it is read (see {@link OrderExport}). A filter the list would refuse answers 400 with
     * every problem.
     */
    @GET
    @Path("/orders/export")
    @Produces({ "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/plain" })
    public Response export(@QueryParam("format") String format, @QueryParam("rows") String rows,
            @QueryParam("bucket") String bucket, @QueryParam("status") String status, @QueryParam("q") String q,
            @QueryParam("vendor") String vendor, @QueryParam("createdFrom") String createdFrom,
            @QueryParam("createdTo") String createdTo, @QueryParam("requestedFrom") String requestedFrom,
            @QueryParam("requestedTo") String requestedTo, @QueryParam("expectedFrom") String expectedFrom,
            @QueryParam("expectedTo") String expectedTo) {
        var search = Search.of(bucket, status, q, null, vendor, createdFrom, createdTo, requestedFrom, requestedTo,
                expectedFrom, expectedTo);
        var errors = search.errors();
        OrderExport.Format f = null;
        OrderExport.Rows r = null;
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
        if (!errors.isEmpty()) {
            return Response.status(400).type("text/plain;charset=UTF-8")
                    .entity(String.join("\n", errors.errors().stream().map(FormErrors::text).toList())).build();
        }
        var download = exports.prepare(staff.organizationId(), search.filter(), f, r).orElseThrow();
        StreamingOutput body = out -> exports.write(download, out);
        return Response.ok(body, download.format().mediaType)
                .header("Content-Disposition", "attachment; filename=\"" + download.fileName() + "\"")
                .header("Cache-Control", "no-store").build();
    }

    /** What an empty list says: what was looked for and where, and what to try. */
    static String empty(OrderQueue.Filter filter) {
        var terms = filter.terms();
        boolean dated = !filter.created().isAny() || !filter.requested().isAny() || !filter.expected().isAny();
        boolean narrowed = filter.bucket() != null || filter.status() != null;
        String more = (dated ? ", or clear the dates" : "") + (narrowed ? ", or look in All statuses and buckets" : "")
                + ".";
        if (!terms.isEmpty()) {
            String text = terms.stream().map(t -> t.field().prefix + t.text()).collect(Collectors.joining(" "));
            return "No order matches '" + text + "' in " + OrderSearch.where(terms) + ". Try fewer letters" + more;
        }
        if (dated) {
            return "No order has its dates in these ranges. Try wider dates"
                    + (narrowed ? ", or look in All statuses and buckets." : ", or clear them.");
        }
        if (narrowed) {
            return "No order is here right now. The other buckets, or All, show the rest.";
        }
        return "No orders yet. Import orders, or send them through the API, to start.";
    }

    private static String typed(String value) {
        return value == null ? "" : value.strip();
    }

    /** From the queue: a fresh link for the vendor, e-mailed at once (the old one stops). */
    @POST
    @Path("/orders/{reference}/resend")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response resend(@PathParam("reference") String reference, @RestForm String back) {
        try {
            if (!orders.resendLink(staff.organizationId(), reference, staff.actor())) {
                return notFound();
            }
        } catch (ValidationException e) {
            return render(reference, 422, null, e.getMessage());
        }
        return backToQueue(back, "sent");
    }

    /** From the queue or the order: a reminder mail with a fresh link, now rather than on the schedule. */
    @POST
    @Path("/orders/{reference}/remind")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response remind(@PathParam("reference") String reference, @RestForm String back) {
        var result = reminders.sendNow(staff.organizationId(), reference, staff.actor());
        if (result.refusal() == null) {
            return back == null ? Response.seeOther(URI.create("/app/orders/" + reference + "?done=reminded")).build()
                    : backToQueue(back, "reminded");
        }
        return switch (result.refusal()) {
        case NOT_FOUND -> notFound();
        case CLOSED -> render(reference, 409, null,
                "The order is closed: no reminder is sent to a declined," + " cancelled or delivered order.");
        case NO_EMAIL -> render(reference, 422, null,
                "The vendor has no e-mail address: share a link by WhatsApp, SMS or copy instead.");
        case JUST_SENT -> render(reference, 409, null,
                "A reminder went out at " + staff.organization().format().dateTime(result.lastSentAt())
                        + ". Another one can be sent 15 minutes after it.");
        };
    }

    /** Back to the same queue view; only a plain query string is accepted (no open redirect). */
    private static Response backToQueue(String back, String done) {
        String query = back == null || !back.matches("[A-Za-z0-9_=&%.+-]*") ? "" : back;
        return Response.seeOther(URI.create("/app/orders?" + query + (query.isEmpty() ? "" : "&") + "done=" + done))
                .build();
    }

    @GET
    @Path("/orders/{reference}")
    public Response detail(@PathParam("reference") String reference, @QueryParam("done") String done) {
        return render(reference, 200, done == null ? null : DONE.getOrDefault(done, StaffOrderForm.DONE.get(done)),
                null);
    }

    /**
     * The confirmation step of revoking a link ({@code action} revoke) or regenerating it ({@code action} regenerate,
     * {@code send}: what to e-mail with the new link, as chosen on the order's page): a GET only shows what would
     * happen, and the page's form posts the action with {@code confirm=yes}. 404 for a link that is not an active one
     * of this order of the organisation.
     */
    @GET
    @Path("/orders/{reference}/links/{linkId}/revoke")
    public Response confirmRevoke(@PathParam("reference") String reference, @PathParam("linkId") long linkId) {
        return confirmLink(reference, linkId, "revoke", null);
    }

    /** The confirmation step of regenerating a link: see {@link #confirmLink}. */
    @GET
    @Path("/orders/{reference}/links/{linkId}/regenerate")
    public Response confirmRegenerate(@PathParam("reference") String reference, @PathParam("linkId") long linkId,
            @QueryParam("send") String send) {
        return confirmLink(reference, linkId, "regenerate", send);
    }

    private Response confirmLink(String reference, long linkId, String action, String send) {
        var order = queries.detail(staff.organizationId(), reference);
        var link = order
                .flatMap(o -> o.links().stream().filter(l -> l.id() == linkId && l.revokedAt() == null).findFirst());
        if (link.isEmpty()) {
            return notFound();
        }
        SendOption option = parse(SendOption.class, send);
        if (option == null || order.get().vendor().email() == null) {
            option = SendOption.NONE;
        }
        return Response.ok(Templates.confirmLink(staff.header(), staff.organization().format(), order.get(), link.get(),
                action, option)).build();
    }

    /** Where a post without the confirmation leads: the confirmation page, nothing changed. */
    private static Response unconfirmed(String reference, long linkId, String action, SendOption send) {
        UriBuilder page = UriBuilder.fromPath("/app/orders/{reference}/links/{linkId}/" + action);
        if (send != null && send != SendOption.NONE) {
            page.queryParam("send", send.name());
        }
        return Response.seeOther(page.build(reference, linkId)).build();
    }

    /** Stops the link at once, once confirmed on {@link #confirmLink}; without {@code confirm=yes} nothing changes. */
    @POST
    @Path("/orders/{reference}/links/{linkId}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(@PathParam("reference") String reference, @PathParam("linkId") long linkId,
            @RestForm String confirm) {
        if (!StaffLinks.CONFIRMED.equals(confirm)) {
            return unconfirmed(reference, linkId, "revoke", null);
        }
        if (!orders.revokeLink(staff.organizationId(), reference, linkId, staff.actor())) {
            return notFound();
        }
        return back(reference, "revoked");
    }

    /**
     * Old link stops, new one is shown once (and optionally e-mailed), once confirmed on {@link #confirmLink}; without
     * {@code confirm=yes} nothing changes.
     */
    @POST
    @Path("/orders/{reference}/links/{linkId}/regenerate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response regenerate(@PathParam("reference") String reference, @PathParam("linkId") long linkId,
            @RestForm @DefaultValue("NONE") SendOption send, @RestForm String confirm) {
        if (!StaffLinks.CONFIRMED.equals(confirm)) {
            return unconfirmed(reference, linkId, "regenerate", send);
        }
        try {
            var issued = orders.regenerateLink(staff.organizationId(), reference, linkId, staff.actor(), send);
            if (issued.isEmpty()) {
                return notFound();
            }
            var order = queries.detail(staff.organizationId(), reference).orElseThrow();
            var share = ShareLink.of(staff.organization().name(), reference, order.vendor().name(),
                    order.vendor().email(), order.vendor().phone(), issued.get());
            String note = send == SendOption.NONE ? null
                    : "The new link is also queued for e-mail to " + order.vendor().email() + ".";
            return Response.ok(Templates.newLink(staff.header(), share, note)).build();
        } catch (ConflictException e) {
            return render(reference, 409, null, e.getMessage());
        } catch (ValidationException e) {
            return render(reference, 422, null, e.getMessage());
        }
    }

    /** A link for another contact of the vendor; shown once, like every new link. */
    @POST
    @Path("/orders/{reference}/links")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response addLink(@PathParam("reference") String reference, @RestForm String name, @RestForm String contact,
            @RestForm String expires) {
        try {
            java.time.LocalDate until = expires == null || expires.isBlank() ? null
                    : java.time.LocalDate.parse(expires);
            var issued = orders.addLink(staff.organizationId(), reference, name, contact, until, staff.actor());
            if (issued.isEmpty()) {
                return notFound();
            }
            String email = contact != null && contact.contains("@") ? contact.strip() : null;
            String phone = email == null ? contact : null;
            var share = ShareLink.of(staff.organization().name(), reference, name, email, phone, issued.get());
            return Response.ok(Templates.newLink(staff.header(), share, null)).build();
        } catch (java.time.format.DateTimeParseException e) {
            return render(reference, 422, null, "expires: must be a date written YYYY-MM-DD");
        } catch (ValidationException e) {
            return render(reference, 422, null, e.errors().get(0).describe());
        }
    }

    /** E-mails a link whose token the import screen is still showing. */
    @POST
    @Path("/links/send")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response send(@RestForm String token, @RestForm String reference,
            @RestForm @DefaultValue("LINK_ONLY") SendOption send) {
        Forms.require("token", token, "reference", reference);
        try {
            if (send == SendOption.NONE || !orders.sendHeldLink(staff.organizationId(), token, send, staff.actor())) {
                return notFound();
            }
        } catch (ValidationException e) {
            return render(reference, 422, null, e.getMessage());
        }
        return back(reference, "sent");
    }

    @POST
    @Path("/orders/{reference}/mark-sent")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response markSent(@PathParam("reference") String reference, @RestForm String how) {
        Forms.require("how", how);
        String channel = switch (how) {
        case "whatsapp" -> "WhatsApp";
        case "sms" -> "SMS";
        case "phone" -> "phone";
        default -> "hand";
        };
        return orders.markSent(staff.organizationId(), reference, staff.actor(), channel).isPresent()
                ? back(reference, "marked") : notFound();
    }

    @POST
    @Path("/orders/{reference}/cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response cancel(@PathParam("reference") String reference, @RestForm String version,
            @RestForm String reason) {
        try {
            Forms.require("version", version);
            long seen = Forms.wholeNumber("version", version);
            return orders.cancel(staff.organizationId(), reference, seen, staff.actor(), reason).isPresent()
                    ? back(reference, "cancelled") : notFound();
        } catch (ConflictException | ValidationException e) {
            return render(reference, e instanceof ConflictException ? 409 : 422, null, e.getMessage());
        }
    }

    /** Staff saw that the vendor reopened the order after declining: it leaves the "Reopened by vendor" bucket. */
    @POST
    @Path("/orders/{reference}/reopen-noted")
    public Response reopenNoted(@PathParam("reference") String reference) {
        return orders.reopenNoted(staff.organizationId(), reference, staff.actor()).isPresent()
                ? back(reference, "noted") : notFound();
    }

    private Response render(String reference, int status, String message, String error) {
        return queries.detail(staff.organizationId(), reference).map(order -> Response.status(status)
                .entity(Templates.detail(staff.header(), staff.organization().format(), order, message, error)
                        .data("fulfilment", fulfilments.forStaff(staff.organizationId(), reference).orElseThrow()))
                .build()).orElseGet(this::notFound);
    }

    private static Response back(String reference, String done) {
        URI target = UriBuilder.fromPath("/app/orders/{reference}").queryParam("done", done).build(reference);
        return Response.seeOther(target).build();
    }

    private Response notFound() {
        return Response.status(404).type(MediaType.TEXT_PLAIN).entity("No such order or link in your organisation.")
                .build();
    }

    /** Unknown or empty filter values mean "no filter", as a hand-edited URL would expect. */
    private static <E extends Enum<E>> E parse(Class<E> type, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String name(Enum<?> value) {
        return value == null ? "" : value.name();
    }
}
