package io.portlink.platform;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Server-side signatures (HMAC-SHA256, base64url, 43 characters) for values the server hands out and must recognise
 * when they come back: form tokens of staff pages and link pages. The key is derived from the session encryption key
 * ({@code quarkus.http.auth.session.encryption-key}), so every replica that shares sessions also shares signatures;
 * without one, a random key per start is used (and forms from before a restart are refused).
 *
 * <p>
 * Each signature names its purpose, so a value signed for one use is never valid for another.
 */
@ApplicationScoped
public class Signer {

    private static final Logger LOG = Logger.getLogger(Signer.class);
    private static final String ALGORITHM = "HmacSHA256";

    @ConfigProperty(name = "quarkus.http.auth.session.encryption-key")
    Optional<String> sessionKey;

    private SecretKeySpec key;

    @PostConstruct
    void init() {
        byte[] root;
        if (sessionKey.isPresent() && !sessionKey.get().isBlank()) {
            root = sessionKey.get().getBytes(StandardCharsets.UTF_8);
        } else {
            root = new byte[32];
            new SecureRandom().nextBytes(root);
            LOG.warn("quarkus.http.auth.session.encryption-key is not set: forms are signed with a key of this start"
                    + " only, and every replica refuses the others' forms");
        }
        // a key of its own, so a form signature never doubles as anything the session key protects
        key = new SecretKeySpec(hmac(new SecretKeySpec(root, ALGORITHM), "portlink form signing"), ALGORITHM);
    }

    /** The signature of {@code parts} for {@code purpose}: 43 base64url characters. */
    public String sign(String purpose, Object... parts) {
        StringBuilder text = new StringBuilder(purpose);
        for (Object part : parts) {
            // NUL never occurs in any part we sign, so the joined text is unambiguous
            text.append('\0').append(part);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, text.toString()));
    }

    /** Whether {@code signature} is this server's signature of {@code parts} for {@code purpose} (constant time). */
    public boolean verify(String signature, String purpose, Object... parts) {
        if (signature == null || signature.length() != 43) {
            return false;
        }
        return MessageDigest.isEqual(signature.getBytes(StandardCharsets.US_ASCII),
                sign(purpose, parts).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] hmac(SecretKeySpec key, String text) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
        }
    }
}
