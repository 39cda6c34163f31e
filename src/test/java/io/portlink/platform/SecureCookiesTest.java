package io.portlink.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.portlink.testing.RawHttp;
import io.portlink.testing.TestProfiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Issue 8, kind 3, in production's shape: the public base URL is https and a proxy at 127.0.0.1 terminates TLS. Every
 * cookie is Secure even though the request reaching the service is plain http, and forwarded headers count only from
 * the trusted proxy (a peer at 127.0.0.2 is any client). The profile also writes the log file as JSON lines
 * ({@link JsonLogsTest}), the access log lines read here being its messages, and turns the scheduler on.
 */
@QuarkusTest
@TestProfile(TestProfiles.ProductionShape.class)
class SecureCookiesTest {

    @Inject
    Fixtures fixtures;

    @Test
    void theSessionCookieIsSecureAndStrictUnderAnHttpsBaseUrl() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String session = given().redirects().follow(false).formParam("j_username", tenant.adminEmail())
                .formParam("j_password", Fixtures.PASSWORD).post("/j_security_check").then().statusCode(302).extract()
                .header("Set-Cookie");
        assertTrue(session.startsWith("portlink-session="), session);
        for (String attribute : List.of("; secure", "; samesite=strict", "; httponly")) {
            assertTrue(session.toLowerCase().contains(attribute), attribute + " missing: " + session);
        }
        // every other cookie too: the page asked for before signing in is remembered in a cookie
        List<String> cookies = given().redirects().follow(false).get("/app/orders").then().extract().headers()
                .getValues("Set-Cookie");
        assertFalse(cookies.isEmpty(), "the login redirect sets a cookie");
        cookies.forEach(c -> assertTrue(c.toLowerCase().contains("; secure"), c));
    }

    @Test
    void forwardedHeadersCountOnlyFromTheTrustedProxy() throws Exception {
        String viaProxy = RawHttp.marker("proxy");
        RawHttp.get("127.0.0.1", "/favicon.ico?m=" + viaProxy, "X-Forwarded-For: 203.0.113.77",
                "X-Forwarded-Proto: https");
        String line = RawHttp.logLine(viaProxy);
        assertNotNull(line);
        assertTrue(line.contains("203.0.113.77 GET /favicon.ico"), "the proxy names the client: " + line);

        String spoofed = RawHttp.marker("spoof");
        RawHttp.get("127.0.0.2", "/favicon.ico?m=" + spoofed, "X-Forwarded-For: 203.0.113.66",
                "X-Forwarded-Proto: https");
        line = RawHttp.logLine(spoofed);
        assertNotNull(line);
        assertTrue(line.contains("127.0.0.2 GET /favicon.ico"), "an untrusted peer is itself: " + line);
        assertFalse(line.contains("203.0.113.66"), line);

        // a forwarded value that is no address (a proxy's "unknown"): the request keeps its line, its client "-"
        String unknown = RawHttp.marker("unknown");
        java.nio.file.Path log = java.nio.file.Path.of(TestProfiles.ProductionShape.JSON_LOG);
        long before = java.nio.file.Files.size(log);
        String answer = RawHttp.get("127.0.0.1", "/favicon.ico?m=" + unknown, "X-Forwarded-For: unknown, 127.0.0.1",
                "X-Forwarded-Proto: https");
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        line = RawHttp.logLine(unknown);
        assertNotNull(line, "no access-log line for a client the proxy could not name");
        assertTrue(line.contains("- GET /favicon.ico?m=" + unknown + " 200"), line);
        assertFalse(line.contains("not completed"), "answered whole, its connection then closed: " + line);
        byte[] all = java.nio.file.Files.readAllBytes(log);
        String since = new String(all, (int) before, all.length - (int) before,
                java.nio.charset.StandardCharsets.UTF_8);
        // of the requests' threads: this profile's scheduler runs a test job that fails on purpose meanwhile
        assertEquals(java.util.List.of(),
                since.lines()
                        .filter(l -> l.contains("\"level\":\"ERROR\"")
                                && !l.contains("\"threadName\":\"QuarkusQuartzScheduler_Worker"))
                        .toList(),
                "no error logged");
    }
}
