package io.portlink.link;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.platform.ConflictException;
import io.portlink.platform.ValidationException;
import io.portlink.purchasing.Orders;
import io.portlink.purchasing.SendOption;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.TestClock;
import io.portlink.timeline.Actor;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

@QuarkusTest
class LinkManagementTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Orders orders;

    @Inject
    TestClock clock;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
    }

    private static String path(Links.Issued issued) {
        return issued.url().substring(issued.url().indexOf("/v/"));
    }

    @Test
    void eachRecipientHasTheirOwnLinkRevokeAndAttribution() {
        String ref = uniqueReference();
        String main = createOrderWithLink(tenant.apiKey(), ref, "sales@vendor.example");
        Links.Issued second = orders
                .addLink(tenant.id(), ref, "J. Smith", "j.smith@vendor.example", null, Actor.system()).orElseThrow();
        String other = path(second);

        new PortalClient(other).act(ref, "confirm", Map.of()).then().statusCode(303);
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then().body(
                "timeline.find { it.type == 'CONFIRMED' }.actor",
                containsString("vendor link #" + second.linkId() + " (J. Smith, j.smith@vendor.example)"));

        orders.revokeLink(tenant.id(), ref, second.linkId(), Actor.system());
        given().header("User-Agent", PortalClient.BROWSER).get(other).then().statusCode(410);
        given().header("User-Agent", PortalClient.BROWSER).get(main).then().statusCode(200);
    }

    @Test
    void aRecipientLinkCanExpireOnItsOwn() {
        String ref = uniqueReference();
        createOrderWithLink(tenant.apiKey(), ref, "exp@vendor.example");
        LocalDate tomorrow = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(1);
        String temp = path(orders.addLink(tenant.id(), ref, "Courier", "+44 20 7946 0009", tomorrow, Actor.system())
                .orElseThrow());
        given().header("User-Agent", PortalClient.BROWSER).get(temp).then().statusCode(200);
        clock.advance(Duration.ofDays(3));
        given().header("User-Agent", PortalClient.BROWSER).get(temp).then().statusCode(410);
        var e = org.junit.jupiter.api.Assertions.assertThrows(ValidationException.class,
                () -> orders.addLink(tenant.id(), ref, "", "not contact", LocalDate.of(2020, 1, 1), Actor.system()));
        assertEquals(List.of("name", "contact", "expires"), e.errors().stream().map(x -> x.field()).toList());
    }

    @Test
    void regeneratingTwiceAtOnceLeavesExactlyOneActiveLink() throws Exception {
        String ref = uniqueReference();
        createOrderWithLink(tenant.apiKey(), ref, "race@vendor.example");
        long linkId = Fixtures.firstLinkId(tenant.apiKey(), ref);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<String> outcomes = new ArrayList<>();
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Callable<String> regenerate = () -> {
                    start.await();
                    try {
                        return orders.regenerateLink(tenant.id(), ref, linkId, Actor.system(), SendOption.NONE)
                                .map(x -> "issued").orElse("missing");
                    } catch (ConflictException e) {
                        return "conflict";
                    }
                };
                results.add(pool.submit(regenerate));
            }
            start.countDown();
            for (Future<String> f : results) {
                outcomes.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        outcomes.sort(String::compareTo);
        assertEquals(List.of("conflict", "issued"), outcomes);
        assertEquals(1L, activeLinks(ref));
    }

    @Transactional
    long activeLinks(String ref) {
        return AccessLink.count("purchaseOrderId = (select o.id from PurchaseOrder o where o.reference = ?1"
                + " and o.organization.id = ?2) and revokedAt is null", ref, tenant.id());
    }

    @Transactional
    long requests(String ref) {
        return LinkRequest.count("link.purchaseOrderId = (select o.id from PurchaseOrder o where o.reference = ?1"
                + " and o.organization.id = ?2)", ref, tenant.id());
    }

    long notices(String ref) {
        return io.portlink.purchasing.BuyerNotice.count("purchaseOrderId = (select o.id from PurchaseOrder o"
                + " where o.reference = ?1 and o.organization.id = ?2)", ref, tenant.id());
    }

    @Test
    void aGoneLinkCanAskForANewOneOnceAndStaffAnswerIt() {
        String ref = uniqueReference();
        String link = createOrderWithLink(tenant.apiKey(), ref, "ask@vendor.example");
        orders.revokeLink(tenant.id(), ref, Fixtures.firstLinkId(tenant.apiKey(), ref), Actor.system());

        PortalClient holder = new PortalClient(link);
        holder.open("").then().statusCode(410).body(containsString("Ask for a new link"))
                .body(not(containsString(ref)));
        holder.open("").then().statusCode(410);
        assertEquals(0, requests(ref), "opening the page asks for nothing");

        Map<String, String> form = holder.hidden("request-link");
        for (int i = 0; i < 5; i++) {
            given().header("User-Agent", PortalClient.BROWSER).formParams(form).post(link + "/request-link").then()
                    .statusCode(410).body(containsString("request for a new link has been passed on"))
                    .body(not(containsString(ref)));
        }
        assertEquals(1, requests(ref), "five clicks, one request");
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("timeline.type", org.hamcrest.Matchers.hasItem("LINK_REQUESTED"));

        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        given().filter(staff).get("/app/orders").then().body(containsString("Asking for a new link"))
                .body(containsString("data-reference=\"" + ref + "\""));
        given().filter(staff).redirects().follow(false).formParam("form-token", csrf(staff, "/app/orders"))
                .post("/app/orders/" + ref + "/resend").then().statusCode(303);
        given().filter(staff).get("/app/orders").then().body(not(containsString("Asking for a new link")));
        assertEquals(1L, activeLinks(ref));

        // an unknown token cannot ask, and its page offers nothing
        given().get("/v/pv_" + "B".repeat(43)).then().statusCode(404).body(not(containsString("Ask for a new link")));
        assertEquals(1, requests(ref));
    }

    /**
     * A locked organisation's link shows the page of any gone link, "Ask for a new link" included, and that page must
     * not lie: the request is recorded like any other (the page does not tell that the organisation is locked), and
     * staff find it in their queue once the organisation is active again.
     */
    @Test
    void aLockedOrganisationsLinkAsksForANewOneLikeAnyOtherAndStaffSeeItOnceActive() {
        String ref = uniqueReference();
        String link = createOrderWithLink(tenant.apiKey(), ref, "locked@vendor.example");
        fixtures.setStatus(tenant.id(), io.portlink.organization.Organization.Status.LOCKED);
        try {
            PortalClient holder = new PortalClient(link);
            String page = holder.open("").then().statusCode(410).body(containsString("Ask for a new link"))
                    .body(not(containsString(ref))).extract().asString().toLowerCase(java.util.Locale.ROOT);
            for (String telling : List.of("lock", "suspend", "billing", "account")) {
                org.junit.jupiter.api.Assertions.assertFalse(page.contains(telling), telling + " in " + page);
            }
            Map<String, String> form = holder.hidden("request-link");
            given().header("User-Agent", PortalClient.BROWSER).formParams(form).post(link + "/request-link").then()
                    .statusCode(410).body(containsString("request for a new link has been passed on"))
                    .body(not(containsString(ref)));
            assertEquals(1, requests(ref), "the page said the request was passed on: it is");
            assertEquals(0, notices(ref), "no mail to staff on behalf of a locked organisation");
        } finally {
            fixtures.setStatus(tenant.id(), io.portlink.organization.Organization.Status.ACTIVE);
        }
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        given().filter(staff).get("/app/orders").then().body(containsString("Asking for a new link"))
                .body(containsString("data-reference=\"" + ref + "\""));
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("timeline.type", org.hamcrest.Matchers.hasItem("LINK_REQUESTED"));
    }
}
