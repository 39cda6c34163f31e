package io.portlink.organization;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One phone number of a person and how free text may write it, matched on digits: {@code +44 7700 900777} is also
 * {@code 0044 7700 900777}, {@code +44 (0)7700-900777}, {@code +447700900777}, {@code 07700 900777} (trunk 0 and the
 * national significant number) and {@code 7700 900 777} (the national significant number alone, when it has at least
 * {@value #MIN_NATIONAL} digits). A phone-like run of text is digit groups with spaces, dashes, dots, slashes or
 * parentheses between them and an optional {@code +} or {@code 00} before; the person's number is a whole part of such
 * a run, never a part of a group of digits (so {@code 900777} is not found in {@code 9007771}), and a run written
 * internationally is compared whole (so {@code +33 7700 900777} is another person's phone). Digits and separators of
 * other scripts count as theirs ({@link #ascii}): full-width {@code ０７７００ ９００７７７}, Arabic-Indic {@code ٠٧٧٠٠ ٩٠٠٧٧٧},
 * Extended Arabic-Indic (Persian, Urdu) {@code ۰۷۷۰۰ ۹۰۰۷۷۷}.
 */
final class PhoneMentions {

    /**
     * What may stand between two groups of a phone's digits besides a space, dot, slash, dash or parenthesis: the
     * no-break spaces and the Unicode hyphens and dashes that word processors, mail clients and web pages put there
     * ({@code 07 70 09 00 77} with narrow no-break spaces as French typography writes it). A character class body in
     * the syntax PostgreSQL's and Java's share, the characters as they are.
     */
    static final String WIDE_SEPARATORS = "\u00A0\u2007\u202F\u2010\u2011\u2012\u2013";

    /**
     * The separators of other scripts that {@link #ascii} folds to ASCII ones: full-width plus, parentheses,
     * hyphen-minus, full stop and solidus, the ideographic space and the katakana prolonged sound mark {@code ー}, which
     * Japanese writes as a dash in a phone number ({@code ０３ー１２３４ー５６７８}). As {@link #WIDE_SEPARATORS}.
     */
    static final String FOLDED_SEPARATORS = "\uFF0B\uFF08\uFF09\uFF0D\uFF0E\uFF0F\u3000\u30FC";

    /**
     * The first digit (zero) of each script whose digits {@link #ascii} folds: ASCII, full-width (U+FF10–FF19),
     * Arabic-Indic (U+0660–0669) and Extended Arabic-Indic (U+06F0–06F9). Each script's ten digits are consecutive.
     */
    static final char[] ZEROS = { '0', '\uFF10', '\u0660', '\u06F0' };

    /** A character class body that holds a digit of any script in {@link #ZEROS}. */
    static final String ANY_DIGIT = "0-9\uFF10-\uFF19\u0660-\u0669\u06F0-\u06F9";

    /**
     * A phone-like run: an optional "+", then digits, "(0)" and separators, starting and ending with a digit or ")";
     * never right after a "#", which makes of digits a colour ({@code color: #667085}, in every HTML mail), a character
     * reference ({@code &#128077;}), an anchor or a ticket ({@code #245099}).
     */
    private static final Pattern RUN = Pattern
            .compile("(?<![\\p{L}\\p{N}+#])\\+?\\(?[0-9][0-9 ().\\-/" + WIDE_SEPARATORS + "]*(?<=[0-9)])");

    /** The groups of a run: a trunk 0 in parentheses, or digits (the run's "+" with the first). */
    private static final Pattern GROUP = Pattern.compile("\\(0\\)|\\+?[0-9]+");

    /** E.164: at most 15 digits, 17 with "00" before them. */
    private static final int MAX_DIGITS = 17;

    /** Shorter national forms are too common in texts (quantities, references, dates) to be taken for the phone. */
    static final int MIN_NATIONAL = 7;

    /** The digits as written (without a "(0)"): always the person's. */
    private final String written;

    /** The international digits (country code first), or null when written without "+" or "00". */
    private final String international;

    /** The national significant number when written nationally (without its trunk 0), else null. */
    private final String nationalOnly;

    /** The national forms: trunk 0 + national significant number, and that number alone. */
    private final Set<String> national = new HashSet<>();

    PhoneMentions(String phone) {
        String p = ascii(phone).strip();
        String d = p.replace("(0)", "").replaceAll("[^0-9]", "");
        this.written = d;
        if (p.startsWith("+")) {
            this.international = d;
        } else if (d.startsWith("00")) {
            this.international = d.substring(2);
        } else {
            this.international = null;
        }
        if (international != null) {
            // why: no table of country calling codes is kept (there is no phone library, and a copy of the ITU's list
            // would go stale unnoticed), so the code is taken as any 1 to 3 digits: an erasure rather scrubs a number
            // that only looks like the person's than leaves theirs
            for (int k = 1; k <= 3 && k < international.length(); k++) {
                addNational(international.substring(k));
            }
            this.nationalOnly = null;
        } else {
            this.nationalOnly = d.startsWith("0") ? d.substring(1) : d;
            addNational(nationalOnly);
        }
    }

    private void addNational(String significant) {
        if (significant.length() + 1 >= MIN_NATIONAL) {
            national.add("0" + significant);
        }
        if (significant.length() >= MIN_NATIONAL) {
            national.add(significant);
        }
    }

    /** The number, normalised: equal for two writings that give the same forms. */
    String key() {
        return international != null ? "+" + international : written;
    }

    /**
     * A regular expression (the syntax PostgreSQL's and Java's share) that every text writing this number matches: its
     * shortest form's digits in order, with only what a phone-like run puts between two digits (spaces, dashes, dots,
     * slashes, parentheses, a {@code (0)}), then no further digit. Wider than {@link #scrub}: the database finds the
     * candidates, scrub decides.
     */
    String textPattern() {
        String between = "([ ()./" + WIDE_SEPARATORS + FOLDED_SEPARATORS + "-]|[(\uFF08]" + anyScript('0')
                + "[)\uFF09])*";
        return core().chars().mapToObj(d -> anyScript((char) d)).collect(Collectors.joining(between)) + "([^"
                + ANY_DIGIT + "]|$)";
    }

    /**
     * A regular expression (the syntax PostgreSQL's and Java's share) of ASCII digit {@code d} written in any script of
     * {@link #ZEROS}: {@code [4４٤۴]}.
     */
    static String anyScript(char d) {
        StringBuilder b = new StringBuilder("[");
        for (char zero : ZEROS) {
            b.append((char) (zero + d - '0'));
        }
        return b.append(']').toString();
    }

    /**
     * {@code digits} (ASCII) written in each script of {@link #ZEROS}, ASCII first: the same digits as a text of one
     * script writes them ({@code 447}, {@code ４４７}, {@code ٤٤٧}, {@code ۴۴۷}).
     */
    static List<String> inEachScript(String digits) {
        List<String> all = new ArrayList<>();
        for (char zero : ZEROS) {
            StringBuilder b = new StringBuilder(digits.length());
            digits.chars().forEach(d -> b.append((char) (zero + d - '0')));
            all.add(b.toString());
        }
        return all;
    }

    /**
     * {@code text} with the digits and phone separators of other scripts as their ASCII counterparts, character for
     * character (so an index into the result is one into {@code text}): full-width, Arabic-Indic and Extended
     * Arabic-Indic digits ({@link #ZEROS}) and {@link #FOLDED_SEPARATORS} (the ideographic space a space, {@code ー} a
     * dash). Everything else as it is; the same object when nothing changes, null for null. Devanagari, Thai and the
     * other scripts' digits are not folded.
     */
    static String ascii(String text) {
        if (text == null) {
            return null;
        }
        char[] out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char a = c < 0x80 ? c : fold(c);
            if (a != c) {
                if (out == null) {
                    out = text.toCharArray();
                }
                out[i] = a;
            }
        }
        return out == null ? text : new String(out);
    }

    /**
     * A phone number as a person typed or pasted it into a request, in the characters a phone field accepts:
     * {@link #ascii} folded, the no-break spaces and Unicode hyphens and dashes of {@link #WIDE_SEPARATORS} as a space
     * or {@code -}, and the invisible direction marks that a copy out of right-to-left text carries (U+200E, U+200F,
     * U+061C, U+202A–U+202E, U+2066–U+2069) left out. Free text keeps its characters ({@link #ascii} alone) because a
     * mention is replaced where it stands; a request is only read.
     */
    static String typed(String phone) {
        if (phone == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(phone.length());
        for (char c : ascii(phone).toCharArray()) {
            if (c == '\u200E' || c == '\u200F' || c == '\u061C' || (c >= '\u202A' && c <= '\u202E')
                    || (c >= '\u2066' && c <= '\u2069')) {
                continue;
            }
            int wide = WIDE_SEPARATORS.indexOf(c);
            // the first three are spaces (no-break, figure, narrow no-break), the rest hyphens and dashes
            out.append(wide < 0 ? c : wide < 3 ? ' ' : '-');
        }
        return out.toString();
    }

    private static char fold(char c) {
        for (char zero : ZEROS) {
            if (c >= zero && c <= zero + 9) {
                return (char) ('0' + c - zero);
            }
        }
        return switch (c) {
        case '\uFF0B' -> '+';
        case '\uFF08' -> '(';
        case '\uFF09' -> ')';
        case '\uFF0D', '\u30FC' -> '-';
        case '\uFF0E' -> '.';
        case '\uFF0F' -> '/';
        case '\u3000' -> ' ';
        default -> c;
        };
    }

    /** The digits every writing of this number holds in order: its shortest form's. */
    String core() {
        return international != null ? international.substring(Math.min(3, international.length() - 1))
                : nationalOnly.isEmpty() ? written : nationalOnly;
    }

    /**
     * Whether {@code text} is this number in some writing and nothing else but spaces around it: a phone field that
     * holds the person's phone written another way ({@code 07700 900777}, {@code +44 (0)7700-900777}).
     */
    boolean writes(String text) {
        return "\u0000".equals(scrub(text, List.of(this), "\u0000").strip());
    }

    /** Whether digits written with "+" or "00" before them (those removed) are this number. */
    private boolean isInternational(String digits) {
        if (digits.equals(written) || digits.equals(international)) {
            return true;
        }
        // written nationally: any country code before the national significant number
        return international == null && nationalOnly.length() >= MIN_NATIONAL - 1
                && digits.length() - nationalOnly.length() >= 1 && digits.length() - nationalOnly.length() <= 3
                && digits.endsWith(nationalOnly);
    }

    /** Whether digits written without "+" or "00" are this number. */
    private boolean isNational(String digits) {
        return digits.equals(written) || digits.equals(international) || national.contains(digits);
    }

    /**
     * {@code text} with every writing of any of {@code phones} replaced by {@code replacement}; the same object when
     * none occurs.
     */
    static String scrub(String written, Collection<PhoneMentions> phones, String replacement) {
        if (written == null || written.isEmpty() || phones.isEmpty()) {
            return written;
        }
        // matched on the ASCII form, replaced in the text as written (the same indices)
        String text = ascii(written);
        Matcher run = RUN.matcher(text);
        StringBuilder out = null;
        int copied = 0;
        while (run.find()) {
            List<int[]> groups = new ArrayList<>();
            Matcher g = GROUP.matcher(text).region(run.start(), run.end());
            while (g.find()) {
                groups.add(new int[] { g.start(), g.end() });
            }
            boolean afterCountryCode = false;
            boolean fresh = true;
            for (int i = 0; i < groups.size(); i++) {
                String first = text.substring(groups.get(i)[0], groups.get(i)[1]);
                boolean international = first.startsWith("+") || first.startsWith("00");
                // a run that starts as an international number is one number: a later group of it starts none of its
                // own ("+33 7700 900777" is not "7700 900777"); a "00" further on may be a reference's ("2026-0042")
                if (fresh) {
                    afterCountryCode = international;
                } else if (afterCountryCode) {
                    continue;
                }
                fresh = false;
                int end = longestMatch(text, groups, i, international, phones);
                if (end < 0 || (isShort(text, groups, i, end) && !standsAlone(text, run, groups, i, end))) {
                    continue;
                }
                int from = groups.get(i)[0];
                int to = groups.get(end)[1];
                // a parenthesis opened or closed inside the match goes with it: "(020) 7946 0000"
                if (from > run.start() && text.charAt(from - 1) == '(' && text.indexOf(')', from) >= 0
                        && text.indexOf(')', from) < to) {
                    from--;
                }
                if (to < run.end() && text.charAt(to) == ')' && text.lastIndexOf('(', to) >= from) {
                    to++;
                }
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                out.append(written, copied, from).append(replacement);
                copied = to;
                i = end;
                fresh = true;
            }
        }
        if (out == null) {
            return written;
        }
        return out.append(written, copied, written.length()).toString();
    }

    /** Whether groups {@code i} to {@code end} hold fewer digits than {@link #MIN_NATIONAL}: a 6-digit phone. */
    private static boolean isShort(String text, List<int[]> groups, int i, int end) {
        int digits = 0;
        for (int j = i; j <= end; j++) {
            digits += text.substring(groups.get(j)[0], groups.get(j)[1]).replaceAll("[^0-9]", "").length();
        }
        return digits < MIN_NATIONAL;
    }

    /**
     * Whether a match is its whole run and the run is not the number of a reference ({@code PO-245099},
     * {@code INV/245099}): a phone of 6 digits is taken only so, as references, dates and quantities are full of such
     * groups ({@code 2026-245099}).
     */
    private static boolean standsAlone(String text, Matcher run, List<int[]> groups, int i, int end) {
        if (i != 0 || end != groups.size() - 1) {
            return false;
        }
        int before = run.start() - 1;
        return before < 1 || "-/.".indexOf(text.charAt(before)) < 0
                || !Character.isLetterOrDigit(text.charAt(before - 1));
    }

    /** The last group of the longest match starting at group {@code i}, or -1. */
    private static int longestMatch(String text, List<int[]> groups, int i, boolean international,
            Collection<PhoneMentions> phones) {
        boolean plus = text.charAt(groups.get(i)[0]) == '+';
        // a phone field takes up to 40 characters: a number longer than E.164's (an extension written on) is the
        // person's as they gave it, with "00" before it too
        int maxDigits = MAX_DIGITS;
        for (PhoneMentions p : phones) {
            maxDigits = Math.max(maxDigits, p.written.length() + 2);
        }
        StringBuilder digits = new StringBuilder();
        int found = -1;
        for (int j = i; j < groups.size(); j++) {
            String group = text.substring(groups.get(j)[0], groups.get(j)[1]);
            if (!group.equals("(0)")) {
                digits.append(group.startsWith("+") ? group.substring(1) : group);
            }
            if (digits.length() > maxDigits) {
                break;
            }
            String d = digits.toString();
            String number = international && !plus ? d.substring(2) : d;
            for (PhoneMentions p : phones) {
                if (international ? p.isInternational(number) : p.isNational(number)) {
                    found = j;
                    break;
                }
            }
        }
        return found;
    }
}
