package io.portlink.staff;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.portlink.purchasing.OrderInput;

/**
 * An amendment form saved over a revision a colleague made meanwhile: the order as it is now, with only the fields this
 * clerk changed (against the revision the form started from, its {@link AmendBase}) applied again. Lines are matched by
 * their number in the revision the form started from; a line the clerk removed stays removed, a line the clerk added is
 * added at the end. Where both changed one field, the clerk's value is kept and the field is marked as a conflict to
 * check.
 *
 * @param form
 *            the form to show: the merged values, the conflicting inputs marked, the current revision and its base
 * @param theirs
 *            the colleague's changes, one text each ("Line 1, quantity: 500 → 600")
 * @param conflicts
 *            the fields both changed, one text each, naming both values
 */
record AmendMerge(StaffOrderForm.OrderForm form, List<String> theirs, List<String> conflicts) {

    static AmendMerge merge(StaffOrderForm.OrderForm typed, OrderInput current, int currentRevision) {
        AmendBase base = typed.base();
        AmendBase now = AmendBase.of(current);
        List<String> theirs = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        Set<String> invalid = new HashSet<>();

        List<String> order = new ArrayList<>();
        List<String> mine = typed.orderValues();
        for (int f = 0; f < AmendBase.ORDER_FIELDS.size(); f++) {
            String was = base.order().get(f);
            String is = now.order().get(f);
            String yours = mine.get(f);
            String label = AmendBase.ORDER_LABELS.get(f);
            boolean changedByMe = !same(yours, was);
            boolean changedByThem = !same(is, was);
            if (changedByThem) {
                theirs.add(label + ": " + shown(was) + " → " + shown(is));
            }
            if (changedByMe && changedByThem && !same(yours, is)) {
                conflicts.add(label + ": you typed " + shown(yours) + ", they saved " + shown(is));
                invalid.add(AmendBase.ORDER_FIELDS.get(f));
            }
            order.add(changedByMe ? yours : is);
        }

        // what they did to the lines, by number in the revision this form started from
        int common = Math.min(base.lines().size(), now.lines().size());
        for (int k = 0; k < Math.max(base.lines().size(), now.lines().size()); k++) {
            if (k >= base.lines().size()) {
                theirs.add("Line " + (k + 1) + ": added (" + describe(now.lines().get(k)) + ")");
            } else if (k >= now.lines().size()) {
                theirs.add("Line " + (k + 1) + ": removed (" + describe(base.lines().get(k)) + ")");
            } else {
                for (int f = 0; f < AmendBase.LINE_FIELDS.size(); f++) {
                    String was = base.lines().get(k).get(f);
                    String is = now.lines().get(k).get(f);
                    if (!same(was, is)) {
                        theirs.add("Line " + (k + 1) + ", " + AmendBase.LINE_LABELS.get(f) + ": " + shown(was) + " → "
                                + shown(is));
                    }
                }
            }
        }

        // the current lines, then this clerk's changes on them
        List<List<String>> merged = new ArrayList<>();
        List<Set<Integer>> marked = new ArrayList<>();
        List<Boolean> removed = new ArrayList<>();
        for (List<String> line : now.lines()) {
            merged.add(new ArrayList<>(line));
            marked.add(new HashSet<>());
            removed.add(false);
        }
        Set<Integer> kept = new HashSet<>();
        List<List<String>> added = new ArrayList<>();
        List<Set<Integer>> addedMarked = new ArrayList<>();
        for (StaffOrderForm.LineRow row : typed.lines()) {
            int k = origin(row, base.lines().size());
            if (k < 0) {
                if (!row.blank()) {
                    added.add(row.values());
                    addedMarked.add(new HashSet<>());
                }
                continue;
            }
            kept.add(k);
            List<String> was = base.lines().get(k);
            List<String> yours = row.values();
            if (k >= common) {
                // they removed the line this clerk kept: kept as a new line if the clerk changed it, else gone
                if (!same(yours, was)) {
                    added.add(yours);
                    Set<Integer> all = new HashSet<>();
                    for (int f = 0; f < AmendBase.LINE_FIELDS.size(); f++) {
                        all.add(f);
                    }
                    addedMarked.add(all);
                    conflicts.add("Line " + (k + 1) + ": they removed it, you changed it; your line is added at the"
                            + " end, remove it if it is not needed");
                }
                continue;
            }
            for (int f = 0; f < AmendBase.LINE_FIELDS.size(); f++) {
                String is = now.lines().get(k).get(f);
                boolean changedByMe = !same(yours.get(f), was.get(f));
                if (changedByMe) {
                    if (!same(is, was.get(f)) && !same(yours.get(f), is)) {
                        conflicts.add("Line " + (k + 1) + ", " + AmendBase.LINE_LABELS.get(f) + ": you typed "
                                + shown(yours.get(f)) + ", they saved " + shown(is));
                        marked.get(k).add(f);
                    }
                    merged.get(k).set(f, yours.get(f));
                }
            }
        }
        for (int k = 0; k < common; k++) {
            if (!kept.contains(k)) {
                // this clerk removed it
                removed.set(k, true);
                if (!same(base.lines().get(k), now.lines().get(k))) {
                    conflicts.add("Line " + (k + 1) + ": you removed it, they changed it; it stays removed");
                }
            }
        }

        List<StaffOrderForm.LineRow> rows = new ArrayList<>();
        for (int k = 0; k < merged.size(); k++) {
            if (removed.get(k)) {
                continue;
            }
            rows.add(row(merged.get(k), Integer.toString(k + 1)));
            mark(invalid, rows.size(), marked.get(k));
        }
        for (int i = 0; i < added.size(); i++) {
            rows.add(row(added.get(i), ""));
            mark(invalid, rows.size(), addedMarked.get(i));
        }
        return new AmendMerge(typed.merged(order, rows, invalid, currentRevision, now), theirs, conflicts);
    }

    private static void mark(Set<String> invalid, int number, Set<Integer> fields) {
        for (int f : fields) {
            invalid.add("line-" + number + "-" + AmendBase.LINE_FIELDS.get(f));
        }
    }

    private static StaffOrderForm.LineRow row(List<String> v, String origin) {
        return new StaffOrderForm.LineRow(v.get(0), v.get(1), v.get(2), v.get(3), v.get(4), v.get(5), origin);
    }

    /** The index (from 0) of the base line a row came from; -1 for a row added on the form (or a forged number). */
    private static int origin(StaffOrderForm.LineRow row, int baseLines) {
        String o = row.origin() == null ? "" : row.origin().strip();
        if (!o.matches("[0-9]{1,4}")) {
            return -1;
        }
        int k = Integer.parseInt(o) - 1;
        return k >= 0 && k < baseLines ? k : -1;
    }

    private static boolean same(List<String> a, List<String> b) {
        for (int f = 0; f < a.size(); f++) {
            if (!same(a.get(f), b.get(f))) {
                return false;
            }
        }
        return true;
    }

    /** Equal as typed (ends trimmed), or the same number written two ways (12.50 and 12.5). */
    static boolean same(String a, String b) {
        String x = a == null ? "" : a.strip();
        String y = b == null ? "" : b.strip();
        if (x.equals(y)) {
            return true;
        }
        try {
            return new BigDecimal(x).compareTo(new BigDecimal(y)) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String shown(String value) {
        return value == null || value.isBlank() ? "(empty)" : "\"" + value.strip() + "\"";
    }

    private static String describe(List<String> line) {
        String what = line.get(0).isBlank() ? line.get(1) : line.get(0);
        return line.get(2) + " × " + what;
    }
}
