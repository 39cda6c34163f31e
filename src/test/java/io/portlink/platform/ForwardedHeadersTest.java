package io.portlink.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.portlink.testing.RawHttp;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 8, kind 3, by default: no proxy is trusted, so a client's own X-Forwarded-* headers change nothing: the access
 * log keeps its real address, and a claimed https does not make the service act as if it were behind TLS.
 */
@QuarkusTest
class ForwardedHeadersTest {

    @Inject
    Fixtures fixtures;

    @Test
    void spoofedForwardedHeadersFromAnUntrustedClientAreIgnored() throws Exception {
        String marker = RawHttp.marker("spoof");
        String response = RawHttp.get("127.0.0.1", "/favicon.ico?m=" + marker, "X-Forwarded-For: 203.0.113.66",
                "X-Forwarded-Proto: https", "Forwarded: for=203.0.113.67;proto=https");
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        String line = RawHttp.logLine(marker);
        assertNotNull(line, "the access log has the request");
        assertTrue(line.contains("127.0.0.1 GET /favicon.ico"), line);
        assertFalse(line.contains("203.0.113."), "a header a client sent is no address: " + line);

        // a sign-in that claims https through a header: the cookie follows the configured base URL (http here)
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String cookie = given().header("X-Forwarded-Proto", "https").redirects().follow(false)
                .formParam("j_username", tenant.adminEmail()).formParam("j_password", Fixtures.PASSWORD)
                .post("/j_security_check").then().statusCode(302).extract().header("Set-Cookie");
        assertTrue(cookie.startsWith("portlink-session="), cookie);
        assertFalse(cookie.toLowerCase().contains("secure"), "no Secure from a spoofed header: " + cookie);
    }

    /**
     * SECURITY.md: links are built from the configured base URL, never from the Host header. Redirects leave as paths:
     * a Host a client chooses does not come back in them, and behind a TLS proxy the browser stays on https.
     */
    @Test
    void redirectsNameNoHostAClientSent() {
        String login = given().header("Host", "evil.example").redirects().follow(false).get("/app/orders").then()
                .statusCode(302).extract().header("Location");
        assertTrue(login.startsWith("/app/login"), login);
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String landing = given().header("Host", "evil.example:8443").redirects().follow(false)
                .formParam("j_username", tenant.adminEmail()).formParam("j_password", Fixtures.PASSWORD)
                .post("/j_security_check").then().statusCode(302).extract().header("Location");
        assertTrue(landing.startsWith("/app"), landing);
        String page = given().header("Host", "evil.example").redirects().follow(false).get("/").then().extract()
                .header("Location");
        assertFalse(page.contains("evil"), page);
    }
}
