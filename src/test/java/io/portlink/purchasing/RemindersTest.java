package io.portlink.purchasing;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;

import io.portlink.organization.Organizations;
import io.portlink.outbox.OutboxDelivery;
import io.portlink.outbox.OutboxMessage;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.Smtp;
import io.portlink.testing.TestClock;
import io.portlink.timeline.Actor;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

@QuarkusTest
class RemindersTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Reminders reminders;

    @Inject
    Orders orders;

    @Inject
    OutboxDelivery delivery;

    @Inject
    Organizations organizations;

    @Inject
    TestClock clock;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
        organizations.setReminderPolicy(tenant.id(), true, 24, 2, 2);
    }

    @Transactional
    long remindersTo(String vendorEmail) {
        return OutboxMessage.count("recipient = ?1 and subject like ?2", vendorEmail, "Reminder:%");
    }

    @Transactional
    int reminderCount(String reference) {
        return PurchaseOrder.<PurchaseOrder> find("reference", reference).firstResult().reminderCount;
    }

    @Transactional
    OutboxMessage.Status reconfirmStatus(String vendorEmail) {
        return OutboxMessage.<OutboxMessage> find("recipient = ?1 and subject like ?2 order by id", vendorEmail,
                "Delivery date of%").firstResult().status;
    }

    @Transactional
    long reconfirmsTo(String vendorEmail) {
        return OutboxMessage.count("recipient = ?1 and subject like ?2", vendorEmail, "Delivery date of%");
    }

    private String sent(String email) {
        String ref = uniqueReference();
        createOrderWithLink(tenant.apiKey(), ref, email);
        orders.markSent(tenant.id(), ref, Actor.system(), "phone");
        return ref;
    }

    @Test
    void anUnconfirmedOrderIsRemindedOncePerWindowUpToTheLimit() {
        String email = "slow-" + tenant.id() + "@vendor.example";
        String ref = sent(email);
        reminders.runOnce();
        assertEquals(0, remindersTo(email), "not before 24 hours");

        clock.advance(Duration.ofHours(24));
        reminders.runOnce();
        reminders.runOnce();
        assertEquals(1, remindersTo(email), "the same window twice sends once");

        clock.advance(Duration.ofHours(24));
        reminders.runOnce();
        assertEquals(2, remindersTo(email));
        clock.advance(Duration.ofHours(24));
        reminders.runOnce();
        assertEquals(2, remindersTo(email), "at most 2 per order");
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("timeline.type", hasItem("REMINDER"));
    }

    @Test
    void aReminderQueuedJustBeforeTheVendorConfirmsIsNotSent() throws Exception {
        GreenMail smtp = Smtp.fresh();
        String email = "quick-" + tenant.id() + "@vendor.example";
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, email));
        orders.markSent(tenant.id(), ref, Actor.system(), "phone");
        clock.advance(Duration.ofHours(25));
        reminders.runOnce();
        assertEquals(1, remindersTo(email), "queued while the order was unconfirmed");

        // the vendor confirms before the outbox's next run
        vendor.act(ref, "confirm", Map.of()).then().statusCode(303);
        while (delivery.deliverDue() > 0) {
            // everything due, this test's reminder among it
        }
        for (MimeMessage mail : Smtp.mailsTo(smtp, email)) {
            assertFalse(mail.getSubject().startsWith("Reminder"), "no reminder for an order the vendor confirmed");
        }
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String page = given().filter(staff).get("/app/orders/" + ref).then().statusCode(200).extract().asString();
        assertTrue(page.contains("not sent: the vendor confirmed the order before it went out"), "staff see why");
        // undone as if never asked: the timeline says so, its fresh link is revoked (no one has it), and staff may ask
        // about the date at once, not told "a reminder went out" 15 minutes before
        assertTrue(page.contains("its link #"), "the reminder's link is named as revoked");
        assertEquals(0, reminderCount(ref));
        given().filter(staff).formParam("form-token", csrf(staff, "/app/orders")).redirects().follow(false)
                .post("/app/orders/" + ref + "/remind").then().statusCode(303);

        // one still wanted goes out: the next order, not confirmed, gets its reminder
        String other = "slow2-" + tenant.id() + "@vendor.example";
        sent(other);
        clock.advance(Duration.ofHours(25));
        reminders.runOnce();
        while (delivery.deliverDue() > 0) {
        }
        assertEquals(1, Smtp.mailsTo(smtp, other).length, "an unconfirmed order's reminder is sent");
        assertTrue(Smtp.mailsTo(smtp, other)[0].getSubject().startsWith("Reminder"));
    }

    @Test
    void twoRunsAtOnceSendEachReminderOnce() throws Exception {
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String email = "race" + i + "-" + tenant.id() + "@vendor.example";
            sent(email);
            emails.add(email);
        }
        clock.advance(Duration.ofHours(25));
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Reminders.Run>> runs = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    return reminders.runOnce();
                }));
            }
            start.countDown();
            for (Future<Reminders.Run> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (String email : emails) {
            assertEquals(1, remindersTo(email), email);
        }
    }

    @Test
    void closedOrdersAreNeverReminded() {
        String declinedEmail = "declined-" + tenant.id() + "@vendor.example";
        String deliveredEmail = "delivered-" + tenant.id() + "@vendor.example";
        String cancelledEmail = "cancelled-" + tenant.id() + "@vendor.example";
        // each sent first (a closed order is no longer marked as sent), then closed
        String declined = uniqueReference();
        PortalClient declining = new PortalClient(createOrderWithLink(tenant.apiKey(), declined, declinedEmail));
        orders.markSent(tenant.id(), declined, Actor.system(), "phone");
        declining.act(declined, "decline", Map.of("reason", "no stock")).then().statusCode(303);
        String delivered = uniqueReference();
        PortalClient delivering = new PortalClient(createOrderWithLink(tenant.apiKey(), delivered, deliveredEmail));
        orders.markSent(tenant.id(), delivered, Actor.system(), "phone");
        delivering.act(delivered, "status", Map.of("status", "DELIVERED")).then().statusCode(303);
        String cancelled = sent(cancelledEmail);
        orders.cancel(tenant.id(), cancelled, version(cancelled), Actor.system(), "not needed");

        clock.advance(Duration.ofDays(10));
        reminders.runOnce();
        assertEquals(0, remindersTo(declinedEmail) + remindersTo(deliveredEmail) + remindersTo(cancelledEmail));
    }

    @Test
    void theVendorIsAskedToReconfirmTheDateAndAnswersOnThePortal() {
        String email = "dates-" + tenant.id() + "@vendor.example";
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, email));
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        vendor.act(ref, "confirm", Map.of()).then().statusCode(303);
        vendor.act(ref, "date", Map.of("date", today.plusDays(5).toString())).then().statusCode(303);

        reminders.runOnce();
        assertEquals(0, reconfirmsTo(email), "5 days ahead, asked 2 days before");
        clock.advance(Duration.ofDays(3));
        reminders.runOnce();
        reminders.runOnce();
        assertEquals(1, reconfirmsTo(email));

        vendor.open("/orders/" + ref);
        assertTrue(vendor.lastPage().contains("id=\"on-time\""), "the portal asks the question");
        vendor.submit(ref, "ontime", Map.of()).then().statusCode(303);
        vendor.open("/orders/" + ref);
        assertFalse(vendor.lastPage().contains("id=\"on-time\""), "answered");
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("timeline.type", hasItem("DATE_RECONFIRMED"));

        // a new date is a new window: asked again when that one comes near
        vendor.act(ref, "date", Map.of("date", today.plusDays(4).toString())).then().statusCode(303);
        reminders.runOnce();
        assertEquals(2, reconfirmsTo(email));
    }

    @Test
    void aReconfirmationWithdrawnUnsentIsAskedAgainOnTheNextRun() {
        fixtures.settleOutbox();
        String email = "redo-" + tenant.id() + "@vendor.example";
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, email));
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        vendor.act(ref, "confirm", Map.of()).then().statusCode(303);
        vendor.act(ref, "date", Map.of("date", today.plusDays(1).toString())).then().statusCode(303);
        reminders.runOnce();
        assertEquals(1, reconfirmsTo(email));

        // staff revoke the link the request carries before the outbox sends it: withdrawn, and the date not asked
        long reminderLink = given().header("Authorization", "Bearer " + tenant.apiKey())
                .get("/api/v1/purchase-orders/" + ref).then().extract().<Integer> path("links.id.max()");
        orders.revokeLink(tenant.id(), ref, reminderLink, Actor.system());
        while (delivery.deliverDue() > 0) {
            // the withdrawal happens when the request is claimed
        }
        assertEquals(OutboxMessage.Status.WITHDRAWN, reconfirmStatus(email));
        reminders.runOnce();
        assertEquals(2, reconfirmsTo(email), "asked again: the first request never went out");
    }

    @Test
    void nothingIsSentWhileTheOrganisationHasRemindersOff() {
        organizations.setReminderPolicy(tenant.id(), false, 24, 2, 2);
        String email = "off-" + tenant.id() + "@vendor.example";
        sent(email);
        clock.advance(Duration.ofDays(3));
        reminders.runOnce();
        assertEquals(0, remindersTo(email));
    }

    @Test
    void staffSendAReminderNowFromTheQueueOnceAndTheVendorGetsAWorkingLink() {
        organizations.setReminderPolicy(tenant.id(), false, 24, 2, 2); // manual reminders need no policy
        String email = "nudge-" + tenant.id() + "@vendor.example";
        String ref = uniqueReference();
        String first = createOrderWithLink(tenant.apiKey(), ref, email);
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        // a reminder is for an order its vendor was sent: one never sent offers "E-mail the order" instead
        given().filter(staff).formParam("form-token", csrf(staff, "/app/orders")).formParam("how", "phone").redirects()
                .follow(false).post("/app/orders/" + ref + "/mark-sent").then().statusCode(303);
        String queue = given().filter(staff).get("/app/orders?q=" + ref).then().statusCode(200).extract().asString();
        assertTrue(queue.contains("/app/orders/" + ref + "/remind"), "the queue row offers it");

        given().filter(staff).formParam("form-token", csrf(staff, "/app/orders")).formParam("back", "bucket=&q=" + ref)
                .redirects().follow(false).post("/app/orders/" + ref + "/remind").then().statusCode(303)
                .header("Location", containsString("done=reminded"));
        assertEquals(1, remindersTo(email));

        // a double click or a retried POST does not send a second one
        given().filter(staff).formParam("form-token", csrf(staff, "/app/orders")).redirects().follow(false)
                .post("/app/orders/" + ref + "/remind").then().statusCode(409)
                .body(containsString("A reminder was queued for e-mail at"));
        assertEquals(1, remindersTo(email));
        clock.advance(Duration.ofMinutes(16));
        given().filter(staff).formParam("form-token", csrf(staff, "/app/orders")).redirects().follow(false)
                .post("/app/orders/" + ref + "/remind").then().statusCode(303);
        assertEquals(2, remindersTo(email));

        // the reminder carries an additional link; the first one keeps working
        String reminderLink = linkIn(email, "Reminder:%");
        new PortalClient(reminderLink).open("/orders/" + ref).then().statusCode(200);
        new PortalClient(first).open("/orders/" + ref).then().statusCode(200);
        given().filter(staff).get("/app/orders/" + ref).then().body(containsString("reminder sent by staff"));
    }

    @Test
    void aConfirmedOrderIsAskedAboutItsDateAndAClosedOneIsRefused() {
        String email = "nudge2-" + tenant.id() + "@vendor.example";
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, email));
        vendor.act(ref, "confirm", Map.of()).then().statusCode(303);
        vendor.act(ref, "date",
                Map.of("date", LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(20).toString())).then()
                .statusCode(303);
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        given().filter(staff).formParam("form-token", csrf(staff, "/app/orders/" + ref)).redirects().follow(false)
                .post("/app/orders/" + ref + "/remind").then().statusCode(303)
                .header("Location", containsString("/app/orders/" + ref));
        assertEquals(1, reconfirmsTo(email));
        vendor.open("/orders/" + ref);
        assertTrue(vendor.lastPage().contains("id=\"on-time\""), "the portal asks whether the date holds");

        vendor.act(ref, "decline", Map.of("reason", "no stock")).then().statusCode(303);
        clock.advance(Duration.ofHours(1));
        given().filter(staff).formParam("form-token", csrf(staff, "/app/orders/" + ref)).redirects().follow(false)
                .post("/app/orders/" + ref + "/remind").then().statusCode(409).body(containsString("closed"));
        assertEquals(1, reconfirmsTo(email) + remindersTo(email));
        CookieFilter other = signIn(fixtures.tenant("GB").adminEmail(), Fixtures.PASSWORD);
        given().filter(other).formParam("form-token", csrf(other, "/app/orders")).redirects().follow(false)
                .post("/app/orders/" + ref + "/remind").then().statusCode(404);
    }

    /** The portal link in the newest queued mail to this address with this subject. */
    @Transactional
    String linkIn(String email, String subject) {
        OutboxMessage m = OutboxMessage
                .<OutboxMessage> find("recipient = ?1 and subject like ?2 order by id desc", email, subject)
                .firstResult();
        var link = java.util.regex.Pattern.compile("(/v/pv_[A-Za-z0-9_-]+)").matcher(m.bodyText);
        assertTrue(link.find(), m.bodyText);
        return link.group(1);
    }

    private long version(String ref) {
        return given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .extract().<Integer> path("version");
    }
}
