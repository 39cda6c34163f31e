package io.portlink.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Secret tokens: 256 random bits, base64url, behind a short prefix per kind so that log scrubbers and secret scanners
 * can spot them. Only their SHA-256 is ever stored.
 */
public final class Tokens {

    /** Vendor portal link. */
    public static final String VENDOR = "pv_";
    /** Customer tracking link. */
    public static final String TRACKING = "pt_";
    /** Staff invitation. */
    public static final String INVITATION = "pi_";
    /** API key. */
    public static final String API_KEY = "pk_";

    /** Anything that looks like one of our tokens, wherever it appears in a text. */
    public static final Pattern ANY = Pattern.compile("\\b(p[vtki]_)([A-Za-z0-9_-]{3})[A-Za-z0-9_-]{17,}");

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BYTES = 32;

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
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** What may be shown or logged of a token: its prefix and first three characters. */
    public static String hint(String token) {
        return token.substring(0, Math.min(token.length(), 6)) + "…";
    }

    /** Replaces every token in a text by its hint. */
    public static String mask(String text) {
        if (text == null || text.indexOf('_') < 0) {
            return text;
        }
        return ANY.matcher(text).replaceAll("$1$2…");
    }

    /** A token of the given kind has exactly this shape; anything else is unknown without a lookup. */
    public static boolean wellFormed(String token, String prefix) {
        return token != null && token.length() == prefix.length() + 43 && token.startsWith(prefix) && token.chars()
                .skip(prefix.length()).allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_');
    }
}
