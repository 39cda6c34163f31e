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

import io.portlink.fulfilment.FulfilmentStatus;
import io.portlink.organization.Organizations;
import io.portlink.platform.ConflictException;
import io.portlink.platform.Fields;
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
    io.portlink.purchasing.DeclinedOrders declined;

    @Inject
    io.portlink.purchasing.VendorAddresses addresses;

    @Inject
    io.portlink.fulfilment.Fulfilments fulfilments;

    @Inject
    io.portlink.purchasing.VendorRecords vendorRecords;

    @Inject
    io.portlink.purchasing.HeldLinks heldLinks;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(StaffContext.Header header, Locales.Format fmt, OrderQueue.Page page,
                Map<OrderQueue.Bucket, Long> counts, QueueView view, List<OrderStatus> statuses, String message,
                List<Orders.LinkRequestView> requests, Map<String, String> shipped);

        static native TemplateInstance detail(StaffContext.Header header, Locales.Format fmt, OrderQueries.Detail order,
                String message, String error);

        /** {@code replaced}: the link replaces one that stopped (a regenerate), else it was added beside the others. */
        static native TemplateInstance newLink(StaffContext.Header header, ShareLink link, boolean replaced,
                String note);

        static native TemplateInstance confirmLink(StaffContext.Header header, Locales.Format fmt,
                OrderQueries.Detail order, OrderQueries.LinkView link, String action, SendOption send);

        static native TemplateInstance resource(StaffContext.Header header, Locales.Format fmt,
                OrderQueries.Detail order, List<io.portlink.purchasing.DeclinedOrders.VendorChoice> vendors,
                ReSourceForm form);
    }

    /** Flash messages after a redirect: the URL carries a key, never text. */
    private static final Map<String, String> DONE = Map.ofEntries(
            Map.entry("revoked", "The link was revoked. It stops working at once."),
            Map.entry("sent", "The e-mail is queued and will be delivered in a moment."),
            Map.entry("resent",
                    "The e-mail with a new link is queued and will be delivered in a moment; the link shown"
                            + " or shared before for that order no longer works."),
            Map.entry("reminded", "The reminder is queued and will be delivered in a moment."),
            Map.entry("marked", "The order is marked as sent to the vendor."),
            Map.entry("cancelled", "The order is cancelled. Its links stop working after the expiry period."),
            Map.entry("already-cancelled", "The order was already cancelled with this reason; nothing was changed."),
            Map.entry("noted", "Noted: the order left the \"Reopened by vendor\" list."),
            Map.entry("handled", "Marked handled: the order stays declined and left the \"Declined\" list."),
            Map.entry("declined-cancelled", "The declined order is cancelled and left the \"Declined\" list."),
            Map.entry("email-added", "The vendor's e-mail address is saved: links and reminders can be e-mailed now."),
            Map.entry("cancelled-mail-dead",
                    "The order is cancelled, but the last e-mail to this vendor could not be delivered: the cancellation may not"
                            + " reach them either. Phone the vendor."));

    /**
     * The queue's current filter as the page shows it and builds its links from: every value as typed, the problems
     * with them ({@code errors}, as the page says them), {@code explanations}: each bucket's sentence (what puts an
     * order in it, what to do), and {@code empty}: what an empty list says (what it means, what to try).
     */
    public record QueueView(String bucket, String status, String q, String sort, String vendor, String createdFrom,
            String createdTo, String requestedFrom, String requestedTo, String expectedFrom, String expectedTo,
            List<String> errors, Map<OrderQueue.Bucket, String> explanations, String empty) {

        /** The chosen bucket's explanation, or null when all orders are shown. */
        public String explanation() {
            return bucket.isEmpty() ? null : explanations.get(OrderQueue.Bucket.valueOf(bucket));
        }

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

        /** A query string as one URL parameter's value (for a link carrying {@code back}). */
        public String encoded(String query) {
            return java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8);
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
            var filter = new OrderQueue.Filter(Fields.choice(errors, "bucket", OrderQueue.Bucket.class, bucket),
                    Fields.choice(errors, "status", OrderStatus.class, status), text,
                    Fields.choice(errors, "sort", OrderQueue.Sort.class, sort), vendor, created, requested, expected);
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
            @QueryParam("expectedFrom") String expectedFrom, @QueryParam("expectedTo") String expectedTo,
            @QueryParam("made") String made) {
        Paging paging = Paging.parse(page, null, 50);
        var search = Search.of(bucket, status, q, sort, vendor, createdFrom, createdTo, requestedFrom, requestedTo,
                expectedFrom, expectedTo);
        var filter = search.filter();
        var result = queue.page(staff.organizationId(), filter, paging.page(), paging.size());
        // how far each order shipped, beside its status where the status does not say it (a partly shipped order is
        // still "Confirmed"): by reference, for the template
        Map<String, String> shipped = new java.util.HashMap<>();
        var fulfilment = fulfilments.statuses(result.items().stream().map(OrderQueue.Row::id).toList());
        for (OrderQueue.Row row : result.items()) {
            FulfilmentStatus f = fulfilment.get(row.id());
            if (f != null && row.status() != OrderStatus.DELIVERED
                    && !(f == FulfilmentStatus.SHIPPED && row.status() == OrderStatus.DISPATCHED)) {
                shipped.put(row.reference(), f.label);
            }
        }
        var org = staff.organization();
        Map<OrderQueue.Bucket, String> explanations = new java.util.EnumMap<>(OrderQueue.Bucket.class);
        for (OrderQueue.Bucket b : OrderQueue.Bucket.values()) {
            explanations.put(b, b.explanation(org.pendingResponseHours(), org.staleDays()));
        }
        var view = new QueueView(name(filter.bucket()), name(filter.status()), typed(q),
                filter.sort() == null ? OrderQueue.Sort.NEWEST.name() : filter.sort().name(), typed(vendor),
                typed(createdFrom), typed(createdTo), typed(requestedFrom), typed(requestedTo), typed(expectedFrom),
                typed(expectedTo), search.errors().errors().stream().map(FormErrors::text).toList(), explanations,
                result.total() == 0 ? empty(filter, org) : null);
        return Response.status(search.errors().isEmpty() ? 200 : 400)
                .entity(Templates.list(staff.header(), staff.organization().format(), result,
                        queue.counts(staff.organizationId()), view, List.of(OrderStatus.values()), flash(done, made),
                        orders.openLinkRequests(staff.organizationId()), shipped))
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
    static String empty(OrderQueue.Filter filter, Organizations.OrgView org) {
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
        if (filter.bucket() != null && filter.status() == null) {
            return filter.bucket().empty(org.pendingResponseHours(), org.staleDays())
                    + " Nothing to do here; \"All\" shows every order.";
        }
        if (narrowed) {
            return "No order is here right now. The other buckets, or All, show the rest.";
        }
        return "No orders yet: write one with New order, import a file of orders, or send one through the API.";
    }

    private static String typed(String value) {
        return value == null ? "" : value.strip();
    }

    /** The flash message after a redirect; {@code made}: the reference of an order a re-source created. */
    private static String flash(String done, String made) {
        if ("resourced".equals(done) && made != null && io.portlink.platform.Fields.REFERENCE.matcher(made).matches()) {
            return "Re-sourced as " + made + ": the declined order is cancelled and the new order is waiting for its"
                    + " vendor.";
        }
        return done == null ? null : DONE.getOrDefault(done, StaffOrderForm.DONE.get(done));
    }

    /** From the queue: a fresh link for the vendor, e-mailed at once (the old one stops). */
    @POST
    @Path("/orders/{reference}/resend")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response resend(@PathParam("reference") String reference, @RestForm String back, @RestForm String contactId,
            @RestForm String from) {
        try {
            // no contact chosen: the vendor's own address, as always
            Long contact = contactId == null || contactId.isBlank() ? null : Forms.wholeNumber("contactId", contactId);
            if (!orders.resendLink(staff.organizationId(), reference, staff.actor(), contact)) {
                return notFound();
            }
        } catch (ConflictException e) {
            return render(reference, 409, null, e.getMessage());
        } catch (ValidationException e) {
            return render(reference, 422, null, e.getMessage());
        }
        return "order".equals(from) ? back(reference, "resent") : backToQueue(back, "resent");
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
        // the queue does not offer these; a forced or outdated POST gets the reason and what to do instead
        case CLOSED, NOT_SENT -> render(reference, 409, null, result.reason());
        case NO_EMAIL -> render(reference, 422, null, result.reason());
        case JUST_SENT -> render(reference, 409, null,
                "A reminder was queued for e-mail at " + staff.organization().format().dateTime(result.lastSentAt())
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
    public Response detail(@PathParam("reference") String reference, @QueryParam("done") String done,
            @QueryParam("made") String made) {
        return render(reference, 200, flash(done, made), null);
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
            var share = ShareLink.of(staff.organization(), reference, order.vendor().name(), order.vendor().email(),
                    order.vendor().phone(), order.vendor().language(), issued.get());
            // a link made for someone with an address was e-mailed to them (Orders.regenerateLink)
            String to = order.links().stream().filter(l -> l.id() == linkId).map(l -> l.recipientContact())
                    .filter(c -> c != null && c.contains("@")).findFirst().orElse(order.vendor().email());
            String note = send == SendOption.NONE ? null : "The new link is also queued for e-mail to " + to + ".";
            return Response.ok(Templates.newLink(staff.header(), share, true, note)).build();
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
            @RestForm String expires, @RestForm String contactId, @RestForm String email) {
        try {
            java.time.LocalDate until = expires == null || expires.isBlank() ? null
                    : java.time.LocalDate.parse(expires);
            // one of the vendor's contacts, or (none chosen) the name and address typed
            Long chosen = contactId == null || contactId.isBlank() ? null : Forms.wholeNumber("contactId", contactId);
            boolean mail = email != null && !email.isBlank();
            var issued = orders.addLink(staff.organizationId(), reference, name, contact, chosen, mail, until,
                    staff.actor());
            if (issued.isEmpty()) {
                return notFound();
            }
            var recipient = chosen == null ? null : vendorRecords.contactsOfOrder(staff.organizationId(), reference)
                    .stream().filter(c -> c.id() == chosen).findFirst().orElse(null);
            String who = recipient != null ? recipient.name() : name;
            String address = recipient != null ? recipient.email()
                    : contact != null && contact.contains("@") ? contact.strip() : null;
            String phone = recipient != null ? recipient.phone() : address == null ? contact : null;
            var order = queries.detail(staff.organizationId(), reference);
            // a contact's own language, else the vendor's (a person typed here works for the vendor)
            String language = recipient != null && recipient.language() != null ? recipient.language()
                    : order.map(o -> o.vendor().language()).orElse(null);
            var share = ShareLink.of(staff.organization(), reference, who, address, phone, language, issued.get());
            // the form may have been drawn before the order closed (a colleague cancelled it meanwhile): say so
            var status = order.map(o -> o.status()).orElse(null);
            String closed = status == null || !status.isClosed() ? null
                    : "The order is " + status.label.toLowerCase(java.util.Locale.ROOT)
                            + ": the link shows it so, and nothing can be changed through it.";
            String note = mail ? "The link is also queued for e-mail to " + address + "." : null;
            return Response.ok(Templates.newLink(staff.header(), share, false,
                    closed == null ? note : note == null ? closed : closed + " " + note)).build();
        } catch (ConflictException e) {
            return render(reference, 409, null, "The link was not created. " + e.getMessage(),
                    typedLink(name, contact, expires));
        } catch (java.time.format.DateTimeParseException e) {
            return render(
                    reference, 422, null, "The link was not created. Expires: "
                            + io.portlink.platform.Fields.isoDateProblem(expires) + " (got \"" + expires + "\")",
                    typedLink(name, contact, expires));
        } catch (ValidationException e) {
            return render(reference, 422, null,
                    "The link was not created. " + String.join("; ", FormErrors.texts(e.errors())),
                    typedLink(name, contact, expires));
        }
    }

    private static Map<String, String> typedLink(String name, String contact, String expires) {
        return Map.of("linkName", name == null ? "" : name, "linkContact", contact == null ? "" : contact,
                "linkExpires", expires == null ? "" : expires);
    }

    /** E-mails a link whose token the new-link page is still showing ({@link HeldLinks#send}'s rules). */
    @POST
    @Path("/links/send")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response send(@RestForm String token, @RestForm String reference,
            @RestForm @DefaultValue("LINK_ONLY") SendOption send) {
        Forms.require("token", token, "reference", reference);
        try {
            return switch (heldLinks.send(staff.organizationId(), token, send, staff.actor())) {
            // a second press (a reload, the other button) sends nothing more and lands where the first did
            case QUEUED, ALREADY_QUEUED -> back(reference, "sent");
            case CLOSED -> render(reference, 409, null, "Nothing was sent: the order is closed (cancelled, declined or"
                    + " delivered), and its links are no longer e-mailed.");
            case NO_EMAIL -> render(reference, 422, null,
                    "Nothing was sent: this vendor has no e-mail address; copy the link or share it by message.");
            case NOT_FOUND -> notFound();
            };
        } catch (ValidationException e) {
            return render(reference, 422, null, e.getMessage());
        }
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
        try {
            return orders.markSent(staff.organizationId(), reference, staff.actor(), channel).isPresent()
                    ? back(reference, "marked") : notFound();
        } catch (ConflictException e) {
            return render(reference, 409, null, "Not marked as sent: " + e.getMessage());
        }
    }

    @POST
    @Path("/orders/{reference}/cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response cancel(@PathParam("reference") String reference, @RestForm String version,
            @RestForm String reason) {
        try {
            Forms.require("version", version);
            long seen = Forms.wholeNumber("version", version);
            // a double click: the second post finds the order cancelled with its reason and is answered as done
            boolean before = queries.detail(staff.organizationId(), reference)
                    .map(o -> o.status() == OrderStatus.CANCELLED).orElse(false);
            // a vendor whose last mail bounced may never read the cancellation: the buyer is told to phone
            return orders.cancel(staff.organizationId(), reference, seen, staff.actor(), reason)
                    .map(o -> back(reference,
                            before ? "already-cancelled" : o.mailDead ? "cancelled-mail-dead" : "cancelled"))
                    .orElseGet(this::notFound);
        } catch (ValidationException e) {
            if (e.errors().stream().allMatch(f -> "reason".equals(f.field()))) {
                // said in the cancel form, opened again with what was typed, not in a banner above a closed form
                return render(reference, 422, null, null,
                        Map.of("cancelError",
                                "Reason: " + String.join("; ",
                                        e.errors().stream().map(ValidationException.FieldError::message).toList()),
                                "cancelReason", reason == null ? "" : reason));
            }
            return render(reference, 422, null, e.getMessage());
        } catch (ConflictException e) {
            boolean cancelled = queries.detail(staff.organizationId(), reference)
                    .map(o -> o.status() == OrderStatus.CANCELLED).orElse(false);
            if (!cancelled) {
                // the vendor or a colleague acted since the page was drawn (a note, a date): the page below is the
                // order as it is now, and the cancel form keeps the reason, so one click cancels if it still stands
                return render(reference, 409, null, null, Map.of("cancelError",
                        "The order changed while you were cancelling it; nothing was cancelled. Its latest state and"
                                + " timeline are below: if the reason still stands, cancel again.",
                        "cancelReason", reason == null ? "" : reason));
            }
            return render(reference, 409, null, e.getMessage());
        }
    }

    /** Staff saw that the vendor reopened the order after declining: it leaves the "Reopened by vendor" bucket. */
    @POST
    @Path("/orders/{reference}/reopen-noted")
    public Response reopenNoted(@PathParam("reference") String reference) {
        return orders.reopenNoted(staff.organizationId(), reference, staff.actor()).isPresent()
                ? back(reference, "noted") : notFound();
    }

    /** A declined order cancelled with a reason (required); from the queue ({@code back}) or the order's page. */
    @POST
    @Path("/orders/{reference}/decline/cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response cancelDeclined(@PathParam("reference") String reference, @RestForm String version,
            @RestForm String reason, @RestForm String back) {
        try {
            Forms.require("version", version);
            long seen = Forms.wholeNumber("version", version);
            if (declined.cancel(staff.organizationId(), reference, seen, reason, staff.actor()).isEmpty()) {
                return notFound();
            }
            return back == null ? back(reference, "declined-cancelled") : backToQueue(back, "declined-cancelled");
        } catch (ConflictException e) {
            return render(reference, 409, null, e.getMessage());
        } catch (ValidationException e) {
            return render(reference, 422, null, e.getMessage(), Map.of("reason", reason == null ? "" : reason));
        }
    }

    /** The decline is dealt with elsewhere: the order stays declined and leaves the "Declined" bucket. */
    @POST
    @Path("/orders/{reference}/decline/handled")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response markHandled(@PathParam("reference") String reference, @RestForm String back) {
        try {
            if (declined.markHandled(staff.organizationId(), reference, staff.actor()).isEmpty()) {
                return notFound();
            }
        } catch (ConflictException e) {
            return render(reference, 409, null, e.getMessage());
        }
        return back == null ? back(reference, "handled") : backToQueue(back, "handled");
    }

    /** "Add an e-mail" for a vendor without one: links and reminders can then be e-mailed. */
    @POST
    @Path("/orders/{reference}/vendor-email")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response addVendorEmail(@PathParam("reference") String reference, @RestForm String email) {
        try {
            if (addresses.addEmail(staff.organizationId(), reference, email, staff.actor()).isEmpty()) {
                return notFound();
            }
        } catch (ConflictException e) {
            return render(reference, 409, null, e.getMessage());
        } catch (ValidationException e) {
            return render(reference, 422, null, e.getMessage(), Map.of("email", email == null ? "" : email));
        }
        return back(reference, "email-added");
    }

    /** Choosing another vendor for a declined (or reopened) order: the vendors matching {@code q}, at most 50. */
    @GET
    @Path("/orders/{reference}/resource")
    public Response reSourceForm(@PathParam("reference") String reference, @QueryParam("q") String q,
            @QueryParam("back") String back) {
        return reSourcePage(reference, 200, q, null, SendOption.NONE, back, List.of());
    }

    /** Orders the same lines from the chosen vendor and cancels this order; a double submit creates one order. */
    @POST
    @Path("/orders/{reference}/resource")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response reSource(@PathParam("reference") String reference, @RestForm String version,
            @RestForm String vendor, @RestForm String send, @RestForm String q, @RestForm String back) {
        SendOption option = parse(SendOption.class, send) == null ? SendOption.NONE : parse(SendOption.class, send);
        Long vendorId = vendor == null || !vendor.strip().matches("\\d{1,18}") ? null : Long.valueOf(vendor.strip());
        try {
            Forms.require("version", version);
            long seen = Forms.wholeNumber("version", version);
            var done = declined.reSource(staff.organizationId(), reference, seen, vendorId, option, staff.actor());
            if (done.isEmpty()) {
                return notFound();
            }
            String made = done.get().reference();
            if (back != null) {
                String query = back.matches("[A-Za-z0-9_=&%.+-]*") ? back : "";
                return Response.seeOther(UriBuilder.fromUri("/app/orders?" + query).queryParam("done", "resourced")
                        .queryParam("made", made).build()).build();
            }
            return Response.seeOther(UriBuilder.fromPath("/app/orders/{reference}").queryParam("done", "resourced")
                    .queryParam("made", made).build(made)).build();
        } catch (ConflictException e) {
            return render(reference, 409, null, e.getMessage());
        } catch (ValidationException e) {
            return reSourcePage(reference, 422, q, vendorId, option, back, FormErrors.texts(e.errors()));
        }
    }

    private Response reSourcePage(String reference, int status, String q, Long chosen, SendOption send, String back,
            List<String> errors) {
        return queries.detail(staff.organizationId(), reference).map(order -> {
            var choices = declined.choices(staff.organizationId(), reference, q);
            var form = new ReSourceForm(q == null ? "" : q.strip(), chosen, send.name(), back, errors);
            return Response.status(status)
                    .entity(Templates.resource(staff.header(), staff.organization().format(), order, choices, form))
                    .build();
        }).orElseGet(this::notFound);
    }

    /** What the re-source page shows: the search typed, the vendor and send option chosen, every problem found. */
    public record ReSourceForm(String q, Long chosen, String send, String back, List<String> errors) {

        public boolean isChosen(long vendorId) {
            return chosen != null && chosen == vendorId;
        }
    }

    private Response render(String reference, int status, String message, String error) {
        return render(reference, status, message, error, Map.of());
    }

    /**
     * The order's page; {@code typed}: what was typed in one of its forms, by field ({@code reason}, {@code email},
     * {@code linkName}, {@code linkContact}, {@code linkExpires}), shown again with the error.
     */
    private Response render(String reference, int status, String message, String error, Map<String, String> typed) {
        return queries.detail(staff.organizationId(), reference).map(order -> {
            TemplateInstance page = Templates
                    .detail(staff.header(), staff.organization().format(), order, message, error)
                    .data("fulfilment", fulfilments.forStaff(staff.organizationId(), reference).orElseThrow())
                    .data("resourcing", declined.resourcing(staff.organizationId(), reference))
                    .data("actions", declined.actions(staff.organizationId(), reference)).data("typed", typed)
                    .data("contacts", vendorRecords.contactsOfOrder(staff.organizationId(), reference));
            return Response.status(status).entity(page).build();
        }).orElseGet(this::notFound);
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
