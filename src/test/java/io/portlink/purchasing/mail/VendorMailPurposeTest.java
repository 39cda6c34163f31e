package io.portlink.purchasing.mail;

import static io.portlink.testing.Fixtures.post;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.postForm;
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
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;

import io.portlink.outbox.OutboxDelivery;
import io.portlink.purchasing.PurchaseOrder;
import io.portlink.purchasing.VendorContact;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.Smtp;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.http.ContentType;

/**
 * Each vendor mail asks only for what it is about, in the vendor's language (title included); the "PO changed" mail
 * heads its line list; a contact is greeted by name; staff see each mail's real kind, no re-send of a closed order, a
 * warning when the vendor's last mail died, and line amounts with the order total (as does the vendor).
 */
@QuarkusTest
class VendorMailPurposeTest {

    private static final String DE_NEW_ORDER_ASK = "Bestätigen Sie die Bestellung, nennen Sie einen Liefertermin";
    private static final String EN_NEW_ORDER_ASK = "Confirm the order, give a delivery date";

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

    private static Map<String, Object> order(String ref, String vendor, String email, String language,
            String quantity) {
        return new HashMap<>(
                Map.of("reference", ref, "vendor", Map.of("name", vendor, "email", email, "language", language),
                        "deliveryAddress", "1 Dock Road\nLondon", "requestedDate", "2026-07-01", "lines",
                        List.of(Map.of("sku", "BOLT-8", "description", "Hex bolt M8", "quantity", quantity, "unit",
                                "pcs", "unitPrice", "0.12", "currency", "GBP"),
                                Map.of("sku", "PLATE", "description", "Base plate", "quantity", "3", "unitPrice",
                                        "1234.5", "currency", "GBP"),
                                Map.of("sku", "SAMPLE", "description", "Free sample", "quantity", "1"))));
    }

    private PortalClient sent(String ref, String vendor, String email, String language) {
        Map<String, Object> body = order(ref, vendor, email, language, "100");
        body.put("send", "PO_AND_LINK");
        String url = post(tenant.apiKey(), body).statusCode(201).extract().path("vendorLink.url");
        Smtp.deliver(delivery, clock);
        assertEquals(1, Smtp.mailsTo(smtp, email).length);
        return new PortalClient(url.substring(url.indexOf("/v/")));
    }

    private void cancel(String ref, String reason, String done) {
        long version = given().header("Authorization", "Bearer " + tenant.apiKey())
                .get("/api/v1/purchase-orders/" + ref).then().extract().<Integer> path("version");
        postForm(staff, "/app/orders/" + ref, "/app/orders/" + ref + "/cancel", "version", version, "reason", reason)
                .statusCode(303).header("Location", org.hamcrest.Matchers.endsWith("done=" + done));
    }

    private String staffPage(String ref) {
        return given().filter(staff).get("/app/orders/" + ref).then().statusCode(200).extract().asString();
    }

    static String part(Part part, String type) throws Exception {
        if (part.isMimeType(type) && !Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            return (String) part.getContent();
        }
        if (part.getContent() instanceof Multipart multipart) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < multipart.getCount(); i++) {
                all.append(part(multipart.getBodyPart(i), type));
            }
            return all.toString();
        }
        return "";
    }

    @Test
    void aGermanVendorsChangeAndCancelMailsAskOnlyForTheirAcknowledgement() throws Exception {
        String ref = uniqueReference();
        String email = "purpose-" + ref.toLowerCase() + "@vendor.example";
        sent(ref, "Schrauben Müller GmbH", email, "de");
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType(ContentType.JSON)
                .header("If-Match", "\"1\"").body(order(ref, "Schrauben Müller GmbH", email, "de", "150"))
                .put("/api/v1/purchase-orders/" + ref).then().statusCode(200).body("revision", equalTo(2));
        Smtp.deliver(delivery, clock);
        MimeMessage changed = Smtp.mailsTo(smtp, email)[1];
        String text = part(changed, "text/plain");
        String html = part(changed, "text/html");
        assertFalse(text.contains(DE_NEW_ORDER_ASK), "a change is not confirmed again: " + text);
        assertTrue(text.contains("prüfen Sie die Änderung und bestätigen Sie sie"), text);
        assertTrue(html.contains("<title>Bestellung " + ref + " geändert: Revision 2</title>"), html);
        // what changed, then the order as it now reads under its own heading
        int changes = text.indexOf("Was sich geändert hat:");
        int heading = text.indexOf("Die Bestellung lautet jetzt:");
        int firstLine = text.indexOf("- 150 pcs × Hex bolt M8");
        assertTrue(changes >= 0 && heading > changes && firstLine > heading, text);
        assertTrue(html.contains("Die Bestellung lautet jetzt:"), html);

        cancel(ref, "Das Projekt wurde gestoppt", "cancelled");
        Smtp.deliver(delivery, clock);
        MimeMessage cancelled = Smtp.mailsTo(smtp, email)[2];
        text = part(cancelled, "text/plain");
        html = part(cancelled, "text/html");
        assertTrue(text.contains("Bitte liefern Sie sie nicht"), text);
        assertFalse(text.contains(DE_NEW_ORDER_ASK), "a cancellation is not to be confirmed: " + text);
        assertTrue(text.contains("Bitte öffnen Sie die Bestellung und bestätigen Sie die Stornierung."), text);
        assertFalse(html.contains(DE_NEW_ORDER_ASK), html);
        assertTrue(html.contains("<title>Bestellung " + ref + " storniert</title>"), html);
        assertFalse(html.contains("<title>Purchase order</title>"));

        // staff: each mail under its real kind; a cancelled order offers no re-send, only revoke
        String page = staffPage(ref);
        assertTrue(page.contains("<td class=\"kind\" data-label=\"Kind\">new order: PO + link</td>"), page);
        assertTrue(page.contains("<td class=\"kind\" data-label=\"Kind\">PO changed</td>"), page);
        assertTrue(page.contains("<td class=\"kind\" data-label=\"Kind\">cancellation</td>"), page);
        assertFalse(page.contains("link only"), page);
        assertFalse(page.contains("New link, e-mail PO + link"), page);
        assertFalse(page.contains("class=\"regenerate\""), page);
        assertFalse(page.contains("id=\"add-link\""), page);
        assertTrue(page.contains("class=\"button danger revoke\""), "revoke stays");
        assertFalse(page.contains("id=\"mail-dead\""), "every mail was delivered");
    }

    /**
     * A mail lists an order's first ten lines and counts the rest (up to 990: an order has at most 1,000 lines) in the
     * vendor's language; one line more than ten is listed rather than counted as "1 more lines".
     */
    @Test
    void aLongOrdersMailCountsTheLinesItDoesNotList() throws Exception {
        for (int count : new int[] { 11, 1000 }) {
            String ref = uniqueReference();
            String email = "long-" + ref.toLowerCase() + "@vendor.example";
            Map<String, Object> body = order(ref, "Visserie Durand", email, "fr", "5");
            List<Map<String, Object>> lines = new java.util.ArrayList<>();
            for (int i = 1; i <= count; i++) {
                lines.add(Map.of("sku", "VIS-" + i, "description", "Vis n° " + i, "quantity", "2", "unitPrice", "1",
                        "currency", "EUR"));
            }
            body.put("lines", lines);
            body.put("send", "LINK_ONLY");
            post(tenant.apiKey(), body).statusCode(201);
            Smtp.deliver(delivery, clock);
            MimeMessage mail = Smtp.mailsTo(smtp, email)[0];
            String text = part(mail, "text/plain");
            String html = part(mail, "text/html");
            if (count == 11) {
                assertTrue(text.contains("Vis n° 11") && !text.contains("autres lignes"), text);
                assertTrue(html.contains("Vis n° 11") && !html.contains("autres lignes"), html);
            } else {
                assertTrue(text.contains("Vis n° 10") && !text.contains("Vis n° 11"), text);
                assertTrue(text.contains("… et 990 autres lignes"), text);
                assertTrue(html.contains("… et 990 autres lignes"), html);
            }
        }
    }

    @Test
    void theServerSendsNoLinkOfAClosedOrder() {
        String ref = uniqueReference();
        String email = "closed-" + ref.toLowerCase() + "@vendor.example";
        sent(ref, "Closed Supplies", email, "en");
        cancel(ref, "No longer needed", "cancelled");
        Smtp.deliver(delivery, clock);
        int link = given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref)
                .then().extract().path("links.find { it.active }.id");
        int links = given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref)
                .then().extract().path("links.size()");
        String path = "/app/orders/" + ref;
        String refused = postForm(staff, path, path + "/links/" + link + "/regenerate", "send", "PO_AND_LINK",
                "confirm", "yes").statusCode(409).extract().asString();
        assertTrue(refused.contains("is cancelled: its links are no longer e-mailed"), refused);
        String noLink = postForm(staff, path, path + "/links", "name", "Someone", "contact", "someone@vendor.example",
                "email", "yes").statusCode(409).extract().asString();
        assertTrue(noLink.contains("The link was not created."), noLink);
        postForm(staff, path, path + "/resend", "from", "order").statusCode(409);
        Smtp.deliver(delivery, clock);
        assertEquals(2, Smtp.mailsTo(smtp, email).length, "the order and its cancellation, nothing more");
        assertEquals(0, Smtp.mailsTo(smtp, "someone@vendor.example").length);
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("links.size()", equalTo(links));
    }

    @Test
    void anEnglishCancellationAsksToAcknowledgeItAndWarnsWhenTheLastMailDied() throws Exception {
        String ref = uniqueReference();
        String email = "bounced-" + ref.toLowerCase() + "@vendor.example";
        sent(ref, "Northwind Supplies", email, "en");
        lastMailDied(ref);
        assertTrue(staffPage(ref).contains("id=\"mail-dead\""), "the order page says so before the cancel");

        cancel(ref, "Ordered twice", "cancelled-mail-dead");
        String done = given().filter(staff).get("/app/orders/" + ref + "?done=cancelled-mail-dead").then()
                .statusCode(200).extract().asString();
        assertTrue(done.contains("the last e-mail to this vendor could not be delivered"), done);
        assertTrue(done.contains("id=\"mail-dead\"") && done.contains("Phone the vendor"), done);

        Smtp.deliver(delivery, clock);
        MimeMessage cancelled = Smtp.mailsTo(smtp, email)[1];
        String text = part(cancelled, "text/plain");
        assertFalse(text.contains(EN_NEW_ORDER_ASK), text);
        assertTrue(text.contains("Please open the order and acknowledge the cancellation."), text);
        assertTrue(part(cancelled, "text/html").contains("<title>Purchase order " + ref + " cancelled</title>"));
    }

    @Test
    void aMailToAChosenContactGreetsHerByName() throws Exception {
        String ref = uniqueReference();
        String email = "northwind-" + ref.toLowerCase() + "@vendor.example";
        String jane = "jane-" + ref.toLowerCase() + "@vendor.example";
        sent(ref, "Northwind Supplies", email, "en");
        long vendor = vendorOf(ref);
        String vendorPath = "/app/vendors/" + vendor;
        postForm(staff, vendorPath, vendorPath + "/contacts", "name", "Jane Doe", "email", jane, "role", "SALES")
                .statusCode(303);
        String path = "/app/orders/" + ref;
        postForm(staff, path, path + "/resend", "contactId", String.valueOf(contactOf(vendor)), "from", "order")
                .statusCode(303);
        Smtp.deliver(delivery, clock);
        MimeMessage mail = Smtp.mailsTo(smtp, jane)[0];
        String text = part(mail, "text/plain");
        assertTrue(text.startsWith("Hello Jane Doe,"), text);
        assertFalse(text.contains("Hello Northwind Supplies"), text);
        assertTrue(part(mail, "text/html").contains("<p>Hello Jane Doe,</p>"));
        // the vendor's own address is still greeted as the company
        assertTrue(part(Smtp.mailsTo(smtp, email)[0], "text/plain").startsWith("Hello Northwind Supplies,"));
    }

    @Test
    void staffAndVendorSeeLineAmountsAndTheOrderTotalInTheirOwnFormat() {
        String ref = uniqueReference();
        String email = "total-" + ref.toLowerCase() + "@vendor.example";
        PortalClient vendor = sent(ref, "Schrauben Müller GmbH", email, "de");
        String page = staffPage(ref);
        assertTrue(page.contains("<td class=\"amount\" data-label=\"Amount\">12.00 GBP</td>"), page);
        assertTrue(page.contains("<td class=\"amount\" data-label=\"Amount\">3,703.50 GBP</td>"), page);
        assertTrue(page.contains("Order total (GBP)</th><td class=\"amount\">3,715.50 GBP</td>"), page);

        String portal = vendor.open("/orders/" + ref).asString();
        assertTrue(portal.contains("<bdi class=\"amount\">3.703,50 GBP</bdi>"), portal);
        assertTrue(portal.contains("id=\"order-total\"><strong>Gesamtbetrag:</strong>"), portal);
        assertTrue(portal.contains("<bdi>3.715,50 GBP</bdi>"), portal);

        // lines without prices: no total at all
        String unpriced = uniqueReference();
        post(tenant.apiKey(),
                Map.of("reference", unpriced, "vendor", Map.of("name", "Schrauben Müller GmbH", "email", email),
                        "deliveryAddress", "1 Dock Road", "lines", List.of(Map.of("sku", "A", "quantity", "2"))))
                                .statusCode(201);
        String none = staffPage(unpriced);
        assertFalse(none.contains("Order total"), none);
    }

    @Test
    void theAmendHeadingSaysPlainlyWhichRevisionSavingMakes() {
        String ref = uniqueReference();
        sent(ref, "Plain Words Ltd", "plain-" + ref.toLowerCase() + "@vendor.example", "en");
        String page = given().filter(staff).get("/app/orders/" + ref + "/amend").then().statusCode(200).extract()
                .asString();
        assertTrue(page.contains("Amend " + ref + " <span class=\"muted small\" id=\"revision-note\">(revision 1 →"
                + " saving makes revision 2)</span>"), page);
        assertFalse(page.contains("saved as revision"));
    }

    @Transactional
    void lastMailDied(String ref) {
        // as the outbox leaves it when it gives up on a mail (PurchaseOrderMails.gaveUp)
        PurchaseOrder.<PurchaseOrder> find("reference", ref).firstResult().mailDead = true;
    }

    @Transactional
    long vendorOf(String ref) {
        return PurchaseOrder.<PurchaseOrder> find("reference", ref).firstResult().vendor.id;
    }

    @Transactional
    long contactOf(long vendor) {
        return VendorContact.<VendorContact> find("vendor.id = ?1 order by id", vendor).firstResult().id;
    }
}
