package io.portlink.staff;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.portlink.organization.Organization;
import io.portlink.platform.ValidationException;

/**
 * Staff forms whose answer shows a secret once, and so cannot answer with a redirect: a new API key, a new webhook
 * endpoint, a rotated webhook secret. Such a form carries a nonce drawn for its page (hidden field {@value #FIELD}, 22
 * characters of URL-safe Base64); what the form made is kept with the nonce (table {@code staff_form_use}), so the same
 * form posted again, by a reload of the answer or a second click, is told it was done already instead of making a
 * second key or endpoint (SECURITY.md: "double clicks and retries are idempotent").
 * <p>
 * A post without a well-formed nonce (a page drawn before this field existed, a changed form) is refused and makes
 * nothing. Templates reach a new nonce as {@code inject:onceForms.nonce}.
 */
@ApplicationScoped
@Named("onceForms")
public class OnceForms {

    /** Name of the hidden form field. */
    public static final String FIELD = "once";

    /** How long a nonce is remembered: a reload a day later makes a new key again. */
    static final Duration KEPT = Duration.ofDays(1);

    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{22}");

    /** Said of a form without its page's nonce (a page from before the field existed, or a changed one). */
    static final String STALE = "comes from an older page or was changed: reload the page and send it again;"
            + " nothing was made";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a form did: made something now, or was posted before and made {@code earlierId} then. */
    public record Made<T>(T made, Long earlierId) {

        public boolean again() {
            return earlierId != null;
        }
    }

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    /** A new nonce for a form on the page being drawn (128 random bits). */
    public String nonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Runs {@code make} once per nonce and organisation, in one transaction with the organisation's row locked (two
     * posts of the same form at once are served one after the other: the second finds the first's row).
     *
     * @param kind
     *            what the form makes ({@code api-key}, {@code webhook}, {@code rotate}), at most 16 characters; a nonce
     *            is remembered per kind
     * @param id
     *            the id of what {@code make} made, remembered with the nonce; negative when it made nothing (the nonce
     *            is then not used up)
     *
     * @return what {@code make} returned, or the id it made the first time
     *
     * @throws ValidationException
     *             naming {@code form} when the nonce is missing or malformed (a page from before the field, or a
     *             changed form): nothing is made
     * @throws RuntimeException
     *             whatever {@code make} throws (a {@code ValidationException}); nothing is remembered then, so the
     *             corrected form can be posted with the same nonce
     */
    @Transactional
    public <T> Made<T> once(long organizationId, String kind, String nonce, Supplier<T> make, ToLongFunction<T> id) {
        if (nonce == null || !NONCE.matcher(nonce).matches()) {
            // without the page's nonce nothing guards against a second key: refused, nothing made
            throw ValidationException.of("form", STALE, null);
        }
        Organization.lockForCreating(organizationId);
        Instant now = Instant.now(clock);
        // the organisation's old nonces go as it uses one: the table holds about a day of forms
        em.createNativeQuery("delete from staff_form_use where organization_id = ?1 and used_at < ?2")
                .setParameter(1, organizationId).setParameter(2, now.minus(KEPT)).executeUpdate();
        List<?> earlier = em
                .createNativeQuery("select made_id from staff_form_use where organization_id = ?1 and kind = ?2"
                        + " and nonce = ?3")
                .setParameter(1, organizationId).setParameter(2, kind).setParameter(3, nonce).getResultList();
        if (!earlier.isEmpty()) {
            return new Made<>(null, ((Number) earlier.get(0)).longValue());
        }
        T made = make.get();
        long madeId = id.applyAsLong(made);
        if (madeId < 0) {
            return new Made<>(made, null); // nothing was made (an unknown endpoint): the nonce stays unused
        }
        em.createNativeQuery("insert into staff_form_use (organization_id, nonce, kind, made_id, used_at)"
                + " values (?1, ?2, ?3, ?4, ?5)").setParameter(1, organizationId).setParameter(2, nonce)
                .setParameter(3, kind).setParameter(4, madeId).setParameter(5, now).executeUpdate();
        return new Made<>(made, null);
    }
}
