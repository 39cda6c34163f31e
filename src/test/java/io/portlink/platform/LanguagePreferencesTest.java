package io.portlink.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.RawHttp;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Language preferences in every spelling a browser, proxy or hand may send reach the pages of all three sides (vendor
 * links, tracking links, staff sign-in) without the framework's bare 400: readable ones in their meaning (German where
 * German is the best match), unreadable ones as if none were sent.
 */
@QuarkusTest
class LanguagePreferencesTest {

    /** Spellings Java reads as RFC 4647 ranges but the framework does not take as they are; German is the best. */
    static final List<String> ODD = List.of("de;q=0.0001", "de;q=1.0000", "de;q=.5", "de;Q=0.5", "de;Q=1",
            "de-DE;q=0.9999, en;q=0.00001", "fr;q=.1,de;q=.9", "de ; q=0.5", "de;q=0.50000", "DE;Q=.7,*;q=.1",
            "de;q=1.0, fr;q=0.0009", "de;q=1e-3", "de;q=0x1p-1", "de;q=0.5d", "de;q=+0.5", "de;q= 0.5");

    /**
     * Nothing anyone can read, or nothing the framework has a use for (Java's extended range {@code *-DE}): answered as
     * if no preference had been sent.
     */
    static final List<String> GARBAGE = List.of("de;q=2", "de;q=abc", ",,,;;;", "de;q=-0.5", "de;q=0.5;q=0.4", "de-",
            "-de", "d\u00e9", "x".repeat(300), "de;q=0x1", "de;q=NaN", "de;q=", ";q=0.5", "de-DE-" + "a".repeat(9),
            "*-DE;q=.5", "-", "--", "en,-");

    @Inject
    Fixtures fixtures;

    @Test
    void oddButReadablePreferencesAnswerInTheLanguageAsked() throws Exception {
        for (String header : ODD) {
            // the precondition that made them slip through: Java reads them
            Locale.LanguageRange.parse(header);
        }
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String active = Fixtures.createOrderWithLink(tenant.apiKey(), Fixtures.uniqueReference(),
                "lang@vendor.example");
        for (String header : ODD) {
            for (String path : List.of("/v/pv_" + "Q".repeat(43), "/t/pt_" + "Q".repeat(43),
                    "/d/pd_" + "Q".repeat(43))) {
                String response = RawHttp.get("127.0.0.1", path, "Accept-Language: " + header,
                        "User-Agent: " + PortalClient.BROWSER);
                assertTrue(response.startsWith("HTTP/1.1 404"), header + " " + path + ": " + firstLine(response));
                assertTrue(response.contains("lang=\"de\"") && response.contains("Dieser Link ist nicht"),
                        header + " " + path + ": not in German");
            }
            ok(active, header);
            ok("/app/login", header);
        }
    }

    @Test
    void unreadablePreferencesAreIgnored() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String active = Fixtures.createOrderWithLink(tenant.apiKey(), Fixtures.uniqueReference(),
                "lang@vendor.example");
        for (String header : GARBAGE) {
            String response = RawHttp.get("127.0.0.1", "/t/pt_" + "Q".repeat(43), "Accept-Language: " + header);
            assertTrue(response.startsWith("HTTP/1.1 404"), header + ": " + firstLine(response));
            assertTrue(response.contains("lang=\"en\""), header + ": in the page's own language");
            ok(active, header);
            ok("/app/login", header);
        }
    }

    @Test
    void preferencesOnTwoLinesAreReadAsOneList() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String active = Fixtures.createOrderWithLink(tenant.apiKey(), Fixtures.uniqueReference(),
                "lang@vendor.example");
        // the framework reads every line, so an odd second line once got the bare 400 the first line's check prevents
        for (String second : List.of("de;q=.5", "de;q=2")) {
            String response = RawHttp.get("127.0.0.1", "/t/pt_" + "Q".repeat(43), "Accept-Language: fr;q=0.1",
                    "Accept-Language: " + second, "User-Agent: " + PortalClient.BROWSER);
            assertTrue(response.startsWith("HTTP/1.1 404"), second + ": " + firstLine(response));
            for (String path : List.of(active, "/app/login")) {
                String page = RawHttp.get("127.0.0.1", path, "Accept-Language: fr;q=0.1", "Accept-Language: " + second,
                        "User-Agent: " + PortalClient.BROWSER);
                assertTrue(page.startsWith("HTTP/1.1 200"), second + " " + path + ": " + firstLine(page));
            }
        }
        String german = RawHttp.get("127.0.0.1", "/t/pt_" + "Q".repeat(43), "Accept-Language: fr;q=0.1",
                "Accept-Language: de;q=.5", "User-Agent: " + PortalClient.BROWSER);
        assertTrue(german.contains("lang=\"de\""), "the second line's German outweighs the first line's French");
    }

    @Test
    void headersAreRewrittenOnlyWhenTheFrameworkWouldRefuseThem() {
        for (String usual : List.of("de-AT,de;q=0.9,en;q=0.5", "en-US,en;q=0.5", "*", "de, en;q=0.123", "de;q=0",
                "zh-Hant-TW;q=1.000")) {
            assertEquals(usual, HttpFilters.readableLanguages(usual), "left as sent");
        }
        assertEquals("de;q=0.001", HttpFilters.readableLanguages("de;q=0.0001"), "a tiny weight stays above 0");
        assertEquals("de", HttpFilters.readableLanguages("de;q=1.0000"));
        assertEquals("de;q=0.5", HttpFilters.readableLanguages("de;Q=.5"));
        assertEquals("de-de,de-dd,fr;q=0.5", HttpFilters.readableLanguages("de_DE, fr;q=0.5"), "a POSIX spelling");
        assertNull(HttpFilters.readableLanguages("de;q=2"));
        assertNull(HttpFilters.readableLanguages("*-DE;q=.5"), "nothing left the framework reads");
    }

    private static void ok(String path, String header) throws Exception {
        String response = RawHttp.get("127.0.0.1", path, "Accept-Language: " + header,
                "User-Agent: " + PortalClient.BROWSER);
        assertTrue(response.startsWith("HTTP/1.1 200"), header + " " + path + ": " + firstLine(response));
    }

    private static String firstLine(String response) {
        return response.lines().findFirst().orElse("");
    }
}
