package io.portlink.purchasing;

import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.postForm;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;

import io.portlink.outbox.OutboxDelivery;
import io.portlink.outbox.OutboxMessage;
import io.portlink.outbox.OutboxStore;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Smtp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

/**
 * A vendor mail queued and overtaken before the outbox sends it: the order cancelled (its new-order mail is withdrawn,
 * the cancellation is not), its link replaced by "E-mail the order" (only the mail with the working link goes out), and
 * a closed order's links no longer e-mailed or marked as sent from a page drawn before it closed.
 */
@QuarkusTest
class QueuedMailsTest {

    @Inject
    Fixtures fixtures;

    @Inject
    OutboxDelivery delivery;

    @Inject
    OutboxStore store;

    Fixtures.Tenant tenant;
    GreenMail smtp;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
        fixtures.settleOutbox();
        smtp = Smtp.fresh();
    }

    private String createSent(String reference, String email) {
        Map<String, Object> order = new HashMap<>(Fixtures.order(reference, email));
        order.put("send", "PO_AND_LINK");
        String url = Fixtures.post(tenant.apiKey(), order).statusCode(201).extract().path("vendorLink.url");
        return url.substring(url.indexOf("/v/"));
    }

    private void deliverAll() {
        while (delivery.deliverDue() > 0) {
            // every due mail
        }
    }

    /** The status of the first message of that kind to {@code email} (a replacing mail may be of the same kind). */
    @Transactional
    OutboxMessage.Status statusOf(String email, String kind) {
        return OutboxMessage.<OutboxMessage> find("recipient = ?1 and kind = ?2 order by id", email, kind)
                .firstResult().status;
    }

    @Test
    void anOrderCancelledBeforeItsMailWentOutGetsNoNewOrderMail() throws Exception {
        String email = "gone-" + tenant.id() + "@vendor.example";
        String ref = uniqueReference();
        String token = createSent(ref, email).substring("/v/".length());
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("application/json")
                .body(Map.of("reason", "Ordered twice")).post("/api/v1/purchase-orders/" + ref + "/cancel").then()
                .statusCode(200);
        deliverAll();

        for (var mail : Smtp.mailsTo(smtp, email)) {
            assertTrue(!mail.getSubject().contains("sent you purchase order"), "no new order: " + mail.getSubject());
        }
        assertEquals(OutboxMessage.Status.WITHDRAWN, statusOf(email, "PO_AND_LINK"));
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String page = given().filter(staff).get("/app/orders/" + ref).then().statusCode(200).extract().asString();
        assertTrue(page.contains("not sent: the order was cancelled before it went out"), "the E-mails table says why");
        assertTrue(page.contains("mail withdrawn"), "and the timeline");

        // a link the import screen still shows, or "Mark as sent", from a page drawn before the cancel: refused
        String sent = postForm(staff, "/app/orders/" + ref, "/app/links/send", "token", token, "reference", ref, "send",
                "LINK_ONLY").statusCode(409).extract().asString();
        assertTrue(sent.contains("Nothing was sent: the order is closed"), sent);
        String marked = postForm(staff, "/app/orders/" + ref, "/app/orders/" + ref + "/mark-sent", "how", "phone")
                .statusCode(409).extract().asString();
        assertTrue(marked.contains("Not marked as sent"), marked);
        deliverAll();
        assertEquals(0, Smtp.mailsTo(smtp, email).length - cancellations(email), "nothing but a cancellation");
    }

    private long cancellations(String email) {
        return java.util.Arrays.stream(Smtp.mailsTo(smtp, email)).filter(m -> {
            try {
                return m.getSubject().toLowerCase(java.util.Locale.ROOT).contains("cancel");
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).count();
    }

    @Test
    void aMailWhoseLinkWasReplacedBeforeItWentOutIsNotSent() throws Exception {
        String email = "twice-" + tenant.id() + "@vendor.example";
        String ref = uniqueReference();
        String first = createSent(ref, email);
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        // "E-mail the order" before the first mail went out: the first link stops, a new one is queued
        postForm(staff, "/app/orders/" + ref, "/app/orders/" + ref + "/resend", "from", "order").statusCode(303);
        deliverAll();

        var mails = Smtp.mailsTo(smtp, email);
        assertEquals(1, mails.length, "one mail, the one whose link works");
        String body = com.icegreen.greenmail.util.GreenMailUtil.getBody(mails[0]).replace("=\r\n", "").replace("=3D",
                "=");
        var link = java.util.regex.Pattern.compile("(/v/pv_[A-Za-z0-9_-]{43})").matcher(body);
        assertTrue(link.find(), "the mail carries a link");
        assertTrue(!link.group(1).equals(first), "not the replaced link");
        new io.portlink.testing.PortalClient(link.group(1)).open("/orders/" + ref).then().statusCode(200);
        assertTrue(hasPdf(mails[0]), "the order's PDF, which the withdrawn mail carried, comes with the new link");
        String page = given().filter(staff).get("/app/orders/" + ref).then().statusCode(200).extract().asString();
        assertTrue(page.contains("was revoked or replaced before it went out"), "staff see why one was not sent");
    }

    /**
     * The outbox asks again once a mail is built, right before the mail server gets it: an order sent anew (or
     * cancelled) while its first mail was being built (its PDF rendered) sends only the mail whose link works.
     */
    @Test
    void aMailWhoseLinkWasReplacedWhileItWasBeingBuiltIsNotSent() throws Exception {
        String email = "building-" + tenant.id() + "@vendor.example";
        String ref = uniqueReference();
        createSent(ref, email);
        var claim = store.claimNext().orElseThrow();
        assertEquals(email, claim.mail().recipient());
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String building = given().filter(staff).get("/app/orders/" + ref).then().statusCode(200).extract().asString();
        assertTrue(building.contains("being sent now"), "a claimed mail is not shown as a retry");
        postForm(staff, "/app/orders/" + ref, "/app/orders/" + ref + "/resend", "from", "order").statusCode(303);

        delivery.send(claim); // the first run goes on with the mail it had claimed
        deliverAll();

        var mails = Smtp.mailsTo(smtp, email);
        assertEquals(1, mails.length, "only the mail with the working link");
        assertTrue(hasPdf(mails[0]), "and it carries the order");
        assertEquals(OutboxMessage.Status.WITHDRAWN, statusOf(email, "PO_AND_LINK"));
    }

    private static boolean hasPdf(jakarta.mail.internet.MimeMessage mail) throws Exception {
        if (!(mail.getContent() instanceof jakarta.mail.Multipart multipart)) {
            return false;
        }
        for (int i = 0; i < multipart.getCount(); i++) {
            if (multipart.getBodyPart(i).getContentType().startsWith("application/pdf")) {
                return true;
            }
        }
        return false;
    }
}
