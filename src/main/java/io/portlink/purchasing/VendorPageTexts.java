package io.portlink.purchasing;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

import io.portlink.platform.Locales;
import io.quarkus.qute.TemplateData;

/**
 * The texts with arguments of the vendor's order page in one language, as {@code t.key(args)} in the template: the same
 * words as {@code msg:key(args)} of {@link VendorMessages}, without rendering a message template on every use. Each
 * text is rendered once per language with marker arguments and kept as its fixed parts around the arguments
 * ({@link Text}); a text whose markers do not split it exactly (a translation that decides by its argument) is rendered
 * by the message bundle every time, so the words are the bundle's whatever a translation does. Statuses are rendered
 * once per language and status. Made once per language of {@link Locales#LANGUAGES} (English for anything else).
 */
@TemplateData
public final class VendorPageTexts {

    private static final ConcurrentMap<String, VendorPageTexts> BY_LANGUAGE = new ConcurrentHashMap<>();

    /** The page texts in one of {@link Locales#LANGUAGES}; English for anything else. */
    public static VendorPageTexts in(String language) {
        String key = "en".equals(language) || !Locales.isLanguage(language) ? "en" : language;
        return BY_LANGUAGE.computeIfAbsent(key, VendorPageTexts::new);
    }

    private final Map<OrderStatus, String> status = new EnumMap<>(OrderStatus.class);
    private final Text revisionBannerTitle;
    private final Text revisionBannerIntro;
    private final Text acknowledgeRevision;
    private final Text cancelBannerIntro;
    private final Text revision;
    private final Text each;
    private final Text shippedOf;
    private final Text shippedOfClosed;
    private final Text shippedOn;
    private final Text lineNo;
    private final Text stillRight;
    private final Text noteTo;
    private final Text reopenWarning;
    private final Text allOrdersWith;

    private VendorPageTexts(String language) {
        VendorMessages m = VendorTexts.in(language);
        for (OrderStatus s : OrderStatus.values()) {
            status.put(s, m.status(s));
        }
        revisionBannerTitle = Text.of(a -> m.revision_banner_title((Integer) a[0]), true);
        revisionBannerIntro = Text.of(a -> m.revision_banner_intro((String) a[0]), false);
        acknowledgeRevision = Text.of(a -> m.acknowledge_revision((Integer) a[0]), true);
        cancelBannerIntro = Text.of(a -> m.cancel_banner_intro((String) a[0]), false);
        revision = Text.of(a -> m.revision((Integer) a[0]), true);
        each = Text.of(a -> m.each((String) a[0]), false);
        shippedOf = Text.of(a -> m.shipped_of((String) a[0], (String) a[1], (String) a[2]), false, false, false);
        shippedOfClosed = Text.of(a -> m.shipped_of_closed((String) a[0], (String) a[1]), false, false);
        shippedOn = Text.of(a -> m.shipped_on((String) a[0]), false);
        lineNo = Text.of(a -> m.line_no((Integer) a[0]), true);
        stillRight = Text.of(a -> m.still_right((String) a[0]), false);
        noteTo = Text.of(a -> m.note_to((String) a[0]), false);
        reopenWarning = Text.of(a -> m.reopen_warning((String) a[0]), false);
        allOrdersWith = Text.of(a -> m.all_orders_with((String) a[0]), false);
    }

    /** {@link VendorMessages#status}. */
    public String status(OrderStatus s) {
        return status.get(s);
    }

    /** {@link VendorMessages#revision_banner_title}. */
    public String revision_banner_title(int revision) {
        return revisionBannerTitle.format(revision);
    }

    /** {@link VendorMessages#revision_banner_intro}. */
    public String revision_banner_intro(String organization) {
        return revisionBannerIntro.format(organization);
    }

    /** {@link VendorMessages#acknowledge_revision}. */
    public String acknowledge_revision(int revision) {
        return acknowledgeRevision.format(revision);
    }

    /** {@link VendorMessages#cancel_banner_intro}. */
    public String cancel_banner_intro(String organization) {
        return cancelBannerIntro.format(organization);
    }

    /** {@link VendorMessages#revision}. */
    public String revision(int revision) {
        return this.revision.format(revision);
    }

    /** {@link VendorMessages#each}. */
    public String each(String price) {
        return each.format(price);
    }

    /** {@link VendorMessages#shipped_of}. */
    public String shipped_of(String shipped, String ordered, String remaining) {
        return shippedOf.format(shipped, ordered, remaining);
    }

    /** {@link VendorMessages#shipped_of_closed}. */
    public String shipped_of_closed(String shipped, String ordered) {
        return shippedOfClosed.format(shipped, ordered);
    }

    /** {@link VendorMessages#shipped_on}. */
    public String shipped_on(String date) {
        return shippedOn.format(date);
    }

    /** {@link VendorMessages#line_no}. */
    public String line_no(int lineNo) {
        return this.lineNo.format(lineNo);
    }

    /** {@link VendorMessages#still_right}. */
    public String still_right(String date) {
        return stillRight.format(date);
    }

    /** {@link VendorMessages#note_to}. */
    public String note_to(String organization) {
        return noteTo.format(organization);
    }

    /** {@link VendorMessages#reopen_warning}. */
    public String reopen_warning(String organization) {
        return reopenWarning.format(organization);
    }

    /** {@link VendorMessages#all_orders_with}. */
    public String all_orders_with(String organization) {
        return allOrdersWith.format(organization);
    }

    /**
     * A message with arguments, split once at its arguments: {@code parts[0] arg[slots[0]] parts[1] …}. Rendered by the
     * bundle ({@code render}) when the split is not exact.
     */
    static final class Text {
        private final Function<Object[], String> render;
        private final String[] parts;
        private final int[] slots;

        private Text(Function<Object[], String> render, String[] parts, int[] slots) {
            this.render = render;
            this.parts = parts;
            this.slots = slots;
        }

        /** {@code ints}: which arguments are numbers (an int's text is its decimal digits, as the bundle writes it). */
        static Text of(Function<Object[], String> render, boolean... ints) {
            Object[] markers = new Object[ints.length];
            String[] marks = new String[ints.length];
            for (int i = 0; i < ints.length; i++) {
                markers[i] = ints[i] ? Integer.valueOf(1_987_654_300 + i) : "\uE000" + i + "\uE001";
                marks[i] = String.valueOf(markers[i]);
            }
            String rendered = render.apply(markers);
            List<String> parts = new ArrayList<>();
            List<Integer> slots = new ArrayList<>();
            int from = 0;
            while (true) {
                int at = -1;
                int slot = -1;
                for (int i = 0; i < marks.length; i++) {
                    int found = rendered.indexOf(marks[i], from);
                    if (found >= 0 && (at < 0 || found < at)) {
                        at = found;
                        slot = i;
                    }
                }
                if (at < 0) {
                    parts.add(rendered.substring(from));
                    break;
                }
                parts.add(rendered.substring(from, at));
                slots.add(slot);
                from = at + marks[slot].length();
            }
            Text split = new Text(null, parts.toArray(String[]::new),
                    slots.stream().mapToInt(Integer::intValue).toArray());
            // the split must say what the bundle says, for other values too; else the bundle renders every time
            for (Object[] sample : samples(ints)) {
                if (!Objects.equals(split.format(sample), render.apply(sample))) {
                    return new Text(render, null, null);
                }
            }
            return split;
        }

        private static List<Object[]> samples(boolean[] ints) {
            List<Object[]> samples = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                Object[] sample = new Object[ints.length];
                for (int i = 0; i < ints.length; i++) {
                    sample[i] = ints[i] ? Integer.valueOf(k * 7 + i + 1)
                            : k == 0 ? "" : new String[] { "", "A & B <i>\"x\"</i> 'y'", "1.234,50 €" }[k] + i;
                }
                samples.add(sample);
            }
            return samples;
        }

        /** The text with these arguments. */
        String format(Object... args) {
            if (render != null) {
                return render.apply(args);
            }
            StringBuilder out = new StringBuilder(64);
            out.append(parts[0]);
            for (int i = 0; i < slots.length; i++) {
                out.append(args[slots[i]]).append(parts[i + 1]);
            }
            return out.toString();
        }

        /** Whether the message bundle renders this text on every use (for tests). */
        boolean rendersEveryTime() {
            return render != null;
        }
    }
}
