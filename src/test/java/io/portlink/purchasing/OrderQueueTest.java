package io.portlink.purchasing;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.purchasing.OrderQueue.Bucket;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.TestClock;
import io.portlink.timeline.Actor;
import io.quarkus.test.junit.QuarkusTest;

/** Each bucket of the action queue, at the edges of its threshold, with a clock the test moves. */
@QuarkusTest
class OrderQueueTest {

    @Inject
    Fixtures fixtures;

    @Inject
    OrderQueue queue;

    @Inject
    Orders orders;

    @Inject
    TestClock clock;

    @Inject
    io.portlink.organization.Organizations organizations;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB"); // thresholds: 48 h pending response, 7 days stale
    }

    private List<String> in(Bucket bucket) {
        return queue.page(tenant.id(), new OrderQueue.Filter(bucket, null, null, null), 0, 200).items().stream()
                .map(OrderQueue.Row::reference).toList();
    }

    private String sentOrder() {
        String ref = uniqueReference();
        createOrderWithLink(tenant.apiKey(), ref, ref.toLowerCase() + "@vendor.example");
        orders.markSent(tenant.id(), ref, Actor.system(), "WhatsApp");
        return ref;
    }

    @Test
    void pendingResponseAfterExactlyNHoursUntilConfirmed() {
        String ref = sentOrder();
        clock.advance(Duration.ofHours(48));
        assertFalse(in(Bucket.PENDING_RESPONSE).contains(ref), "at 48 h it is not late yet");
        clock.advance(Duration.ofSeconds(1));
        assertTrue(in(Bucket.PENDING_RESPONSE).contains(ref), "past 48 h it is");

        new PortalClient(linkOf(ref)).act(ref, "confirm", Map.of()).then().statusCode(303);
        assertFalse(in(Bucket.PENDING_RESPONSE).contains(ref), "the vendor answered");
    }

    @Test
    void neverOpenedCountsPeopleNotBots() {
        String ref = sentOrder();
        String link = linkOf(ref);
        assertTrue(in(Bucket.NEVER_OPENED).contains(ref));
        io.restassured.RestAssured.given().header("User-Agent", "Mozilla/5.0 (compatible; Mimecast)").get(link).then()
                .statusCode(200);
        io.restassured.RestAssured.given().head(link).then().statusCode(200);
        assertTrue(in(Bucket.NEVER_OPENED).contains(ref), "scanner opens do not count");
        new PortalClient(link).open("").then().statusCode(200);
        assertFalse(in(Bucket.NEVER_OPENED).contains(ref), "a person opened it");

        String notSent = uniqueReference();
        createOrderWithLink(tenant.apiKey(), notSent, "quiet@vendor.example");
        assertFalse(in(Bucket.NEVER_OPENED).contains(notSent), "a link nobody sent cannot be unopened");
    }

    @Test
    void anOrderTheVendorAnsweredIsNotNeverOpened() {
        String ref = sentOrder();
        assertTrue(in(Bucket.NEVER_OPENED).contains(ref));
        // the vendor confirmed through its link without a recorded person's open (e.g. the confirm posted at once)
        new PortalClient(linkOf(ref)).act(ref, "confirm", Map.of()).then().statusCode(303);
        assertFalse(in(Bucket.NEVER_OPENED).contains(ref), "the vendor answered, so it saw the order");
        assertEquals(0L, (long) queue.counts(tenant.id()).getOrDefault(Bucket.NEVER_OPENED, 0L),
                "the count agrees with the list");
    }

    @Test
    void overdueWhenTheDueDateHasPassedAndTheOrderIsOpen() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        String ref = uniqueReference();
        String link = createOrderWithLink(tenant.apiKey(), ref, "late@vendor.example");
        PortalClient vendor = new PortalClient(link);
        vendor.act(ref, "date", Map.of("date", today.plusDays(1).toString())).then().statusCode(303);
        assertFalse(in(Bucket.OVERDUE).contains(ref));
        clock.advance(Duration.ofDays(1));
        assertFalse(in(Bucket.OVERDUE).contains(ref), "due today is not overdue");
        clock.advance(Duration.ofDays(1));
        assertTrue(in(Bucket.OVERDUE).contains(ref));
        vendor.act(ref, "status", Map.of("status", "DELIVERED")).then().statusCode(303);
        assertFalse(in(Bucket.OVERDUE).contains(ref), "delivered orders are never overdue");
    }

    @Test
    void staleAfterNDaysWithoutVendorActivity() {
        String ref = sentOrder();
        PortalClient vendor = new PortalClient(linkOf(ref));
        clock.advance(Duration.ofDays(3));
        vendor.act(ref, "confirm", Map.of()).then().statusCode(303);
        clock.advance(Duration.ofDays(7));
        assertFalse(in(Bucket.STALE).contains(ref), "exactly 7 days after the last activity");
        clock.advance(Duration.ofMinutes(1));
        assertTrue(in(Bucket.STALE).contains(ref));
        vendor.act(ref, "note", Map.of("note", "still on it")).then().statusCode(303);
        assertFalse(in(Bucket.STALE).contains(ref));
    }

    @Test
    void declinedAndDeadMailBucketsAndCounts() {
        String declined = uniqueReference();
        new PortalClient(createOrderWithLink(tenant.apiKey(), declined, "no@vendor.example"))
                .act(declined, "decline", Map.of("reason", "discontinued")).then().statusCode(303);
        assertEquals(List.of(declined), in(Bucket.DECLINED));

        Map<Bucket, Long> counts = queue.counts(tenant.id());
        assertEquals(1L, counts.get(Bucket.DECLINED));
        assertEquals(0L, counts.get(Bucket.DEAD_MAIL));
        assertEquals(in(Bucket.OVERDUE).size(), counts.get(Bucket.OVERDUE).intValue());
    }

    @Test
    void searchMatchesReferenceTrackingOrVendorAndSortsAndPages() {
        String a = "QA-" + uniqueReference();
        String b = "QB-" + uniqueReference();
        PortalClient vendorA = new PortalClient(createOrderWithLink(tenant.apiKey(), a, "acme-search@vendor.example"));
        createOrderWithLink(tenant.apiKey(), b, "other-search@vendor.example");
        vendorA.act(a, "tracking", Map.of("carrier", "UPS", "trackingNumber", "1Z999AA10123456784")).then()
                .statusCode(303);

        assertEquals(List.of(a), refs(new OrderQueue.Filter(null, null, a, null)), "by reference");
        assertEquals(List.of(a), refs(new OrderQueue.Filter(null, null, " 1Z999AA10123456784 ", null)),
                "by tracking number");
        assertEquals(List.of(a), refs(new OrderQueue.Filter(null, null, "ACME-search", null)),
                "by vendor name, any case");
        var both = new OrderQueue.Filter(null, null, "search@vendor", OrderQueue.Sort.REFERENCE);
        assertEquals(List.of(a, b), refs(both));
        assertEquals(2, queue.page(tenant.id(), both, 0, 1).total());
        assertEquals(List.of(b),
                queue.page(tenant.id(), both, 1, 1).items().stream().map(OrderQueue.Row::reference).toList());
        assertEquals(List.of(), refs(new OrderQueue.Filter(null, null, "100%_match", null)),
                "LIKE wildcards are literal");
    }

    @Test
    void thresholdsComeFromTheOrganisationsSettings() {
        String ref = sentOrder();
        clock.advance(Duration.ofHours(5));
        assertFalse(in(Bucket.PENDING_RESPONSE).contains(ref));
        organizations.setQueueThresholds(tenant.id(), 4, 7);
        assertTrue(in(Bucket.PENDING_RESPONSE).contains(ref), "4 hours now count as late");
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.portlink.platform.ValidationException.class,
                () -> organizations.setQueueThresholds(tenant.id(), 0, 400));
        assertEquals(2, e.errors().size());
    }

    private List<String> refs(OrderQueue.Filter filter) {
        return queue.page(tenant.id(), filter, 0, 50).items().stream().map(OrderQueue.Row::reference).toList();
    }

    /** Issues a fresh link for an order (the test needs one it can open). */
    private String linkOf(String ref) {
        long linkId = Fixtures.firstLinkId(tenant.apiKey(), ref);
        String url = orders.regenerateLink(tenant.id(), ref, linkId, Actor.system(), SendOption.NONE).orElseThrow()
                .url();
        return url.substring(url.indexOf("/v/"));
    }
}
