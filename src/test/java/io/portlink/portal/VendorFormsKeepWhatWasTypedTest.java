package io.portlink.portal;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * A vendor form the portal refuses (a field to mend, a page left open too long, an order changed meanwhile) comes back
 * with what the vendor typed in it: the note, the decline reason, the date, the tracking form's carrier and number.
 * Only that form: the others keep their defaults. A post this server cannot tell from a forged one is not shown back.
 * H2 and PostgreSQL; the same in a real browser: {@link VendorBrowserTest}.
 */
@QuarkusTest
class VendorFormsKeepWhatWasTypedTest {

    /** The decline form's empty box, closed inside its details. */
    static final String EMPTY_REASON = "<details>\n    <summary>";

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
    }

    private JsonPath order(String ref) {
        return given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .statusCode(200).extract().jsonPath();
    }

    @Test
    void aNoteWrittenOnAPageLeftOpenTwoDaysIsStillInItsBox() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "weekend@vendor.example"));
        vendor.open("/orders/" + ref).then().statusCode(200);
        Map<String, String> form = vendor.hidden("note");
        clock.advance(Duration.ofHours(49)); // the note's nonce lives 48 hours

        String note = "\nDock 4 <after 14:00> & \"ring twice\"\nThanks";
        Response old = vendor.submitWith(form, ref, "note", Map.of("note", note));
        assertEquals(409, old.statusCode());
        String page = old.asString();
        assertTrue(page.contains("This page was open for a long time"), page);
        // escaped, and its first line break doubled: HTML drops one right after <textarea>
        assertTrue(
                page.contains("maxlength=\"2000\" required>\n\nDock 4 &lt;after 14:00&gt; &amp; &quot;ring twice&quot;"
                        + "\nThanks</textarea>"),
                "the note, escaped, in its box: " + page);
        assertTrue(page.contains(EMPTY_REASON) && page.contains("maxlength=\"1000\" required></textarea>"),
                "the decline form is untouched: " + page);
        assertEquals(null, order(ref).getString("vendorNote"), "nothing saved");

        // sent again from the page drawn now
        vendor.act(ref, "note", Map.of("note", note)).then().statusCode(303);
        assertEquals(note.strip(), order(ref).getString("vendorNote"), "saved as typed, trimmed as every note is");
    }

    @Test
    void aDeclineReasonWrittenWhileTheBuyerAmendedTheOrderIsStillInItsOpenBox() {
        String ref = uniqueReference();
        String email = "amended@vendor.example";
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, email));
        vendor.open("/orders/" + ref).then().statusCode(200);
        String before = order(ref).getString("status");
        var amended = new java.util.HashMap<>(Fixtures.order(ref, email));
        amended.put("deliveryAddress", "9 Quay Street\nLondon");
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType(ContentType.JSON)
                .header("If-Match", "\"1\"").body(amended).put("/api/v1/purchase-orders/" + ref).then().statusCode(200);

        String reason = "Out of M8 bolts until March; we can offer M10 instead.";
        Response changed = vendor.submit(ref, "decline", Map.of("reason", reason));
        assertEquals(409, changed.statusCode());
        String page = changed.asString();
        assertTrue(page.contains("This order was changed meanwhile"), page);
        assertTrue(page.contains("9 Quay Street"), "the amended order: " + page);
        assertTrue(page.contains("<details open>\n    <summary>"), "the decline form is open: " + page);
        assertTrue(page.contains("maxlength=\"1000\" required>" + reason + "</textarea>"), page);
        assertTrue(page.contains("maxlength=\"2000\" required></textarea>"), "the note box is untouched");
        assertEquals(before, order(ref).getString("status"), "nothing saved");
    }

    @Test
    void theReasonIsSaidInTheRefusedFormUnlessThePageNoLongerShowsThatForm() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "where@vendor.example"));
        vendor.open("/orders/" + ref).then().statusCode(200);

        // a note of spaces only: said inside the note form, where the browser takes the focus
        Response blank = vendor.submit(ref, "note", Map.of("note", "   "));
        assertEquals(422, blank.statusCode());
        String page = blank.asString();
        var inForm = java.util.regex.Pattern.compile("action=\"[^\"]*/note\">\n(?:<input type=\"hidden\"[^\n]*\n)+"
                + "<p class=\"flash error\" role=\"alert\" id=\"note-error\" tabindex=\"-1\" autofocus>[^<]+</p>");
        assertTrue(inForm.matcher(page).find(), "the reason inside the note form: " + page);
        assertEquals(1, page.split("class=\"flash error\"", -1).length - 1, "said once: " + page);

        // the buyer cancels while the vendor fills the ship form: the page that answers shows no ship form any more,
        // so the reason is said at the top
        vendor.open("/orders/" + ref).then().statusCode(200);
        Map<String, String> ship = vendor.hidden("ship");
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType(ContentType.JSON)
                .body(Map.of("reason", "Project stopped")).post("/api/v1/purchase-orders/" + ref + "/cancel").then()
                .statusCode(200);
        Response cancelled = vendor.submitWith(ship, ref, "ship",
                Map.of("line", "1", "quantity", "2", "carrier", "DHL", "trackingNumber", "JD0147"));
        assertEquals(409, cancelled.statusCode());
        String answer = cancelled.asString();
        assertFalse(answer.contains("action=\"/v/") && answer.contains("/ship\""), "no ship form: " + answer);
        assertTrue(answer.contains("<p class=\"flash error\" role=\"alert\">"), "the reason at the top: " + answer);
        // why the form no longer fits, without "submit again": there is nothing to send again
        assertTrue(answer.contains("This order was changed meanwhile. "), answer);
        assertFalse(answer.contains("submit again"), answer);
        assertEquals("CANCELLED", order(ref).getString("status"));
    }

    @Test
    void theStatusChosenComesBackSelectedWhenTheOrderChangedMeanwhile() {
        String ref = uniqueReference();
        String email = "status@vendor.example";
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, email));
        vendor.act(ref, "confirm", Map.of()).then().statusCode(303);
        vendor.open("/orders/" + ref).then().statusCode(200);
        Map<String, String> form = vendor.hidden("status");
        String before = order(ref).getString("status");
        var amended = new java.util.HashMap<>(Fixtures.order(ref, email));
        amended.put("deliveryAddress", "9 Quay Street\nLondon");
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType(ContentType.JSON)
                .header("If-Match", "\"1\"").body(amended).put("/api/v1/purchase-orders/" + ref).then().statusCode(200);

        Response changed = vendor.submitWith(form, ref, "status", Map.of("status", "DELIVERED"));
        assertEquals(409, changed.statusCode());
        String page = changed.asString();
        assertTrue(page.contains("id=\"status-error\""), "the reason in the status form: " + page);
        // sent again as shown, the page records what the vendor chose, not the list's first status
        assertTrue(page.contains("<option value=\"DELIVERED\" selected>"), page);
        assertEquals(1, page.split(" selected>", -1).length - 1, "one status chosen: " + page);
        assertEquals(before, order(ref).getString("status"), "nothing saved");
    }

    @Test
    void aNoteOrReasonOfInvisibleSpacesIsRefusedAsBlank() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "blank@vendor.example"));
        vendor.open("/orders/" + ref).then().statusCode(200);
        // no-break spaces (a phone's keyboard, a paste), zero-width space, word joiner, byte order mark
        for (String blank : java.util.List.of("\u00a0\u00a0", "\u200b", "\u202f \u2007", "\u2060\ufeff",
                " \u00a0\u200b\n")) {
            Response note = vendor.submit(ref, "note", Map.of("note", blank));
            assertEquals(422, note.statusCode(), "note " + blank.codePoints().boxed().toList());
            assertTrue(note.asString().contains("id=\"note-error\""), note.asString());
            Response decline = vendor.submit(ref, "decline", Map.of("reason", blank));
            assertEquals(422, decline.statusCode(), "reason " + blank.codePoints().boxed().toList());
            assertTrue(decline.asString().contains("id=\"decline-error\""), decline.asString());
        }
        assertEquals(null, order(ref).getString("vendorNote"));
        assertEquals("PENDING", order(ref).getString("status"));
        // the same spaces around a real text are trimmed, the text kept
        vendor.act(ref, "note", Map.of("note", "\u00a0Dock 4\u200b")).then().statusCode(303);
        assertEquals("Dock 4", order(ref).getString("vendorNote"));
    }

    @Test
    void aRefusedDateOrTrackingFormShowsWhatWasTypedAndLeavesTheOtherFormsAsTheyWere() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "typed@vendor.example"));
        vendor.act(ref, "confirm", Map.of()).then().statusCode(303);

        vendor.open("/orders/" + ref);
        String far = LocalDate.now(clock).plusYears(5).toString();
        Response date = vendor.submit(ref, "date", Map.of("date", far));
        assertEquals(422, date.statusCode());
        assertTrue(java.util.regex.Pattern
                .compile("id=\"date\" name=\"date\" required min=\"[0-9-]+\" max=\"[0-9-]+\" value=\"" + far + "\">")
                .matcher(date.asString()).find(), "the date typed: " + date.asString());

        vendor.open("/orders/" + ref);
        Response tracking = vendor.submit(ref, "tracking", Map.of("carrier", "UPS", "trackingNumber", "#12"));
        assertEquals(422, tracking.statusCode());
        String page = tracking.asString();
        assertTrue(page.contains("id=\"carrier-all\" name=\"carrier\" maxlength=\"100\" value=\"UPS\""), page);
        assertTrue(
                page.contains("id=\"tracking-all\" name=\"trackingNumber\" maxlength=\"100\" required value=\"#12\""),
                page);
        // the ship form, which has fields of the same names, keeps its defaults
        assertTrue(page.contains("id=\"carrier\" name=\"carrier\" maxlength=\"100\">"), page);
        assertTrue(
                page.contains("id=\"quantity-1\" name=\"quantity\" min=\"0\" step=\"any\" max=\"100\" value=\"100\""),
                page);
        assertEquals("ACKNOWLEDGED", order(ref).getString("status"), "nothing shipped");
    }

    /**
     * The buyer adds a line while the vendor fills in the ship form: the page says the order changed, with the
     * quantities typed, and the new line blank (ships none of it), never at its full quantity.
     */
    @Test
    void aShipFormRefusedForAnAmendmentLeavesTheNewLineBlank() {
        String ref = uniqueReference();
        String email = "ship-amended@vendor.example";
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, email));
        vendor.act(ref, "confirm", Map.of()).then().statusCode(303);
        vendor.open("/orders/" + ref).then().statusCode(200);
        var amended = new java.util.HashMap<>(Fixtures.order(ref, email));
        amended.put("lines",
                java.util.List.of(
                        Map.of("sku", "BOLT-8", "description", "Hex bolt M8", "quantity", "100", "unit", "pcs",
                                "unitPrice", "0.12", "currency", "GBP"),
                        Map.of("sku", "NUT-8", "description", "Hex nut M8", "quantity", "500", "unit", "pcs")));
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType(ContentType.JSON)
                .header("If-Match", "\"1\"").body(amended).put("/api/v1/purchase-orders/" + ref).then().statusCode(200);

        Response changed = vendor.submit(ref, "ship",
                Map.of("line", "1", "quantity", "3", "carrier", "DHL", "trackingNumber", "TRK1"));
        assertEquals(409, changed.statusCode());
        String page = changed.asString();
        assertTrue(page.contains("id=\"quantity-1\" name=\"quantity\" min=\"0\" step=\"any\" max=\"100\" value=\"3\""),
                page);
        assertTrue(page.contains("id=\"quantity-2\" name=\"quantity\" min=\"0\" step=\"any\" max=\"500\" value=\"\""),
                "the line added meanwhile is blank: " + page);
        assertTrue(page.contains("name=\"trackingNumber\" maxlength=\"100\" required value=\"TRK1\""), page);
        assertEquals("ACKNOWLEDGED", order(ref).getString("status"), "nothing shipped");

        // a line number changed on its way ("+1") is no line of the page: its quantity is not put on line 1
        vendor.open("/orders/" + ref);
        Response odd = vendor.submit(ref, "ship",
                Map.of("line", "+1", "quantity", "7", "carrier", "DHL", "trackingNumber", "TRK1"));
        assertEquals(422, odd.statusCode());
        assertTrue(odd.asString().contains("max=\"100\" value=\"\""), odd.asString());
        assertFalse(odd.asString().contains("value=\"7\""), odd.asString());
    }

    @Test
    void aPostWithoutTheFormsNonceIsNotShownBack() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "forged@vendor.example"));
        vendor.open("/orders/" + ref).then().statusCode(200);
        Map<String, String> forged = vendor.hidden("note");
        forged.put("nonce", "not-a-nonce");
        Response refused = vendor.submitWith(forged, ref, "note", Map.of("note", "Call 0800 FAKE to confirm"));
        assertEquals(403, refused.statusCode());
        assertFalse(refused.asString().contains("0800 FAKE"), refused.asString());
        assertTrue(refused.asString().contains("maxlength=\"2000\" required></textarea>"), refused.asString());
    }
}
