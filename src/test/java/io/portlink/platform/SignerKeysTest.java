package io.portlink.platform;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.LaunchMode;

/**
 * The keys behind form signatures and rebuildable tracking-link tokens: production refuses to start without a session
 * key, and a link token is the same on every replica and after a restart (so a milestone mail can carry the link the
 * customer already has), also across a session-key rotation when the link key is set.
 */
class SignerKeysTest {

    private static final String SESSION = "session-key-of-the-cluster-0123456789";
    private static final String ROTATED = "rotated-session-key-of-the-cluster-987";
    private static final String LINKS = "link-key-of-the-cluster-0123456789abcd";

    private static Signer signer(String session, String links) {
        Signer s = new Signer();
        s.sessionKey = Optional.ofNullable(session);
        s.linkKey = Optional.ofNullable(links);
        s.webhookKey = Optional.empty();
        s.init();
        return s;
    }

    @Test
    void everyKeyProblemIsNamedAtOnceAndAShortKeyIsToldItsLength() {
        assertEquals(
                List.of("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY must be at least 32 characters (it has 9)",
                        "PORTLINK_LINK_TOKEN_KEY must be at least 32 characters when set (it has 5)",
                        "PORTLINK_WEBHOOKS_SECRET_KEY must be at least 32 characters when set (it has 4)"),
                Signer.keyProblems(Optional.of("too-short"), Optional.of("short"), Optional.of("tiny"),
                        LaunchMode.NORMAL));
        assertEquals(List.of(),
                Signer.keyProblems(Optional.empty(), Optional.of("short"), Optional.empty(), LaunchMode.DEVELOPMENT));
    }

    @Test
    void productionRefusesToStartWithoutASessionKeyAndSaysWhatToSet() {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> Signer.requireKeys(Optional.empty(), Optional.empty(), Optional.empty(), LaunchMode.NORMAL));
        assertTrue(missing.getMessage().contains("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY"), missing.getMessage());
        assertThrows(IllegalStateException.class,
                () -> Signer.requireKeys(Optional.of("   "), Optional.empty(), Optional.empty(), LaunchMode.NORMAL));
        assertThrows(IllegalStateException.class, () -> Signer.requireKeys(Optional.of("too-short"), Optional.empty(),
                Optional.empty(), LaunchMode.NORMAL));
        IllegalStateException shortLink = assertThrows(IllegalStateException.class, () -> Signer
                .requireKeys(Optional.of(SESSION), Optional.of("short"), Optional.empty(), LaunchMode.NORMAL));
        assertTrue(shortLink.getMessage().contains("PORTLINK_LINK_TOKEN_KEY"), shortLink.getMessage());
        IllegalStateException shortWebhook = assertThrows(IllegalStateException.class, () -> Signer
                .requireKeys(Optional.of(SESSION), Optional.empty(), Optional.of("short"), LaunchMode.NORMAL));
        assertTrue(shortWebhook.getMessage().contains("PORTLINK_WEBHOOKS_SECRET_KEY"), shortWebhook.getMessage());
        assertDoesNotThrow(
                () -> Signer.requireKeys(Optional.of(SESSION), Optional.empty(), Optional.empty(), LaunchMode.NORMAL));
        assertDoesNotThrow(
                () -> Signer.requireKeys(Optional.empty(), Optional.empty(), Optional.empty(), LaunchMode.DEVELOPMENT));
        assertDoesNotThrow(
                () -> Signer.requireKeys(Optional.empty(), Optional.empty(), Optional.empty(), LaunchMode.TEST));
    }

    @Test
    void aLinkTokenIsTheSameOnEveryReplicaAndAfterARestart() {
        String token = signer(SESSION, null).linkToken("CUSTOMER_SHIPMENT", "seed-1");
        assertEquals(43, token.length());
        assertEquals(token, signer(SESSION, null).linkToken("CUSTOMER_SHIPMENT", "seed-1"), "another replica");
        assertNotEquals(token, signer(SESSION, null).linkToken("CUSTOMER_SHIPMENT", "seed-2"), "another seed");
        assertNotEquals(token, signer(SESSION, null).sign("link token", "CUSTOMER_SHIPMENT", "seed-1"),
                "a form signature never doubles as a link token");
    }

    @Test
    void withALinkKeyTheSessionKeyCanBeRotatedWithoutChangingLinkTokens() {
        String before = signer(SESSION, LINKS).linkToken("CUSTOMER_SHIPMENT", "seed-1");
        assertEquals(before, signer(ROTATED, LINKS).linkToken("CUSTOMER_SHIPMENT", "seed-1"));
        assertNotEquals(signer(SESSION, null).linkToken("CUSTOMER_SHIPMENT", "seed-1"),
                signer(ROTATED, null).linkToken("CUSTOMER_SHIPMENT", "seed-1"),
                "without a link key, rotating the session key changes them");
        assertNotEquals(signer(SESSION, LINKS).sign("form", "x"), signer(ROTATED, LINKS).sign("form", "x"),
                "forms follow the session key");
    }
}
