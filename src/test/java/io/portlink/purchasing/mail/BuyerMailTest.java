package io.portlink.purchasing.mail;

import static io.portlink.testing.Fixtures.order;
import static io.portlink.testing.Fixtures.post;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.mail.BodyPart;
import jakarta.mail.Header;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;

import io.portlink.outbox.OutboxDelivery;
import io.portlink.purchasing.Orders;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.Smtp;
import io.portlink.testing.TestClock;
import io.portlink.timeline.Actor;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

/**
 * Vendor mail as mail servers and people take it: no empty header, Reply-To the buyer, and the buyer's contact in the
 * mail, the PDF and on the vendor's page.
 */
@QuarkusTest
class BuyerMailTest {

    @Inject
    Fixtures fixtures;

    @Inject
    OutboxDelivery delivery;

    @Inject
    TestClock clock;

    @Inject
    Orders orders;

    GreenMail smtp;
    Fixtures.Tenant tenant;
    CookieFilter admin;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
        fixtures.settleOutbox();
        smtp = Smtp.fresh();
        admin = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
    }

    private void purchasingDesk(String name, String email, String phone, int status) {
        given().filter(admin).redirects().follow(false).formParam("form-token", csrf(admin, "/app/admin"))
                .formParam("purchasingName", name).formParam("purchasingEmail", email)
                .formParam("purchasingPhone", phone).post("/app/admin/purchasing").then().statusCode(status);
    }

    private String apiOrder(String ref, String vendor, String send) {
        Map<String, Object> body = new HashMap<>(order(ref, vendor));
        body.put("send", send);
        return post(tenant.apiKey(), body).statusCode(201).extract().path("vendorLink.url");
    }

    private MimeMessage only(String recipient) {
        Smtp.deliver(delivery, clock);
        MimeMessage[] mails = Smtp.mailsTo(smtp, recipient);
        assertEquals(1, mails.length, "exactly one mail to " + recipient);
        return mails[0];
    }

    private static String pdfText(MimeMessage mail) throws Exception {
        Multipart multipart = (Multipart) mail.getContent();
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
                try (var doc = Loader.loadPDF(part.getInputStream().readAllBytes())) {
                    return new PDFTextStripper().getText(doc);
                }
            }
        }
        throw new AssertionError("no PDF attached");
    }

    @Test
    void noHeaderIsEmpty() throws Exception {
        String ref = uniqueReference();
        String vendor = "hdr-" + ref.toLowerCase() + "@vendor.example";
        apiOrder(ref, vendor, "PO_AND_LINK");
        MimeMessage mail = only(vendor);
        for (Header header : Collections.list(mail.getAllHeaders())) {
            assertFalse(header.getValue() == null || header.getValue().isBlank(),
                    "header " + header.getName() + " has no value");
        }
        assertNull(mail.getHeader("Cc"), "no Cc header at all");
    }

    @Test
    void withNoStaffUserAndNoPurchasingDeskThereIsNoReplyTo() throws Exception {
        String ref = uniqueReference();
        String vendor = "none-" + ref.toLowerCase() + "@vendor.example";
        apiOrder(ref, vendor, "PO_AND_LINK");
        MimeMessage mail = only(vendor);
        assertNull(mail.getHeader("Reply-To"), "replies go to the sender address");
        assertFalse(pdfText(mail).contains("Your buyer"));
    }

    @Test
    void anApiSendRepliesToThePurchasingDesk() throws Exception {
        purchasingDesk("Purchasing Desk", "Purchasing@Buyer.example", "+44 20 7946 0123", 303);
        String ref = uniqueReference();
        String vendor = "api-" + ref.toLowerCase() + "@vendor.example";
        apiOrder(ref, vendor, "PO_AND_LINK");
        MimeMessage mail = only(vendor);
        assertArrayEquals(new String[] { "purchasing@buyer.example" }, mail.getHeader("Reply-To"));
        String body = GreenMailUtil.getBody(mail);
        assertTrue(body.contains("Purchasing Desk") && body.contains("+44 20 7946 0123"), "the mail names the buyer");
        String pdf = pdfText(mail);
        assertTrue(pdf.contains("Your buyer") && pdf.contains("Purchasing Desk")
                && pdf.contains("purchasing@buyer.example") && pdf.contains("+44 20 7946 0123"), pdf);

        String url = apiOrder(uniqueReference(), "page-" + ref.toLowerCase() + "@vendor.example", "NONE");
        var portal = new PortalClient(url.substring(url.indexOf("/v/")));
        portal.open("").then().statusCode(200);
        assertTrue(portal.lastPage().contains("Purchasing Desk") && portal.lastPage().contains("+44 20 7946 0123"),
                "the vendor page names the purchasing desk");
    }

    @Test
    void aStaffSendRepliesToThatStaffUserWhoBecomesTheBuyer() throws Exception {
        purchasingDesk("Purchasing Desk", "purchasing@buyer.example", "+44 20 7946 0123", 303);
        String ref = uniqueReference();
        String vendor = "staff-" + ref.toLowerCase() + "@vendor.example";
        apiOrder(ref, vendor, "NONE");
        long linkId = Fixtures.firstLinkId(tenant.apiKey(), ref);
        given().filter(admin).formParam("form-token", csrf(admin, "/app/orders/" + ref))
                .formParam("send", "PO_AND_LINK").formParam("confirm", "yes")
                .post("/app/orders/" + ref + "/links/" + linkId + "/regenerate").then().statusCode(200);
        MimeMessage mail = only(vendor);
        assertArrayEquals(new String[] { tenant.adminEmail() }, mail.getHeader("Reply-To"));
        String pdf = pdfText(mail);
        assertTrue(pdf.contains(tenant.adminEmail()) && !pdf.contains("purchasing@buyer.example"), pdf);
        assertTrue(pdf.contains("+44 20 7946 0123"), "the desk's phone goes with the buyer");
        String link = pdf.replaceAll("\\s+", "").replaceAll(".*(/v/pv_[A-Za-z0-9_-]{43}).*", "$1");
        assertTrue(link.startsWith("/v/pv_"), "the PDF prints the vendor link: " + pdf);

        // the vendor's page names the same buyer, and offers the PDF
        var portal = new PortalClient(link);
        portal.open("").then().statusCode(200);
        assertTrue(portal.lastPage().contains(tenant.adminEmail()), "Your buyer block on the vendor page");
        assertTrue(portal.lastPage().contains("/pdf"), "a download link");

        // a reminder nobody sends by hand still replies to the buyer of the order
        given().filter(admin).redirects().follow(false).formParam("form-token", csrf(admin, "/app/orders/" + ref))
                .post("/app/orders/" + ref + "/resend").then().statusCode(303);
        Smtp.deliver(delivery, clock);
        MimeMessage[] mails = Smtp.mailsTo(smtp, vendor);
        assertArrayEquals(new String[] { tenant.adminEmail() }, mails[mails.length - 1].getHeader("Reply-To"));
    }

    @Test
    void headersNeverCarryLineBreaksFromUserData() {
        purchasingDesk("Desk", "desk@buyer.example\r\nBcc: victim@evil.example", "", 422);
        purchasingDesk("Desk\r\nBcc: victim@evil.example", "desk@buyer.example", "", 422);
        purchasingDesk("Desk", "desk@buyer.example", "+44 1\n2", 422);
        assertEquals("Desk Bcc: x", new Buyer("Desk\r\nBcc: x", null, null).name());
    }

    @Test
    void theVendorDownloadsThePdfWithoutCountingAnOpen() throws Exception {
        String ref = uniqueReference();
        String url = apiOrder(ref, "dl-" + ref.toLowerCase() + "@vendor.example", "NONE");
        String path = url.substring(url.indexOf("/v/"));
        for (String agent : new String[] { PortalClient.BROWSER, "Mozilla/5.0 (compatible; Scanner)" }) {
            var response = given().header("User-Agent", agent).get(path + "/pdf").then().statusCode(200)
                    .contentType("application/pdf").header("Referrer-Policy", "no-referrer")
                    .header("X-Robots-Tag", "noindex, nofollow").header("Cache-Control", "no-store")
                    .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                    .header("Content-Disposition", containsString("attachment")).extract().asByteArray();
            try (var doc = Loader.loadPDF(response)) {
                String text = new PDFTextStripper().getText(doc);
                assertTrue(text.contains(ref) && text.replaceAll("\\s+", "").contains(path), text);
            }
        }
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("status", equalTo("PENDING")).body("links[0].openCount", equalTo(0))
                .body("links[0].botOpenCount", equalTo(0));
        given().get(path + "/orders/" + ref + "/pdf").then().statusCode(200);
        given().get(path + "/orders/NOT-THIS-VENDORS/pdf").then().statusCode(404);
        given().get("/v/pv_" + "x".repeat(43) + "/pdf").then().statusCode(404);
    }

    @Test
    void staffPreviewThePdfInlineAndOnlyTheirOwn() throws Exception {
        String ref = uniqueReference();
        apiOrder(ref, "pv-" + ref.toLowerCase() + "@vendor.example", "NONE");
        byte[] pdf = given().filter(admin).get("/app/orders/" + ref + "/pdf").then().statusCode(200)
                .contentType("application/pdf").header("Content-Disposition", containsString("inline")).extract()
                .asByteArray();
        try (var doc = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(doc);
            assertTrue(text.contains("Purchase order " + ref) && text.contains("Hex bolt M8"), text);
            assertFalse(text.contains("/v/pv_"), "no link in a preview: its token is not stored");
        }
        var other = fixtures.tenant("DE");
        CookieFilter stranger = signIn(other.adminEmail(), Fixtures.PASSWORD);
        given().filter(stranger).get("/app/orders/" + ref + "/pdf").then().statusCode(404);
    }

    @Test
    void aCancelledOrdersPdfSaysSoAndAsksForNothing() throws Exception {
        String ref = uniqueReference();
        String url = apiOrder(ref, "cx-" + ref.toLowerCase() + "@vendor.example", "NONE");
        String path = url.substring(url.indexOf("/v/"));
        long version = given().header("Authorization", "Bearer " + tenant.apiKey())
                .get("/api/v1/purchase-orders/" + ref).then().extract().<Integer> path("version");
        orders.cancel(tenant.id(), ref, version, Actor.system(), "not needed");
        byte[] vendorPdf = given().get(path + "/pdf").then().statusCode(200).extract().asByteArray();
        byte[] staffPdf = given().filter(admin).get("/app/orders/" + ref + "/pdf").then().statusCode(200).extract()
                .asByteArray();
        for (byte[] pdf : new byte[][] { vendorPdf, staffPdf }) {
            try (var doc = Loader.loadPDF(pdf)) {
                String text = new PDFTextStripper().getText(doc);
                assertTrue(text.contains("CANCELLED"), text);
                assertFalse(text.replaceAll("\\s+", " ").contains("Confirm this order"), text);
            }
        }
    }
}
