package io.portlink.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.portlink.testing.RawHttp;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Very long addresses: each request keeps its access-log line, with its tokens masked and the address cut to a readable
 * length, and leaves no ERROR (a regular expression of the masking once overflowed the stack on 3,000 characters,
 * logged the whole address as an ERROR and lost the line).
 */
@QuarkusTest
class AccessLogTest {

    static final Path LOG = TokenMaskingTest.LOG;

    /** The masking's former piece search, kept here as the reference its scan must agree with. */
    static final Pattern FORMER_URL_PIECE = Pattern.compile("(?:[A-Za-z0-9_-]|%[0-9A-Fa-f]{2}){8,}");
    static final Pattern URL_WORD = Pattern.compile("[a-z-]+|[0-9]+");

    @Test
    void longAddressesKeepTheirAccessLogLineMaskedAndLogNoError() throws IOException {
        // up to what the service reads of a request line (quarkus.http.limits.max-initial-line-length, 16 KB): longer
        // ones are refused by the HTTP layer before any handler (414), the 100,000-character case is checked below
        for (int length : List.of(3_000, 15_000)) {
            String token = Tokens.generate(Tokens.VENDOR);
            String marker = RawHttp.marker("long");
            // mixed case: no route word, so masking cuts it (a run of lower-case letters would be left whole)
            String path = "/v/" + token + "/orders/" + "xY".repeat(length / 2) + "?m=" + marker;
            long before = Files.size(LOG);
            int status = given().urlEncodingEnabled(false).redirects().follow(false).get(path).statusCode();
            String line = RawHttp.logLine(marker);
            assertNotNull(line, length + " characters: no access-log line");
            assertTrue(line.contains("GET /v/" + Tokens.hint(token) + "/orders/xYx…?m=" + marker + " " + status), line);
            assertTrue(TokenMaskingTest.leaks(line, TokenMaskingTest.secret(token)).isEmpty(), line);
            assertNoErrorSince(before);
        }
        // an address that masking leaves long is cut, and says how long it was
        String marker = RawHttp.marker("wide");
        String path = "/m/" + marker + "/" + "ab/".repeat(5_000);
        long before = Files.size(LOG);
        int status = given().urlEncodingEnabled(false).redirects().follow(false).get(path).statusCode();
        String line = RawHttp.logLine(marker);
        assertNotNull(line, "no access-log line");
        assertTrue(line.contains("…[" + path.length() + " characters] " + status), line);
        assertTrue(line.length() < 2_300, "the line is cut: " + line.length());
        assertNoErrorSince(before);
    }

    /** A staff search or a form's e-mail address in a query is logged masked, written or percent-encoded. */
    @Test
    void anEmailAddressInTheQueryIsLoggedMasked() throws IOException {
        String marker = RawHttp.marker("mail");
        given().urlEncodingEnabled(false).redirects().follow(false)
                .get("/app/login?q=orders@northwind.example&email=ann.lee%40shop.example&m=" + marker);
        String line = RawHttp.logLine(marker);
        assertNotNull(line, "no access-log line");
        assertTrue(line.contains("?q=o…@northwind.example&email=a…%40shop.example&m=" + marker), line);
        assertFalse(line.contains("orders@") || line.contains("ann.lee"), line);
        assertEquals("/app/orders?q=PO-1&page=2", HttpFilters.addressesMasked("/app/orders?q=PO-1&page=2"));
        assertEquals("/a@b/x", HttpFilters.addressesMasked("/a@b/x"), "only the query");
    }

    @Test
    void maskingAHundredThousandCharacterAddressTakesNoDeepRecursion() {
        String token = Tokens.generate(Tokens.TRACKING);
        for (String run : List.of("A".repeat(100_000), "%41".repeat(33_334), "a-b_C9".repeat(16_667))) {
            String masked = Tokens.maskUrl("/t/" + token + "/" + run + "?q=" + run);
            assertEquals("/t/" + Tokens.hint(token) + "/" + run.substring(0, 3) + "…?q=" + run.substring(0, 3) + "…",
                    masked);
        }
        // a run of route words and short pieces is left as it is, and so is the sign-in form's address
        String words = "/ab".repeat(33_334);
        assertEquals(words, Tokens.maskUrl(words));
        assertEquals("/j_security_check", Tokens.maskUrl("/j_security_check"));
        assertEquals("/x/j_s…", Tokens.maskUrl("/x/j_security_checkZ"), "only the route word itself");
    }

    /** The scan cuts exactly what the former regular expression cut, on random addresses full of edge cases. */
    @Test
    void theScanMasksExactlyAsTheFormerExpression() {
        Random random = new Random(414);
        String[] parts = { "a", "Z", "0", "9", "_", "-", "%", "4", "1", "f", "G", "%4", "%41", "%2F", "/", "?", "=",
                "&", "é", "…", "request-link", "12345678", "abcdefgh", ".", " " };
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int k = random.nextInt(40); k > 0; k--) {
                text.append(parts[random.nextInt(parts.length)]);
            }
            String masked = Tokens.mask(text.toString());
            assertEquals(formerPieceCut(masked), Tokens.maskUrl(text.toString()), text.toString());
        }
    }

    private static String formerPieceCut(String masked) {
        StringBuilder out = new StringBuilder();
        Matcher piece = FORMER_URL_PIECE.matcher(masked);
        int copied = 0;
        while (piece.find()) {
            if (URL_WORD.matcher(piece.group()).matches()) {
                continue;
            }
            out.append(masked, copied, piece.start()).append(masked, piece.start(), piece.start() + 3).append('…');
            copied = piece.end();
        }
        return out.append(masked, copied, masked.length()).toString();
    }

    /** No ERROR line, and no stack overflow, in what the service logged since {@code offset}. */
    private static void assertNoErrorSince(long offset) throws IOException {
        String since;
        try (RandomAccessFile file = new RandomAccessFile(LOG.toFile(), "r")) {
            byte[] bytes = new byte[(int) (file.length() - offset)];
            file.seek(offset);
            file.readFully(bytes);
            since = new String(bytes, StandardCharsets.UTF_8);
        }
        assertFalse(since.contains("StackOverflowError"), since.length() > 2_000 ? since.substring(0, 2_000) : since);
        assertTrue(since.lines().noneMatch(l -> l.contains(" ERROR ")),
                since.length() > 2_000 ? since.substring(0, 2_000) : since);
    }
}
