package io.portlink.purchasing.mail;

import static io.portlink.testing.Fixtures.post;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;

import io.portlink.outbox.OutboxDelivery;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.Smtp;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A sent order amended and cancelled, as the vendor (German) and the buyer live it: one "PO changed" mail in the
 * vendor's language listing what changed, with the new PDF carrying its revision; the portal's banner and "Acknowledge
 * revision N", once however often it is pressed; staff see "change not yet acknowledged" until then. The cancellation:
 * a mail with the reason, a banner, an acknowledgement staff see.
 */
@QuarkusTest
class RevisionMailTest {

    @Inject
    Fixtures fixtures;

    @Inject
    OutboxDelivery delivery;

    @Inject
    TestClock clock;

    GreenMail smtp;
    Fixtures.Tenant tenant;
    CookieFilter staff;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
        fixtures.settleOutbox();
        smtp = Smtp.fresh();
        staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
    }

    private static Map<String, Object> order(String ref, String email, String quantity, String requested) {
        return new HashMap<>(Map.of("reference", ref, "vendor",
                Map.of("name", "Schrauben Müller GmbH", "email", email, "language", "de"), "deliveryAddress",
                "1 Dock Road\nLondon", "requestedDate", requested, "lines",
                List.of(Map.of("sku", "BOLT-8", "description", "Hex bolt M8", "quantity", quantity, "unit", "pcs",
                        "unitPrice", "0.12", "currency", "GBP"))));
    }

    /** Creates the order with its PDF and link mailed to the vendor, delivered: the vendor has revision 1. */
    private PortalClient sent(String ref, String email) {
        Map<String, Object> body = order(ref, email, "100", "2026-07-01");
        body.put("send", "PO_AND_LINK");
        String url = post(tenant.apiKey(), body).statusCode(201).extract().path("vendorLink.url");
        Smtp.deliver(delivery, clock);
        assertEquals(1, Smtp.mailsTo(smtp, email).length);
        return new PortalClient(url.substring(url.indexOf("/v/")));
    }

    private void amend(String ref, String email, int revision, String quantity, String requested) {
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType(ContentType.JSON)
                .header("If-Match", "\"" + revision + "\"").body(order(ref, email, quantity, requested))
                .put("/api/v1/purchase-orders/" + ref).then().statusCode(200).body("revision", equalTo(revision + 1));
    }

    private String staffPage(String ref) {
        return given().filter(staff).get("/app/orders/" + ref).then().statusCode(200).extract().asString();
    }

    static String text(Part part) throws Exception {
        if (part.isMimeType("text/plain") && !Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            return (String) part.getContent();
        }
        if (part.getContent() instanceof Multipart multipart) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < multipart.getCount(); i++) {
                all.append(text(multipart.getBodyPart(i)));
            }
            return all.toString();
        }
        return "";
    }

    static String pdf(Part part) throws Exception {
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart p = multipart.getBodyPart(i);
                if (Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition())) {
                    try (var doc = Loader.loadPDF(p.getInputStream().readAllBytes())) {
                        return new PDFTextStripper().getText(doc);
                    }
                }
                String inner = pdf(p);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    @Test
    void theVendorGetsOneChangeMailInItsLanguageAndAcknowledgesTheRevisionOnce() throws Exception {
        String ref = uniqueReference();
        String email = "rev-" + ref.toLowerCase() + "@vendor.example";
        PortalClient vendor = sent(ref, email);

        amend(ref, email, 1, "150", "2026-07-15");
        Smtp.deliver(delivery, clock);
        Smtp.deliver(delivery, clock);
        MimeMessage[] mails = Smtp.mailsTo(smtp, email);
        assertEquals(2, mails.length, "the order's mail, then exactly one change mail");
        MimeMessage changed = mails[1];
        assertEquals("Bestellung " + ref + " geändert: Revision 2", changed.getSubject());
        String body = text(changed);
        assertTrue(body.contains("Was sich geändert hat:"), body);
        assertTrue(body.contains("- Position 1 (Hex bolt M8): Menge 100 → 150"), body);
        assertTrue(body.contains("- Gewünschter Liefertermin: 01.07.2026 → 15.07.2026"), body);
        assertTrue(body.contains("/v/pv_"), "with a link to acknowledge");
        String pdf = pdf(changed);
        assertTrue(pdf != null && pdf.contains("Revision: 2"), "the new PDF carries its revision: " + pdf);

        // staff: not yet acknowledged, in the detail, the queue and the API
        String detail = staffPage(ref);
        assertTrue(detail.contains("id=\"change-unacknowledged\""), detail);
        assertTrue(detail.contains("id=\"revision\">Revision 2<"), "the revision is shown");
        assertTrue(detail.contains("line 1 (Hex bolt M8): quantity 100 → 150"), "the history lists the change");
        String queue = given().filter(staff).get("/app/orders?bucket=UNACKNOWLEDGED").then().statusCode(200).extract()
                .asString();
        assertTrue(queue.contains("data-reference=\"" + ref + "\""), queue);
        assertTrue(queue.contains("Change not yet acknowledged</span>"), "the row says so");
        given().header("Authorization", "Bearer " + tenant.apiKey())
                .get("/api/v1/purchase-orders?bucket=UNACKNOWLEDGED").then().statusCode(200)
                .body("items.find { it.reference == '" + ref + "' }.changeUnacknowledged", equalTo(true));

        // the vendor: the banner with what changed, in German
        String page = vendor.open("/orders/" + ref).asString();
        assertTrue(page.contains("id=\"revision-banner\""), page);
        assertTrue(page.contains("Position 1 (Hex bolt M8): Menge 100 → 150"), page);
        assertTrue(page.contains("Revision 2 bestätigen"), page);
        Map<String, String> form = vendor.hidden("acknowledge-revision");
        Response ack = vendor.submit(ref, "acknowledge-revision", Map.of());
        assertEquals(303, ack.statusCode());
        assertTrue(ack.header("Location").contains("saved=ACK_REVISION"));
        // the same form again (a double click) and the form of a second tab
        Response twice = vendor.submitWith(form, ref, "acknowledge-revision", Map.of());
        assertEquals(303, twice.statusCode());
        assertTrue(twice.header("Location").contains("saved=ALREADY"));

        String after = vendor.open("/orders/" + ref + "?saved=ACK_REVISION").asString();
        assertTrue(after.contains("Sie haben Revision 2 bestätigt"), after);
        assertFalse(after.contains("id=\"revision-banner\""), "the banner is gone");
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("changeAcknowledged", equalTo(true)).body("acknowledgedRevision", equalTo(2))
                .body("revisions[0].acknowledgedAt", org.hamcrest.Matchers.notNullValue())
                .body("timeline.findAll { it.type == 'REVISION_ACKNOWLEDGED' }.size()", equalTo(1));
        String acknowledged = staffPage(ref);
        assertFalse(acknowledged.contains("id=\"change-unacknowledged\""));
        assertTrue(acknowledged.contains("acknowledged "), acknowledged);
        Smtp.deliver(delivery, clock);
        assertEquals(2, Smtp.mailsTo(smtp, email).length, "acknowledging mails nobody");
    }

    @Test
    void aPageShownBeforeAnotherAmendmentCannotAcknowledgeIt() {
        String ref = uniqueReference();
        String email = "rev3-" + ref.toLowerCase() + "@vendor.example";
        PortalClient vendor = sent(ref, email);
        amend(ref, email, 1, "150", "2026-07-01");
        vendor.open("/orders/" + ref);
        amend(ref, email, 2, "175", "2026-07-01");

        Response old = vendor.submit(ref, "acknowledge-revision", Map.of());
        assertEquals(409, old.statusCode());
        String page = old.asString();
        assertTrue(page.contains("Menge 150 → 175"), "the newer change is shown: " + page);
        assertTrue(page.contains("Revision 3 bestätigen"), page);
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("acknowledgedRevision", equalTo(1));
        vendor.act(ref, "acknowledge-revision", Map.of()).then().statusCode(303);
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("acknowledgedRevision", equalTo(3)).body("changeAcknowledged", equalTo(true));
    }

    @Test
    void aCancelTellsTheVendorWhyAndTheVendorAcknowledgesIt() throws Exception {
        String ref = uniqueReference();
        String email = "cx-" + ref.toLowerCase() + "@vendor.example";
        PortalClient vendor = sent(ref, email);
        long version = given().header("Authorization", "Bearer " + tenant.apiKey())
                .get("/api/v1/purchase-orders/" + ref).then().extract().<Integer> path("version");

        // without a reason: refused, and the order stays open
        given().filter(staff).redirects().follow(false).formParam("form-token", csrf(staff, "/app/orders/" + ref))
                .formParam("version", version).formParam("reason", " ").post("/app/orders/" + ref + "/cancel").then()
                .statusCode(422)
                // said in the cancel form, opened again, not in a banner above it
                .body(org.hamcrest.Matchers.containsString("<details id=\"cancel-order\" open>"))
                .body(org.hamcrest.Matchers.containsString("id=\"cancel-error\">Reason: is required"));
        given().filter(staff).redirects().follow(false).formParam("form-token", csrf(staff, "/app/orders/" + ref))
                .formParam("version", version).formParam("reason", "Das Projekt wurde gestoppt")
                .post("/app/orders/" + ref + "/cancel").then().statusCode(303);

        Smtp.deliver(delivery, clock);
        Smtp.deliver(delivery, clock);
        MimeMessage[] mails = Smtp.mailsTo(smtp, email);
        assertEquals(2, mails.length, "exactly one cancellation mail");
        assertEquals("Bestellung " + ref + " storniert", mails[1].getSubject());
        String body = text(mails[1]);
        assertTrue(body.contains("Grund: Das Projekt wurde gestoppt"), body);
        assertTrue(body.contains("/v/pv_"), body);
        assertTrue(staffPage(ref).contains("id=\"cancel-unacknowledged\""));

        String page = vendor.open("/orders/" + ref).asString();
        assertTrue(page.contains("id=\"cancel-banner\"") && page.contains("Das Projekt wurde gestoppt"), page);
        Map<String, String> form = vendor.hidden("acknowledge-cancel");
        assertEquals(303, vendor.submit(ref, "acknowledge-cancel", Map.of()).statusCode());
        Response again = vendor.submitWith(form, ref, "acknowledge-cancel", Map.of());
        assertEquals(303, again.statusCode());
        assertTrue(again.header("Location").contains("saved=ALREADY"));
        String after = vendor.open("/orders/" + ref + "?saved=ACK_CANCEL").asString();
        assertTrue(after.contains("Sie haben die Stornierung bestätigt."), after);
        assertFalse(vendor.offers("acknowledge-cancel"), "no button any more");

        String detail = staffPage(ref);
        assertTrue(detail.contains("id=\"cancel-acknowledged\""), detail);
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("cancelAcknowledgedAt", org.hamcrest.Matchers.notNullValue())
                .body("timeline.findAll { it.type == 'CANCEL_ACKNOWLEDGED' }.size()", equalTo(1));
    }

    /**
     * An order never e-mailed, but whose link reached the vendor another way (an integration, a message): the vendor
     * confirmed it. A change and a cancellation are told to that vendor and wait for its acknowledgement, as for an
     * order Portlink sent; an order nobody ever had is cancelled without a word.
     */
    @Test
    void aVendorWhoActedOnAnOrderNeverMailedIsToldOfItsChangeAndCancellation() throws Exception {
        String ref = uniqueReference();
        String email = "used-" + ref.toLowerCase() + "@vendor.example";
        String url = post(tenant.apiKey(), order(ref, email, "100", "2026-07-01")).statusCode(201).extract()
                .path("vendorLink.url");
        PortalClient vendor = new PortalClient(url.substring(url.indexOf("/v/")));
        vendor.open("");
        assertEquals(303, vendor.submit(ref, "confirm", Map.of()).statusCode());

        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType(ContentType.JSON)
                .header("If-Match", "\"1\"").body(order(ref, email, "80", "2026-07-01"))
                .put("/api/v1/purchase-orders/" + ref).then().statusCode(200).body("vendorMailed", equalTo(true))
                .body("awaitsAcknowledgement", equalTo(true));
        // the same body again at the new revision changes nothing, and says the order still waits as it does
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType(ContentType.JSON)
                .header("If-Match", "\"2\"").body(order(ref, email, "80", "2026-07-01"))
                .put("/api/v1/purchase-orders/" + ref).then().statusCode(200).body("changed", equalTo(false))
                .body("awaitsAcknowledgement", equalTo(true));
        long version = given().header("Authorization", "Bearer " + tenant.apiKey())
                .get("/api/v1/purchase-orders/" + ref).then().extract().<Integer> path("version");
        given().filter(staff).redirects().follow(false).formParam("form-token", csrf(staff, "/app/orders/" + ref))
                .formParam("version", version).formParam("reason", "Projekt gestoppt")
                .post("/app/orders/" + ref + "/cancel").then().statusCode(303);
        Smtp.deliver(delivery, clock);
        Smtp.deliver(delivery, clock);
        MimeMessage[] mails = Smtp.mailsTo(smtp, email);
        assertEquals(2, mails.length, "the change and the cancellation");
        assertEquals("Bestellung " + ref + " storniert", mails[1].getSubject());
        assertTrue(staffPage(ref).contains("id=\"cancel-unacknowledged\""), "waits for the vendor");
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("cancelAcknowledgedAt", org.hamcrest.Matchers.nullValue());

        // nobody ever had this one: cancelled without a mail or a wait
        String unseen = uniqueReference();
        String other = "unseen-" + unseen.toLowerCase() + "@vendor.example";
        post(tenant.apiKey(), order(unseen, other, "100", "2026-07-01")).statusCode(201);
        given().filter(staff).redirects().follow(false).formParam("form-token", csrf(staff, "/app/orders/" + unseen))
                .formParam("version", 0).formParam("reason", "Doppelt angelegt")
                .post("/app/orders/" + unseen + "/cancel").then().statusCode(303);
        Smtp.deliver(delivery, clock);
        assertEquals(0, Smtp.mailsTo(smtp, other).length);
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + unseen).then()
                .body("cancelAcknowledgedAt", org.hamcrest.Matchers.notNullValue());
        String page = staffPage(unseen);
        assertTrue(page.contains("id=\"cancel-untold\"") && !page.contains("Reason told to the vendor")
                && !page.contains("id=\"cancel-acknowledged\""), "staff are not told the vendor was: " + page);
        assertTrue(staffPage(ref).contains("Reason told to the vendor"));
    }

    /**
     * A vendor who opened a second order of theirs through the first order's link (its "all my orders" list) has that
     * order: a cancellation of it is told to the vendor and waits for the acknowledgement, as if its own link had been
     * opened. Reading the page's HTML without showing it (a scanner) does not count.
     */
    @Test
    void anOrderOpenedThroughAnotherOrdersLinkIsTheVendorsToo() throws Exception {
        String first = uniqueReference();
        String email = "list-" + first.toLowerCase() + "@vendor.example";
        String url = post(tenant.apiKey(), order(first, email, "100", "2026-07-01")).statusCode(201).extract()
                .path("vendorLink.url");
        String second = uniqueReference();
        post(tenant.apiKey(), order(second, email, "30", "2026-07-01")).statusCode(201);
        String third = uniqueReference();
        post(tenant.apiKey(), order(third, email, "20", "2026-07-01")).statusCode(201);

        PortalClient vendor = new PortalClient(url.substring(url.indexOf("/v/")));
        vendor.open("/orders/" + second).then().statusCode(200);
        assertTrue(vendor.renderStylesheet().startsWith(vendor.link() + "/orders/" + second + "/seen/"),
                vendor.lastPage());
        new PortalClient(url.substring(url.indexOf("/v/"))).as("curl/8.0.1").fetch("/orders/" + third).then()
                .statusCode(200);

        for (String ref : List.of(second, third)) {
            given().filter(staff).redirects().follow(false).formParam("form-token", csrf(staff, "/app/orders/" + ref))
                    .formParam("version", 0).formParam("reason", "Projekt gestoppt")
                    .post("/app/orders/" + ref + "/cancel").then().statusCode(303);
        }
        Smtp.deliver(delivery, clock);
        MimeMessage[] mails = Smtp.mailsTo(smtp, email);
        assertEquals(1, mails.length, "the cancellation of the order the vendor saw");
        assertEquals("Bestellung " + second + " storniert", mails[0].getSubject());
        assertTrue(staffPage(second).contains("id=\"cancel-unacknowledged\""), "waits for the vendor");
        assertTrue(staffPage(third).contains("id=\"cancel-untold\""), "only fetched by a machine: untold");
    }
}
