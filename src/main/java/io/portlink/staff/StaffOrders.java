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
    io.portlink.fulfilment.Fulfilments fulfilments;

    @Inject
    io.portlink.purchasing.VendorRecords vendorRecords;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(StaffContext.Header header, Locales.Format fmt, OrderQueue.Page page,
                Map<OrderQueue.Bucket, Long> counts, QueueView view, List<OrderStatus> statuses, String message,
                List<Orders.LinkRequestView> requests);

        static native TemplateInstance detail(StaffContext.Header header, Locales.Format fmt, OrderQueries.Detail order,
                String message, String error);

        static native TemplateInstance newLink(StaffContext.Header header, ShareLink link, String note);
    }

    /** Flash messages after a redirect: the URL carries a key, never text. */
    private static final Map<String, String> DONE = Map.of("revoked", "The link was revoked. It stops working at once.",
            "sent", "The e-mail is queued and will be delivered in a moment.", "reminded",
            "The reminder is queued and will be delivered in a moment.", "marked",
            "The order is marked as sent to the vendor.", "cancelled",
            "The order is cancelled. Its links stop working after the expiry period.", "noted",
            "Noted: the order left the \"Reopened by vendor\" list.");

    /** The queue's current filter as the page shows it and builds its links from. */
    public record QueueView(String bucket, String status, String q, String sort) {

        public List<OrderQueue.Bucket> buckets() {
            return List.of(OrderQueue.Bucket.values());
        }

        public List<OrderQueue.Sort> sorts() {
            return List.of(OrderQueue.Sort.values());
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
            @QueryParam("done") String done) {
        Paging paging = Paging.parse(page, null, 50);
        var filter = new OrderQueue.Filter(parse(OrderQueue.Bucket.class, bucket), parse(OrderStatus.class, status), q,
                parse(OrderQueue.Sort.class, sort));
        var result = queue.page(staff.organizationId(), filter, paging.page(), paging.size());
        var view = new QueueView(name(filter.bucket()), name(filter.status()), q == null ? "" : q.strip(),
                filter.sort() == null ? OrderQueue.Sort.NEWEST.name() : filter.sort().name());
        return Templates.list(staff.header(), staff.organization().format(), result,
                queue.counts(staff.organizationId()), view, List.of(OrderStatus.values()),
                done == null ? null : DONE.get(done), orders.openLinkRequests(staff.organizationId()));
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
        } catch (ValidationException e) {
            return render(reference, 422, null, e.getMessage());
        }
        return "order".equals(from) ? back(reference, "sent") : backToQueue(back, "sent");
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
        return render(reference, 200, done == null ? null : DONE.get(done), null);
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
            // a link made for someone with an address was e-mailed to them (Orders.regenerateLink)
            String to = order.links().stream().filter(l -> l.id() == linkId).map(l -> l.recipientContact())
                    .filter(c -> c != null && c.contains("@")).findFirst().orElse(order.vendor().email());
            String note = send == SendOption.NONE ? null : "The new link is also queued for e-mail to " + to + ".";
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
            var share = ShareLink.of(staff.organization().name(), reference, who, address, phone, issued.get());
            return Response.ok(Templates.newLink(staff.header(), share,
                    mail ? "The link is also queued for e-mail to " + address + "." : null)).build();
        } catch (java.time.format.DateTimeParseException e) {
            return render(reference, 422, null, "expires: must be a date written YYYY-MM-DD");
        } catch (ValidationException e) {
            return render(reference, 422, null, String.join("; ", FormErrors.texts(e.errors())));
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
                        .data("fulfilment", fulfilments.forStaff(staff.organizationId(), reference).orElseThrow())
                        .data("contacts", vendorRecords.contactsOfOrder(staff.organizationId(), reference)))
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
