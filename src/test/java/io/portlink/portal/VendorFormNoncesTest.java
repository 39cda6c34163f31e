package io.portlink.portal;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.purchasing.Orders;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.TestClock;
import io.portlink.timeline.Actor;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Every form of a vendor page carries its own nonce, signed by the server for that form, link and order: one page,
 * several actions, each applied; a nonce of another form, link or order, or one the server never issued, changes
 * nothing (403, in the vendor's language); a page open for longer than the forms live is drawn again.
 */
@QuarkusTest
class VendorFormNoncesTest {

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    @Inject
    Orders orders;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("DE");
    }

    private JsonPath order(String reference) {
        return given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + reference)
                .then().statusCode(200).extract().jsonPath();
    }

    private String date(int days) {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(days).toString();
    }

    /** The first example: the decline was dropped as "already saved". */
    @Test
    void confirmThenDeclineFromOnePageBothApply() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "both@vendor.example"));
        vendor.open("").then().statusCode(200);
        Map<String, String> confirm = vendor.hidden("confirm");
        Map<String, String> decline = vendor.hidden("decline");
        assertNotEquals(confirm.get("nonce"), decline.get("nonce"), "each form has its own nonce");

        vendor.submitWith(confirm, ref, "confirm", Map.of()).then().statusCode(303).header("Location",
                containsString("saved=CONFIRM"));
        vendor.submitWith(decline, ref, "decline", Map.of("reason", "Werk abgebrannt")).then().statusCode(303)
                .header("Location", containsString("saved=DECLINE"));

        JsonPath after = order(ref);
        assertEquals("DECLINED", after.getString("status"));
        assertEquals("Werk abgebrannt", after.getString("declineReason"));
        List<String> events = after.getList("timeline.type", String.class);
        assertTrue(events.indexOf("CONFIRMED") >= 0 && events.contains("DECLINED"), "both on the timeline: " + events);
    }

    /**
     * The browser's Back shows a form already sent; a vendor who changes it and sends it again must not read "already
     * saved" over a change that was never applied: the order as it is, with what was typed, and nothing changed.
     */
    @Test
    void aSentFormSentAgainWithOtherValuesIsNotAlreadySaved() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "back@vendor.example"));
        vendor.open("").then().statusCode(200);
        Map<String, String> dateForm = vendor.hidden("date");
        Map<String, String> noteForm = vendor.hidden("note");
        vendor.submitWith(dateForm, ref, "date", Map.of("date", date(12))).then().statusCode(303);
        vendor.submitWith(noteForm, ref, "note", Map.of("note", "Lieferung in zwei Teilen")).then().statusCode(303);

        Response date = vendor.submitWith(dateForm, ref, "date", Map.of("date", date(14)));
        assertEquals(409, date.statusCode());
        String page = date.asString();
        assertTrue(page.contains("Dieses Formular wurde bereits einmal mit anderen Werten gesendet"), page);
        assertTrue(page.contains("value=\"" + date(14) + "\""), "what was typed is shown again");
        Response note = vendor.submitWith(noteForm, ref, "note", Map.of("note", "Doch alles auf einmal"));
        assertEquals(409, note.statusCode());
        assertTrue(note.asString().contains("Doch alles auf einmal"), "the note typed is kept");
        JsonPath after = order(ref);
        assertEquals(date(12), after.getString("expectedDate"), "the second date was not applied");
        assertEquals("Lieferung in zwei Teilen", after.getString("vendorNote"));

        // the address of the refused form opened again (a reload, a restored tab): back to the order, nothing done
        for (String action : List.of("date", "note", "ship", "tracking", "confirm", "acknowledge-cancel")) {
            Response reopened = given().redirects().follow(false).get(vendor.link() + "/orders/" + ref + "/" + action);
            assertEquals(303, reopened.statusCode(), action);
            assertTrue(reopened.header("Location").endsWith(vendor.link() + "/orders/" + ref),
                    reopened.header("Location"));
        }
        assertEquals(date(12), order(ref).getString("expectedDate"));

        // the same values again are the double click they look like
        vendor.submitWith(dateForm, ref, "date", Map.of("date", date(12))).then().statusCode(303).header("Location",
                containsString("saved=ALREADY"));
        // and the page drawn again takes the change
        vendor.open("").then().statusCode(200);
        vendor.submit(ref, "date", Map.of("date", date(14))).then().statusCode(303).header("Location",
                containsString("saved=EXPECTED_DATE"));
        assertEquals(date(14), order(ref).getString("expectedDate"));
    }

    /** The second example: the tracking number was dropped. */
    @Test
    void aDateThenATrackingNumberFromOnePageBothApply() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "track@vendor.example"));
        vendor.open("").then().statusCode(200);
        vendor.submit(ref, "date", Map.of("date", date(12))).then().statusCode(303).header("Location",
                containsString("saved=EXPECTED_DATE"));
        vendor.submit(ref, "tracking", Map.of("carrier", "DHL", "trackingNumber", "JD0146000")).then().statusCode(303)
                .header("Location", containsString("saved=TRACKING"));
        // and the same two forms again: a double click each, nothing more
        vendor.submit(ref, "date", Map.of("date", date(12))).then().header("Location", containsString("saved=ALREADY"));
        vendor.submit(ref, "tracking", Map.of("carrier", "DHL", "trackingNumber", "JD0146000")).then()
                .header("Location", containsString("saved=ALREADY"));

        JsonPath after = order(ref);
        assertEquals(date(12), after.getString("expectedDate"));
        assertEquals("JD0146000", after.getString("trackingNumber"));
        assertEquals(1, after.getList("timeline.findAll { it.type == 'TRACKING' }").size());
        assertEquals(1, after.getList("timeline.findAll { it.type == 'EXPECTED_DATE' }").size());
    }

    @Test
    void aNonceOfOneFormIsRefusedOnAnother() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "swap@vendor.example"));
        vendor.open("").then().statusCode(200);
        Response swapped = vendor.submitWith(vendor.hidden("note"), ref, "decline", Map.of("reason", "nope"));
        assertEquals(403, swapped.statusCode());
        assertTrue(swapped.asString().contains("Dieses Formular konnte nicht angenommen werden"), swapped.asString());
        assertUntouched(ref);
        // the page it answers with has working forms
        vendor.submit(ref, "note", Map.of("note", "hallo")).then().statusCode(303);
    }

    @Test
    void aNonceOfAnotherLinkOrAnotherOrderIsRefused() {
        String ref = uniqueReference();
        String other = uniqueReference();
        String sibling = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "mine@vendor.example"));
        // the same vendor's second order: reachable through the first link, yet its own forms
        createOrderWithLink(tenant.apiKey(), sibling, "mine@vendor.example");
        PortalClient stranger = new PortalClient(createOrderWithLink(tenant.apiKey(), other, "other@vendor.example"));
        vendor.open("").then().statusCode(200);
        stranger.open("").then().statusCode(200);

        Map<String, String> borrowed = vendor.hidden("confirm");
        borrowed.put("nonce", stranger.hidden("confirm").get("nonce"));
        assertEquals(403, vendor.submitWith(borrowed, ref, "confirm", Map.of()).statusCode(), "another link's nonce");
        assertEquals(403, vendor.submitWith(vendor.hidden("confirm"), sibling, "confirm", Map.of()).statusCode(),
                "another order's nonce, on the same link");
        assertUntouched(ref);
        assertUntouched(sibling);
        assertUntouched(other);
    }

    @Test
    void aNonceTheServerNeverIssuedIsRefused() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "forged@vendor.example"));
        vendor.open("").then().statusCode(200);
        String real = vendor.hidden("confirm").get("nonce");
        String[] parts = real.split("\\.");
        String[] forged = { null, "", "x", "a".repeat(5000),
                parts[0] + "." + parts[1] + "." + "A".repeat(43) + "." + parts[3],
                Long.toString(Long.parseLong(parts[0], 36) + 1, 36) + "." + parts[1] + "." + parts[2] + "." + parts[3],
                parts[0] + "." + "B".repeat(16) + "." + parts[2] + "." + parts[3], real + ".",
                // another revision than the page showed: the signature covers it
                parts[0] + "." + parts[1] + "." + parts[2] + "."
                        + Integer.toString(Integer.parseInt(parts[3], 36) + 1, 36),
                parts[0] + "." + parts[1] + "." + parts[2] };
        for (String nonce : forged) {
            Map<String, String> form = vendor.hidden("confirm");
            if (nonce == null) {
                form.remove("nonce");
            } else {
                form.put("nonce", nonce);
            }
            Response answer = vendor.submitWith(form, ref, "confirm", Map.of());
            assertEquals(403, answer.statusCode(), "nonce " + nonce);
            assertTrue(answer.asString().contains("Dieses Formular konnte nicht angenommen werden"));
        }
        assertUntouched(ref);
    }

    /** Every post to a vendor form without its nonce changes nothing, whatever its body: 403, in German. */
    @Test
    void postsThatAreNoFormChangeNothing() throws Exception {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "body@vendor.example"));
        vendor.open("").then().statusCode(200);
        String url = Fixtures.BASE_URL + vendor.link() + "/orders/" + ref + "/confirm";
        HttpClient http = HttpClient.newHttpClient();
        List<HttpRequest> requests = List.of(
                HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("nonce=x&version=0")).build(),
                HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"nonce\":\"x\",\"version\":0}")).build(),
                HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "multipart/form-data; boundary=b")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "--b\r\nContent-Disposition: form-data; name=\"nonce\"" + "\r\n\r\nx\r\n--b--\r\n"))
                        .build());
        for (HttpRequest request : requests) {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            String what = request.headers().firstValue("Content-Type").orElse("no body") + ": " + answer.body();
            // 403 when the portal refuses it; 400 when the body cannot be read as the form it claims to be
            assertTrue(answer.statusCode() == 403 || answer.statusCode() == 400, answer.statusCode() + " " + what);
            // (a multipart body is a form the portal reads, since the ship form is posted so: its forged nonce is
            // refused on the order's page)
            assertTrue(
                    answer.body().contains("Bitte senden Sie das noch einmal") || answer.body()
                            .contains("Dieses Formular konnte nicht angenommen werden, es wurde nichts geändert"),
                    what);
        }
        assertUntouched(ref);
    }

    /** A page left open for a day still works; after two days it is drawn again, with nothing changed. */
    @Test
    void anOldPageIsDrawnAgainAndThenWorks() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "old@vendor.example"));
        vendor.open("").then().statusCode(200);
        Map<String, String> note = vendor.hidden("note");
        clock.advance(Duration.ofHours(47));
        vendor.submitWith(note, ref, "note", Map.of("note", "nach dem Wochenende")).then().statusCode(303);

        Map<String, String> date = vendor.hidden("date");
        clock.advance(Duration.ofHours(2)); // 49 hours after the page was drawn
        Response old = vendor.submitWith(date, ref, "date", Map.of("date", date(10)));
        assertEquals(409, old.statusCode());
        assertTrue(old.asString().contains("Diese Seite war sehr lange geöffnet"), old.asString());
        assertTrue(old.asString().contains("name=\"nonce\""), "drawn again, with forms");
        assertEquals(null, order(ref).getString("expectedDate"), "nothing saved");

        vendor.act(ref, "date", Map.of("date", date(10))).then().statusCode(303);
        assertEquals(date(10), order(ref).getString("expectedDate"));
    }

    /** The neutral page of a gone link: its "ask for a new link" form has a nonce of its own, and needs it. */
    @Test
    void askingForANewLinkNeedsItsFormsNonce() {
        String ref = uniqueReference();
        String link = createOrderWithLink(tenant.apiKey(), ref, "gone@vendor.example");
        PortalClient active = new PortalClient(link);
        active.open("").then().statusCode(200);
        orders.revokeLink(tenant.id(), ref, Fixtures.firstLinkId(tenant.apiKey(), ref), Actor.system());
        PortalClient holder = new PortalClient(link);
        holder.open("").then().statusCode(410);
        Map<String, String> form = holder.hidden("request-link");

        Map<String, String> forged = new HashMap<>(form);
        forged.put("nonce", active.hidden("note").get("nonce")); // a nonce of the same link's other form
        given().formParams(forged).post(link + "/request-link").then().statusCode(403)
                .body(containsString("href=\"" + link + "\""));
        given().body("{}").contentType("application/json").post(link + "/request-link").then().statusCode(403);
        given().body("{}").contentType("application/json").post(link + "/orders/" + ref + "/confirm").then()
                .statusCode(410); // a gone link's form URL: the neutral page
        assertTrue(order(ref).getList("timeline.type", String.class).stream().noneMatch("LINK_REQUESTED"::equals),
                "nothing asked");

        given().formParams(form).post(link + "/request-link").then().statusCode(410)
                .body(containsString("id=\"asked\""));
        assertTrue(order(ref).getList("timeline.type", String.class).contains("LINK_REQUESTED"));
    }

    private void assertUntouched(String ref) {
        JsonPath after = order(ref);
        assertEquals("PENDING", after.getString("status"), ref);
        assertEquals(List.of("IMPORTED"), after.getList("timeline.type", String.class), ref);
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("vendorNote", equalTo(null)).body("expectedDate", equalTo(null));
    }
}
