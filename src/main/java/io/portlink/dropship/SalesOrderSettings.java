package io.portlink.dropship;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.portlink.platform.Signer;
import io.portlink.platform.Tokens;

/**
 * The merchant's sales-order settings, kept in its {@code dropship_settings} row (created here when missing): the
 * automatic routing rule ({@code auto_route}, V45) and the sales channel's inbound webhook secret.
 *
 * <p>
 * <b>How the channel signs.</b> Headers {@code X-Portlink-Timestamp} (Unix seconds) and {@code X-Portlink-Signature}
 * ({@code sha256=} and the lower-case hex HMAC-SHA256 of {@code <timestamp>.<raw body>}), keyed with the secret's ASCII
 * bytes. The secret is {@code ps_} and {@link Signer#webhookSecret} of the merchant and a random seed: only the seed is
 * stored ({@code inbound_secret_seed}, V47), so reading the database is not enough to sign an order; the server
 * rebuilds the secret with its key. A timestamp more than {@link #REPLAY_WINDOW} away from the service's clock is
 * refused; within the window a replayed request can only repeat an order the service already has (orders are idempotent
 * by reference), so it changes nothing.
 */
@ApplicationScoped
public class SalesOrderSettings {

    /** How far a signed request's timestamp may be from now, either way. */
    public static final Duration REPLAY_WINDOW = Duration.ofMinutes(5);

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    Signer signer;

    /** What the settings page shows: the rule, and whether a secret exists (never the secret). */
    public record View(boolean autoRoute, boolean hasSecret) {
    }

    /** Why a signed request was refused, in words for the channel's operator. */
    public enum Refusal {
        UNSIGNED("the request needs the headers X-Portlink-Timestamp (Unix seconds, digits only) and"
                + " X-Portlink-Signature (sha256=<hex>)"),
        /** The timestamp header is there, but not Unix seconds (milliseconds, a date, a sign). */
        TIMESTAMP_FORM("X-Portlink-Timestamp must be the Unix time in seconds, digits only (such as 1764950400);"
                + " a value of 13 digits or more is milliseconds"),
        /** The signature header is there, but not {@code sha256=} and 64 hex digits. */
        SIGNATURE_FORM("X-Portlink-Signature must be sha256= followed by the 64 hex digits of the HMAC-SHA256 of"
                + " \"<timestamp>.<body>\""),
        NO_SECRET("this merchant has no sales channel secret yet: create one under Sales orders › Settings"),
        STALE("the timestamp is more than " + REPLAY_WINDOW.toMinutes()
                + " minutes away from the service's clock: a replayed or delayed request"),
        BAD_SIGNATURE("the signature does not match the body and timestamp under this merchant's secret");

        public final String detail;

        Refusal(String detail) {
            this.detail = detail;
        }
    }

    /** The merchant's settings (the defaults when it has no row yet). */
    @Transactional
    public View view(long organizationId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em
                .createNativeQuery(
                        "select auto_route, inbound_secret_seed from dropship_settings where organization_id = ?1")
                .setParameter(1, organizationId).getResultList();
        if (rows.isEmpty()) {
            return new View(false, false);
        }
        return new View(Boolean.TRUE.equals(rows.get(0)[0]), rows.get(0)[1] != null);
    }

    /** Whether new orders of the merchant are routed as they arrive. */
    public boolean autoRoute(long organizationId) {
        return view(organizationId).autoRoute();
    }

    /** Turns the automatic routing rule on or off. */
    @Transactional
    public void setAutoRoute(long organizationId, boolean on) {
        ensureRow(organizationId);
        em.createNativeQuery(
                "update dropship_settings set auto_route = ?1, version = version + 1 where organization_id = ?2")
                .setParameter(1, on).setParameter(2, organizationId).executeUpdate();
    }

    /**
     * A new inbound webhook secret ({@code ps_} and 43 characters); the previous one stops working at once. The secret
     * is returned once; only its random seed is stored.
     */
    @Transactional
    public String rotateSecret(long organizationId) {
        ensureRow(organizationId);
        String seed = Tokens.generate("");
        em.createNativeQuery("update dropship_settings set inbound_secret_seed = ?1, version = version + 1"
                + " where organization_id = ?2").setParameter(1, seed).setParameter(2, organizationId).executeUpdate();
        return secret(organizationId, seed);
    }

    private String secret(long organizationId, String seed) {
        return Tokens.SALES_CHANNEL + signer.webhookSecret("sales channel", organizationId, seed);
    }

    /**
     * Checks a request of the merchant's sales channel (see the class comment); empty when it is genuine and fresh. The
     * headers' form and the timestamp are checked before the merchant is looked up, so that no answer tells an
     * organisation with a secret from one without, or from none ({@link Refusal#NO_SECRET} for both); a merchant whose
     * organisation is locked has no working secret (SECURITY.md: a lockdown holds from the next request).
     */
    @Transactional
    public Optional<Refusal> verify(long organizationId, String timestamp, String signature, byte[] body) {
        if (timestamp == null || signature == null || timestamp.isBlank() || signature.isBlank()) {
            return Optional.of(Refusal.UNSIGNED);
        }
        if (!timestamp.strip().matches("[0-9]{1,12}")) {
            return Optional.of(Refusal.TIMESTAMP_FORM);
        }
        // the prefix and the hex in either case (the hex is compared in lower case)
        if (!signature.strip().toLowerCase(java.util.Locale.ROOT).matches("sha256=[0-9a-f]{64}")) {
            return Optional.of(Refusal.SIGNATURE_FORM);
        }
        long seconds = Long.parseLong(timestamp.strip());
        if (Duration.between(Instant.ofEpochSecond(seconds), Instant.now(clock)).abs().compareTo(REPLAY_WINDOW) > 0) {
            return Optional.of(Refusal.STALE);
        }
        @SuppressWarnings("unchecked")
        List<String> seeds = em.createNativeQuery("select s.inbound_secret_seed from dropship_settings s"
                + " join organization o on o.id = s.organization_id where s.organization_id = ?1 and o.status = 'ACTIVE'")
                .setParameter(1, organizationId).getResultList();
        String seed = seeds.isEmpty() ? null : seeds.get(0);
        if (seed == null) {
            return Optional.of(Refusal.NO_SECRET);
        }
        String expected = "sha256=" + sign(secret(organizationId, seed), timestamp.strip(), body);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signature.strip().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))
                        ? Optional.empty() : Optional.of(Refusal.BAD_SIGNATURE);
    }

    /**
     * The lower-case hex HMAC-SHA256 of {@code <timestamp>.<body>} keyed with the secret's ASCII bytes: what a channel
     * sends after {@code sha256=}.
     */
    public static String sign(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
        }
    }

    /**
     * Creates the merchant's settings row with its defaults when it has none (a second caller at the same moment finds
     * the first's row: the insert is guarded by the primary key and retried as a no-op).
     */
    void ensureRow(long organizationId) {
        Number found = (Number) em
                .createNativeQuery("select count(*) from dropship_settings where organization_id = ?1")
                .setParameter(1, organizationId).getSingleResult();
        if (found.intValue() == 0) {
            // serialises with another first save of the same merchant: the organisation row is the lock
            em.createNativeQuery("select id from organization where id = ?1 for update").setParameter(1, organizationId)
                    .getResultList();
            // due now, as the sync's own first row is: a row without a time would never be taken by the scheduler
            em.createNativeQuery("insert into dropship_settings (organization_id, next_sync_at)"
                    + " select ?1, cast(?3 as timestamp with time zone) where not exists"
                    + " (select 1 from dropship_settings where organization_id = ?2)").setParameter(1, organizationId)
                    .setParameter(2, organizationId).setParameter(3, java.time.Instant.now(clock)).executeUpdate();
        }
    }
}
