package io.portlink.portal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.portlink.fulfilment.FulfilmentStatus;
import io.portlink.fulfilment.OrderFulfilment;
import io.portlink.purchasing.OrderStatus;
import io.portlink.purchasing.VendorDesk;
import io.portlink.purchasing.VendorPageTexts;
import io.portlink.purchasing.mail.Buyer;

/**
 * The vendor's order page as it is drawn: every text with arguments, number, date, form URL, CSS class and condition
 * worked out here once per render, so that the template ({@code templates/VendorPortal/order.html}) only prints flat
 * values and the words without arguments ({@code txt.key}, see {@link io.portlink.purchasing.VendorTexts#plain}).
 * Strings are plain text (the template escapes them); a null or empty string is a part the page leaves out, as the
 * template's {@code {#if}} reads it. Made by {@link #of}.
 *
 * @param url
 *            the order's own page, {@code /v/{token}/orders/{reference}}: its forms post to {@code url/<form>}
 * @param statusClass
 *            the header badge's CSS class suffix: the order's status, or once anything shipped (while the order's own
 *            status has not moved past it) the fulfilment's, lower case
 * @param trackingShown
 *            a shipment exists: the facts show its {@code tracking} ("carrier number")
 * @param trackingForm
 *            the short tracking form (nothing shipped yet: it ships everything; all shipped: it corrects the latest
 *            shipment's tracking), prefilled with {@code latestCarrier} and {@code latestTrackingNumber};
 *            {@code correctsShipment} the shipment it corrects (sent back with it), "" when it ships everything
 * @param shipForm
 *            the form that ships some of what is left ({@code toShip})
 * @param nonces
 *            each form's nonce by its action name ({@code confirm}, {@code acknowledge-revision}, …)
 * @param expectedDateIso
 *            the date form's value: the expected date (ISO), or the date typed when that form was refused
 * @param shipTyped
 *            what the vendor typed into the ship form, when the page answers that form refused (null otherwise): the
 *            form shows it again, so that mending one field never ships what was not asked for
 * @param noteValue
 *            the note form's text: "", or what was typed when that form was refused (as is the decline form's
 *            {@code reasonValue}): a refusal never costs the vendor what they wrote
 * @param error
 *            the refusal shown at the top of the page, or null; a refusal of a form the page shows with what was typed
 *            goes into that form instead ({@code shipError}, {@code trackingError}, {@code dateError},
 *            {@code statusError}, {@code noteError}, {@code declineError}: null but for that one form), where the
 *            browser takes the focus to it: on a phone the top of the page is screens away from the field to mend
 * @param declineOpen
 *            the decline form's fold is open: a reason was typed, or the decline was refused
 */
public record VendorOrderView(String base, String url, String organization, String logoUrl, String message,
        String error, String reference, long version, int revision, String revisionLabel, String revisionTitle,
        String revisionIntro, String acknowledgeRevision, List<String> pendingChanges, String cancelIntro,
        String cancelReason, boolean cancelUnacknowledged, boolean cancelAcknowledged, String statusClass,
        String statusText, String fulfilmentText, String requestedDate, String expectedDateText, String minDate,
        String maxDate, String expectedDateIso, String deliveryAddress, boolean trackingShown, String tracking,
        String declineReason, String vendorNote, List<LineRow> lines, List<String> totals, List<ShipmentRow> shipments,
        Buyer buyer, boolean canConfirm, String reconfirmTitle, boolean canUpdate, List<Step> nextSteps,
        boolean trackingForm, String latestCarrier, String latestTrackingNumber, String correctsShipment,
        boolean shipForm, List<ToShip> toShip, String noteTo, boolean canDecline, boolean canReopen,
        String reopenWarning, String allOrders, Map<String, String> nonces, Typed shipTyped, String noteValue,
        String reasonValue, String shipError, String trackingError, String dateError, String statusError,
        String noteError, String declineError, boolean declineOpen) {

    /**
     * A refused form as posted (each value as typed, never read), so that the page answering the refusal shows it
     * again: {@code kind} the form; the ship form's quantities by line number (a form whose lines and quantities do not
     * pair up keeps none), carrier, tracking number, ship date and expected delivery (the tracking form's carrier and
     * tracking number too); the date form's {@code date}; the note form's {@code note}; the decline form's
     * {@code reason}; the status form's {@code status}. Absent fields are "".
     */
    public record Typed(VendorDesk.Kind kind, Map<Integer, String> quantities, String carrier, String trackingNumber,
            String shipDate, String expectedDelivery, String date, String note, String reason, String status) {

        /** The posted fields of a {@code kind} form; nulls are kept as "". */
        public static Typed of(VendorDesk.Kind kind, List<String> lines, List<String> quantities, String carrier,
                String trackingNumber, String shipDate, String expectedDelivery, String date, String note,
                String reason, String status) {
            Map<Integer, String> typed = new java.util.HashMap<>();
            if (lines != null && quantities != null && lines.size() == quantities.size()) {
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    String quantity = quantities.get(i);
                    if (line == null || quantity == null) {
                        continue;
                    }
                    // a line number as the page writes it; one changed on its way ("+2", other digits) is not shown
                    if (line.strip().matches("[0-9]{1,9}")) {
                        typed.putIfAbsent(Integer.parseInt(line.strip()), quantity);
                    }
                }
            }
            return new Typed(kind, Map.copyOf(typed), nz(carrier), nz(trackingNumber), nz(shipDate),
                    nz(expectedDelivery), nz(date), nz(note), nz(reason), nz(status));
        }

        /** What was typed into the {@code kind} form, or null when the refused form was another (or none). */
        static Typed of(Typed typed, VendorDesk.Kind kind) {
            return typed != null && typed.kind() == kind ? typed : null;
        }

        private static String nz(String s) {
            return s == null ? "" : s;
        }
    }

    /**
     * One order line: {@code name} is its description, else its SKU; {@code each} its unit price as "0,12 EUR each"
     * (null without a price); {@code shipped} "40 of 100,5 shipped, 60,5 to ship" ("40 of 100,5 shipped" once the order
     * is closed, null then when none of it went); {@code skuWord} and {@code totalWord} the words before its SKU and
     * its amount (a word the row carries is read from the row: a word read from the page inside a loop is first looked
     * for in the loop's own context, where it tries every value resolver in vain).
     */
    public record LineRow(int lineNo, String quantity, String unit, String name, String sku, String each, String amount,
            String shipped, String skuWord, String totalWord) {
    }

    /**
     * One shipment: {@code shippedOn} as "shipped 9 Jun 2026" (null without a date); {@code expectedWord} the words
     * before its expected delivery date (carried by the row, as in {@link LineRow}).
     */
    public record ShipmentRow(String reference, String carrier, String trackingNumber, String shippedOn,
            String expectedDelivery, List<ShippedRow> lines, String expectedWord) {
    }

    /** One line of a shipment: {@code label} "Line 1". */
    public record ShippedRow(String label, String quantity, String unit, String description) {
    }

    /**
     * A status the vendor may move the order on to: its form value and its words; {@code selected} when it is the one
     * chosen in the refused status form.
     */
    public record Step(String value, String label, boolean selected) {
    }

    /**
     * A line with something left to ship: {@code label} "Line 1", {@code remaining} as the form input wants it,
     * {@code value} the input's value (the remaining quantity; when the form was refused, what the vendor typed, blank
     * for a line that form did not have), {@code quantityWord} the words after its name (carried by the row, as in
     * {@link LineRow}).
     */
    public record ToShip(int lineNo, String label, String name, String remaining, String value, String quantityWord) {
    }

    /**
     * The page of {@code order} with its {@code buyer} (may be null) and {@code fulfilment}, reached under {@code base}
     * ({@code /v/{token}}); {@code message} and {@code error} (may be null) are shown above it. {@code txt}: the words
     * without arguments in the order's language, {@code t} the words with arguments; {@code typed} the refused form's
     * values (shown again in that form), or null.
     */
    public static VendorOrderView of(VendorDesk.OrderPage order, Buyer buyer, OrderFulfilment fulfilment, String base,
            String message, String error, Map<String, String> txt, VendorPageTexts t, Typed typed) {
        OrderStatus status = order.status();
        FulfilmentStatus shipped = fulfilment.status();
        String url = base + "/orders/" + order.reference();
        boolean changed = order.changeUnacknowledged();
        boolean cancelBanner = status == OrderStatus.CANCELLED && given(order.cancelReason());

        boolean ownStatus = showsOwnStatus(status, shipped);
        String statusClass = (ownStatus ? status.name() : shipped.name()).toLowerCase(Locale.ROOT);
        String statusText = ownStatus ? t.status(status) : shippedText(shipped, txt, false);

        OrderFulfilment.ShipmentView latest = fulfilment.latest();
        String tracking = null;
        if (latest != null) {
            tracking = (given(latest.carrier()) ? latest.carrier() + " " : "")
                    + (latest.trackingNumber() == null ? "" : latest.trackingNumber());
        }

        List<LineRow> lines = new ArrayList<>(order.lines().size());
        for (int i = 0; i < order.lines().size(); i++) {
            VendorDesk.Line line = order.lines().get(i);
            OrderFulfilment.LineView f = fulfilment.lines().get(i);
            // a closed order has nothing left to ship: what went, and nothing for a line none of which went
            String lineShipped = !status.isClosed() ? t.shipped_of(f.shipped(), f.ordered(), f.remaining())
                    : f.remaining().equals(f.ordered()) ? null : t.shipped_of_closed(f.shipped(), f.ordered());
            lines.add(new LineRow(f.lineNo(), line.quantity(), line.unit(), or(line.description(), line.sku()),
                    line.sku(), given(line.unitPrice()) ? t.each(line.unitPrice()) : null, line.amount(), lineShipped,
                    txt.get("sku"), txt.get("pdf_line_total")));
        }

        String colon = txt.get("colon"); // a label's colon: French puts a no-break space before it
        List<ShipmentRow> shipments = new ArrayList<>(fulfilment.shipments().size());
        for (OrderFulfilment.ShipmentView s : fulfilment.shipments()) {
            List<ShippedRow> rows = new ArrayList<>(s.lines().size());
            for (OrderFulfilment.ShippedLine l : s.lines()) {
                rows.add(new ShippedRow(t.line_no(l.lineNo()) + colon, l.quantity(), l.unit(), l.description()));
            }
            shipments.add(new ShipmentRow(s.reference(), s.carrier(), s.trackingNumber(),
                    given(s.shippedOn()) ? t.shipped_on(s.shippedOn()) : null, s.expectedDelivery(), rows,
                    txt.get("expected_delivery_at") + colon));
        }

        Typed statusTyped = Typed.of(typed, VendorDesk.Kind.STATUS);
        List<Step> steps = new ArrayList<>(3);
        for (OrderStatus step : order.nextSteps()) {
            // dispatched and delivered when its shipments are: the rest is still to ship (Fulfilments#status)
            if ((step == OrderStatus.DISPATCHED || step == OrderStatus.DELIVERED)
                    && shipped == FulfilmentStatus.PARTIALLY_SHIPPED) {
                continue;
            }
            // everything has left: it is no longer prepared (an order amended down to what shipped)
            if (step == OrderStatus.PREPARING
                    && (shipped == FulfilmentStatus.SHIPPED || shipped == FulfilmentStatus.DELIVERED)) {
                continue;
            }
            steps.add(new Step(step.name(), t.status(step),
                    statusTyped != null && step.name().equals(statusTyped.status())));
        }

        Typed shipTyped = Typed.of(typed, VendorDesk.Kind.SHIP);
        Typed trackingTyped = Typed.of(typed, VendorDesk.Kind.TRACKING);
        Typed dateTyped = Typed.of(typed, VendorDesk.Kind.EXPECTED_DATE);
        Typed noteTyped = Typed.of(typed, VendorDesk.Kind.NOTE);
        Typed reasonTyped = Typed.of(typed, VendorDesk.Kind.DECLINE);
        boolean shipForm = order.canTrack() && fulfilment.open();
        List<ToShip> toShip = new ArrayList<>();
        if (shipForm) {
            for (OrderFulfilment.LineView f : fulfilment.lines()) {
                if (!f.done()) {
                    // the refused form as typed; a line it did not have (added by an amendment meanwhile) blank, which
                    // ships none of it: the vendor has not said anything about that line yet
                    String quantity = shipTyped == null ? f.remainingInput()
                            : shipTyped.quantities().getOrDefault(f.lineNo(), "");
                    toShip.add(new ToShip(f.lineNo(), t.line_no(f.lineNo()) + colon, or(f.description(), f.sku()),
                            f.remainingInput(), quantity, txt.get("quantity_to_ship")));
                }
            }
        }

        boolean trackingForm = order.canTrack() && shipped != FulfilmentStatus.PARTIALLY_SHIPPED;
        if (shipTyped == null && trackingTyped != null && !trackingForm && shipForm) {
            // the short form, refused because part shipped meanwhile: its carrier and tracking number go into the ship
            // form, the one the page offers now (its quantities stay what remains)
            shipTyped = new Typed(VendorDesk.Kind.SHIP, Map.of(), trackingTyped.carrier(),
                    trackingTyped.trackingNumber(), trackingTyped.shipDate(), trackingTyped.expectedDelivery(), "", "",
                    "", "");
        }
        // goods that left are not declined (Fulfilments#decline)
        boolean canDecline = order.canDecline() && shipped == FulfilmentStatus.NOT_SHIPPED;
        // the form the refusal belongs in, when the page shows it (an order cancelled meanwhile shows no ship form)
        VendorDesk.Kind refusedIn = null;
        if (error != null && typed != null) {
            boolean shown = switch (typed.kind()) {
            case SHIP -> order.canUpdate() && shipForm;
            case TRACKING -> order.canUpdate() && trackingForm;
            case EXPECTED_DATE -> order.canUpdate();
            case STATUS -> order.canUpdate() && !steps.isEmpty();
            case NOTE -> true;
            case DECLINE -> canDecline;
            default -> false;
            };
            refusedIn = shown ? typed.kind() : null;
        }
        String reasonValue = reasonTyped != null ? textarea(reasonTyped.reason()) : "";

        String organization = order.organization();
        return new VendorOrderView(base, url, organization, order.logoUrl(), message, refusedIn == null ? error : null,
                order.reference(), order.version(), order.revision(),
                order.revision() > 1 ? t.revision(order.revision()) : null,
                changed ? t.revision_banner_title(order.revision()) : null,
                changed ? t.revision_banner_intro(organization) : null,
                changed ? t.acknowledge_revision(order.revision()) : null, order.pendingChanges(),
                cancelBanner ? t.cancel_banner_intro(organization) : null, order.cancelReason(),
                order.cancelUnacknowledged(), order.cancelAcknowledged(), statusClass, statusText,
                shippedText(shipped, txt, true), order.requestedDate(),
                given(order.expectedDate()) ? order.expectedDate() : txt.get("not_given_yet"), order.minDate(),
                order.maxDate(), dateTyped != null ? dateTyped.date() : order.expectedDateIso(),
                order.deliveryAddress(), latest != null, tracking, order.declineReason(), order.vendorNote(), lines,
                order.totals(), shipments, buyer, order.canConfirm(),
                order.reconfirmAsked() ? t.still_right(order.expectedDate()) : null, order.canUpdate(), steps,
                trackingForm,
                trackingTyped != null ? trackingTyped.carrier()
                        : latest == null || latest.carrier() == null ? "" : latest.carrier(),
                trackingTyped != null ? trackingTyped.trackingNumber()
                        : latest == null || latest.trackingNumber() == null ? "" : latest.trackingNumber(),
                // the short form corrects the latest shipment only when nothing is left to ship (else it ships all)
                latest != null && !fulfilment.open() ? latest.reference() : "", shipForm, toShip,
                t.note_to(organization), canDecline, order.canReopen(),
                order.canReopen() ? t.reopen_warning(organization) : null, t.all_orders_with(organization),
                order.nonces(), shipTyped, noteTyped != null ? textarea(noteTyped.note())
                        // a decline this page no longer offers: its reason waits in the note to the buyer, which
                        // the refusal points to, rather than being lost
                        : reasonTyped != null && !canDecline ? textarea(reasonTyped.reason()) : "",
                reasonValue, refusedIn == VendorDesk.Kind.SHIP ? error : null,
                refusedIn == VendorDesk.Kind.TRACKING ? error : null,
                refusedIn == VendorDesk.Kind.EXPECTED_DATE ? error : null,
                refusedIn == VendorDesk.Kind.STATUS ? error : null, refusedIn == VendorDesk.Kind.NOTE ? error : null,
                refusedIn == VendorDesk.Kind.DECLINE ? error : null,
                given(reasonValue) || refusedIn == VendorDesk.Kind.DECLINE);
    }

    /**
     * Whether an order's badge (its page's header, its row in the vendor's list) says the order's own status, or else
     * how far it shipped ({@code shipped}): the status until something ships, and once the status says more than the
     * shipments can (delivered, declined, cancelled).
     */
    static boolean showsOwnStatus(OrderStatus status, FulfilmentStatus shipped) {
        return shipped == FulfilmentStatus.NOT_SHIPPED || status == OrderStatus.DELIVERED
                || status == OrderStatus.DECLINED || status == OrderStatus.CANCELLED;
    }

    /** How far the order shipped, in the vendor's words ("not shipped" only where {@code notShipped} says so). */
    static String shippedText(FulfilmentStatus status, Map<String, String> txt, boolean notShipped) {
        return switch (status) {
        case NOT_SHIPPED -> notShipped ? txt.get("fulfilment_not_shipped") : "";
        case PARTIALLY_SHIPPED -> txt.get("fulfilment_partially_shipped");
        case SHIPPED -> txt.get("fulfilment_shipped");
        case DELIVERED -> txt.get("fulfilment_delivered");
        };
    }

    /**
     * A text as a textarea's content: HTML drops one line break right after {@code <textarea>}, so a text that starts
     * with one gets another in front.
     */
    private static String textarea(String text) {
        return text.startsWith("\n") || text.startsWith("\r") ? "\n" + text : text;
    }

    /** As the template's {@code {#if}} reads a string: neither null nor empty. */
    private static boolean given(String s) {
        return s != null && !s.isEmpty();
    }

    /** As the template's {@code a.or(b)}: {@code b} only when {@code a} is null. */
    private static String or(String a, String b) {
        return a != null ? a : b;
    }
}
