package io.portlink.staff;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.junit.jupiter.api.Test;

import io.portlink.organization.StaffAccounts;
import io.portlink.organization.StaffUser;
import io.portlink.testing.Fixtures;
import io.portlink.testing.StaffClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

/**
 * The error answers of the staff pages as a person sees them: a styled page with the navigation when signed in (404 of
 * an unknown address and of an order of another organisation, 403 of an admin page, 405, 413, 500 with an error id that
 * the log has too, and no stack trace), a plain page naming no organisation when not; {@code /} leading to the start
 * page; the API's problem answers and the link pages' neutral ones untouched.
 */
@QuarkusTest
class StaffErrorPagesTest {

    /** A staff route that fails as an unforeseen bug would (the test application only). */
    @jakarta.ws.rs.Path("/app/test-failure")
    public static class Failing {
        @GET
        @Produces(MediaType.TEXT_HTML)
        public String fail() {
            throw new IllegalStateException("secret internal detail");
        }
    }

    @Inject
    Fixtures fixtures;

    @Inject
    StaffAccounts accounts;

    private static final String NAV = "id=\"logout\"";

    @Test
    void unknownAddressShowsTheNavigationWhenSignedIn() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter staff = StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        for (String path : new String[] { "/app/no-such-page", "/app/orders/NO-SUCH-ORDER", "/app/shipments/abc" }) {
            given().filter(staff).get(path).then().statusCode(404).contentType(startsWith("text/html"))
                    .header("Content-Security-Policy", containsString("style-src 'self'"))
                    .body(allOf(containsString("id=\"problem-title\">Not found<"), containsString(NAV),
                            containsString(tenant.name()), containsString("/css/portlink.css"),
                            not(containsString("style="))));
        }
        // the resource's own words stay, in the styled page
        given().filter(staff).get("/app/orders/NO-SUCH-ORDER").then()
                .body(containsString("No such order or link in your organisation."));
    }

    @Test
    void signedOutVisitorsGetAPlainPageThatNamesNoOrganisation() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        // an unknown address of the staff pages sends a visitor to sign in; the sign-in page refuses a post
        given().redirects().follow(false).get("/app/no-such-page").then().statusCode(302).header("Location",
                containsString("/app/login"));
        given().get("/no-such-page").then().statusCode(404).contentType(startsWith("text/html"))
                .body(allOf(containsString("id=\"problem-title\">Not found<"), not(containsString(NAV)),
                        not(containsString(tenant.name())), containsString("href=\"/\"")));
    }

    @Test
    void theBareAddressLeadsToTheStartPageOrSignIn() {
        given().redirects().follow(false).get("/").then().statusCode(303).header("Location", endsWith("/app"));
        // not signed in: on to the sign-in page
        given().get("/").then().statusCode(200).body(containsString("id=\"sign-in\""));
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter staff = StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        given().filter(staff).get("/").then().statusCode(200).body(containsString(NAV));
    }

    @Test
    void adminPageForStaffIs403WithTheNavigation() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String email = "clerk-" + tenant.id() + "@buyer.example";
        accounts.add(tenant.id(), email, null, Fixtures.PASSWORD, StaffUser.Role.STAFF);
        CookieFilter clerk = StaffClient.signIn(email, Fixtures.PASSWORD);
        given().filter(clerk).get("/app/admin").then().statusCode(403).contentType(startsWith("text/html"))
                .body(allOf(containsString("id=\"problem-title\">Not allowed<"), containsString(NAV),
                        containsString("admins of your organisation")));
    }

    @Test
    void aFormPostedAfterTheSessionEndedLeadsBackToItsPageAfterSignIn() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        long shipment = fixtures.shipment(tenant.id());
        CookieFilter browser = new CookieFilter();
        // the session has ended (here: never began): the post is sent to sign-in, which remembers where it went
        given().filter(browser).redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("text", "Call before delivery").post("/app/shipments/" + shipment + "/notes").then()
                .statusCode(302).header("Location", containsString("/app/login"));
        given().filter(browser).get("/app/login").then().statusCode(200);
        String back = given().filter(browser).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("j_username", tenant.adminEmail()).formParam("j_password", Fixtures.PASSWORD)
                .post("/j_security_check").then().statusCode(302).extract().header("Location");
        assertTrue(back.endsWith("/app/shipments/" + shipment + "/notes"), back);
        // that address takes only the form's POST: asked for as a page, it leads to the page the form is on
        given().filter(browser).redirects().follow(false).get(back).then().statusCode(303).header("Location",
                endsWith("/app/shipments/" + shipment));
        given().filter(browser).redirects().follow(false).get("/app/logout").then().statusCode(303).header("Location",
                endsWith("/app"));
        given().filter(browser).redirects().follow(false).get("/app/admin/api-keys").then().statusCode(303)
                .header("Location", endsWith("/app/admin"));
    }

    @Test
    void wrongMethodAndTooManyFieldsAreStyled() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter staff = StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        // a known address, a method it does not take (the form token is right, so only the method is wrong)
        StaffClient.postForm(staff, "/app/orders", "/app/orders").statusCode(405).contentType(startsWith("text/html"))
                .body(allOf(containsString("Not possible at this address"), containsString(NAV)));
        var request = given().filter(staff).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam(StaffClient.FORM_TOKEN, StaffClient.csrf(staff, "/app/orders"));
        for (int i = 0; i < 6100; i++) {
            request = request.formParam("f" + i, "x");
        }
        request.post("/app/orders/PO-1/remind").then().statusCode(413).contentType(startsWith("text/html"))
                .body(allOf(containsString("too many fields"), containsString(NAV)));
    }

    /**
     * The sign-in page runs without authenticating first, and an answer made before any resource ran (a NUL in the
     * address, an Accept it cannot serve) is styled on the I/O thread: a styled page as for someone signed out, whoever
     * asks, also a browser whose session ended elsewhere (no 500, no redirect to the page itself).
     */
    @Test
    void errorsOfTheSignInPageAreStyledForWhoeverAsks() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter staff = StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        CookieFilter elsewhere = StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        for (int round = 0; round < 3; round++) {
            if (round == 2) { // signing out elsewhere ends this browser's session too
                StaffClient.signOut(elsewhere);
            }
            var request = round == 0 ? given() : given().filter(staff);
            request.redirects().follow(false).urlEncodingEnabled(false).get("/app/login?q=%00").then().statusCode(400)
                    .contentType(startsWith("text/html"))
                    .body(allOf(containsString("NUL"), not(containsString(NAV)), not(containsString(tenant.name()))));
            request = round == 0 ? given() : given().filter(staff);
            request.redirects().follow(false).accept("application/xml").get("/app/login").then().statusCode(406)
                    .contentType(startsWith("text/html"))
                    .body(allOf(containsString("problem-title"), not(containsString(NAV))));
        }
    }

    @Test
    void aFormOverTheBodyLimitGetsAPageNotAClosedConnection() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String session = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("j_username", tenant.adminEmail()).formParam("j_password", Fixtures.PASSWORD)
                .post("/j_security_check").then().statusCode(302).extract().cookie("portlink-session");
        long length = 42L * 1024 * 1024; // over quarkus.http.limits.max-body-size (40M)
        String answer = io.portlink.testing.RawHttp.postOverLimit("/app/import", length, "</html>",
                "Cookie: portlink-session=" + session, "Content-Type: multipart/form-data; boundary=b");
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("id=\"problem-title\">Too large<"), answer);
        assertTrue(answer.contains("The form was 42 MB; Portlink accepts at most 40 MB, so nothing was saved."),
                answer);
        assertTrue(answer.toLowerCase().contains("content-security-policy:"), "the staff pages' headers");
    }

    @Test
    void unexpectedErrorShowsAnIdTheLogHasAndNoStackTrace() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter staff = StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String page = given().filter(staff).get("/app/test-failure").then().statusCode(500)
                .contentType(startsWith("text/html"))
                .body(allOf(containsString("Something went wrong"), containsString(NAV),
                        not(containsString("secret internal detail")), not(containsString("IllegalStateException")),
                        not(containsString("at io.portlink"))))
                .extract().asString();
        Matcher id = Pattern.compile("error id ([0-9a-z]+)").matcher(page);
        assertTrue(id.find(), "the page gives an error id");
        String log = Files.readString(Path.of("target/portlink-test.log"));
        assertTrue(log.contains("unexpected error " + id.group(1) + " on /app/test-failure"),
                "the log has the error under the id the page shows");
    }

    @Test
    void apiAndLinkPagesKeepTheirOwnAnswers() {
        given().get("/api/v1/no-such-thing").then().statusCode(404).contentType("application/problem+json");
        given().get("/v/no-such-token-0123456789012345678901234567890").then().statusCode(404)
                .body(allOf(not(containsString("problem-title")), not(containsString(NAV))));
    }
}
