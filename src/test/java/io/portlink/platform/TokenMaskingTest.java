package io.portlink.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 8, kind 6: tokens never reach a log, in any spelling. Property-style: many random tokens of every kind, each
 * spelled as a URL may carry it (random characters percent-encoded, escapes in random case, sometimes encoded twice, a
 * '+' slipped in), go through {@link Tokens#mask}, through the access log as request paths and query strings, and
 * through the log filter as application log lines; then no 8-character run of any token's secret part may be found in
 * the log file, read as it is or percent-decoded.
 */
@QuarkusTest
class TokenMaskingTest {

    static final Path LOG = Path.of("target/portlink-test.log");
    /** The operator token of the test profile (application.properties): a configured secret without a prefix. */
    static final String OPERATOR_TOKEN = "test-operator-token-0123456789";

    /** One spelling of a text: each character percent-encoded with probability {@code p}, escapes in random case. */
    static String spell(String token, Random random, double p) {
        StringBuilder out = new StringBuilder();
        // now and then a '+' slipped in after the prefix (as a form encodes a space, or a hand adds one)
        int prefix = token.indexOf('_') + 1;
        int plusBefore = random.nextInt(8) == 0 ? prefix + random.nextInt(token.length() - prefix) : -1;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (i == plusBefore) {
                out.append('+');
            }
            if (random.nextDouble() < p) {
                String hex = String.format("%02X", (int) c);
                hex = random.nextBoolean() ? hex : hex.toLowerCase();
                // now and then encoded twice, as a proxy that encodes the '%' again would
                out.append(random.nextInt(10) == 0 ? "%25" + hex : "%" + hex);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The secret part of a token: what follows its prefix. */
    static String secret(String token) {
        return token.substring(token.indexOf('_') + 1);
    }

    /** Every 8-character run of the secret found in the text, read as it is or decoded (up to three times). */
    static List<String> leaks(String text, String secret) {
        List<String> readings = new ArrayList<>(List.of(text));
        String decoded = text;
        for (int i = 0; i < 3; i++) {
            try {
                decoded = URLDecoder.decode(decoded.replace("+", "%2B"), StandardCharsets.ISO_8859_1);
            } catch (IllegalArgumentException e) {
                break;
            }
            readings.add(decoded);
        }
        List<String> found = new ArrayList<>();
        for (int i = 0; i + 8 <= secret.length(); i++) {
            String run = secret.substring(i, i + 8);
            if (readings.stream().anyMatch(r -> r.contains(run))) {
                found.add(run);
            }
        }
        return found;
    }

    @Test
    void everyKindInEverySpellingIsMaskedByTokensMask() {
        Random random = new Random(8);
        for (int i = 0; i < 10_000; i++) {
            String token = Tokens.generate(Tokens.PREFIXES.get(i % Tokens.PREFIXES.size()));
            String spelled = spell(token, random, random.nextDouble());
            String masked = Tokens.mask("GET /v/" + spelled + "?again=" + spelled + " done");
            assertTrue(leaks(masked, secret(token)).isEmpty(), () -> spelled + " became " + masked);
            assertTrue(masked.endsWith(" done"), "the text after the token stays: " + masked);
        }
        // the examples of the issue, one by one
        String token = "pv_abcDEF0123456789-_ghijklmnopqrstuvwxyzABCDEFG";
        for (String spelled : List.of("pv_abcDEF0123456789%2D_ghijklmnopqrstuvwxyzABCDEFG",
                "pv%5Fabc" + token.substring(6), "pv%5fabc" + token.substring(6), "%70%76%5F" + token.substring(3),
                token.replace("-", "%2D").replace("_g", "%5Fg"), token.replace("-", "%2d"),
                token.substring(0, 20) + "+" + token.substring(20), "PV_" + token.substring(3))) {
            assertTrue(leaks(Tokens.mask("/v/" + spelled), secret(token)).isEmpty(), spelled);
        }
        assertEquals("/v/pv_abc…/orders", Tokens.mask("/v/" + token + "/orders"));
        assertEquals("/v/pv_abc…", Tokens.mask("/v/pv%5Fabc" + token.substring(6)));
        // words that only look like a prefix stay
        assertEquals("pk_id and upv_abcdefghijklmnopqrstuvwxyz",
                Tokens.mask("pk_id and upv_abcdefghijklmnopqrstuvwxyz"));
    }

    @Test
    void generatedSpellingsReachNoLogLineThroughTheAccessLogOrTheLogFilter() throws Exception {
        Random random = new Random(86);
        List<String> tokens = new ArrayList<>();
        Logger log = Logger.getLogger(TokenMaskingTest.class);
        for (int i = 0; i < 150; i++) {
            String token = Tokens.generate(Tokens.PREFIXES.get(i % Tokens.PREFIXES.size()));
            tokens.add(token);
            String spelled = spell(token, random, 0.05 + random.nextDouble() * 0.5);
            String place = switch (i % 3) {
            case 0 -> "/v/" + spelled + "/orders";
            case 1 -> "/app/invite/" + spelled;
            default -> "/favicon.ico?token=" + spelled;
            };
            // no encoding by the client: the address goes out spelled exactly so
            given().urlEncodingEnabled(false).redirects().follow(false).get(place);
            log.infof("a line that carries %s inside", spelled);
            log.info("a line with the token itself " + token + " and " + spelled);
            log.warn("failure", new IllegalStateException("token " + spelled + " refused"));
        }
        // a configured secret that has no prefix is masked by its value, however it is spelled
        given().urlEncodingEnabled(false).get("/favicon.ico?operator=" + OPERATOR_TOKEN.replace("-", "%2D"));
        log.infof("operator token %s", OPERATOR_TOKEN);

        String text = Files.readString(LOG);
        for (String token : tokens) {
            List<String> found = leaks(text, secret(token));
            assertTrue(found.isEmpty(), () -> "the log holds " + found + " of " + token);
        }
        // its value, as written or decoded (its 8-character runs include plain words such as "operator")
        assertTrue(leaks(text, OPERATOR_TOKEN).stream().noneMatch(run -> run.matches(".*[0-9-].*[0-9].*")),
                "the operator token is in the log");
        assertFalse(text.contains(OPERATOR_TOKEN.replace("-", "%2D")), "the operator token is in the log, encoded");
        assertTrue(text.contains("operator token [portlink.operator.token]"), "masked by name");
        assertTrue(text.contains("a line that carries " + Tokens.hint(tokens.get(0))) || text.contains("a line that"),
                "the lines are there (the scan reads the right file)");
    }

    /**
     * A token broken inside its secret part (a line break, space, slash or quote pasted into a link) or without its
     * prefix leaves no 8 characters of the secret in the access log, at any break point.
     */
    @Test
    void aTokenBrokenAnywhereOrWithoutItsPrefixLeavesNoPartOfItsSecret() {
        Random random = new Random(8);
        String[] breaks = { "%0A", "%0D", "%09", "%20", "%0D%0A", "%3E", "%22", "%2F", "%3F", "/", "+" };
        for (int i = 0; i < 2_000; i++) {
            // drawn from the seeded generator, as Tokens.generate shapes them, so every run checks the same tokens
            byte[] bytes = new byte[Tokens.BYTES];
            random.nextBytes(bytes);
            String token = Tokens.PREFIXES.get(random.nextInt(Tokens.PREFIXES.size()))
                    + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            String secret = secret(token);
            int at = token.length() - secret.length() + random.nextInt(secret.length());
            String broken = token.substring(0, at) + breaks[random.nextInt(breaks.length)] + token.substring(at);
            for (String text : List.of("GET /v/" + broken + " 404 2.3 ms", "GET /v/" + secret + " 404",
                    "GET /app/orders?q=" + secret + " 200", "GET /v/pv-" + secret, "GET /v/x?t=" + secret)) {
                String masked = Tokens.maskUrl(text);
                for (int k = 0; k + 8 <= secret.length(); k++) {
                    assertFalse(masked.contains(secret.substring(k, k + 8)), text + " -> " + masked);
                }
            }
        }
        // words, UUIDs and hex hashes are no secrets
        for (String text : List.of("aRunThatDiesWhileSendingHoldsOnlyThatMail", "81751632-ae4b-4c1e-9a53-2f1e5b8a7c10",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "PO-2026-000123-REVISION-2")) {
            assertEquals(text, Tokens.mask(text));
        }
    }

    @Test
    void mailsLoggedByTheMailerKeepWholeLinksInDevModeOnly() throws Exception {
        // the category the mailer really logs under (a class name here once masked every dev mail's links)
        var field = io.quarkus.mailer.runtime.MutinyMailerImpl.class.getDeclaredField("LOGGER");
        field.setAccessible(true);
        assertEquals(((org.jboss.logging.Logger) field.get(null)).getName(), TokenMaskingFilter.MAIL_LOGGER);
        assertFalse(TokenMaskingFilter.masks(io.quarkus.runtime.LaunchMode.DEVELOPMENT, TokenMaskingFilter.MAIL_LOGGER),
                "dev: a logged mail's link opens");
        assertTrue(TokenMaskingFilter.masks(io.quarkus.runtime.LaunchMode.DEVELOPMENT, "io.portlink.outbox.Outbox"),
                "dev: every other line is masked");
        assertTrue(TokenMaskingFilter.masks(io.quarkus.runtime.LaunchMode.NORMAL, TokenMaskingFilter.MAIL_LOGGER));
        assertTrue(TokenMaskingFilter.masks(io.quarkus.runtime.LaunchMode.TEST, TokenMaskingFilter.MAIL_LOGGER));

        // this run is the test mode: a mail line of the mailer is masked like any other
        String token = "pt_" + "Zx8Qw".repeat(8) + "Ab1";
        var line = new java.util.logging.LogRecord(java.util.logging.Level.INFO,
                "Sending email Your shipment, text body: \nhttp://localhost:8080/t/%s\n");
        line.setLoggerName(TokenMaskingFilter.MAIL_LOGGER);
        line.setParameters(new Object[] { token });
        new TokenMaskingFilter().isLoggable(line);
        assertFalse(line.getMessage().contains(token), line.getMessage());
        assertTrue(line.getMessage().contains("/t/pt_"), line.getMessage());
    }

    @Test
    void maskingLeavesTextWithoutTokensAlone() {
        assertNull(Tokens.mask(null));
        for (String text : List.of("GET /app/orders?page=2&q=100%25 200", "pv_short", "%zz%", "%", "a%2",
                "%E2%82%AC")) {
            assertEquals(text, Tokens.mask(text));
        }
        assertFalse(Tokens.mask("x pk_" + "a".repeat(40)).contains("a".repeat(8)));
    }
}
