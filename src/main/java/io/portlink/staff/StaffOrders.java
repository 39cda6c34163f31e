package io.portlink.staff;

import java.net.URI;
import java.util.List;
import java.util.Map;

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

import io.portlink.platform.ConflictException;
import io.portlink.platform.Forms;
import io.portlink.platform.Locales;
import io.portlink.platform.Paging;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.ValidationException;
import io.portlink.purchasing.OrderQueries;
import io.portlink.purchasing.OrderQueue;
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
    io.portlink.purchasing.DeclinedOrders declined;

    @Inject
    io.portlink.purchasing.VendorAddresses addresses;

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

        static native TemplateInstance resource(StaffContext.Header header, Locales.Format fmt,
                OrderQueries.Detail order, List<io.portlink.purchasing.DeclinedOrders.VendorChoice> vendors,
                ReSourceForm form);
    }

    /** Flash messages after a redirect: the URL carries a key, never text. */
    private static final Map<String, String> DONE = Map.of("revoked", "The link was revoked. It stops working at once.",
            "sent", "The e-mail is queued and will be delivered in a moment.", "reminded",
            "The reminder is queued and will be delivered in a moment.", "marked",
            "The order is marked as sent to the vendor.", "cancelled",
            "The order is cancelled. Its links stop working after the expiry period.", "noted",
            "Noted: the order left the \"Reopened by vendor\" list.", "handled",
            "Marked handled: the order stays declined and left the \"Declined\" list.", "declined-cancelled",
            "The declined order is cancelled and left the \"Declined\" list.", "email-added",
            "The vendor's e-mail address is saved: links and reminders can be e-mailed now.");

    /**
     * The queue's current filter as the page shows it and builds its links from; {@code explanations}: each bucket's
     * sentence (what puts an order in it, what to do), {@code empty}: what it means that this view shows nothing.
     */
    public record QueueView(String bucket, String status, String q, String sort,
            Map<OrderQueue.Bucket, String> explanations, String empty) {

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

        /** A query string as one URL parameter's value (for a link carrying {@code back}). */
        public String encoded(String query) {
            return java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8);
        }

        /** Query string of this view for another bucket or page. */
        public String query(String otherBucket, int page) {
            return "bucket=" + otherBucket + "&status=" + status + "&q="
                    + java.net.URLEncoder.encode(q, java.nio.charset.StandardCharsets.UTF_8) + "&sort=" + sort
                    + "&page=" + page;
        }
    }

    /** The action queue: counts per bucket, then the orders of the chosen bucket, filtered, sorted, paged. */
    @GET
    @Path("/orders")
    public TemplateInstance list(@QueryParam("bucket") String bucket, @QueryParam("status") String status,
            @QueryParam("q") String q, @QueryParam("sort") String sort, @QueryParam("page") String page,
            @QueryParam("done") String done, @QueryParam("made") String made) {
        Paging paging = Paging.parse(page, null, 50);
        var filter = new OrderQueue.Filter(parse(OrderQueue.Bucket.class, bucket), parse(OrderStatus.class, status), q,
                parse(OrderQueue.Sort.class, sort));
        var result = queue.page(staff.organizationId(), filter, paging.page(), paging.size());
        var org = staff.organization();
        Map<OrderQueue.Bucket, String> explanations = new java.util.EnumMap<>(OrderQueue.Bucket.class);
        for (OrderQueue.Bucket b : OrderQueue.Bucket.values()) {
            explanations.put(b, b.explanation(org.pendingResponseHours(), org.staleDays()));
        }
        String query = q == null ? "" : q.strip();
        String empty = query.isEmpty() && filter.status() == null
                ? filter.bucket() == null ? "No orders yet: import a file of orders, or send one through the API."
                        : filter.bucket().empty(org.pendingResponseHours(), org.staleDays())
                                + " Nothing to do here; \"All\" shows every order."
                : "No order " + (filter.bucket() == null ? "" : "in \"" + filter.bucket().label + "\" ")
                        + "matches the search or status chosen: try another part of the reference or the vendor's"
                        + " name, or clear the search.";
        var view = new QueueView(name(filter.bucket()), name(filter.status()), query,
                filter.sort() == null ? OrderQueue.Sort.NEWEST.name() : filter.sort().name(), explanations, empty);
        return Templates.list(staff.header(), org.format(), result, queue.counts(staff.organizationId()), view,
                List.of(OrderStatus.values()), flash(done, made), orders.openLinkRequests(staff.organizationId()));
    }

    /** The flash message after a redirect; {@code made}: the reference of an order a re-source created. */
    private static String flash(String done, String made) {
        if ("resourced".equals(done) && made != null && io.portlink.platform.Fields.REFERENCE.matcher(made).matches()) {
            return "Re-sourced as " + made + ": the declined order is cancelled and the new order is waiting for its"
                    + " vendor.";
        }
        return done == null ? null : DONE.get(done);
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
        } catch (ConflictException e) {
            return render(reference, 409, null, e.getMessage());
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
        // the queue does not offer these; a forced or outdated POST gets the reason and what to do instead
        case CLOSED, NOT_SENT -> render(reference, 409, null, result.reason());
        case NO_EMAIL -> render(reference, 422, null, result.reason());
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
    public Response detail(@PathParam("reference") String reference, @QueryParam("done") String done,
            @QueryParam("made") String made) {
        return render(reference, 200, flash(done, made), null);
    }

    @POST
    @Path("/orders/{reference}/links/{linkId}/revoke")
    public Response revoke(@PathParam("reference") String reference, @PathParam("linkId") long linkId) {
        if (!orders.revokeLink(staff.organizationId(), reference, linkId, staff.actor())) {
            return notFound();
        }
        return back(reference, "revoked");
    }

    /** Old link stops, new one is shown once (and optionally e-mailed). */
    @POST
    @Path("/orders/{reference}/links/{linkId}/regenerate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response regenerate(@PathParam("reference") String reference, @PathParam("linkId") long linkId,
            @RestForm @DefaultValue("NONE") SendOption send) {
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
            return render(reference, 422, null, "The link was not created. Expires: must be a date written YYYY-MM-DD"
                    + " (got \"" + expires + "\")", typedLink(name, contact, expires));
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
                    .data("actions", declined.actions(staff.organizationId(), reference)).data("typed", typed);
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
