package io.portlink.link;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.purchasing.Orders;
import io.portlink.purchasing.VendorLinkList;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.TestClock;
import io.portlink.timeline.Actor;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

@QuarkusTest
class LinkListTest {

    @Inject
    Fixtures fixtures;

    @Inject
    VendorLinkList list;

    @Inject
    Orders orders;

    @Inject
    TestClock clock;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
    }

    private List<String> refs(VendorLinkList.Show show, String vendor) {
        return list.active(tenant.id(), show, vendor, 0, 50).items().stream().map(VendorLinkList.Row::reference)
                .toList();
    }

    @Test
    void filtersByVendorExpiringSoonAndNeverOpened() {
        String opened = uniqueReference();
        String quiet = uniqueReference();
        String other = uniqueReference();
        new PortalClient(createOrderWithLink(tenant.apiKey(), opened, "alpha@vendor.example")).open("");
        createOrderWithLink(tenant.apiKey(), quiet, "alpha@vendor.example");
        createOrderWithLink(tenant.apiKey(), other, "beta@vendor.example");
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        list.setExpiry(tenant.id(), other, Fixtures.firstLinkId(tenant.apiKey(), other), today.plusDays(3),
                Actor.system());

        assertEquals(3, refs(VendorLinkList.Show.ALL, null).size());
        assertEquals(List.of(other), refs(VendorLinkList.Show.EXPIRING_SOON, null));
        assertTrue(refs(VendorLinkList.Show.NEVER_OPENED, null).containsAll(List.of(quiet, other)));
        assertTrue(!refs(VendorLinkList.Show.NEVER_OPENED, null).contains(opened));
        assertEquals(2, refs(VendorLinkList.Show.ALL, "alpha@").size());

        list.setExpiry(tenant.id(), other, Fixtures.firstLinkId(tenant.apiKey(), other), null, Actor.system());
        assertEquals(List.of(), refs(VendorLinkList.Show.EXPIRING_SOON, null), "expiry cleared");
    }

    @Test
    void revokingAllLinksOfAVendorStopsOnlyThatVendor() {
        String a1 = uniqueReference();
        String a2 = uniqueReference();
        String b = uniqueReference();
        String linkA1 = createOrderWithLink(tenant.apiKey(), a1, "gamma@vendor.example");
        String linkA2 = createOrderWithLink(tenant.apiKey(), a2, "gamma@vendor.example");
        String linkB = createOrderWithLink(tenant.apiKey(), b, "delta@vendor.example");

        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String page = given().filter(staff).get("/app/links?vendor=gamma").asString();
        Matcher vendor = Pattern.compile("/app/vendors/(\\d+)/revoke-links").matcher(page);
        assertTrue(vendor.find());
        given().filter(staff).redirects().follow(false).formParam("form-token", csrf(staff, "/app/links"))
                .formParam("confirm", "yes").post("/app/vendors/" + vendor.group(1) + "/revoke-links").then()
                .statusCode(303).header("Location", containsString("revoked=2"));

        given().header("User-Agent", PortalClient.BROWSER).get(linkA1).then().statusCode(410);
        given().header("User-Agent", PortalClient.BROWSER).get(linkA2).then().statusCode(410);
        given().header("User-Agent", PortalClient.BROWSER).get(linkB).then().statusCode(200);
        given().filter(staff).get("/app/links").then().body(not(containsString(a1))).body(containsString(b));

        // another organisation's vendor id is not found here, and nothing is revoked
        Fixtures.Tenant other = fixtures.tenant("GB");
        CookieFilter otherStaff = signIn(other.adminEmail(), Fixtures.PASSWORD);
        given().filter(otherStaff).redirects().follow(false).formParam("form-token", csrf(otherStaff, "/app/links"))
                .formParam("confirm", "yes").post("/app/vendors/" + vendor.group(1) + "/revoke-links").then()
                .statusCode(404);
        given().header("User-Agent", PortalClient.BROWSER).get(linkB).then().statusCode(200);
    }

    @Test
    void staffSetAndClearALinksExpiryFromTheOrderPage() {
        String ref = uniqueReference();
        String link = createOrderWithLink(tenant.apiKey(), ref, "eps@vendor.example");
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String token = csrf(staff, "/app/orders/" + ref);
        LocalDate tomorrow = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(1);
        String path = "/app/orders/" + ref + "/links/" + Fixtures.firstLinkId(tenant.apiKey(), ref) + "/expiry";
        given().filter(staff).redirects().follow(false).formParam("form-token", token)
                .formParam("expires", "2020-01-01").post(path).then().statusCode(422)
                .body(containsString("after today"));
        given().filter(staff).redirects().follow(false).formParam("form-token", token)
                .formParam("expires", tomorrow.toString()).post(path).then().statusCode(303);
        clock.advance(Duration.ofDays(3));
        given().header("User-Agent", PortalClient.BROWSER).get(link).then().statusCode(410);
        // clearing the expiry gives an expired (not revoked) link back its life: staff extend it on purpose
        given().filter(staff).redirects().follow(false).formParam("form-token", token).formParam("expires", "")
                .post(path).then().statusCode(303);
        given().header("User-Agent", PortalClient.BROWSER).get(link).then().statusCode(200);
    }
}
