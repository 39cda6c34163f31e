package io.portlink.platform;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * Server-side signatures (HMAC-SHA256, base64url, 43 characters) for values the server hands out and must recognise
 * when they come back: form tokens of staff pages and link pages. The key is derived from the session encryption key
 * ({@code quarkus.http.auth.session.encryption-key}), so every replica that shares sessions also shares signatures.
 * Production refuses to start without one of at least {@value #MIN_KEY_LENGTH} characters: a random key per start would
 * refuse every form from before a restart and make tracking links impossible to rebuild for milestone mails. Dev and
 * test fall back to a random key per start.
 *
 * <p>
 * Rebuildable link tokens ({@link #linkToken}) have a key of their own: {@code portlink.link.token-key} when set, so
 * the session key can be rotated without breaking the tracking links already sent; else one derived from the session
 * key.
 *
 * <p>
 * Each signature names its purpose, so a value signed for one use is never valid for another.
 */
@ApplicationScoped
public class Signer {

    private static final Logger LOG = Logger.getLogger(Signer.class);
    private static final String ALGORITHM = "HmacSHA256";

    /** The shortest session or link key production accepts (characters). */
    public static final int MIN_KEY_LENGTH = 32;

    @ConfigProperty(name = "quarkus.http.auth.session.encryption-key")
    Optional<String> sessionKey;

    @ConfigProperty(name = "portlink.link.token-key")
    Optional<String> linkKey;

    @ConfigProperty(name = "portlink.webhooks.secret-key")
    Optional<String> webhookKey;

    private SecretKeySpec key;
    private SecretKeySpec linkTokenKey;
    private SecretKeySpec webhookSecretKey;

    @PostConstruct
    void init() {
        requireKeys(sessionKey, linkKey, webhookKey, LaunchMode.current());
        byte[] root;
        if (present(sessionKey)) {
            root = sessionKey.get().getBytes(StandardCharsets.UTF_8);
        } else {
            root = new byte[32];
            new SecureRandom().nextBytes(root);
            LOG.warn("quarkus.http.auth.session.encryption-key is not set: forms are signed with a key of this start"
                    + " only, and every replica refuses the others' forms");
        }
        SecretKeySpec rootKey = new SecretKeySpec(root, ALGORITHM);
        // a key of its own, so a form signature never doubles as anything the session key protects
        key = new SecretKeySpec(hmac(rootKey, "portlink form signing"), ALGORITHM);
        linkTokenKey = new SecretKeySpec(
                present(linkKey) ? hmac(new SecretKeySpec(linkKey.get().getBytes(StandardCharsets.UTF_8), ALGORITHM),
                        "portlink link tokens") : hmac(rootKey, "portlink link tokens"),
                ALGORITHM);
        webhookSecretKey = new SecretKeySpec(present(webhookKey)
                ? hmac(new SecretKeySpec(webhookKey.get().getBytes(StandardCharsets.UTF_8), ALGORITHM),
                        "portlink webhook secrets")
                : hmac(rootKey, "portlink webhook secrets"), ALGORITHM);
    }

    /**
     * Built at start (after {@link ProductionSettings} checked its keys), so its key is ready for the first request.
     */
    void onStart(@Observes StartupEvent event) {
        // the observer alone makes the container build the bean (and run init) during start
    }

    /**
     * Refuses to run in production (the packaged application) without a session encryption key of at least
     * {@value #MIN_KEY_LENGTH} characters, or with a link or webhook key shorter than that. Checked first at start by
     * {@link ProductionSettings}, and again when this bean is built.
     *
     * @throws IllegalStateException
     *             naming the environment variable to set
     */
    static void requireKeys(Optional<String> sessionKey, Optional<String> linkKey, Optional<String> webhookKey,
            LaunchMode mode) {
        List<String> problems = keyProblems(sessionKey, linkKey, webhookKey, mode);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
    }

    /**
     * Every problem of the three keys, one sentence each naming its environment variable: all of them at once, so an
     * operator mends them in one go. Empty outside production.
     */
    static List<String> keyProblems(Optional<String> sessionKey, Optional<String> linkKey, Optional<String> webhookKey,
            LaunchMode mode) {
        List<String> problems = new ArrayList<>();
        if (mode != LaunchMode.NORMAL) {
            return problems;
        }
        if (!present(sessionKey)) {
            problems.add("Set QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY (at least " + MIN_KEY_LENGTH
                    + " characters, the same on every replica): it signs staff sessions, forms and the tracking"
                    + " links that milestone mails carry");
        } else if (sessionKey.get().length() < MIN_KEY_LENGTH) {
            problems.add("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY must be at least " + MIN_KEY_LENGTH
                    + " characters (it has " + sessionKey.get().length() + ")");
        }
        if (present(linkKey) && linkKey.get().length() < MIN_KEY_LENGTH) {
            problems.add("PORTLINK_LINK_TOKEN_KEY must be at least " + MIN_KEY_LENGTH + " characters when set (it has "
                    + linkKey.get().length() + ")");
        }
        if (present(webhookKey) && webhookKey.get().length() < MIN_KEY_LENGTH) {
            problems.add("PORTLINK_WEBHOOKS_SECRET_KEY must be at least " + MIN_KEY_LENGTH
                    + " characters when set (it has " + webhookKey.get().length() + ")");
        }
        return problems;
    }

    private static boolean present(Optional<String> value) {
        return value.isPresent() && !value.get().isBlank();
    }

    /**
     * A link token's body for {@code parts} (43 base64url characters), under the link key: the same on every replica
     * and across restarts, and unchanged when the session key is rotated while {@code portlink.link.token-key} is set.
     */
    public String linkToken(Object... parts) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(linkTokenKey, joined("link token", parts)));
    }

    /**
     * A webhook endpoint's signing secret body for {@code parts} (43 base64url characters), under the webhook key
     * ({@code portlink.webhooks.secret-key}, else derived from the session key): the same on every replica and across
     * restarts, so the server can sign with a secret it never stores.
     */
    public String webhookSecret(Object... parts) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(hmac(webhookSecretKey, joined("webhook secret", parts)));
    }

    /** The signature of {@code parts} for {@code purpose}: 43 base64url characters. */
    public String sign(String purpose, Object... parts) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, joined(purpose, parts)));
    }

    private static String joined(String purpose, Object... parts) {
        StringBuilder text = new StringBuilder(purpose);
        for (Object part : parts) {
            // NUL never occurs in any part we sign, so the joined text is unambiguous
            text.append('\0').append(part);
        }
        return text.toString();
    }

    /** Whether {@code signature} is this server's signature of {@code parts} for {@code purpose} (constant time). */
    public boolean verify(String signature, String purpose, Object... parts) {
        if (signature == null || signature.length() != 43) {
            return false;
        }
        return MessageDigest.isEqual(signature.getBytes(StandardCharsets.US_ASCII),
                sign(purpose, parts).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The HMAC-SHA256 of {@code text} under {@code key}. Every page signs several nonces, and looking a {@link Mac} up
     * and keying it costs more than the HMAC itself: each thread keeps one keyed instance per key (the keys are the few
     * fields above), which {@code doFinal} leaves ready for the next text.
     */
    private static byte[] hmac(SecretKeySpec key, String text) {
        try {
            Map<SecretKeySpec, Mac> macs = MACS.get();
            Mac mac = macs.get(key);
            if (mac == null) {
                mac = Mac.getInstance(ALGORITHM);
                mac.init(key);
                if (macs.size() < MACS_PER_THREAD) { // a key made on the fly is not kept (the map stays small)
                    macs.put(key, mac);
                }
            }
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
        }
    }

    /** Most keyed instances one thread keeps (the signer's own keys are three). */
    private static final int MACS_PER_THREAD = 8;

    /** Keyed instances by key (identity: the signer's keys are long-lived objects), per thread. */
    private static final ThreadLocal<Map<SecretKeySpec, Mac>> MACS = ThreadLocal
            .withInitial(java.util.IdentityHashMap::new);
}
