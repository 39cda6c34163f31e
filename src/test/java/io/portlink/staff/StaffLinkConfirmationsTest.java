package io.portlink.staff;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

/**
 * Revoking a link, regenerating it and revoking every link of a vendor each ask first: the order's and the links' pages
 * lead to a confirmation page (a GET that changes nothing) saying what will happen, with Cancel leading back; its form
 * carries the form token and {@code confirm=yes}; a post without the confirmation changes nothing and leads to that
 * page; another organisation's link or vendor is not found.
 */
@QuarkusTest
class StaffLinkConfirmationsTest {

    private static final Pattern LINK = Pattern
            .compile("data-link-url>" + Pattern.quote(Fixtures.BASE_URL) + "(/v/pv_[A-Za-z0-9_-]{43})<");

    @Inject
    Fixtures fixtures;

    private static void works(String url, int status) {
        given().header("User-Agent", PortalClient.BROWSER).get(url).then().statusCode(status);
    }

    @Test
    void revokeAsksFirst() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String ref = uniqueReference();
        String url = createOrderWithLink(tenant.apiKey(), ref, "revoke@vendor.example");
        long linkId = Fixtures.firstLinkId(tenant.apiKey(), ref);
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String path = "/app/orders/" + ref + "/links/" + linkId + "/revoke";

        given().filter(staff).get("/app/orders/" + ref).then()
                .body(allOf(containsString("href=\"" + path + "\""), not(containsString("action=\"" + path + "\""))));
        given().filter(staff).get(path).then().statusCode(200)
                .body(allOf(containsString("Revoke link #" + linkId + " of " + ref + "?"),
                        containsString("current link stops working at once"),
                        containsString("method=\"post\" action=\"" + path + "\""),
                        containsString("name=\"confirm\" value=\"yes\""), containsString("name=\"form-token\""),
                        containsString("id=\"cancel\"") /* back to the order */,
                        containsString("href=\"/app/orders/" + ref + "\" id=\"cancel\"")));
        works(url, 200);
        Fixtures.Tenant other = fixtures.tenant("GB");
        given().filter(signIn(other.adminEmail(), Fixtures.PASSWORD)).get(path).then().statusCode(404);

        // a stray post: nothing happens, the confirmation page is next
        given().filter(staff).redirects().follow(false).formParam("form-token", csrf(staff, path)).post(path).then()
                .statusCode(303).header("Location", endsWith(path));
        works(url, 200);

        given().filter(staff).redirects().follow(false).formParam("form-token", csrf(staff, path))
                .formParam("confirm", "yes").post(path).then().statusCode(303)
                .header("Location", containsString("done=revoked"));
        works(url, 410);
        // a revoked link has nothing left to confirm
        given().filter(staff).get(path).then().statusCode(404);
    }

    @Test
    void regenerateAsksFirstAndKeepsTheChosenMail() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String ref = uniqueReference();
        String url = createOrderWithLink(tenant.apiKey(), ref, "regen@vendor.example");
        long linkId = Fixtures.firstLinkId(tenant.apiKey(), ref);
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String path = "/app/orders/" + ref + "/links/" + linkId + "/regenerate";

        given().filter(staff).get("/app/orders/" + ref).then()
                .body(containsString("method=\"get\" action=\"" + path + "\""));
        given().filter(staff).get(path + "?send=LINK_ONLY").then().statusCode(200)
                .body(allOf(containsString("Regenerate link #" + linkId + " of " + ref + "?"),
                        containsString("current link stops working at once"),
                        containsString("A new link is shown once on the next page"),
                        containsString("value=\"LINK_ONLY\" selected"),
                        containsString("name=\"confirm\" value=\"yes\""),
                        containsString("href=\"/app/orders/" + ref + "\" id=\"cancel\"")));
        works(url, 200);

        given().filter(staff).redirects().follow(false).formParam("form-token", csrf(staff, path))
                .formParam("send", "LINK_ONLY").post(path).then().statusCode(303)
                .header("Location", endsWith(path + "?send=LINK_ONLY"));
        given().filter(staff).redirects().follow(false).formParam("form-token", csrf(staff, path))
                .formParam("confirm", "no").post(path).then().statusCode(303);
        works(url, 200);

        String page = given().filter(staff).formParam("form-token", csrf(staff, path)).formParam("send", "NONE")
                .formParam("confirm", "yes").post(path).then().statusCode(200).extract().asString();
        Matcher fresh = LINK.matcher(page);
        assertTrue(fresh.find(), "the new link is shown");
        works(url, 410);
        works(fresh.group(1), 200);
    }

    @Test
    void revokeAllOfAVendorAsksFirst() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String a1 = createOrderWithLink(tenant.apiKey(), uniqueReference(), "epsilon@vendor.example");
        String a2 = createOrderWithLink(tenant.apiKey(), uniqueReference(), "epsilon@vendor.example");
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        Matcher vendor = Pattern.compile("href=\"(/app/vendors/(\\d+)/revoke-links)\"")
                .matcher(given().filter(staff).get("/app/links?vendor=epsilon").asString());
        assertTrue(vendor.find(), "the links page leads to the confirmation");
        String path = vendor.group(1);

        given().filter(staff).get(path).then().statusCode(200)
                .body(allOf(containsString("Revoke all links of Vendor epsilon@vendor.example?"),
                        containsString("2 links for 2 orders stop working at once"),
                        containsString("name=\"confirm\" value=\"yes\""), containsString("Revoke 2 links"),
                        containsString("href=\"/app/links\" id=\"cancel\"")));
        given().filter(staff).redirects().follow(false).formParam("form-token", csrf(staff, path)).post(path).then()
                .statusCode(303).header("Location", endsWith(path));
        works(a1, 200);
        works(a2, 200);

        given().filter(staff).redirects().follow(false).formParam("form-token", csrf(staff, path))
                .formParam("confirm", "yes").post(path).then().statusCode(303)
                .header("Location", containsString("revoked=2"));
        works(a1, 410);
        works(a2, 410);
        given().filter(staff).get(path).then().statusCode(200).body(containsString("nothing to revoke"));

        // another organisation sees neither its vendor nor its links
        Fixtures.Tenant other = fixtures.tenant("GB");
        CookieFilter otherStaff = signIn(other.adminEmail(), Fixtures.PASSWORD);
        given().filter(otherStaff).get(path).then().statusCode(404);
    }
}
