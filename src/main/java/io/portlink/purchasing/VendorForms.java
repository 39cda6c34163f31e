package io.portlink.purchasing;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.portlink.platform.Signer;

/**
 * The nonces of vendor forms. Every form of a rendered link page gets its own:
 * {@code <issued>.<random>.<signature>.<revision>}, where the signature ({@link Signer}) covers the link, the order,
 * the form's action, the issue time (epoch seconds of the injected clock), 96 random bits and the order's revision the
 * page showed (base 36). So a nonce works only on the form it was drawn for, of that link and that order, for
 * {@link #LIFE}, and tells which revision the vendor saw (a form drawn before an amendment is "changed meanwhile", see
 * {@link VendorDesk#act}); nothing is stored until it is used, and then only its signature (in
 * {@link PortalSubmission}), which makes the same form posted twice "already saved".
 */
@ApplicationScoped
public class VendorForms {

    /**
     * How long a drawn form may be sent: vendors leave a tab open overnight or over a weekend day. An older form gets
     * its page drawn again, with nothing changed.
     */
    public static final Duration LIFE = Duration.ofHours(48);

    /** Replicas' clocks differ a little: a form issued "in the future" by this much still counts. */
    static final Duration SKEW = Duration.ofMinutes(5);

    private static final String PURPOSE = "vendor form";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    Signer signer;

    @Inject
    Clock clock;

    /** What a posted nonce is. */
    public enum Verdict {
        /** Drawn by this server for this form, of this link and order, within its life. */
        VALID,
        /** Drawn for this form, but longer ago than {@link #LIFE}. */
        EXPIRED,
        /** Missing, malformed, never issued, or issued for another form, link or order. */
        REFUSED
    }

    /**
     * A checked nonce; {@code key} (its signature, 43 characters) names the form once it is used; {@code revision} is
     * the order's revision on the page it was drawn for (0 when REFUSED).
     */
    public record Checked(Verdict verdict, String key, int revision) {
    }

    /**
     * A fresh nonce for one form ({@code action}: the form's action name) of one page of one link, showing the order at
     * {@code revision} (0 for a form about no order).
     */
    public String issue(long linkId, long orderId, int revision, String action) {
        return issue(linkId, orderId, revision, List.of(action)).get(action);
    }

    /**
     * The nonces of a page's forms, by action name, in the order given. They share the issue time and the random part,
     * one draw a page rather than one a form: each is still its own, since the signature covers the form's action, and
     * the signature is what names a used form. Each is signed when first read: a page shows a few of its forms, and
     * signing them all cost 3.6 % of the vendor page's CPU (measured). The map is the page's own, read by one thread;
     * it holds exactly {@code actions}.
     */
    public Map<String, String> issue(long linkId, long orderId, int revision, List<String> actions) {
        long issued = Instant.now(clock).getEpochSecond();
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        String random = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String prefix = Long.toString(issued, 36) + "." + random + ".";
        String suffix = "." + Integer.toString(revision, 36);
        return new Nonces(actions,
                action -> prefix + signer.sign(PURPOSE, linkId, orderId, action, issued, random, revision) + suffix);
    }

    /** A page's nonces by action, each made by {@code sign} when first read, then kept. */
    private static final class Nonces extends java.util.AbstractMap<String, String> {
        private final List<String> actions;
        private final java.util.function.Function<String, String> sign;
        private final Map<String, String> signed = new java.util.HashMap<>();

        Nonces(List<String> actions, java.util.function.Function<String, String> sign) {
            this.actions = actions;
            this.sign = sign;
        }

        @Override
        public String get(Object action) {
            return action instanceof String a && actions.contains(a) ? signed.computeIfAbsent(a, sign) : null;
        }

        @Override
        public boolean containsKey(Object action) {
            return actions.contains(action);
        }

        @Override
        public int size() {
            return actions.size();
        }

        @Override
        public Set<Entry<String, String>> entrySet() {
            Map<String, String> all = new LinkedHashMap<>();
            for (String action : actions) {
                all.put(action, get(action));
            }
            return java.util.Collections.unmodifiableMap(all).entrySet();
        }
    }

    /** Checks a posted nonce against the form it was posted to (constant time on the signature). */
    public Checked check(String nonce, long linkId, long orderId, String action) {
        String[] parts = nonce == null || nonce.length() > 100 ? new String[0] : nonce.split("\\.", -1);
        if (parts.length != 4 || parts[1].length() != 16 || parts[3].isEmpty() || parts[3].length() > 6) {
            return new Checked(Verdict.REFUSED, null, 0);
        }
        long issued;
        int revision;
        try {
            issued = Long.parseLong(parts[0], 36);
            revision = Integer.parseInt(parts[3], 36);
        } catch (NumberFormatException e) {
            return new Checked(Verdict.REFUSED, null, 0);
        }
        if (revision < 0 || !signer.verify(parts[2], PURPOSE, linkId, orderId, action, issued, parts[1], revision)) {
            return new Checked(Verdict.REFUSED, null, 0);
        }
        Instant at = Instant.ofEpochSecond(issued);
        Instant now = Instant.now(clock);
        if (at.isAfter(now.plus(SKEW))) {
            return new Checked(Verdict.REFUSED, null, 0); // signed by us, yet not issued yet: a clock far off; never
                                                          // valid
        }
        return new Checked(at.plus(LIFE).isBefore(now) ? Verdict.EXPIRED : Verdict.VALID, parts[2], revision);
    }
}
