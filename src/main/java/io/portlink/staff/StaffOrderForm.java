package io.portlink.staff;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
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
import io.portlink.platform.Convention;
import io.portlink.platform.Locales;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.ValidationException;
import io.portlink.purchasing.DecimalInput;
import io.portlink.purchasing.OrderDraft;
import io.portlink.purchasing.OrderEvent;
import io.portlink.purchasing.OrderForms;
import io.portlink.purchasing.OrderInput;
import io.portlink.purchasing.OrderRevisions;
import io.portlink.purchasing.Orders;
import io.portlink.purchasing.SendOption;
import io.portlink.purchasing.StaleRevisionException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The staff's order form: a new order typed in, or a copy of an existing one ("Duplicate"). Lines are added and removed
 * without JavaScript: the form's "Add line" and "Remove" buttons post the whole form, which comes back with what was
 * typed and one line more or less. The rules are {@link OrderInput}'s (those of the API and, through the same
 * {@code platform.Fields}, of the import); every problem is listed at once by field and line, and nothing is written.
 */
@Path("/app")
@Produces(MediaType.TEXT_HTML)
public class StaffOrderForm {

    /**
     * Most lines a form holds: Quarkus REST reads at most 1,000 fields of a url-encoded form, and an amendment posts 8
     * a line plus about 30 others (a fuller form answered 413 and lost what was typed). {@link OrderInput} allows more
     * (the API and the import); such an order is amended through the API.
     */
    static final int MAX_LINES = 100;

    @Inject
    StaffContext staff;

    @Inject
    Orders orders;

    @Inject
    OrderForms forms;

    @Inject
    OrderRevisions revisions;

    @Inject
    PortlinkConfig config;

    @Inject
    java.time.Clock clock;

    /** What the order page says after the form saved (the redirect carries the key, never text). */
    static final java.util.Map<String, String> DONE = java.util.Map.of("created-sent",
            "The order is created, and its e-mail to the vendor is queued.", "unchanged",
            "This order already exists exactly as sent, so nothing was created twice.", "amended-mailed",
            "The amendment is saved as a new revision. The vendor is e-mailed what changed and asked to acknowledge"
                    + " it; until then the order shows the change as not yet acknowledged.",
            "amended-awaits",
            "The amendment is saved as a new revision. The vendor has no e-mail address: its link shows the change"
                    + " to acknowledge, so tell the vendor (share the link) another way.",
            "amended",
            "The amendment is saved as a new revision. The vendor had not been sent the order yet (or only the"
                    + " consignee changed), so there is nothing for it to acknowledge.",
            "amend-unchanged", "Nothing was different from the order, so no new revision was made.");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance form(StaffContext.Header header, OrderForm form,
                OrderForms.VendorChoices vendors, List<String> errors, String notice, String warning);

        static native TemplateInstance created(StaffContext.Header header, ShareLink link);
    }

    /**
     * One line of the form as typed (quantity and unit price as text, read with a decimal point: 12.5; they are text
     * inputs, since a browser's number input in English reads "49,90" as 4990 and sends that unsaid). {@code origin}:
     * on an amendment, the number (from 1) of the line of the revision the form started from that this row shows; blank
     * for a line added on the form.
     */
    public record LineRow(String sku, String description, String quantity, String unit, String unitPrice,
            String currency, String origin) {

        LineRow(String sku, String description, String quantity, String unit, String unitPrice, String currency) {
            this(sku, description, quantity, unit, unitPrice, currency, "");
        }

        static LineRow empty(String currency) {
            return new LineRow("", "", "", "", "", currency);
        }

        List<String> values() {
            return List.of(sku, description, quantity, unit, unitPrice, currency);
        }

        boolean blank() {
            return isBlank(sku) && isBlank(description) && isBlank(quantity) && isBlank(unit) && isBlank(unitPrice);
        }
    }

    /**
     * The form as typed, every field as text. {@code vendorId}: the vendor picked from the list (blank: a new vendor,
     * or one found by the name typed, as an import finds it). {@code source}: the order it was copied from, if any.
     * {@code invalid}: the ids of the inputs a problem names.
     */
    public record OrderForm(String reference, String source, String vendorId, String vendorName, String vendorEmail,
            String vendorPhone, String vendorLanguage, List<LineRow> lines, String requestedDate,
            String deliveryAddress, String consigneeName, String consigneeEmail, String consigneePhone,
            String consigneeLanguage, String send, Set<String> invalid, String amendOf, Integer revision,
            AmendBase base) {

        OrderForm(String reference, String source, String vendorId, String vendorName, String vendorEmail,
                String vendorPhone, String vendorLanguage, List<LineRow> lines, String requestedDate,
                String deliveryAddress, String consigneeName, String consigneeEmail, String consigneePhone,
                String consigneeLanguage, String send, Set<String> invalid, String amendOf, Integer revision) {
            this(reference, source, vendorId, vendorName, vendorEmail, vendorPhone, vendorLanguage, lines,
                    requestedDate, deliveryAddress, consigneeName, consigneeEmail, consigneePhone, consigneeLanguage,
                    send, invalid, amendOf, revision, null);
        }

        /** The order's own fields (date, address, consignee) in {@link AmendBase#ORDER_FIELDS}' order. */
        List<String> orderValues() {
            return List.of(requestedDate, deliveryAddress, consigneeName, consigneeEmail, consigneePhone,
                    consigneeLanguage);
        }

        /** Where the form posts: a new order, or an amendment of {@code amendOf}. */
        public String action() {
            return amendOf == null ? "/app/orders/new"
                    : UriBuilder.fromPath("/app/orders/{reference}/amend").build(amendOf).toString();
        }

        /** Whether the form amends an order (reference and vendor fixed, the revision it starts from carried). */
        public boolean amending() {
            return amendOf != null;
        }

        /**
         * The languages offered, and the consignee's stored one when it is none of them ({@link Locales#choicesWith}).
         */
        public List<String> languages() {
            return Locales.choicesWith(consigneeLanguage);
        }

        /** The import's choices, e-mail first: one order typed in is usually sent at once. */
        public List<SendChoice> sendOptions() {
            return List.of(SendOption.PO_AND_LINK, SendOption.LINK_ONLY, SendOption.NONE).stream()
                    .map(o -> new SendChoice(o.name(), sendLabel(o))).toList();
        }

        /** Whether a problem names field {@code field} of line {@code number} (from 1). */
        public boolean isInvalidLine(int number, String field) {
            return invalid.contains("line-" + number + "-" + field);
        }

        /** The revision an amendment is saved as. */
        public Integer nextRevision() {
            return revision == null ? null : revision + 1;
        }

        /** Whether a problem names the input with this id ({@code aria-invalid}). */
        public boolean isInvalid(String id) {
            return invalid.contains(id);
        }

        public boolean picked(long id) {
            return Long.toString(id).equals(vendorId);
        }

        /** Whether any of the new vendor's fields holds something (the fieldset then starts open). */
        public boolean newVendorTyped() {
            return !isBlank(vendorName) || !isBlank(vendorEmail) || !isBlank(vendorPhone) || !isBlank(vendorLanguage);
        }

        OrderForm with(List<LineRow> otherLines, Set<String> otherInvalid) {
            return new OrderForm(reference, source, vendorId, vendorName, vendorEmail, vendorPhone, vendorLanguage,
                    otherLines, requestedDate, deliveryAddress, consigneeName, consigneeEmail, consigneePhone,
                    consigneeLanguage, send, otherInvalid, amendOf, revision, base);
        }

        OrderForm withRevision(Integer otherRevision) {
            return new OrderForm(reference, source, vendorId, vendorName, vendorEmail, vendorPhone, vendorLanguage,
                    lines, requestedDate, deliveryAddress, consigneeName, consigneeEmail, consigneePhone,
                    consigneeLanguage, send, invalid, amendOf, otherRevision, base);
        }

        /** The form as merged over a newer revision: its values, marked inputs, revision and base. */
        OrderForm merged(List<String> order, List<LineRow> otherLines, Set<String> otherInvalid, int otherRevision,
                AmendBase otherBase) {
            return new OrderForm(reference, source, vendorId, vendorName, vendorEmail, vendorPhone, vendorLanguage,
                    otherLines, order.get(0), order.get(1), order.get(2), order.get(3), order.get(4), order.get(5),
                    send, otherInvalid, amendOf, otherRevision, otherBase);
        }
    }

    /** One choice of what to send the vendor: the {@link SendOption}'s name and what the form says. */
    public record SendChoice(String value, String label) {
    }

    /** What the send choice says on the form, as the import page says it. */
    public static String sendLabel(SendOption option) {
        return switch (option) {
        case PO_AND_LINK -> "E-mail the vendor the PO (PDF) and its link";
        case LINK_ONLY -> "E-mail the vendor its link only";
        case NONE -> "Show the link; I will share it";
        };
    }

    /**
     * An empty form, or with {@code from} a copy of that order: its vendor, lines, address, date and consignee, with
     * the next free reference suggested so that it is a new order.
     */
    @GET
    @Path("/orders/new")
    public Response newOrder(@QueryParam("from") String from) {
        String currency = Convention.currency(staff.organization().country());
        String notice = null;
        if (from != null && !from.isBlank()) {
            var copy = forms.copy(staff.organizationId(), from.strip());
            if (copy.isPresent()) {
                var c = copy.get();
                String suggested = forms.suggestReference(staff.organizationId(), c.order().reference());
                OrderForm form = fromInput(c.order(), suggested == null ? "" : suggested, c.order().reference(),
                        Long.toString(c.vendorId()), "", SendOption.PO_AND_LINK.name());
                notice = "A copy of " + c.order().reference() + ": check the reference"
                        + (suggested == null ? " (type a new one)" : " (the next free one is suggested)")
                        + " and the lines, then create it. Nothing is saved until you do.";
                return page(200, form, List.of(), notice);
            }
            // an old bookmark, a mistyped address: say why the form is blank rather than leave it unexplained
            notice = "There is no order " + from.strip() + " to copy, so this is a new, blank order.";
        }
        // the next free reference after the organisation's newest order, as a copy gets one; the clerk may change it
        String suggested = forms.suggestNewReference(staff.organizationId());
        OrderForm empty = new OrderForm(suggested == null ? "" : suggested, null, "", "", "", "", "",
                List.of(LineRow.empty(currency)), "", "", "", "", "", "", SendOption.PO_AND_LINK.name(), Set.of(), null,
                null);
        return page(200, empty, List.of(), notice);
    }

    /** The posted form: one value per field, the line fields once per line in the order shown. */
    public static class Posted {
        @RestForm("do")
        public String action;
        @RestForm
        public String reference;
        @RestForm
        public String source;
        @RestForm
        public String revision;
        @RestForm
        public String vendorId;
        @RestForm
        public String vendorName;
        @RestForm
        public String vendorEmail;
        @RestForm
        public String vendorPhone;
        @RestForm
        public String vendorLanguage;
        @RestForm
        public List<String> sku;
        @RestForm
        public List<String> description;
        @RestForm
        public List<String> quantity;
        @RestForm
        public List<String> unit;
        @RestForm
        public List<String> unitPrice;
        @RestForm
        public List<String> currency;
        @RestForm
        public String requestedDate;
        @RestForm
        public String deliveryAddress;
        @RestForm
        public String consigneeName;
        @RestForm
        public String consigneeEmail;
        @RestForm
        public String consigneePhone;
        @RestForm
        public String consigneeLanguage;
        @RestForm
        public String send;
        /** An amendment's starting point, carried by the form ({@link AmendBase}); absent on a new order. */
        @RestForm
        public String baseOrder;
        @RestForm
        public List<String> baseLine;
        @RestForm
        public List<String> origin;

        OrderForm form(String amendOf, Integer expected) {
            return new OrderForm(nz(reference), blankToNull(source), nz(vendorId), nz(vendorName), nz(vendorEmail),
                    nz(vendorPhone), nz(vendorLanguage),
                    rows(sku, description, quantity, unit, unitPrice, currency, origin), nz(requestedDate),
                    nz(deliveryAddress), nz(consigneeName), nz(consigneeEmail), nz(consigneePhone),
                    nz(consigneeLanguage), nz(send), Set.of(), amendOf, expected,
                    amendOf == null ? null : AmendBase.read(baseOrder, baseLine));
        }
    }

    /**
     * The form's buttons: {@code do=add} adds an empty line, {@code do=remove-N} removes line N (from 1),
     * {@code do=create} (or the hidden first button's {@code save}, what Enter presses) creates the order. Any other
     * value, or none, shows the form again as typed and saves nothing: only a save button may write (and mail the
     * vendor). Adding and removing save nothing and keep every value typed.
     */
    @POST
    @Path("/orders/new")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response submit(@BeanParam Posted posted) {
        OrderForm form = posted.form(null, null);
        return lineButton(posted.action, form)
                .orElseGet(() -> saving(posted.action) ? create(form) : page(200, form, List.of(), null));
    }

    /**
     * The amendment form of an order that is not closed: its lines, date, address and consignee as they are, and the
     * revision they are (a hidden field). The reference and the vendor stay.
     */
    @GET
    @Path("/orders/{reference}/amend")
    public Response amendForm(@PathParam("reference") String reference) {
        var copy = forms.copy(staff.organizationId(), reference);
        if (copy.isEmpty()) {
            return notFound();
        }
        var c = copy.get();
        OrderForm form = fromInput(c.order(), c.order().reference(), null, Long.toString(c.vendorId()), "", "");
        form = new OrderForm(form.reference(), null, form.vendorId(), c.order().vendor().name(), "", "", "",
                form.lines(), form.requestedDate(), form.deliveryAddress(), form.consigneeName(), form.consigneeEmail(),
                form.consigneePhone(), form.consigneeLanguage(), "", Set.of(), c.order().reference(), c.revision(),
                AmendBase.of(c.order()));
        if (c.order().lines().size() > MAX_LINES) {
            return page(409, form,
                    List.of("This order has " + c.order().lines().size() + " lines; the form holds at most " + MAX_LINES
                            + ". Amend it through the API (PUT /api/v1/purchase-orders/" + c.order().reference()
                            + ")."),
                    null);
        }
        if (c.status().isClosed()) {
            return closed(form, c, "This order is " + c.status().label.toLowerCase()
                    + ": a closed order cannot be amended. Duplicate it to order again.");
        }
        return page(200, form, List.of(), null);
    }

    /**
     * Saves the amendment as the order's next revision ({@link OrderRevisions#amend}), if the order is still at the
     * revision the form was drawn from; otherwise the form comes back with a message and what was typed (never an error
     * page). The line buttons work as on the new order's form.
     */
    @POST
    @Path("/orders/{reference}/amend")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response amend(@PathParam("reference") String reference, @BeanParam Posted posted) {
        var copy = forms.copy(staff.organizationId(), reference);
        if (copy.isEmpty()) {
            return notFound();
        }
        var c = copy.get();
        Integer expected = posted.revision != null && posted.revision.strip().matches("[0-9]{1,9}")
                ? Integer.valueOf(posted.revision.strip()) : null;
        OrderForm typed = posted.form(c.order().reference(), expected);
        // the reference and the vendor are the order's, whatever the form says
        OrderForm form = new OrderForm(c.order().reference(), null, Long.toString(c.vendorId()),
                c.order().vendor().name(), "", "", "", typed.lines(), typed.requestedDate(), typed.deliveryAddress(),
                typed.consigneeName(), typed.consigneeEmail(), typed.consigneePhone(), typed.consigneeLanguage(), "",
                Set.of(), c.order().reference(), expected, typed.base());
        return lineButton(posted.action, form)
                .orElseGet(() -> saving(posted.action) ? saveAmendment(form, c) : page(200, form, List.of(), null));
    }

    /**
     * The form of an order that is closed (delivered, declined, cancelled): what it holds (or what was typed), the
     * reason, and no save button, which could never work; the way on is to duplicate it.
     */
    private Response closed(OrderForm form, OrderForms.Copy order, String why) {
        return Response.status(409)
                .entity(Templates.form(staff.header(), form, vendorChoices(form), List.of(), null, why)
                        .data("theirChanges", List.of()).data("conflicts", List.of()).data("closed", true))
                .build();
    }

    private Response saveAmendment(OrderForm form, OrderForms.Copy order) {
        if (order.status().isClosed()) {
            // closed while this form was open (a colleague cancelled it, the vendor declined): said as such, the typed
            // changes kept on screen, nothing saved
            return closed(form, order,
                    "While you were editing, " + form.amendOf() + " became " + order.status().label.toLowerCase()
                            + ": a closed order cannot be amended, and nothing was saved."
                            + " Your changes are still below; duplicate the order to order again.");
        }
        var problems = new ValidationException.Builder();
        if (form.revision() == null) {
            problems.add("revision", "is missing from the form; open the order and press Amend again", null);
        }
        Lines lines = lines(form);
        var input = new OrderInput(form.reference(), order.order().vendor(), form.deliveryAddress(),
                form.requestedDate(), lines.inputs(), SendOption.NONE, consignee(form));
        List<ValidationException.FieldError> errors = new ArrayList<>(problems.errors());
        OrderDraft draft = null;
        try {
            draft = input.toDraft(config.importLimits().maxFieldLength(), Convention.JSON, true);
        } catch (ValidationException e) {
            errors.addAll(e.errors());
            // a line below what was shipped is named with the cells refused, not once they are mended
            errors.addAll(revisions.shippedProblems(staff.organizationId(), form.amendOf(),
                    input.linesAsRead(config.importLimits().maxFieldLength(), Convention.JSON, true)));
        }
        // an amendment may keep a date that has passed meanwhile; it may not set a new one in the past
        if (!form.requestedDate().strip().equals(nz(order.order().requestedDate()))) {
            pastDate(form.requestedDate()).ifPresent(errors::add);
        }
        if (!errors.isEmpty()) {
            return refused(form, errors, lines.number());
        }
        try {
            var amended = revisions.amend(staff.organizationId(), form.amendOf(), form.revision(), draft,
                    staff.actor());
            if (amended.isEmpty()) {
                return notFound();
            }
            var a = amended.get();
            String done = !a.changed() ? "amend-unchanged"
                    : a.vendorMailed() ? "amended-mailed" : a.awaitsAcknowledgement() ? "amended-awaits" : "amended";
            return done(a.reference(), done);
        } catch (StaleRevisionException e) {
            // someone amended the order since this form was drawn: the form comes back as the order is now with
            // this clerk's own changes (against the revision the form started from) applied again, never with the
            // values the form started from, which a second save would write back over the colleague's changes
            var now = forms.copy(staff.organizationId(), form.amendOf());
            if (form.base() == null || now.isEmpty()) {
                String notice = "While you were editing, someone else amended " + form.amendOf()
                        + ": it is now at revision " + e.currentRevision()
                        + ". Nothing of yours was saved. Your changes are still below; open the"
                        + " order (in a new tab) to see theirs, then save again to make yours revision "
                        + (e.currentRevision() + 1) + ".";
                return page(409, form.withRevision(e.currentRevision()), List.of(), null, notice);
            }
            var merge = AmendMerge.merge(form, now.get().order(), now.get().revision());
            String notice = "While you were editing, someone else amended " + form.amendOf()
                    + ": it is now at revision " + now.get().revision() + ". Nothing of yours was saved yet. Below is"
                    + " the order as it is now, with your changes applied to it again"
                    + (merge.conflicts().isEmpty() ? "" : "; check the marked fields, which you both changed")
                    + ". Save to make it revision " + (now.get().revision() + 1) + ".";
            return Response.status(409).entity(Templates
                    .form(staff.header(), merge.form(), vendorChoices(merge.form()), List.of(), null, notice)
                    .data("theirChanges", merge.theirs()).data("conflicts", merge.conflicts()).data("closed", false))
                    .build();
        } catch (ValidationException e) {
            return refused(form, e.errors(), lines.number());
        }
    }

    /** The values of the form's save buttons; nothing else writes. */
    private static final Set<String> SAVE_BUTTONS = Set.of("save", "create");

    /** Whether {@code action} is exactly one of {@link #SAVE_BUTTONS} (a tampered or missing value is not). */
    static boolean saving(String action) {
        return action != null && SAVE_BUTTONS.contains(action);
    }

    /** Add or remove a line: the form comes back with what was typed; empty when the button was another. */
    private java.util.Optional<Response> lineButton(String action, OrderForm form) {
        List<LineRow> rows = form.lines();
        String act = action == null ? "" : action.strip();
        if (act.equals("add")) {
            if (rows.size() >= MAX_LINES) {
                return java.util.Optional.of(page(422, form, List.of("The form holds at most " + MAX_LINES
                        + " lines; for a larger order, use the import or the API."), null));
            }
            List<LineRow> more = new ArrayList<>(rows);
            String lastCurrency = rows.isEmpty() ? Convention.currency(staff.organization().country())
                    : rows.get(rows.size() - 1).currency();
            more.add(LineRow.empty(lastCurrency));
            return java.util.Optional.of(page(200, form.with(more, Set.of()), List.of(), null));
        }
        Matcher remove = Pattern.compile("remove-(\\d{1,4})").matcher(act);
        if (remove.matches()) {
            int index = Integer.parseInt(remove.group(1)) - 1;
            List<LineRow> fewer = new ArrayList<>(rows);
            if (index >= 0 && index < fewer.size()) {
                fewer.remove(index);
            }
            return java.util.Optional.of(page(200, form.with(fewer, Set.of()), List.of(), null));
        }
        return java.util.Optional.empty();
    }

    /** The lines that hold something, and the number each has on the form (blank lines are left out). */
    record Lines(List<OrderInput.LineInput> inputs, List<Integer> numbers) {

        IntFunction<String> number() {
            return i -> Integer.toString(i < numbers.size() ? numbers.get(i) : i + 1);
        }
    }

    private static Lines lines(OrderForm form) {
        List<Integer> numbers = new ArrayList<>();
        List<OrderInput.LineInput> inputs = new ArrayList<>();
        for (int i = 0; i < form.lines().size(); i++) {
            LineRow row = form.lines().get(i);
            if (!row.blank()) {
                numbers.add(i + 1);
                inputs.add(new OrderInput.LineInput(row.sku(), row.description(), DecimalInput.of(row.quantity()),
                        row.unit(), DecimalInput.of(row.unitPrice()), row.currency()));
            }
        }
        return new Lines(inputs, numbers);
    }

    private static OrderInput.ConsigneeInput consignee(OrderForm form) {
        boolean any = !isBlank(form.consigneeName()) || !isBlank(form.consigneeEmail())
                || !isBlank(form.consigneePhone()) || !isBlank(form.consigneeLanguage());
        return any ? new OrderInput.ConsigneeInput(form.consigneeName(), form.consigneeEmail(), form.consigneePhone(),
                form.consigneeLanguage()) : null;
    }

    private Response create(OrderForm form) {
        var problems = new ValidationException.Builder();
        Lines lines = lines(form);
        OrderInput.VendorInput vendor = vendorOf(form, problems);
        SendOption send = sendOf(form.send(), problems);
        var input = new OrderInput(form.reference(), vendor, form.deliveryAddress(), form.requestedDate(),
                lines.inputs(), send, consignee(form));
        IntFunction<String> lineNumber = lines.number();
        OrderDraft draft = null;
        List<ValidationException.FieldError> errors = new ArrayList<>(problems.errors());
        try {
            // number and date inputs send 12.5 and 2026-12-20 whatever the organisation's country writes
            draft = input.toDraft(config.importLimits().maxFieldLength(), Convention.JSON, true);
        } catch (ValidationException e) {
            boolean vendorRefused = problems.errors().stream().anyMatch(p -> "vendor".equals(p.field()));
            // a picked vendor that is gone is said once, not again as its missing name
            e.errors().stream().filter(p -> !(vendorRefused && p.field() != null && p.field().startsWith("vendor")))
                    .forEach(errors::add);
        }
        pastDate(form.requestedDate()).ifPresent(errors::add);
        if (!errors.isEmpty()) {
            return refused(form, errors, lineNumber);
        }
        try {
            var created = orders.create(staff.organizationId(), draft, staff.actor(), send, OrderEvent.CREATED);
            if (created.outcome() == Orders.Outcome.UNCHANGED) {
                // the same form sent again (a reload, a double click): the order exists as typed
                return done(created.reference(), "unchanged");
            }
            if (send != SendOption.NONE) {
                return done(created.reference(), "created-sent");
            }
            var share = ShareLink.of(staff.organization(), created.reference(), draft.vendor().name(),
                    draft.vendor().email(), draft.vendor().phone(), draft.vendor().language(), created.link());
            return Response.ok(Templates.created(staff.header(), share)).build();
        } catch (ConflictException e) {
            return refused(form,
                    List.of(new ValidationException.FieldError(null, "reference",
                            "order " + draft.reference() + " already exists with other content; use a new reference",
                            draft.reference())),
                    lineNumber);
        } catch (ValidationException e) {
            return refused(form, e.errors(), lineNumber);
        }
    }

    /**
     * A requested date ({@code YYYY-MM-DD}, as a date input sends it) before today in the organisation's time zone, as
     * a problem; empty for a later, blank or unreadable date (the last is {@link OrderInput}'s to name).
     */
    private java.util.Optional<ValidationException.FieldError> pastDate(String value) {
        java.time.LocalDate date;
        try {
            date = java.time.LocalDate.parse(value == null ? "" : value.strip());
        } catch (java.time.format.DateTimeParseException e) {
            return java.util.Optional.empty();
        }
        java.time.LocalDate today = java.time.LocalDate.now(clock.withZone(staff.organization().format().zone()));
        return date.isBefore(today) ? java.util.Optional.of(new ValidationException.FieldError(null, "requestedDate",
                "is in the past; choose today (" + staff.organization().format().date(today) + ") or a later date",
                value.strip())) : java.util.Optional.empty();
    }

    /** The picked vendor's details, or the new vendor as typed. */
    private OrderInput.VendorInput vendorOf(OrderForm form, ValidationException.Builder problems) {
        if (isBlank(form.vendorId())) {
            if (!form.newVendorTyped()) {
                // neither: said of the list, which the page shows, not of the new vendor's folded-away name field
                problems.add("vendor", "pick a vendor from the list, or add a new vendor", null);
                return new OrderInput.VendorInput(null, null, null, null);
            }
            return new OrderInput.VendorInput(form.vendorName(), form.vendorEmail(), form.vendorPhone(),
                    form.vendorLanguage());
        }
        if (form.newVendorTyped()) {
            problems.add("vendor", "pick a vendor from the list or fill in a new vendor, not both", null);
        }
        String id = form.vendorId().strip();
        var found = id.matches("[0-9]{1,18}") ? forms.vendor(staff.organizationId(), Long.parseLong(id))
                : java.util.Optional.<OrderInput.VendorInput> empty();
        if (found.isEmpty()) {
            problems.add("vendor", "is not one of your vendors (any more); pick another or fill in a new vendor", id);
            return new OrderInput.VendorInput(null, null, null, null);
        }
        return found.get();
    }

    private static SendOption sendOf(String value, ValidationException.Builder problems) {
        try {
            return SendOption.valueOf(value == null ? "" : value.strip());
        } catch (IllegalArgumentException e) {
            problems.add("send", "choose what to send the vendor", value);
            return SendOption.NONE;
        }
    }

    private Response refused(OrderForm form, List<ValidationException.FieldError> errors,
            IntFunction<String> lineNumber) {
        Set<String> invalid = new HashSet<>();
        for (var e : errors) {
            invalid.add(inputId(e.field(), lineNumber));
        }
        List<String> texts = errors.stream().map(e -> FormErrors.text(e, lineNumber)).toList();
        return page(422, form.with(form.lines(), invalid), texts, null);
    }

    private static final Pattern LINE_FIELD = Pattern.compile("lines\\[(\\d+)\\]\\.(\\w+)");

    /** The id of the input a problem names: {@code lines[0].quantity} → {@code line-1-quantity} (its number shown). */
    static String inputId(String field, IntFunction<String> lineNumber) {
        if (field == null) {
            return "";
        }
        Matcher m = LINE_FIELD.matcher(field);
        if (m.matches()) {
            return "line-" + lineNumber.apply(Integer.parseInt(m.group(1))) + "-" + m.group(2);
        }
        return field.equals("vendor") ? "vendorId" : field.replace(".", "-");
    }

    private Response page(int status, OrderForm form, List<String> errors, String notice) {
        return page(status, form, errors, notice, null);
    }

    private OrderForms.VendorChoices vendorChoices(OrderForm form) {
        Long selected = form.vendorId().matches("[0-9]{1,18}") ? Long.valueOf(form.vendorId()) : null;
        return forms.vendorChoices(staff.organizationId(), selected);
    }

    private Response page(int status, OrderForm form, List<String> errors, String notice, String warning) {
        var vendors = vendorChoices(form);
        if (form.lines().isEmpty()) {
            form = form.with(List.of(LineRow.empty(Convention.currency(staff.organization().country()))),
                    form.invalid());
        }
        return Response.status(status).entity(Templates.form(staff.header(), form, vendors, errors, notice, warning)
                .data("theirChanges", List.of()).data("conflicts", List.of()).data("closed", false)).build();
    }

    private static OrderForm fromInput(OrderInput order, String reference, String source, String vendorId,
            String vendorName, String send) {
        List<LineRow> rows = lineRows(order);
        var c = order.consignee();
        return new OrderForm(reference, source, vendorId, vendorName, "", "", "", rows, nz(order.requestedDate()),
                nz(order.deliveryAddress()), c == null ? "" : nz(c.name()), c == null ? "" : nz(c.email()),
                c == null ? "" : nz(c.phone()), c == null ? "" : nz(c.language()), send, Set.of(), null, null);
    }

    /** The order's lines as rows, each with its number as its origin. */
    static List<LineRow> lineRows(OrderInput order) {
        List<LineRow> rows = new ArrayList<>();
        for (int i = 0; i < order.lines().size(); i++) {
            var l = order.lines().get(i);
            rows.add(new LineRow(nz(l.sku()), nz(l.description()), text(l.quantity()), nz(l.unit()),
                    text(l.unitPrice()), nz(l.currency()), Integer.toString(i + 1)));
        }
        return rows;
    }

    private Response notFound() {
        return Response.status(404).type(MediaType.TEXT_PLAIN).entity("No such order in your organisation.").build();
    }

    private static Response done(String reference, String done) {
        URI target = UriBuilder.fromPath("/app/orders/{reference}").queryParam("done", done).build(reference);
        return Response.seeOther(target).build();
    }

    /** The line fields arrive as lists of one value per line; a hand-made form may send fewer of one kind. */
    private static List<LineRow> rows(List<String> sku, List<String> description, List<String> quantity,
            List<String> unit, List<String> unitPrice, List<String> currency, List<String> origin) {
        int n = Math.min(MAX_LINES + 1, max(sku, description, quantity, unit, unitPrice, currency));
        List<LineRow> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(new LineRow(at(sku, i), at(description, i), at(quantity, i), at(unit, i), at(unitPrice, i),
                    at(currency, i), at(origin, i).strip()));
        }
        return rows;
    }

    @SafeVarargs
    private static int max(List<String>... lists) {
        int n = 0;
        for (List<String> l : lists) {
            n = Math.max(n, l == null ? 0 : l.size());
        }
        return n;
    }

    private static String at(List<String> values, int i) {
        return values == null || i >= values.size() || values.get(i) == null ? "" : values.get(i);
    }

    static String text(DecimalInput value) {
        return value == null || value.text() == null ? "" : value.text();
    }

    static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    static String nz(String value) {
        return value == null ? "" : value;
    }

    private static String blankToNull(String value) {
        return isBlank(value) ? null : value.strip();
    }
}
