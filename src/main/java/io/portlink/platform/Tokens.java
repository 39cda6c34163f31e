package io.portlink.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Secret tokens: 256 random bits, base64url, behind a short prefix per kind so that log scrubbers and secret scanners
 * can spot them. Only their SHA-256 is ever stored.
 */
public final class Tokens {

    /** Vendor portal link. */
    public static final String VENDOR = "pv_";
    /** Customer tracking link. */
    public static final String TRACKING = "pt_";
    /** Driver link (reserved: no page yet, but logs mask it already). */
    public static final String DRIVER = "pd_";
    /** Staff invitation. */
    public static final String INVITATION = "pi_";
    /** API key. */
    public static final String API_KEY = "pk_";
    /** A merchant's invitation of a dropship supplier (a connection). */
    public static final String CONNECTION = "pc_";

    /** Webhook signing secret (shown to staff; receivers keep it). */
    public static final String WEBHOOK_SECRET = "whsec_";
    /** A merchant's sales-channel webhook secret (signs the orders its channel sends). */
    public static final String SALES_CHANNEL = "ps_";

    /** Operator token (recommended spelling; the configured value is masked in logs whatever its spelling). */
    public static final String OPERATOR = "po_";

    /** Every prefix Portlink issues or recommends; a new kind of token adds its prefix here so that logs mask it. */
    public static final List<String> PREFIXES = List.of(VENDOR, TRACKING, DRIVER, INVITATION, API_KEY, CONNECTION,
            OPERATOR, WEBHOOK_SECRET, SALES_CHANNEL);

    /** Any character up to the next delimiter of a URL or a sentence. */
    private static final String TOKEN_CHAR = "[^\\s/?&#=;,:\"'<>()\\[\\]{}|\\\\^`]";

    /**
     * Anything that looks like one of our tokens in a text as read (after percent-decoding, see {@link #mask}): a
     * prefix in either case, not glued to a word before it, then at least 20 characters up to the next delimiter. The
     * run deliberately goes on through characters no token has ({@code +}, {@code .}, {@code ~}), so a token that is
     * misspelled along the way is still masked whole.
     */
    public static final Pattern ANY = Pattern.compile(
            "(?<![A-Za-z0-9])((?i:" + PREFIXES.stream().map(p -> Pattern.quote(p)).collect(Collectors.joining("|"))
                    + "))(" + TOKEN_CHAR + "{3})" + TOKEN_CHAR + "{17,}");

    /** How many times a text is percent-decoded before matching: a proxy may have encoded it once more. */
    private static final int DECODE_PASSES = 3;

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Random bytes behind every token: 256 bits, 43 characters of URL-safe Base64. */
    static final int BYTES = 32;

    private Tokens() {
    }

    public static String generate(String prefix) {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String sha256(String token) {
        return sha256(token.getBytes(StandardCharsets.UTF_8));
    }

    /** Lower-case hex SHA-256 of some bytes. */
    public static String sha256(byte[] content) {
        // every link page hashes its token: one digest per thread, not a provider look-up per call
        return HexFormat.of().formatHex(SHA_256.get().digest(content));
    }

    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    });

    /**
     * The digest of a form's posted fields, its nonce left out, to tell a form sent again unchanged (a double click, a
     * retry) from one changed and sent again (the browser's Back): lower-case hex SHA-256 of the values in the caller's
     * order, a missing value told apart from an empty one, a list's items one by one, spaces around a value left out
     * (the fields store values stripped). The same post gives the same digest; any field changed gives another.
     */
    public static String fieldsDigest(java.util.List<?> fields) {
        StringBuilder all = new StringBuilder();
        for (Object field : fields) {
            if (field instanceof java.util.List<?> items) {
                all.append('[').append(items.size()).append(']');
                items.forEach(item -> appendField(all, item));
            } else {
                appendField(all, field);
            }
        }
        return sha256(all.toString());
    }

    // each value with its length first: no value can pass for two
    private static void appendField(StringBuilder all, Object value) {
        if (value == null) {
            all.append("-;");
        } else {
            String v = value.toString().strip(); // spaces around a value are no other value: fields store it so
            all.append(v.length()).append(':').append(v).append(';');
        }
    }

    /** What may be shown or logged of a token: its prefix and first three characters. */
    public static String hint(String token) {
        return token.substring(0, Math.min(token.length(), 6)) + "…";
    }

    /**
     * Replaces every token in a text by its hint, in every spelling a URL can carry (see {@link #mask(String, Map)}).
     */
    public static String mask(String text) {
        return mask(text, Map.of());
    }

    /**
     * Replaces every token by its hint ({@code pv_abc…}) and every given secret value by {@code [its name]}, wherever
     * they appear and however they are spelled: percent-encoded in part or whole ({@code pv%5Fabc%2D…}), escapes in
     * upper or lower case, encoded twice ({@code %255F}). Matching runs on the decoded text; the replacement covers the
     * original spelling.
     *
     * @param secrets
     *            name to value of configured secrets (values shorter than 8 characters are ignored)
     */
    public static String mask(String text, Map<String, String> secrets) {
        if (text == null || (text.indexOf('_') < 0 && text.indexOf('%') < 0 && secrets.isEmpty())) {
            return text;
        }
        Decoded decoded = Decoded.of(text);
        // ranges of the decoded text to replace, by start; the first (longest) match at a place wins
        TreeMap<Integer, int[]> ranges = new TreeMap<>();
        Map<Integer, String> replacements = new HashMap<>();
        Matcher m = ANY.matcher(decoded.text);
        while (m.find()) {
            ranges.put(m.start(), new int[] { m.start(), m.end() });
            replacements.put(m.start(), m.group(1) + m.group(2) + "…");
        }

        for (var secret : secrets.entrySet()) {
            String value = secret.getValue();
            if (value == null || value.length() < 8) {
                continue;
            }
            for (int at = decoded.text.indexOf(value); at >= 0; at = decoded.text.indexOf(value, at + 1)) {
                int[] known = ranges.get(at);
                if (known == null || known[1] < at + value.length()) {
                    ranges.put(at, new int[] { at, at + value.length() });
                    replacements.put(at, "[" + secret.getKey() + "]");
                }
            }
        }
        if (ranges.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        for (int[] range : ranges.values()) {
            int from = decoded.start[range[0]];
            if (from < copied) {
                continue; // inside a range already replaced
            }
            out.append(text, copied, from).append(replacements.get(range[0]));
            copied = decoded.end[range[1] - 1];
        }
        return out.append(text, copied, text.length()).toString();
    }

    /**
     * Route words ("request-link", the sign-in form's "j_security_check") and numbers (ids, pages) are never secrets.
     */
    private static final Pattern URL_WORD = Pattern.compile("[a-z-]+|[0-9]+|j_security_check");

    /** How many base64url characters or percent-escapes make a piece of a URL that could be part of a secret. */
    private static final int URL_PIECE_UNITS = 8;

    /**
     * A request URI as the access log may show it: {@link #mask(String)}, and then every path segment or query value
     * that could hold part of a secret (8 or more base64url characters or escapes, other than a route word or a number)
     * cut to its first 3 characters. This catches what is left of a token broken inside its secret part (a line break,
     * space, quote or slash pasted into a link, or its prefix lost), which no prefix can find.
     * <p>
     * The pieces are found by a plain scan, in time linear in the length (a regular expression with an alternation
     * under a repeat recursed once per character and overflowed the stack on addresses of a few thousand characters).
     */
    public static String maskUrl(String uri) {
        String masked = mask(uri);
        if (masked == null) {
            return null;
        }
        StringBuilder out = null;
        int copied = 0;
        int n = masked.length();
        for (int at = 0; at < n;) {
            int end = urlPieceEnd(masked, at);
            if (end < 0) {
                at++; // as a search does: the next try starts one character further, even inside an escape
                continue;
            }
            if (!URL_WORD.matcher(masked.substring(at, end)).matches()) {
                if (out == null) {
                    out = new StringBuilder(n);
                }
                out.append(masked, copied, at).append(masked, at, at + 3).append('…');
                copied = end;
            }
            at = end;
        }
        return out == null ? masked : out.append(masked, copied, n).toString();
    }

    /**
     * The end of the longest run of base64url characters and percent-escapes ({@code %XX}) that starts at {@code from},
     * when it has at least {@value #URL_PIECE_UNITS} of them (an escape counts once); -1 otherwise.
     */
    private static int urlPieceEnd(String text, int from) {
        int n = text.length();
        int at = from;
        int units = 0;
        while (at < n) {
            char c = text.charAt(at);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
                at++;
            } else if (c == '%' && at + 2 < n && Decoded.hex(text.charAt(at + 1)) && Decoded.hex(text.charAt(at + 2))) {
                at += 3;
            } else {
                break;
            }
            units++;
        }
        return units >= URL_PIECE_UNITS ? at : -1;
    }

    /** A text percent-decoded, with the span of the original text each decoded character came from. */
    private record Decoded(String text, int[] start, int[] end) {

        static Decoded of(String original) {
            int n = original.length();
            int[] start = new int[n];
            int[] end = new int[n];
            for (int i = 0; i < n; i++) {
                start[i] = i;
                end[i] = i + 1;
            }
            Decoded d = new Decoded(original, start, end);
            for (int pass = 0; pass < DECODE_PASSES && d.text.indexOf('%') >= 0; pass++) {
                d = d.once();
            }
            return d;
        }

        /** One pass: each {@code %XX} becomes the character with that code (bytes above 127 are no token's). */
        private Decoded once() {
            StringBuilder out = new StringBuilder(text.length());
            int[] s = new int[text.length()];
            int[] e = new int[text.length()];
            int k = 0;
            for (int i = 0; i < text.length(); k++) {
                char c = text.charAt(i);
                if (c == '%' && i + 2 < text.length() && hex(text.charAt(i + 1)) && hex(text.charAt(i + 2))) {
                    out.append((char) Integer.parseInt(text, i + 1, i + 3, 16));
                    s[k] = start[i];
                    e[k] = end[i + 2];
                    i += 3;
                } else {
                    out.append(c);
                    s[k] = start[i];
                    e[k] = end[i];
                    i++;
                }
            }
            return new Decoded(out.toString(), Arrays.copyOf(s, k), Arrays.copyOf(e, k));
        }

        private static boolean hex(char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        }
    }

    /** A token of the given kind has exactly this shape; anything else is unknown without a lookup. */
    public static boolean wellFormed(String token, String prefix) {
        if (token == null || token.length() != prefix.length() + 43 || !token.startsWith(prefix)) {
            return false;
        }
        // a plain loop: every link page asks, and a stream over the characters cost as much as the token's hash
        for (int i = prefix.length(); i < token.length(); i++) {
            char c = token.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
