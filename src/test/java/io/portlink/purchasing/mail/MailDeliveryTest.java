package io.portlink.purchasing.mail;

import static io.portlink.testing.Fixtures.order;
import static io.portlink.testing.Fixtures.post;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import jakarta.transaction.Transactional;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;

import io.portlink.organization.Logos;
import io.portlink.outbox.OutboxDelivery;
import io.portlink.outbox.OutboxMessage;
import io.portlink.outbox.OutboxStore;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Images;
import io.portlink.testing.PortalClient;
import io.portlink.testing.Smtp;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Mail through a real SMTP server (GreenMail, where the test profile points the mailer). The two tests that stop the
 * server run last: after such an outage the mail client's next sends can hang (see {@link Smtp}), and the crash tests
 * count every mail.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MailDeliveryTest {

    GreenMail smtp;

    private static final Pattern LINK = Pattern.compile(Pattern.quote(Fixtures.BASE_URL) + "(/v/pv_[A-Za-z0-9_-]{43})");

    @Inject
    Fixtures fixtures;

    @Inject
    OutboxDelivery delivery;

    @Inject
    Logos logos;

    @Inject
    TestClock clock;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
        fixtures.settleOutbox();
        smtp = Smtp.fresh();
    }

    @Test
    void poAndLinkArrivesWithThePdfAndAWorkingLink() throws Exception {
        String ref = uniqueReference();
        String vendor = "po-" + ref.toLowerCase() + "@vendor.example";
        String created = queue(ref, vendor, "PO_AND_LINK");

        assertTrue(Smtp.deliver(delivery, clock) >= 1);
        MimeMessage mail = only(vendor);
        assertTrue(mail.getSubject().contains(ref));
        assertTrue(mail.getSubject().contains(tenant.name()));

        String text = GreenMailUtil.getBody(mail);
        Matcher link = LINK.matcher(text.replace("=\r\n", "").replace("=3D", "="));
        assertTrue(link.find(), "the mail carries the vendor link");
        assertEquals(created, Fixtures.BASE_URL + link.group(1), "the very link that was issued");

        Part pdf = attachment(mail);
        assertEquals("purchase-order-" + ref + ".pdf", pdf.getFileName());
        assertTrue(pdf.getContentType().startsWith("application/pdf"));
        try (var document = Loader.loadPDF(pdf.getInputStream().readAllBytes())) {
            String pdfText = new PDFTextStripper().getText(document);
            assertTrue(pdfText.contains("Purchase order " + ref));
            assertTrue(pdfText.contains("Hex bolt M8"));
            assertTrue(pdfText.contains("1 Dock Road"));
        }

        given().header("User-Agent", PortalClient.BROWSER).get(link.group(1)).then().statusCode(200);
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("status", equalTo("NOTIFIED")).body("mails[0].status", equalTo("SENT"))
                .body("timeline.type", hasItem("MAIL_SENT"))
                // read under "Link sent by Portlink": no second "by"
                .body("timeline.find { it.type == 'LINK_SENT' }.detail", startsWith("e-mailed to "));
        assertNull(bodyOf(mail.getMessageID()), "the sent mail's body (and its token) left the outbox");
        assertNotNull(messageIdStored(mail.getMessageID()), "the Message-ID is the one fixed when queued");
    }

    @Test
    void theOrganisationsLogoTravelsInsideTheMail() throws Exception {
        byte[] png = Images.of("png", 120, 40);
        logos.upload(tenant.id(), png);
        String ref = uniqueReference();
        String vendor = "logo-" + ref.toLowerCase() + "@vendor.example";
        queue(ref, vendor, "LINK_ONLY");
        Smtp.deliver(delivery, clock);

        MimeMessage mail = only(vendor);
        Part logo = partWithContentId(mail, "<" + VendorMail.MailModel.LOGO_CID + ">");
        assertNotNull(logo, "the logo is attached inline");
        assertTrue(logo.getContentType().startsWith("image/png"));
        assertTrue(Arrays.equals(png, logo.getInputStream().readAllBytes()));
        assertTrue(GreenMailUtil.getWholeMessage(mail).contains("cid:logo@portlink"), "the HTML shows it");
    }

    /** Walks the MIME tree (mixed, related, alternative) for the part with this Content-ID. */
    private static Part partWithContentId(Part part, String contentId) throws Exception {
        String[] ids = part.getHeader("Content-ID");
        if (ids != null && Arrays.asList(ids).contains(contentId)) {
            return part;
        }
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                Part found = partWithContentId(multipart.getBodyPart(i), contentId);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    @Test
    @Order(Order.DEFAULT + 1)
    void aFailedDeliveryIsRetriedAndNothingIsLost() throws Exception {
        String ref = uniqueReference();
        String vendor = "retry-" + ref.toLowerCase() + "@vendor.example";
        queue(ref, vendor, "LINK_ONLY");

        smtp.stop();
        delivery.deliverDue();
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("status", equalTo("PENDING")).body("mails[0].status", equalTo("PENDING"))
                .body("mails[0].attempts", equalTo(1));

        smtp = Smtp.fresh(); // with the suite's short client timeout, as after any restart
        delivery.deliverDue();
        assertEquals(0, smtp.getReceivedMessagesForDomain(vendor).length, "not before its backoff is over");

        clock.advance(Duration.ofMinutes(1));
        Smtp.deliver(delivery, clock); // the retry (after an outage the client's first send may hang and be retried
                                       // too)
        MimeMessage mail = only(vendor);
        assertTrue(GreenMailUtil.getBody(mail).contains("/v/pv_"));
        assertEquals(null, attachmentOrNull(mail), "link only: no PDF");
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("status", equalTo("NOTIFIED")).body("mails[0].status", equalTo("SENT"))
                .body("mails[0].attempts", greaterThanOrEqualTo(2));
    }

    @Test
    @Order(Order.DEFAULT + 1)
    void aMailThatNeverGoesThroughEndsDeadAndVisible() {
        String ref = uniqueReference();
        Map<String, Object> body = new HashMap<>(order(ref, "dead-" + ref.toLowerCase() + "@vendor.example"));
        body.put("send", "LINK_ONLY");
        post(tenant.apiKey(), body).statusCode(201);
        smtp.stop();
        for (int i = 0; i < 6; i++) {
            delivery.deliverDue();
            clock.advance(Duration.ofHours(2));
        }
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("mails[0].status", equalTo("DEAD")).body("mails[0].attempts", equalTo(6))
                .body("timeline.type", hasItem("MAIL_DEAD"));
    }

    @Inject
    OutboxStore store;

    /** How long the messages of a run that died are held: one short lease, not minutes. */
    private static final Duration LEASE = Duration.ofSeconds(30);

    @Test
    void aRunThatDiesWhileSendingHoldsOnlyThatMailAndOnlyForTheShortLease() throws Exception {
        clientConnected();
        String[] vendors = queueThree("died");
        store.claimNext().orElseThrow(); // a run claims the first mail... and dies while sending it

        delivery.deliverDue();
        assertEquals(0, Smtp.mailsTo(smtp, vendors[0]).length, "the dead run's mail waits for its claim to lapse");
        only(vendors[1]); // the rest were never claimed: the next run sends them at once
        only(vendors[2]);

        clock.advance(LEASE.plusSeconds(1));
        delivery.deliverDue();
        // taken again at once after the short lease: its second try, whatever the mail server answered to it
        given().header("Authorization", "Bearer " + tenant.apiKey())
                .get("/api/v1/purchase-orders/" + referenceOf(vendors[0])).then().body("mails[0].attempts", equalTo(2));
        // a test session that stalls (see Smtp) fails that try and is retried after its backoff: still one mail
        Smtp.deliver(delivery, clock);
        only(vendors[0]);
        only(vendors[1]);
        only(vendors[2]);
    }

    @Test
    void aCrashAfterTheServerTookAMailSendsThatOneMailTwiceUnderOneMessageIdAndNoOtherMail() throws Exception {
        clientConnected();
        String[] vendors = queueThree("twice");
        var inFlight = store.claimNext().orElseThrow();
        sendThrough(inFlight); // the server takes it, and the run dies before recording that

        delivery.deliverDue();
        clock.advance(LEASE.plusSeconds(1));
        delivery.deliverDue();

        MimeMessage[] copies = Smtp.mailsTo(smtp, vendors[0]);
        assertEquals(2, copies.length, "the one mail in flight when the run died goes out again");
        assertEquals(copies[0].getMessageID(), copies[1].getMessageID(), "as the same message, which receivers know");
        assertEquals(inFlight.mail().messageId(), copies[1].getMessageID());
        only(vendors[1]);
        only(vendors[2]);
        given().header("Authorization", "Bearer " + tenant.apiKey())
                .get("/api/v1/purchase-orders/" + referenceOf(vendors[0])).then().body("status", equalTo("NOTIFIED"))
                .body("mails[0].status", equalTo("SENT")).body("mails[0].attempts", equalTo(2))
                .body("timeline.findAll { it.type == 'MAIL_SENT' }.size()", equalTo(1));
    }

    @Test
    void aMailRecordedAsSentButNotYetOnItsOrderIsCompletedByTheNextRunNotSentAgain() throws Exception {
        clientConnected();
        String ref = uniqueReference();
        String vendor = "half-" + ref.toLowerCase() + "@vendor.example";
        queue(ref, vendor, "LINK_ONLY");
        var claim = store.claimNext().orElseThrow();
        sendThrough(claim);
        store.sent(claim.mail().id()); // ...and the run dies before the order shows it

        clock.advance(Duration.ofMinutes(10));
        assertEquals(0, delivery.deliverDue(), "nothing is sent again");
        only(vendor);
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("status", equalTo("NOTIFIED")).body("mails[0].status", equalTo("SENT"))
                .body("timeline.findAll { it.type == 'MAIL_SENT' }.size()", equalTo(1));
        delivery.deliverDue();
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("timeline.findAll { it.type == 'MAIL_SENT' }.size()", equalTo(1));
    }

    @Test
    void aClaimThatIsExtendedOutlivesItsFirstLeaseAndOnlyItsOwnerCanExtendIt() throws Exception {
        clientConnected();
        String ref = uniqueReference();
        String vendor = "slow-" + ref.toLowerCase() + "@vendor.example";
        queue(ref, vendor, "LINK_ONLY");
        var claim = store.claimNext().orElseThrow(); // a send to a slow server...
        clock.advance(Duration.ofSeconds(20));
        var extended = store.extend(claim.mail().id(), claim.until()); // ...extends its claim while it waits
        assertTrue(extended.isPresent());
        clock.advance(Duration.ofSeconds(20)); // past the first lease, within the extended one

        delivery.deliverDue();
        assertEquals(0, Smtp.mailsTo(smtp, vendor).length, "no other run takes a mail that is still being sent");
        assertTrue(store.extend(claim.mail().id(), claim.until()).isEmpty(), "a stale claim is not extended");

        clock.advance(LEASE.plusSeconds(1)); // the sender died after all
        delivery.deliverDue();
        only(vendor);
    }

    @Test
    void aMailWhoseRunsKeepDyingEndsDeadLikeAnyOtherNeverInALoop() {
        String ref = uniqueReference();
        queue(ref, "poison-" + ref.toLowerCase() + "@vendor.example", "LINK_ONLY");
        for (int i = 0; i < 6; i++) {
            store.claimNext().orElseThrow(); // each run dies while sending it
            clock.advance(LEASE.plusSeconds(1));
        }
        // the seventh run gives it up instead of dying on it again; what it claims next is the buyer's notice of
        // that dead mail (purchasing.BuyerNotices), queued when the outbox gave up
        var next = store.claimNext();
        assertTrue(next.isEmpty() || next.get().mail().recipient().equals(tenant.adminEmail()),
                "the seventh run gives it up instead of dying on it again: " + next);
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("mails[0].status", equalTo("DEAD")).body("mails[0].attempts", equalTo(6))
                .body("timeline.type", hasItem("MAIL_DEAD"));
    }

    /**
     * After an outage test, the mail client's first send can hang until GreenMail's read timeout and fail (see
     * {@link Smtp}); these tests count every mail, so one mail goes out before their own.
     */
    /**
     * Sends one claimed mail as a run would, trying again when the test's SMTP server dropped the client's connection
     * (GreenMail restarts between tests, and the client's first session after that can time out): the tests here are
     * about what happens after the server took the mail.
     */
    private void sendThrough(OutboxStore.Claim claim) {
        for (int attempt = 1;; attempt++) {
            try {
                delivery.send(claim);
                return;
            } catch (IllegalStateException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private void clientConnected() {
        String ref = uniqueReference();
        queue(ref, "warm-" + ref.toLowerCase() + "@vendor.example", "LINK_ONLY");
        assertTrue(Smtp.deliver(delivery, clock) >= 1);
    }

    /** Three orders whose link mails are queued; returns their vendors' addresses, oldest first. */
    private String[] queueThree(String prefix) {
        String[] vendors = new String[3];
        for (int i = 0; i < 3; i++) {
            String ref = uniqueReference();
            vendors[i] = prefix + "-" + ref.toLowerCase() + "@vendor.example";
            queue(ref, vendors[i], "LINK_ONLY");
            references.put(vendors[i], ref);
        }
        return vendors;
    }

    private final Map<String, String> references = new HashMap<>();

    private String referenceOf(String vendor) {
        return references.get(vendor);
    }

    /** Creates an order whose vendor mail goes into the outbox. */
    private String queue(String ref, String vendor, String send) {
        Map<String, Object> body = new HashMap<>(order(ref, vendor));
        body.put("send", send);
        return post(tenant.apiKey(), body).statusCode(201).extract().path("vendorLink.url");
    }

    private MimeMessage only(String recipient) {
        MimeMessage[] mails = Smtp.mailsTo(smtp, recipient);
        assertEquals(1, mails.length, "exactly one mail to " + recipient);
        return mails[0];
    }

    private static Part attachment(MimeMessage mail) throws Exception {
        Part part = attachmentOrNull(mail);
        assertNotNull(part, "a PDF is attached");
        return part;
    }

    private static Part attachmentOrNull(MimeMessage mail) throws Exception {
        if (!(mail.getContent() instanceof Multipart multipart)) {
            return null;
        }
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
                return part;
            }
        }
        return null;
    }

    @Transactional
    String bodyOf(String messageId) {
        OutboxMessage m = OutboxMessage.find("messageId", messageId).firstResult();
        return m == null ? "missing" : m.bodyText;
    }

    @Transactional
    Long messageIdStored(String messageId) {
        OutboxMessage m = OutboxMessage.find("messageId", messageId).firstResult();
        return m == null ? null : m.id;
    }
}
