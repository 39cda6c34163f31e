package io.portlink.organization;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a new staff password must be, after NIST SP 800-63B (5.1.1.2): at least {@value #MIN_LENGTH} characters, up to
 * {@value #MAX_LENGTH} of any kind (spaces and every script included), no composition rules, and not one that attackers
 * try first: a commonly used or breached password (30,000 of them, the frequency list that zxcvbn4j ships), the same
 * with digits or symbols added, a repetition or sequence, or one built from the user's e-mail address or the
 * organisation's name.
 */
public final class PasswordPolicy {

    public static final int MIN_LENGTH = 10;
    public static final int MAX_LENGTH = 256;

    /** zxcvbn's list of the most used passwords from breaches, most frequent first, lower-case. */
    static final String COMMON_LIST = "com/nulabinc/zxcvbn/matchers/dictionaries/passwords.txt";
    private static final Set<String> COMMON = load(COMMON_LIST);
    /**
     * A remainder shorter than this, once the e-mail's and organisation's words are taken out, is "built from" them.
     */
    private static final int MIN_OWN_PART = 6;

    private PasswordPolicy() {
    }

    /** How many common passwords are refused (a test checks the list travels with the application). */
    static int commonPasswords() {
        return COMMON.size();
    }

    /**
     * What is wrong with this new password, said so that the person can fix it; empty when it may be used. The e-mail
     * and the organisation's name may be null.
     */
    public static Optional<String> problem(String password, String email, String organizationName) {
        String normalized = password == null ? "" : Normalizer.normalize(password, Normalizer.Form.NFKC);
        int length = normalized.codePointCount(0, normalized.length());
        if (length < MIN_LENGTH) {
            return Optional.of("must be at least " + MIN_LENGTH
                    + " characters long; a few unrelated words with spaces between them are easy to remember");
        }
        if (length > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters long");
        }
        String lower = normalized.toLowerCase(Locale.ROOT);
        if (repetitive(lower.replaceAll("\\s+", ""))) {
            return Optional.of("repeats itself (like aaaa or abcabc), which attackers try first; choose one that does"
                    + " not repeat");
        }
        if (sequence(lower.replaceAll("\\s+", ""))) {
            return Optional.of("is a sequence (like abcd or 1234), which attackers try first; choose another");
        }
        if (common(lower)) {
            return Optional.of("is one of the most commonly used passwords, which attackers try first; choose another"
                    + " (a few unrelated words are easy to remember and hard to guess)");
        }
        String core = lower.replaceAll("^[^\\p{L}]+|[^\\p{L}]+$", "");
        if (!core.isEmpty() && !core.equals(lower) && common(core)) {
            return Optional.of("is a commonly used password with digits or symbols added, which attackers try first;"
                    + " choose another");
        }
        if (builtFrom(squeeze(lower), contextWords(email, organizationName))) {
            return Optional.of("is built from the e-mail address or the organisation's name, which attackers try"
                    + " first; choose one that has nothing to do with them");
        }
        return Optional.empty();
    }

    private static boolean common(String lower) {
        return COMMON.contains(lower) || COMMON.contains(lower.replaceAll("\\s+", ""));
    }

    /** Few different characters, or one part repeated: {@code aaaaaaaaaa}, {@code abababab}, {@code passpass}. */
    static boolean repetitive(String s) {
        if (s.codePoints().distinct().count() < 4) {
            return true;
        }
        int n = s.length();
        for (int period = 1; period <= n / 2; period++) {
            if (n % period == 0 && s.substring(0, period).repeat(n / period).equals(s)) {
                return true;
            }
        }
        return false;
    }

    /** Each character the next of the one before (or each the previous): {@code abcdefghij}, {@code 9876543210}. */
    static boolean sequence(String s) {
        int[] cps = s.codePoints().toArray();
        if (cps.length < 3) {
            return false;
        }
        int step = cps[1] - cps[0];
        if (step != 1 && step != -1) {
            return false;
        }
        for (int i = 2; i < cps.length; i++) {
            if (cps[i] - cps[i - 1] != step) {
                return false;
            }
        }
        return true;
    }

    /** Letters and digits only, lower-case: {@code Acme-Trading 2024} → {@code acmetrading2024}. */
    private static String squeeze(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", "");
    }

    /** The words a guesser tries first for this account: the address, its parts, the organisation and the service. */
    private static List<String> contextWords(String email, String organizationName) {
        Set<String> words = new HashSet<>();
        words.add("portlink");
        if (email != null && !email.isBlank()) {
            String address = email.strip().toLowerCase(Locale.ROOT);
            words.add(squeeze(address));
            int at = address.lastIndexOf('@');
            String local = at < 0 ? address : address.substring(0, at);
            words.add(squeeze(local));
            parts(local, words);
            if (at >= 0) {
                String domain = address.substring(at + 1);
                words.add(squeeze(domain));
                String[] labels = domain.split("\\.");
                // every label but the top-level one (example.co.uk: "example", "co")
                for (int i = 0; i < labels.length - 1; i++) {
                    parts(labels[i], words);
                }
            }
        }
        if (organizationName != null && !organizationName.isBlank()) {
            words.add(squeeze(organizationName));
            parts(organizationName, words);
        }
        List<String> sorted = new ArrayList<>(words);
        sorted.removeIf(w -> w.length() < 3);
        // longest first, so "acmetrading" goes before "acme"
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return sorted;
    }

    private static void parts(String text, Set<String> words) {
        for (String part : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            words.add(part);
        }
    }

    /**
     * Whether the password, with every context word taken out, leaves too little of its own: less than
     * {@value #MIN_OWN_PART} characters, or a common password, a repetition or a sequence ({@code acme2024},
     * {@code jane.doe@example.com}, {@code janepassword1}).
     */
    private static boolean builtFrom(String squeezed, List<String> context) {
        String rest = squeezed;
        for (String word : context) {
            rest = rest.replace(word, "");
        }
        if (rest.equals(squeezed)) {
            return false;
        }
        return rest.length() < MIN_OWN_PART || COMMON.contains(rest) || repetitive(rest) || sequence(rest);
    }

    private static Set<String> load(String resource) {
        Set<String> words = new HashSet<>(40_000);
        try (InputStream in = PasswordPolicy.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the common password list " + resource + " is not on the class path");
            }
            var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null;) {
                String word = line.strip().toLowerCase(Locale.ROOT);
                if (!word.isEmpty()) {
                    words.add(word);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(words);
    }
}
