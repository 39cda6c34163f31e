package io.portlink.staff;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.Test;

import io.portlink.organization.StaffUser;
import io.portlink.testing.Fixtures;
import io.portlink.testing.StaffClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.response.Response;

@QuarkusTest
class StaffSecurityTest {

    @Inject
    Fixtures fixtures;

    @Test
    void pagesNeedASignInAndAWrongPasswordIsRefused() {
        given().redirects().follow(false).get("/app/orders").then().statusCode(302).header("Location",
                containsString("/app/login"));
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        given().redirects().follow(false).formParam("j_username", tenant.adminEmail())
                .formParam("j_password", "wrong-password").post("/j_security_check").then().statusCode(302)
                .header("Location", containsString("error"));
    }

    /**
     * A "return to" cookie left by another app on the same host (another Quarkus app, another port: cookies ignore
     * ports) does not turn a right password into a blank 401: the sign-in goes on as usual.
     */
    @Test
    void aReturnCookieOfAnotherAppOnTheHostDoesNotSpoilASignIn() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        given().redirects().follow(false).cookie("quarkus-redirect-location", "http://localhost:8080/app/orders")
                .formParam("j_username", tenant.adminEmail()).formParam("j_password", Fixtures.PASSWORD)
                .post("/j_security_check").then().statusCode(302).header("Location", containsString("/app"))
                .cookie("portlink-session");
    }

    /**
     * Login CSRF: another site's page posting a right password would sign the visitor's browser into the attacker's
     * account. A browser says where the post came from (Sec-Fetch-Site, or Origin in older ones); nothing is checked
     * and no session is made, and the sign-in page says why.
     */
    @Test
    void aSignInPostedFromAnotherSiteSignsNobodyIn() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        for (Map<String, String> headers : List.of(Map.of("Sec-Fetch-Site", "cross-site"),
                Map.of("Sec-Fetch-Site", "same-site", "Origin", "https://evil.example.com"),
                Map.of("Origin", "https://evil.example"), Map.of("Origin", "null"))) {
            // Quarkus's form login takes any path ending in its post location
            for (String path : List.of("/j_security_check", "/app/j_security_check")) {
                Response refused = given().redirects().follow(false).headers(headers)
                        .formParam("j_username", tenant.adminEmail()).formParam("j_password", Fixtures.PASSWORD)
                        .post(path);
                assertEquals(303, refused.statusCode(), path + " " + headers);
                assertEquals("/app/login?refused=site", refused.header("Location"), path + " " + headers);
                assertTrue(
                        refused.headers().getValues("Set-Cookie").stream().noneMatch(c -> c.startsWith(SESSION + "=")),
                        "no session: " + refused.headers());
            }
        }
        given().get("/app/login?refused=site").then().statusCode(200)
                .body(containsString("A sign-in sent from another website is not taken"));
        // the sign-in page's own form, from a browser: signed in
        String own = "http://localhost:" + io.restassured.RestAssured.port;
        for (Map<String, String> headers : List.of(Map.of("Sec-Fetch-Site", "same-origin", "Origin", own),
                Map.of("Origin", own), Map.of("Origin", "https://portal.example", "Host", "portal.example:443"))) {
            given().redirects().follow(false).headers(headers).formParam("j_username", tenant.adminEmail())
                    .formParam("j_password", Fixtures.PASSWORD).post("/j_security_check").then().statusCode(302)
                    .header("Location", containsString("/app")).cookie(SESSION);
        }
    }

    /** A sign-in post that is no form (none, JSON, text) is a failed sign-in, never a 500. */
    @Test
    void aSignInPostThatIsNoFormIsAFailedSignIn() {
        given().redirects().follow(false).post("/j_security_check").then().statusCode(303).header("Location",
                "/app/login?error=true");
        given().redirects().follow(false).contentType("application/json").body("{}").post("/j_security_check").then()
                .statusCode(303).header("Location", "/app/login?error=true");
        given().redirects().follow(false).contentType("text/plain").body("x").post("/j_security_check").then()
                .statusCode(303).header("Location", "/app/login?error=true");
    }

    @Test
    void staffOfOneOrganisationNeverSeeAnothersOrders() {
        Fixtures.Tenant a = fixtures.tenant("GB");
        Fixtures.Tenant b = fixtures.tenant("GB");
        String refOfB = uniqueReference();
        createOrderWithLink(b.apiKey(), refOfB, "b@vendor.example");

        CookieFilter staffA = signIn(a.adminEmail(), Fixtures.PASSWORD);
        given().filter(staffA).get("/app/orders/" + refOfB).then().statusCode(404)
                .body(not(containsString("b@vendor")));
        given().filter(staffA).get("/app/orders?q=" + refOfB).then().statusCode(200).body(containsString("0 orders"))
                .body(not(containsString("/app/orders/" + refOfB)));
        String token = csrf(staffA, "/app/orders");
        given().filter(staffA).redirects().follow(false).formParam("form-token", token).formParam("version", 0)
                .post("/app/orders/" + refOfB + "/cancel").then().statusCode(404);

        CookieFilter staffB = signIn(b.adminEmail(), Fixtures.PASSWORD);
        given().filter(staffB).get("/app/orders/" + refOfB).then().statusCode(200)
                .body(containsString("b@vendor.example"));
    }

    @Test
    void formsWithoutTheCsrfTokenAreRefused() {
        Fixtures.Tenant a = fixtures.tenant("GB");
        String ref = uniqueReference();
        createOrderWithLink(a.apiKey(), ref, "csrf@vendor.example");
        CookieFilter staff = signIn(a.adminEmail(), Fixtures.PASSWORD);
        given().filter(staff).redirects().follow(false).formParam("version", 0).post("/app/orders/" + ref + "/cancel")
                .then().statusCode(403);
        given().filter(staff).get("/app/orders/" + ref).then().body(containsString("Pending"));
    }

    @Test
    void disablingAUserOrSigningOutEndsExistingSessions() {
        Fixtures.Tenant a = fixtures.tenant("GB");
        CookieFilter session = signIn(a.adminEmail(), Fixtures.PASSWORD);
        given().filter(session).get("/app/orders").then().statusCode(200);
        setEnabled(a.adminEmail(), false);
        given().filter(session).redirects().follow(false).get("/app/orders").then().statusCode(302).header("Location",
                containsString("/app/login"));
        setEnabled(a.adminEmail(), true);

        CookieFilter first = signIn(a.adminEmail(), Fixtures.PASSWORD);
        CookieFilter second = signIn(a.adminEmail(), Fixtures.PASSWORD);
        String token = csrf(first, "/app/orders");
        Response out = given().filter(first).redirects().follow(false).formParam("form-token", token)
                .post("/app/logout");
        assertEquals(303, out.statusCode());
        given().filter(second).redirects().follow(false).get("/app/orders").then().statusCode(302);
    }

    /**
     * Signing out clears the session cookie and sets no other: a session over a minute old, whose cookie every request
     * renews, had the renewed cookie set after the cleared one, so the browser kept a session cookie. The cookie the
     * browser had opens no page afterwards.
     */
    @Test
    void signingOutOnlyClearsTheSessionCookie() throws Exception {
        Fixtures.Tenant a = fixtures.tenant("GB");
        CookieFilter staff = signIn(a.adminEmail(), Fixtures.PASSWORD);
        String fresh = given().redirects().follow(false).formParam("j_username", a.adminEmail())
                .formParam("j_password", Fixtures.PASSWORD).post("/j_security_check").then().statusCode(302).extract()
                .cookie(SESSION);
        String aged = aged(fresh, java.time.Duration.ofMinutes(2));
        // a page opened with it renews the cookie, as a browser's session of some minutes has it renewed
        Response page = given().cookie(SESSION, aged).redirects().follow(false).get("/app/orders");
        assertEquals(200, page.statusCode());
        assertTrue(
                page.headers().getValues("Set-Cookie").stream()
                        .anyMatch(c -> c.startsWith(SESSION + "=") && !c.startsWith(SESSION + "=;")),
                "renewed: " + page.headers());

        Response out = given().cookie(SESSION, aged).redirects().follow(false)
                .formParam("form-token", csrf(staff, "/app/orders")).post("/app/logout");
        assertEquals(303, out.statusCode());
        var sessionCookies = out.headers().getValues("Set-Cookie").stream().filter(c -> c.startsWith(SESSION + "="))
                .toList();
        assertFalse(sessionCookies.isEmpty(), "the cookie is cleared: " + out.headers());
        for (String cookie : sessionCookies) {
            assertTrue(cookie.startsWith(SESSION + "=;") && cookie.toLowerCase().contains("max-age=0"),
                    "only cleared, never set again: " + sessionCookies);
        }
        for (String old : new String[] { aged, fresh }) {
            given().cookie(SESSION, old).redirects().follow(false).get("/app/orders").then().statusCode(302)
                    .header("Location", containsString("/app/login"));
        }
    }

    private static final String SESSION = "portlink-session";

    /**
     * The session cookie {@code cookie} as it would be {@code age} after it was issued: its expiry moved back by that
     * much, sealed again with the test profile's session key (the framework renews a cookie older than a minute).
     */
    private static String aged(String cookie, java.time.Duration age) throws Exception {
        String key = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.http.auth.session.encryption-key", String.class);
        var secret = new javax.crypto.spec.SecretKeySpec(java.security.MessageDigest.getInstance("SHA-256")
                .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)), "AES");
        var sealed = java.nio.ByteBuffer.wrap(java.util.Base64.getDecoder().decode(cookie));
        byte[] iv = new byte[sealed.get()];
        sealed.get(iv);
        byte[] encrypted = new byte[sealed.remaining()];
        sealed.get(encrypted);
        var cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(javax.crypto.Cipher.DECRYPT_MODE, secret, new javax.crypto.spec.GCMParameterSpec(128, iv));
        String plain = new String(cipher.doFinal(encrypted), java.nio.charset.StandardCharsets.UTF_8);
        int colon = plain.indexOf(':');
        String older = (Long.parseLong(plain.substring(0, colon)) - age.toMillis()) + plain.substring(colon);
        byte[] freshIv = new byte[12];
        new java.security.SecureRandom().nextBytes(freshIv);
        cipher.init(javax.crypto.Cipher.ENCRYPT_MODE, secret, new javax.crypto.spec.GCMParameterSpec(128, freshIv));
        byte[] again = cipher.doFinal(older.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return java.util.Base64.getEncoder()
                .encodeToString(java.nio.ByteBuffer.allocate(1 + freshIv.length + again.length)
                        .put((byte) freshIv.length).put(freshIv).put(again).array());
    }

    /**
     * A browser keeps the cookie of a session that ended elsewhere (a sign-out on another device, a disabled user).
     * Only staff pages read it: the sign-in page and the link pages answer as to anyone, with no redirect (they used to
     * send that browser round in a loop of redirects to the sign-in page, which redirected to itself).
     */
    @Test
    void aSessionEndedElsewhereStillReachesTheSignInPageAndTheLinkPages() {
        Fixtures.Tenant a = fixtures.tenant("GB");
        String reference = uniqueReference();
        String vendorLink = createOrderWithLink(a.apiKey(), reference, "ended@vendor.example");
        CookieFilter here = signIn(a.adminEmail(), Fixtures.PASSWORD);
        CookieFilter elsewhere = signIn(a.adminEmail(), Fixtures.PASSWORD);
        StaffClient.signOut(elsewhere);

        given().filter(here).redirects().follow(false).get("/app/orders").then().statusCode(302).header("Location",
                containsString("/app/login"));
        given().filter(here).redirects().follow(false).get("/app/login").then().statusCode(200)
                .body(containsString("id=\"sign-in\""));
        given().filter(here).redirects().follow(false).get(vendorLink).then().statusCode(200)
                .body(containsString(reference));
        given().filter(here).redirects().follow(false).get("/t/pt_unknownUnknownUnknownUnknownUnknownUnkno").then()
                .statusCode(404);
        // and signing in again works from there
        given().filter(here).redirects().follow(false).formParam("j_username", a.adminEmail())
                .formParam("j_password", Fixtures.PASSWORD).post("/j_security_check").then().statusCode(302);
        given().filter(here).get("/app/orders").then().statusCode(200);
    }

    @Test
    void onlyAdminsManageUsersAndKeysAndAKeyIsShownOnce() {
        Fixtures.Tenant a = fixtures.tenant("GB");
        CookieFilter admin = signIn(a.adminEmail(), Fixtures.PASSWORD);
        String token = csrf(admin, "/app/admin");
        given().filter(admin).redirects().follow(false).formParam("form-token", token)
                .formParam("email", "clerk-" + a.id() + "@example.com").formParam("password", "ledger-tulip-harbour")
                .formParam("role", "STAFF").post("/app/admin/users").then().statusCode(303);
        String page = given().filter(admin).formParam("form-token", token)
                .formParam(StaffClient.ONCE, StaffClient.once(admin, "/app/admin")).formParam("name", "ERP")
                .post("/app/admin/api-keys").then().statusCode(200).extract().asString();
        Matcher key = Pattern.compile("id=\"new-api-key\">(pk_[A-Za-z0-9_-]{43})<").matcher(page);
        assertTrue(key.find());
        given().header("Authorization", "Bearer " + key.group(1)).get("/api/v1/purchase-orders").then().statusCode(200);
        given().filter(admin).get("/app/admin").then().body(not(containsString(key.group(1))));

        // another organisation's admin posting this key's id: 404, and the key still works
        Matcher revoke = Pattern.compile(
                "<tr><td data-label=\"Name\">ERP</td>(?:(?!</tr>).)*?action=\"/app/admin/api-keys/(\\d+)/revoke\"",
                Pattern.DOTALL).matcher(page);
        assertTrue(revoke.find(), page);
        String revokePath = "/app/admin/api-keys/" + revoke.group(1) + "/revoke";
        Fixtures.Tenant b = fixtures.tenant("GB");
        CookieFilter adminB = signIn(b.adminEmail(), Fixtures.PASSWORD);
        given().filter(adminB).redirects().follow(false).formParam("form-token", csrf(adminB, "/app/admin"))
                .post(revokePath).then().statusCode(404);
        given().header("Authorization", "Bearer " + key.group(1)).get("/api/v1/purchase-orders").then().statusCode(200);
        // its own admin revokes it; a repeated click answers the same
        for (int i = 0; i < 2; i++) {
            given().filter(admin).redirects().follow(false).formParam("form-token", token).post(revokePath).then()
                    .statusCode(303).header("Location", org.hamcrest.Matchers.endsWith("done=revoked"));
        }
        given().header("Authorization", "Bearer " + key.group(1)).get("/api/v1/purchase-orders").then().statusCode(401);

        CookieFilter clerk = signIn("clerk-" + a.id() + "@example.com", "ledger-tulip-harbour");
        given().filter(clerk).get("/app/admin").then().statusCode(403);
    }

    @Transactional
    void setEnabled(String email, boolean enabled) {
        StaffUser.findByEmail(email).orElseThrow().enabled = enabled;
    }
}
