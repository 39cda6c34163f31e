package io.portlink.purchasing;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.order;
import static io.portlink.testing.Fixtures.post;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.FORM_TOKEN;
import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.postForm;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;

import io.portlink.organization.StaffAccounts;
import io.portlink.organization.StaffUser;
import io.portlink.outbox.OutboxDelivery;
import io.portlink.outbox.OutboxMessage;
import io.portlink.outbox.OutboxStore;
import io.portlink.testing.Databases;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.Races;
import io.portlink.testing.Smtp;
import io.portlink.testing.TestClock;
import io.portlink.timeline.Actor;
import io.portlink.timeline.TimelineEntry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

/**
 * What needs a buyer reaches staff once per event: at once, in one daily digest at the chosen hour (organisation's time
 * zone: London, BST in June), or not at all, as each user chose on "My notifications". Real mail through GreenMail.
 */
@QuarkusTest
class BuyerNoticesTest {

    @Inject
    Fixtures fixtures;

    @Inject
    OutboxDelivery delivery;

    @Inject
    OutboxStore store;

    @Inject
    TestClock clock;

    @Inject
    StaffAccounts accounts;

    @Inject
    BuyerNotices notices;

    @Inject
    Event<OrderRecorded> recorded;

    @Inject
    DataSource dataSource;

    @Inject
    Orders orders;

    Fixtures.Tenant tenant;
    GreenMail smtp;
    /** A colleague who chose no e-mail. */
    String quiet;

    @BeforeEach
    void tenant() {
        clock.set(Instant.parse("2026-06-01T09:00:00Z")); // 10:00 in London
        tenant = fixtures.tenant("GB");
        quiet = "quiet-" + tenant.id() + "@example.com";
        StaffUser colleague = accounts.add(tenant.id(), quiet, "Quinn Quiet", Fixtures.PASSWORD, StaffUser.Role.STAFF);
        notices.save(tenant.id(), colleague.id, "NONE", "7", "");
        fixtures.settleOutbox();
        smtp = Smtp.fresh();
    }

    private long adminId() {
        return accounts.signInUserId(tenant.adminEmail()).orElseThrow();
    }

    private MimeMessage[] mailsTo(String address) {
        Smtp.deliver(delivery, clock);
        return Smtp.mailsTo(smtp, address);
    }

    private static String subjectOf(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String body(MimeMessage m) {
        return GreenMailUtil.getBody(m).replace("=\r\n", "").replace("=3D", "=");
    }

    /** An order with a vendor link, sent by API (so it has no buyer: every colleague is told). */
    private PortalClient vendorOf(String ref) {
        return new PortalClient(
                createOrderWithLink(tenant.apiKey(), ref, "v-" + ref.toLowerCase() + "@vendor.example"));
    }

    @Transactional
    long messageOf(String ref) {
        return OutboxMessage.<OutboxMessage> find(
                "purchaseOrderId = (select o.id from PurchaseOrder o where o.reference = ?1 and o.organization.id = ?2)",
                ref, tenant.id()).firstResult().id;
    }

    @Transactional
    void lastTry(long messageId) {
        OutboxMessage.update("attempts = 6 where id = ?1", messageId);
    }

    /** A vendor mail that never goes through: its last try fails, so the outbox gives up on it. */
    private void mailDies(String ref) {
        long id = messageOf(ref);
        lastTry(id);
        store.failed(id, "550 5.1.1 mailbox unavailable");
    }

    @Test
    void eachOfTheSixEventsMailsOnceAtOnceAndNothingToWhoChoseNone() {
        String declined = uniqueReference();
        PortalClient vendor = vendorOf(declined);
        vendor.act(declined, "decline", Map.of("reason", "Out of stock until March")).then().statusCode(303);
        vendor.act(declined, "reopen", Map.of("understood", "yes")).then().statusCode(303);
        vendor.act(declined, "note", Map.of("note", "Packing on Friday")).then().statusCode(303);
        vendor.act(declined, "date", Map.of("date", "2026-06-20")).then().statusCode(303); // earlier: nothing
        vendor.act(declined, "date", Map.of("date", "2026-07-10")).then().statusCode(303); // requested 1 July

        String asked = uniqueReference();
        String link = createOrderWithLink(tenant.apiKey(), asked, "ask@vendor.example");
        orders.revokeLink(tenant.id(), asked, Fixtures.firstLinkId(tenant.apiKey(), asked), Actor.system());
        PortalClient holder = new PortalClient(link);
        holder.open("").then().statusCode(410);
        given().header("User-Agent", PortalClient.BROWSER).formParams(holder.hidden("request-link"))
                .post(link + "/request-link").then().statusCode(410);

        String dead = uniqueReference();
        Map<String, Object> body = new HashMap<>(order(dead, "dead-" + dead.toLowerCase() + "@vendor.example"));
        body.put("send", "LINK_ONLY");
        post(tenant.apiKey(), body).statusCode(201);
        mailDies(dead);

        MimeMessage[] mails = mailsTo(tenant.adminEmail());
        List<String> subjects = Arrays.stream(mails).map(BuyerNoticesTest::subjectOf).sorted().toList();
        String vendorName = "Vendor v-" + declined.toLowerCase() + "@vendor.example";
        assertEquals(
                List.of(declined + ": " + vendorName + " can supply the order after all (it had declined it)",
                        declined + ": " + vendorName + " declined the order",
                        declined + ": " + vendorName + " expects it on 10 Jul 2026, later than requested (1 Jul 2026)",
                        declined + ": " + vendorName + " wrote a note").stream().sorted().toList(),
                subjects.stream().filter(s -> s.startsWith(declined)).toList());
        assertEquals(1,
                subjects.stream().filter(s -> s.startsWith(asked + ": ") && s.endsWith("asked for a new link")).count(),
                "" + subjects);
        assertEquals(1, subjects.stream()
                .filter(s -> s.startsWith(dead + ": A mail to ") && s.endsWith("could not be delivered")).count(),
                "" + subjects);
        assertEquals(6, mails.length, "one mail per event: " + subjects);

        MimeMessage decline = Arrays.stream(mails).filter(m -> subjectOf(m).endsWith("declined the order")).findFirst()
                .orElseThrow();
        assertTrue(body(decline).contains("Reason: Out of stock until March"), body(decline));
        assertTrue(body(decline).contains(Fixtures.BASE_URL + "/app/orders/" + declined), "links to the order");
        assertTrue(body(decline).contains(Fixtures.BASE_URL + "/app/account/notifications"), "and to the settings");
        assertEquals(0, Smtp.mailsTo(smtp, quiet).length, "who chose none gets nothing");
    }

    @Transactional
    void buyerOf(String ref, long userId) {
        PurchaseOrder.findByReference(tenant.id(), ref).orElseThrow().buyer = StaffUser.findById(userId);
    }

    @Test
    void theBuyerIsToldOfTheirOrderAndTheAdminsAndWhoAskedOfAnOrderNobodySent() {
        String sam = "sam-" + tenant.id() + "@example.com";
        String tess = "tess-" + tenant.id() + "@example.com";
        long samId = accounts.add(tenant.id(), sam, "Sam", Fixtures.PASSWORD, StaffUser.Role.STAFF).id;
        long tessId = accounts.add(tenant.id(), tess, "Tess", Fixtures.PASSWORD, StaffUser.Role.STAFF).id;
        notices.save(tenant.id(), tessId, "AT_ONCE", "7", "");

        String nobodys = uniqueReference();
        vendorOf(nobodys).act(nobodys, "decline", Map.of("reason", "No stock")).then().statusCode(303);
        String samsOwn = uniqueReference();
        PortalClient vendor = vendorOf(samsOwn);
        buyerOf(samsOwn, samId);
        vendor.act(samsOwn, "decline", Map.of("reason", "No stock")).then().statusCode(303);

        Smtp.deliver(delivery, clock);
        assertEquals(List.of(nobodys), subjectsTo(tenant.adminEmail()), "the admin: the order nobody sent");
        assertEquals(List.of(nobodys), subjectsTo(tess), "who asked to be told: the same");
        assertEquals(List.of(samsOwn), subjectsTo(sam), "the buyer: their own order only, by default at once");
        assertEquals(List.of(), subjectsTo(quiet));
    }

    private List<String> subjectsTo(String address) {
        return Arrays.stream(Smtp.mailsTo(smtp, address)).map(m -> subjectOf(m).substring(0, subjectOf(m).indexOf(':')))
                .toList();
    }

    @Test
    void aRepeatedDeclineAndARepeatedEventNotifyOnce() {
        String ref = uniqueReference();
        PortalClient vendor = vendorOf(ref);
        vendor.act(ref, "decline", Map.of("reason", "No stock")).then().statusCode(303);
        Map<String, String> form = vendor.hidden("decline");
        vendor.act(ref, "decline", Map.of("reason", "No stock")).then().statusCode(303);
        vendor.submitWith(form, ref, "decline", Map.of("reason", "No stock")); // the same form posted again
        announceAgain(ref); // the same timeline entry seen twice (an observer retried)

        MimeMessage[] mails = mailsTo(tenant.adminEmail());
        assertEquals(1, mails.length, "one decline, one mail");
        assertEquals(1, noticesOf(ref));
    }

    @Transactional
    void announceAgain(String ref) {
        PurchaseOrder order = PurchaseOrder.findByReference(tenant.id(), ref).orElseThrow();
        TimelineEntry entry = TimelineEntry.<TimelineEntry> find("purchaseOrderId = ?1 and kind = 'DECLINED'", order.id)
                .firstResult();
        recorded.fire(new OrderRecorded(order, entry, OrderEvent.DECLINED, Actor.link(1, "link")));
    }

    @Transactional
    long noticesOf(String ref) {
        return BuyerNotice.count("purchaseOrderId = (select o.id from PurchaseOrder o where o.reference = ?1"
                + " and o.organization.id = ?2)", ref, tenant.id());
    }

    @Test
    void aDigestAtTheChosenHourListsEachEventOnceAndOnlyOnce() {
        notices.save(tenant.id(), adminId(), "DIGEST", "7", "");
        String first = uniqueReference();
        String second = uniqueReference();
        PortalClient a = vendorOf(first);
        PortalClient b = vendorOf(second);
        a.act(first, "decline", Map.of("reason", "No stock")).then().statusCode(303); // 10:00 London
        clock.set(Instant.parse("2026-06-01T14:00:00Z"));
        b.act(second, "note", Map.of("note", "Ready next week")).then().statusCode(303);
        clock.set(Instant.parse("2026-06-01T21:00:00Z"));
        b.act(second, "date", Map.of("date", "2026-07-15")).then().statusCode(303);
        assertEquals(0, mailsTo(tenant.adminEmail()).length, "nothing at once");

        assertEquals(0, notices.runDigests(), "23:00: today's 07:00 passed, but the events came after it");
        clock.set(Instant.parse("2026-06-02T05:59:00Z")); // 06:59 in London
        assertEquals(0, notices.runDigests(), "not before the hour");
        clock.set(Instant.parse("2026-06-02T06:05:00Z")); // 07:05 in London
        assertEquals(1, notices.runDigests());
        assertEquals(0, notices.runDigests(), "a second run sends nothing more");

        MimeMessage[] digests = mailsTo(tenant.adminEmail());
        assertEquals(1, digests.length);
        String text = body(digests[0]);
        assertTrue(subjectOf(digests[0]).contains("2 Jun 2026: 3 events"), subjectOf(digests[0]));
        assertEquals(1, count(text, first + ": "), text);
        assertEquals(2, count(text, second + ": "), text);
        assertTrue(text.contains("declined the order") && text.contains("Reason: No stock"), text);
        assertTrue(text.contains("wrote a note") && text.contains("Ready next week"), text);
        assertTrue(text.contains("later than requested"), text);
        assertTrue(text.contains(Fixtures.BASE_URL + "/app/orders/" + first), text);

        // an event after the hour waits for the next day's digest, which lists it alone
        clock.set(Instant.parse("2026-06-02T08:00:00Z"));
        a.act(first, "reopen", Map.of("understood", "yes")).then().statusCode(303);
        assertEquals(0, notices.runDigests());
        clock.set(Instant.parse("2026-06-03T06:00:00Z"));
        assertEquals(1, notices.runDigests());
        assertEquals(0, notices.runDigests());
        MimeMessage[] all = mailsTo(tenant.adminEmail());
        assertEquals(2, all.length);
        String next = body(all[1]);
        assertTrue(next.contains("can supply the order after all") && !next.contains("Ready next week"), next);
        assertTrue(subjectOf(all[1]).contains(": 1 event "), subjectOf(all[1]));
        assertEquals(0, Smtp.mailsTo(smtp, quiet).length);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    @Transactional
    long queuedDigests(String to) {
        return OutboxMessage.count("kind = ?1 and recipient = ?2", BuyerNotices.DIGEST_KIND, to);
    }

    @Test
    void twoNodesRunningTheDigestAtOnceSendItOnce() throws Exception {
        Databases.assumePostgres(dataSource, "two transactions racing for one user's digest");
        notices.save(tenant.id(), adminId(), "DIGEST", "7", "");
        String ref = uniqueReference();
        vendorOf(ref).act(ref, "decline", Map.of("reason", "No stock")).then().statusCode(303);
        clock.set(Instant.parse("2026-06-02T06:30:00Z"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 3; round++) {
                Races.together(pool, notices::runDigests, notices::runDigests, notices::runDigests,
                        notices::runDigests);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, queuedDigests(tenant.adminEmail()), "one digest, whichever node ran it");
        MimeMessage[] mails = mailsTo(tenant.adminEmail());
        assertEquals(1, mails.length);
        assertEquals(1, count(body(mails[0]), ref + ": "));
    }

    @Test
    void myNotificationsPageSavesTheChoiceAndShowsEveryProblem() {
        CookieFilter admin = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String page = given().filter(admin).get("/app/account/notifications").then().statusCode(200).extract()
                .asString();
        assertTrue(page.contains("id=\"my-notifications\""), "the layout links the page");
        assertTrue(page.contains("value=\"AT_ONCE\" id=\"mode-at-once\" checked"), "at once by default");
        assertTrue(page.contains("value=\"7\""), "digest at 07:00 by default");
        assertTrue(page.contains("Europe/London"), "in the organisation's time zone");

        String refused = postForm(admin, "/app/account/notifications", "/app/account/notifications", "mode",
                "SOMETIMES", "digestHour", "25", "version", "").statusCode(422).extract().asString();
        assertTrue(refused.contains("Please fix 2 problems"), refused);
        assertTrue(
                refused.contains("How to tell me: choose at once, a daily digest or none (got &quot;SOMETIMES&quot;)")
                        || refused
                                .contains("How to tell me: choose at once, a daily digest or none (got \"SOMETIMES\")"),
                refused);
        assertTrue(refused.contains("Digest hour: must be a whole hour from 0 to 23"), refused);
        assertTrue(refused.contains("name=\"digestHour\" min=\"0\" max=\"23\" step=\"1\" value=\"25\""),
                "what was typed stays");

        given().filter(admin).redirects().follow(false).formParam("mode", "DIGEST").formParam("digestHour", "6")
                .formParam("version", "").post("/app/account/notifications").then()
                .statusCode(org.hamcrest.Matchers.not(303)); // no form token: refused
        assertTrue(given().filter(admin).get("/app/account/notifications").asString()
                .contains("id=\"mode-at-once\" checked"), "nothing saved without the token");

        String drawn = csrf(admin, "/app/account/notifications");
        postForm(admin, "/app/account/notifications", "/app/account/notifications", "mode", "DIGEST", "digestHour", "6",
                "version", "").statusCode(303).header("Location", containsString("done=saved"));
        String saved = given().filter(admin).get("/app/account/notifications?done=saved").asString();
        assertTrue(saved.contains("id=\"mode-digest\" checked") && saved.contains("value=\"6\""), saved);
        assertTrue(saved.contains("Your notification settings are saved."));

        // a form drawn before that save (another tab): told, and shown what is saved now
        String stale = given().filter(admin).redirects().follow(false).formParam(FORM_TOKEN, drawn)
                .formParam("mode", "NONE").formParam("digestHour", "6").formParam("version", "")
                .post("/app/account/notifications").then().statusCode(409).extract().asString();
        assertTrue(stale.contains("changed in another window"), stale);
        assertTrue(stale.contains("id=\"mode-digest\" checked"), stale);
        assertFalse(stale.contains("id=\"mode-none\" checked"));
    }
}
