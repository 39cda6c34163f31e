package io.portlink.portal;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.organization.Organization;
import io.portlink.purchasing.Orders;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.TestClock;
import io.portlink.timeline.Actor;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
class VendorPortalTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Orders orders;

    @Inject
    TestClock clock;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("DE");
    }

    private ValidatableResponse api(String reference) {
        return given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + reference)
                .then();
    }

    @Test
    void vendorConfirmsDatesDispatchesAndDelivers() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "flow@vendor.example"));

        Response page = vendor.open("");
        assertEquals(200, page.statusCode());
        assertTrue(page.asString().contains(ref) && page.asString().contains("Hex bolt M8"));
        assertTrue(page.asString().contains(tenant.name()), "the buyer's organisation is named");
        assertTrue(page.asString().contains("01.07.2026"), "dates are formatted for the organisation's country (DE)");

        assertEquals(303, vendor.submit(ref, "confirm", Map.of()).statusCode());
        String later = clock.instant().plus(Duration.ofDays(20)).toString().substring(0, 10);
        assertEquals(303, vendor.act(ref, "date", Map.of("date", later)).statusCode());
        assertEquals(303, vendor.act(ref, "status", Map.of("status", "DISPATCHED")).statusCode());
        assertEquals(303,
                vendor.act(ref, "tracking", Map.of("carrier", "DHL", "trackingNumber", "JD0146000")).statusCode());
        assertEquals(303, vendor.act(ref, "status", Map.of("status", "DELIVERED")).statusCode());

        api(ref).body("status", equalTo("DELIVERED")).body("expectedDate", equalTo(later))
                .body("carrier", equalTo("DHL")).body("trackingNumber", equalTo("JD0146000"))
                .body("closedAt", not(nullValue()))
                .body("timeline.findAll { it.actorType == 'LINK' }.type",
                        hasItems("CONFIRMED", "EXPECTED_DATE", "STATUS", "TRACKING"))
                .body("timeline.findAll { it.actorType == 'LINK' }.actor", hasItem(containsString("vendor link #")))
                .body("timeline.findAll { it.type == 'STATUS' }.detail",
                        hasItems("Confirmed → Dispatched", "Dispatched → Delivered"))
                .body("links[0].openCount", equalTo(5)).body("links[0].expiresAt", not(nullValue()));

        vendor.open("/orders/" + ref + "?saved=STATUS");
        assertTrue(vendor.lastPage().contains(">Geliefert</span>"), "the status, in the organisation's language");
        assertFalse(vendor.lastPage().contains("id=\"confirm\""), "no actions left on a delivered order");
    }

    @Test
    void scannersAndPreviewBotsChangeNothing() {
        String ref = uniqueReference();
        String link = createOrderWithLink(tenant.apiKey(), ref, "scan@vendor.example");

        given().header("User-Agent", "Mozilla/5.0 (compatible; Microsoft Office/16.0; Safe Links)").head(link).then()
                .statusCode(200);
        given().header("User-Agent", "Mozilla/5.0 (compatible; Mimecast URL Protect)").get(link).then().statusCode(200);
        given().header("User-Agent", "WhatsApp/2.24.1 A").get(link).then().statusCode(200);
        given().header("User-Agent", "Slackbot-LinkExpanding 1.0").get(link + "/orders").then().statusCode(200);

        api(ref).body("status", equalTo("PENDING")).body("version", equalTo(0))
                .body("timeline.type", equalTo(List.of("IMPORTED"))).body("links[0].openCount", equalTo(0))
                .body("links[0].firstOpenedAt", nullValue()).body("links[0].botOpenCount", equalTo(4));
    }

    @Test
    void doubleSubmitIsSavedOnceAndTheSamePagesOtherFormsStillApply() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "twice@vendor.example"));
        vendor.open("");
        Map<String, String> form = vendor.hidden("confirm");
        vendor.submitWith(form, ref, "confirm", Map.of()).then().statusCode(303).header("Location",
                containsString("saved=CONFIRM"));
        vendor.submitWith(form, ref, "confirm", Map.of()).then().statusCode(303).header("Location",
                containsString("saved=ALREADY"));
        api(ref).body("timeline.findAll { it.type == 'CONFIRMED' }.size()", equalTo(1));

        // the same page's note form is a submission of its own, although the order changed since the page was drawn
        vendor.submit(ref, "note", Map.of("note", "hello")).then().statusCode(303).header("Location",
                containsString("saved=NOTE"));
        api(ref).body("vendorNote", equalTo("hello"));

        // a nonce nobody issued: nothing changes, and the page says so in the vendor's language
        Map<String, String> made = vendor.hidden("note");
        made.put("nonce", "another-form-of-the-same-page");
        Response refused = vendor.submitWith(made, ref, "note", Map.of("note", "forged"));
        assertEquals(403, refused.statusCode());
        assertTrue(refused.asString().contains("Dieses Formular konnte nicht angenommen werden"));
        api(ref).body("vendorNote", equalTo("hello"));
    }

    /**
     * Forms of one page posted at the same moment commit in any order: a later commit carrying an earlier time never
     * moves the link's last open back, nor before its first.
     */
    @Test
    void aLinksLastOpenOnlyMovesForward() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "forward@vendor.example"));
        vendor.open("");
        Map<String, String> note = vendor.hidden("note");
        Map<String, String> confirm = vendor.hidden("confirm");
        Instant later = clock.instant();
        vendor.submitWith(note, ref, "note", Map.of("note", "first")).then().statusCode(303);
        // the confirm stamped a second earlier, committing after the note
        clock.set(later.minusSeconds(1));
        try {
            vendor.submitWith(confirm, ref, "confirm", Map.of()).then().statusCode(303);
        } finally {
            clock.set(later);
        }
        api(ref).body("links[0].firstOpenedAt", equalTo(later.toString())).body("links[0].lastOpenedAt",
                equalTo(later.toString()));
    }

    @Test
    void aHiddenVersionChangedOnItsWayGetsThePageAgainInTheVendorsLanguage() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "garbled@vendor.example"));
        vendor.open("/orders/" + ref);
        Map<String, String> garbled = new java.util.HashMap<>(vendor.hidden("confirm"));
        garbled.put("version", "abc");
        Response refused = vendor.submitWith(garbled, ref, "confirm", Map.of());
        assertEquals(409, refused.statusCode());
        assertTrue(refused.contentType().startsWith("text/html"), refused.contentType());
        assertTrue(refused.asString().contains("Dieses Formular konnte nicht angenommen werden"), refused.asString());
        api(ref).body("status", equalTo("PENDING")).body("timeline.type", not(hasItem("CONFIRMED")));
    }

    @Test
    void declineNeedsAReasonAndConfirmDoesNotUndoIt() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "decline@vendor.example"));
        Response noReason = vendor.act(ref, "decline", Map.of("reason", "  "));
        assertEquals(422, noReason.statusCode());
        assertTrue(noReason.asString().contains("Bitte schreiben Sie, warum Sie die Bestellung nicht liefern können"));

        assertEquals(303, vendor.act(ref, "decline", Map.of("reason", "Out of stock until March")).statusCode());
        api(ref).body("status", equalTo("DECLINED")).body("declineReason", equalTo("Out of stock until March"));

        // a confirm posted to a declined order (an old tab) shows the order as it is now and explains the way back
        Response confirm = vendor.act(ref, "confirm", Map.of());
        assertEquals(409, confirm.statusCode());
        assertTrue(confirm.asString().contains("Diese Bestellung wurde zwischenzeitlich geändert"));
        assertTrue(confirm.asString().contains("Ich kann doch liefern"));
        api(ref).body("status", equalTo("DECLINED")).body("closedAt", not(nullValue())).body("timeline.type",
                not(hasItem("CONFIRMED")));
    }

    /**
     * An order nobody changed since its import is at version 0, and Qute takes 0 for false: every form of its page
     * still carries the version the page showed, so a form drawn before another tab's change is told the order changed
     * meanwhile (409, the order as it is now) and changes nothing.
     */
    @Test
    void formsOfAnOrderAtVersionZeroCarryItsVersion() {
        String ref = uniqueReference();
        String link = createOrderWithLink(tenant.apiKey(), ref, "zero@vendor.example");
        PortalClient first = new PortalClient(link);
        PortalClient second = new PortalClient(link);
        first.open("/orders/" + ref);
        second.open("/orders/" + ref);
        api(ref).body("version", equalTo(0));

        String page = first.lastPage();
        int forms = page.split("name=\"nonce\"", -1).length - 1;
        assertTrue(forms >= 4, "confirm, decline, date, note and the others: " + forms);
        assertEquals(forms, page.split("<input type=\"hidden\" name=\"version\" value=\"0\">", -1).length - 1,
                "every form carries the version its page showed");
        assertEquals("0", first.hidden("confirm").get("version"));

        assertEquals(303, second.submit(ref, "decline", Map.of("reason", "Out of stock")).statusCode());
        Response old = first.submit(ref, "confirm", Map.of());
        assertEquals(409, old.statusCode());
        assertTrue(old.asString().contains("Diese Bestellung wurde zwischenzeitlich geändert"));
        api(ref).body("status", equalTo("DECLINED")).body("timeline.type", not(hasItem("CONFIRMED")));
    }

    @Test
    void aPastDateAndABackwardsStatusAreRefusedWithAReason() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "rules@vendor.example"));
        Response past = vendor.act(ref, "date", Map.of("date", "2020-01-01"));
        assertEquals(422, past.statusCode());
        assertTrue(past.asString().contains("liegt in der Vergangenheit"));
        vendor.act(ref, "status", Map.of("status", "DISPATCHED"));
        Response back = vendor.act(ref, "status", Map.of("status", "PREPARING"));
        assertEquals(422, back.statusCode());
        api(ref).body("status", equalTo("DISPATCHED")).body("expectedDate", nullValue());
    }

    @Test
    void aLinkReachesItsVendorsOrdersOnly() {
        String mine = uniqueReference();
        String alsoMine = uniqueReference();
        String theirs = uniqueReference();
        String link = createOrderWithLink(tenant.apiKey(), mine, "own@vendor.example");
        createOrderWithLink(tenant.apiKey(), alsoMine, "own@vendor.example");
        createOrderWithLink(tenant.apiKey(), theirs, "other@vendor.example");

        String list = given().header("User-Agent", PortalClient.BROWSER).get(link + "/orders").then().statusCode(200)
                .extract().asString();
        assertTrue(list.contains(mine) && list.contains(alsoMine));
        assertFalse(list.contains(theirs));

        given().header("User-Agent", PortalClient.BROWSER).get(link + "/orders/" + alsoMine).then().statusCode(200)
                .body(containsString(alsoMine));
        String notOnLink = given().header("User-Agent", PortalClient.BROWSER).get(link + "/orders/" + theirs).then()
                .statusCode(404).body(not(containsString(theirs))).extract().asString();
        // the link works: the page says the order is not on it, in the vendor's language (this organisation's German),
        // and leads to the vendor's own orders
        assertTrue(notOnLink.contains("Diese Bestellung gehört nicht zu Ihrem Link"), notOnLink);
        assertTrue(notOnLink.contains("href=\"" + java.net.URI.create(link).getPath() + "\" id=\"my-orders\""),
                notOnLink);
        String noSuchOrder = given().header("User-Agent", PortalClient.BROWSER).get(link + "/orders/PO-NO-SUCH-ORDER")
                .then().statusCode(404).extract().asString();
        assertEquals(notOnLink, noSuchOrder, "the same answer whether another vendor's order exists or not");
        String unknownLink = link.substring(0, link.length() - 4) + "AAAA";
        given().header("User-Agent", PortalClient.BROWSER).get(unknownLink + "/orders/" + mine).then().statusCode(404)
                .body(containsString("This link is not available")).body(not(containsString("my-orders")));
        PortalClient vendor = new PortalClient(link);
        vendor.open("");
        assertEquals(404, vendor.submit(theirs, "confirm", Map.of()).statusCode());
        api(theirs).body("status", equalTo("PENDING"));
    }

    @Test
    void revokedExpiredLockedAndUnknownLinksShowTheNeutralPage() {
        String revokedRef = uniqueReference();
        String revoked = createOrderWithLink(tenant.apiKey(), revokedRef, "gone@vendor.example");
        long linkId = Fixtures.firstLinkId(tenant.apiKey(), revokedRef);
        orders.revokeLink(tenant.id(), revokedRef, linkId, Actor.system());
        neutral(revoked, 410, revokedRef);

        String expiredRef = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), expiredRef, "old@vendor.example"));
        vendor.act(expiredRef, "status", Map.of("status", "DELIVERED"));
        clock.advance(Duration.ofDays(29));
        vendor.open("").then().statusCode(200);
        clock.advance(Duration.ofDays(2));
        neutral(vendor.link(), 410, expiredRef);

        String lockedRef = uniqueReference();
        String locked = createOrderWithLink(tenant.apiKey(), lockedRef, "locked@vendor.example");
        fixtures.setStatus(tenant.id(), Organization.Status.LOCKED);
        neutral(locked, 410, lockedRef);
        fixtures.setStatus(tenant.id(), Organization.Status.ACTIVE);
        given().header("User-Agent", PortalClient.BROWSER).get(locked).then().statusCode(200);

        neutral("/v/pv_" + "A".repeat(43), 404, "PO-");
        neutral("/v/not-a-token", 404, "PO-");
    }

    private static void neutral(String link, int status, String reference) {
        String body = given().header("User-Agent", PortalClient.BROWSER).get(link).then().statusCode(status)
                .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer").extract().asString();
        assertTrue(body.contains("This link is not available"));
        assertFalse(body.contains(reference), "the neutral page names no order");
    }

    @Test
    void everyPortalResponseCarriesTheLeakProofHeaders() {
        String ref = uniqueReference();
        String link = createOrderWithLink(tenant.apiKey(), ref, "headers@vendor.example");
        PortalClient vendor = new PortalClient(link);
        List<Response> responses = List.of(vendor.open(""), vendor.open("/orders"),
                vendor.submit(ref, "confirm", Map.of()), given().get("/v/pv_unknown"), given().head(link));
        for (Response r : responses) {
            assertEquals("no-referrer", r.header("Referrer-Policy"));
            assertEquals("noindex, nofollow", r.header("X-Robots-Tag"));
            assertEquals("no-store", r.header("Cache-Control"));
            assertTrue(r.header("Content-Security-Policy").contains("default-src 'self'"));
            assertTrue(r.header("Content-Security-Policy").contains("frame-ancestors 'none'"));
        }
        String html = responses.get(0).asString();
        assertTrue(html.contains("<title>Portlink</title>"), "no order data in the title");
        assertFalse(html.contains("og:"), "no preview tags");
        assertFalse(html.matches("(?s).*<script[^>]*src=\"https?://.*"), "no third-party scripts");
    }
}
