package io.portlink.portal;

import static io.portlink.testing.Fixtures.post;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.outbox.OutboxDelivery;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.Smtp;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * A vendor page drawn before an amendment cannot commit the vendor to what it never saw: its confirm, decline, date and
 * status forms answer "changed meanwhile" with the amended order, whether or not the vendor had been mailed the order;
 * the page drawn after it works. A note, or an amendment the vendor cannot see (consignee only), leaves old forms
 * valid. And "Acknowledge revision" with a revision field that names no revision of the order is refused in the
 * vendor's words, without exception text and without echoing what was sent.
 */
@QuarkusTest
class VendorFormsAfterAmendmentTest {

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    @Inject
    OutboxDelivery delivery;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
        fixtures.settleOutbox();
        Smtp.fresh();
    }

    private static Map<String, Object> order(String ref, String email, String quantity, String consignee) {
        Map<String, Object> body = new HashMap<>(Map.of("reference", ref, "vendor",
                Map.of("name", "Vendor " + email, "email", email), "deliveryAddress", "1 Dock Road\nLondon",
                "requestedDate", "2026-07-01", "lines", List.of(Map.of("sku", "BOLT-8", "description", "Hex bolt M8",
                        "quantity", quantity, "unit", "pcs", "unitPrice", "0.12", "currency", "GBP"))));
        body.put("consignee", Map.of("name", consignee));
        return body;
    }

    /** The order with its link; {@code sent}: the PO was mailed to the vendor (else staff share the link). */
    private PortalClient create(String ref, String email, boolean sent) {
        Map<String, Object> body = order(ref, email, "10", "Ann");
        body.put("send", sent ? "PO_AND_LINK" : "NONE");
        String url = post(tenant.apiKey(), body).statusCode(201).extract().path("vendorLink.url");
        Smtp.deliver(delivery, clock);
        return new PortalClient(url.substring(url.indexOf("/v/")));
    }

    private void amend(String ref, String email, int revision, String quantity, String consignee) {
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType(ContentType.JSON)
                .header("If-Match", "\"" + revision + "\"").body(order(ref, email, quantity, consignee))
                .put("/api/v1/purchase-orders/" + ref).then().statusCode(200);
    }

    private JsonPath api(String ref) {
        return given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .statusCode(200).extract().jsonPath();
    }

    @Test
    void formsOfAPageDrawnBeforeAnAmendmentAreChangedMeanwhile() {
        String later = LocalDate.now(clock).plusDays(20).toString();
        Map<String, Map<String, String>> forms = Map.of("confirm", Map.of(), "decline", Map.of("reason", "no stock"),
                "date", Map.of("date", later), "status", Map.of("status", "PREPARING"));
        for (boolean sent : new boolean[] { true, false }) {
            for (var form : forms.entrySet()) {
                String ref = uniqueReference();
                String email = "old-" + ref.toLowerCase() + "@vendor.example";
                PortalClient vendor = create(ref, email, sent);
                vendor.open("/orders/" + ref).then().statusCode(200);
                String statusBefore = api(ref).getString("status");
                amend(ref, email, 1, "50", "Ann");
                String what = form.getKey() + (sent ? " (PO mailed)" : " (link only)");

                Response old = vendor.submit(ref, form.getKey(), form.getValue());
                assertEquals(409, old.statusCode(), what);
                String page = old.asString();
                assertTrue(page.contains("This order was changed meanwhile"), what + ": " + page);
                assertTrue(page.contains(">50<") || page.contains(">50 "), what + ": the page shows 50: " + page);
                JsonPath now = api(ref);
                assertEquals(statusBefore, now.getString("status"), what + ": nothing was saved");
                assertEquals(null, now.getString("expectedDate"), what);
                assertEquals(2, now.getInt("revision"));
                // the vendor opened the page before the amendment (mailed or shared by hand alike): it has the order,
                // so the change waits for its acknowledgement
                assertEquals(1, now.getInt("acknowledgedRevision"), what);

                // the page drawn now, showing 50, works
                Response current = vendor.act(ref, form.getKey(), form.getValue());
                assertEquals(303, current.statusCode(), what + ": " + current.asString());
                JsonPath saved = api(ref);
                switch (form.getKey()) {
                case "confirm" -> assertEquals("ACKNOWLEDGED", saved.getString("status"), what);
                case "decline" -> assertEquals("DECLINED", saved.getString("status"), what);
                case "date" -> assertEquals(later, saved.getString("expectedDate"), what);
                default -> assertEquals("PREPARING", saved.getString("status"), what);
                }
            }
        }
    }

    @Test
    void aNoteAndAnAmendmentTheVendorCannotSeeLeaveOldFormsValid() {
        String ref = uniqueReference();
        String email = "note-" + ref.toLowerCase() + "@vendor.example";
        PortalClient vendor = create(ref, email, true);
        vendor.open("/orders/" + ref).then().statusCode(200);
        amend(ref, email, 1, "50", "Ann");
        assertEquals(303, vendor.submit(ref, "note", Map.of("note", "dock 4 please")).statusCode(),
                "a note commits to no content");

        vendor.open("/orders/" + ref).then().statusCode(200);
        amend(ref, email, 2, "50", "Bob"); // only the consignee: the vendor never sees it
        assertEquals(3, api(ref).getInt("revision"));
        assertEquals(303, vendor.submit(ref, "confirm", Map.of()).statusCode());
        assertEquals("ACKNOWLEDGED", api(ref).getString("status"));
    }

    @Test
    void acknowledgeRevisionWithARevisionOfNoneOfTheOrdersIsRefusedPlainly() {
        String ref = uniqueReference();
        String email = "ack-" + ref.toLowerCase() + "@vendor.example";
        PortalClient vendor = create(ref, email, true);
        amend(ref, email, 1, "50", "Ann");
        vendor.open("/orders/" + ref).then().statusCode(200);
        String huge = "9".repeat(400);
        for (String revision : List.of("x", "2147483648", huge, "-1", "0", "3", "")) {
            Response answer = vendor.submit(ref, "acknowledge-revision", Map.of("revision", revision));
            String page = answer.asString();
            assertEquals(422, answer.statusCode(), "revision " + revision + ": " + page);
            assertTrue(page.contains("This form did not name a revision of this order, so nothing was acknowledged."
                    + " The order is at revision 2"), page);
            assertFalse(page.contains("For input string") || page.contains("Exception"), page);
            assertFalse(page.contains("99999999999"), "no echo of what was sent");
            assertEquals(1, api(ref).getInt("acknowledgedRevision"), "nothing was acknowledged");
        }
        Response ack = vendor.submit(ref, "acknowledge-revision", Map.of());
        assertEquals(303, ack.statusCode());
        assertTrue(ack.header("Location").contains("saved=ACK_REVISION"));
        assertEquals(2, api(ref).getInt("acknowledgedRevision"));
    }
}
