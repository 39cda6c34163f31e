package io.portlink.platform;

import java.util.regex.Pattern;

/**
 * What a log line may show of an e-mail address: its first character and its domain ({@code j…@example.com}), enough to
 * tell a typo in the domain from a refusing mailbox, too little to be a person's contact data that an erasure could not
 * reach (logs are kept outside the database).
 */
public final class Addresses {

    /** The local part of an address inside free text (an SMTP server's answer, an exception's message). */
    private static final Pattern IN_TEXT = Pattern.compile("([^\\s<>@\"'(),;:\\[\\]])[^\\s<>@\"'(),;:\\[\\]]*@");

    private Addresses() {
    }

    /** {@code email} as a log may show it: {@code j…@example.com}; "(none)" for null or empty. */
    public static String mask(String email) {
        if (email == null || email.isEmpty()) {
            return "(none)";
        }
        int at = email.lastIndexOf('@');
        if (at < 1) {
            return email.charAt(0) + "…";
        }
        return email.charAt(0) + "…" + email.substring(at);
    }

    /** {@code text} (may be null) with every e-mail address in it masked as {@link #mask} does. */
    public static String maskAll(String text) {
        return text == null ? null : IN_TEXT.matcher(text).replaceAll("$1…@");
    }
}
