package io.portlink.purchasing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a purchase-order import did that its buyer should look at, though nothing in it is wrong enough to refuse the
 * file: a vendor it created (a name or e-mail no vendor had: a typo would make a second vendor) and a line that repeats
 * an earlier line of its order exactly (it doubles the goods, but a split delivery can be meant), a fraction of a
 * counted unit ({@code 2.5 pcs}), a requested date already past (the staff form refuses one; a file may carry orders
 * overdue in another system). The staff's result page and the API's answer ({@code warnings}) list them, in English. At
 * most {@link #LISTED} are kept, then counted, so a file of a million lines holds no more than that in memory.
 */
public final class ImportNotes {

    /** Most notes listed; the rest are counted ({@link #unlisted}). */
    public static final int LISTED = 100;

    /** One note: the order it is about (its reference) and what to check. */
    @RegisterForReflection // written by the API's streamed answer
    public record Note(String reference, String message) {
    }

    private final List<Note> notes = new ArrayList<>();
    private int unlisted;

    /** The vendor {@link Vendors#resolve} gave for {@code draft}, the first order that named it; noted if created. */
    public Vendor vendor(Vendors.Resolved resolved, OrderDraft draft) {
        if (resolved.created()) {
            newVendor(draft.reference(), draft.vendor());
        }
        return resolved.vendor();
    }

    /**
     * What a new order of the import is worth a second look for: its lines ({@link #lines}) and a requested date before
     * {@code today} ({@link #pastRequested}), dates written by {@code format}.
     */
    public void order(OrderDraft draft, java.time.LocalDate today, io.portlink.platform.Locales.Format format) {
        lines(draft);
        pastRequested(draft, today, format);
    }

    private void newVendor(String reference, Vendors.Contact vendor) {
        add(new Note(reference,
                "new vendor \"" + vendor.name() + "\"" + (vendor.email() == null ? "" : " (" + vendor.email() + ")")
                        + " created: none of your vendors has this "
                        + (vendor.email() == null ? "name" : "e-mail address")
                        + ". If it is one you have, merge the two from its page in Vendors."));
    }

    /**
     * The lines of a new order worth a second look: a fraction of a counted unit ({@link #COUNTED}: 2.5 pcs), and every
     * line that repeats an earlier line of it exactly: SKU, description, quantity, unit, unit price and currency
     * (numbers by value: 10 is 10.0). Line numbers from 1, as the order's page shows them.
     */
    void lines(OrderDraft draft) {
        for (int i = 0; i < draft.lines().size(); i++) {
            OrderDraft.Line l = draft.lines().get(i);
            if (l.unit() != null && COUNTED.contains(l.unit().toLowerCase(java.util.Locale.ROOT))
                    && l.quantity() != null && l.quantity().stripTrailingZeros().scale() > 0) {
                // "2.5 pcs": a decimal mark read as thousands elsewhere, or a unit that is not pieces
                add(new Note(draft.reference(),
                        "line " + (i + 1) + " orders " + l.quantity().toPlainString() + " " + l.unit()
                                + ", which is not a whole number of pieces. If that was not meant, amend the order."));
            }
        }
        if (draft.lines().size() < 2) {
            return;
        }
        Map<List<Object>, Integer> seen = new HashMap<>();
        for (int i = 0; i < draft.lines().size(); i++) {
            OrderDraft.Line l = draft.lines().get(i);
            List<Object> key = java.util.Arrays.asList(l.sku(), l.description(), value(l.quantity()), l.unit(),
                    value(l.unitPrice()), l.currency());
            Integer first = seen.putIfAbsent(key, i + 1);
            if (first != null) {
                add(new Note(draft.reference(),
                        "line " + (i + 1) + " repeats line " + first
                                + " exactly (SKU, description, quantity, unit and price): the order has both."
                                + " If that was not meant, amend the order."));
            }
        }
    }

    /**
     * A new order whose requested date is before {@code today} (the organisation's): it is overdue from the start.
     * Written as the organisation writes dates ({@code format}).
     */
    void pastRequested(OrderDraft draft, java.time.LocalDate today, io.portlink.platform.Locales.Format format) {
        if (draft.requestedDate() != null && draft.requestedDate().isBefore(today)) {
            add(new Note(draft.reference(), "the requested date " + format.date(draft.requestedDate())
                    + " is before today: the order is overdue from the start. If the date is wrong, amend the order."));
        }
    }

    /** Units that count whole pieces (any case): a fraction of one is most likely a mistake. */
    static final java.util.Set<String> COUNTED = java.util.Set.of("pcs", "pc", "pce", "pces", "piece", "pieces", "ea",
            "each", "unit", "units", "stk", "stück", "st", "pièce", "pièces", "pza", "pzas", "unidad", "unidades");

    private static BigDecimal value(BigDecimal n) {
        return n == null ? null : n.stripTrailingZeros();
    }

    private void add(Note note) {
        if (notes.size() < LISTED) {
            notes.add(note);
        } else {
            unlisted++;
        }
    }

    /** The notes kept, in the order they were found. */
    public List<Note> listed() {
        return List.copyOf(notes);
    }

    /** How many notes there were beyond {@link #LISTED}. */
    public int unlisted() {
        return unlisted;
    }
}
