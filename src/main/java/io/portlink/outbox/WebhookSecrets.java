package io.portlink.outbox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.portlink.platform.Signer;
import io.portlink.platform.Tokens;

/**
 * Webhook signing secrets and signatures.
 *
 * <p>
 * The server must sign with an endpoint's secret, so unlike a token the secret cannot be stored as a hash; storing it
 * as it is would put every secret in every database dump and backup. Instead an endpoint stores a random seed (256
 * bits) and the secret is {@code whsec_} + HMAC-SHA256(webhook key, seed) ({@link Signer#webhookSecret}), with the
 * webhook key from configuration ({@code portlink.webhooks.secret-key}, else derived from the session encryption key):
 * the database alone does not give the secrets away, every replica derives the same one, and rotating replaces the
 * seed. Like a token it is shown to staff once (at creation and on rotation) and never logged: logs mask the
 * {@code whsec_} prefix like every token's.
 *
 * <p>
 * A delivery is signed as {@code v1=} + lower-case hex HMAC-SHA256, keyed with the whole secret string (UTF-8, prefix
 * included), over {@code timestamp + "." + body}: the Unix time in seconds as sent in
 * {@code Portlink-Webhook-Timestamp}, a dot, and the exact bytes of the body.
 */
@ApplicationScoped
public class WebhookSecrets {

    /** The signature scheme's version, written before the signature. */
    public static final String VERSION = "v1";

    @Inject
    Signer signer;

    /** A new random seed: 256 bits, 43 base64url characters. */
    static String newSeed() {
        return Tokens.generate("");
    }

    /** The endpoint's secret as staff see it once and receivers keep it: {@code whsec_} and 43 base64url characters. */
    String secret(WebhookEndpoint endpoint) {
        return secret(endpoint.id, endpoint.secretSeed);
    }

    String secret(long endpointId, String seed) {
        return Tokens.WEBHOOK_SECRET + signer.webhookSecret(endpointId, seed);
    }

    /** What may be shown of a secret: {@code whsec_} and its first four characters. */
    static String hint(String secret) {
        return secret.substring(0, Tokens.WEBHOOK_SECRET.length() + 4) + "…";
    }

    /**
     * The {@code Portlink-Webhook-Signature} header's value for a body sent at {@code timestamp} (Unix seconds):
     * {@code v1=} and 64 lower-case hex digits.
     */
    public static String signature(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return VERSION + "=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
        }
    }
}
