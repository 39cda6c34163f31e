package io.portlink.staff;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.postForm;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.purchasing.Orders;
import io.portlink.purchasing.PurchaseOrder;
import io.portlink.purchasing.Vendor;
import io.portlink.testing.Databases;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.timeline.Actor;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.response.Response;

/**
 * The action queue as a buyer meets it: each bucket says what it holds and what an empty one means; a row offers only
 * the actions that can work (and the server refuses the others with a reason, should a form be forced); a declined
 * order can be cancelled, re-sourced or marked handled, and then the "Declined" bucket is empty.
 */
@QuarkusTest
class StaffQueueActionsTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Orders orders;

    @Inject
    DataSource dataSource;

    Fixtures.Tenant tenant;
    CookieFilter staff;

    @BeforeEach
    void signInAsBuyer() {
        tenant = fixtures.tenant("GB");
        staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
    }

    private String page(String path) {
        return given().filter(staff).get(path).then().statusCode(200).extract().asString();
    }

    /** The queue row of one order, as HTML. */
    private String row(String bucket, String reference) {
        String html = page("/app/orders?bucket=" + bucket);
        int start = html.indexOf("<tr data-reference=\"" + reference + "\"");
        assertTrue(start >= 0, reference + " is listed in " + bucket);
        return html.substring(start, html.indexOf("</tr>", start));
    }

    private String declinedOrder(String vendorEmail) {
        String ref = uniqueReference();
        new PortalClient(createOrderWithLink(tenant.apiKey(), ref, vendorEmail))
                .act(ref, "decline", Map.of("reason", "discontinued")).then().statusCode(303);
        return ref;
    }

    private String orderWithoutEmail() {
        String ref = uniqueReference();
        Fixtures.post(tenant.apiKey(),
                Map.of("reference", ref, "vendor", Map.of("name", "Phone-only " + ref, "phone", "+44 20 7946 0101"),
                        "lines", List.of(Map.of("sku", "NUT-8", "quantity", "10"))))
                .statusCode(201);
        return ref;
    }

    @Test
    void eachBucketSaysWhatPutsAnOrderInItAndWhatItMeansWhenEmpty() {
        String declined = page("/app/orders?bucket=DECLINED");
        assertTrue(declined.contains("Declined: the vendor said it cannot supply the order. Re-source it to another"
                + " vendor, cancel it, or mark it handled"));
        assertTrue(
                declined.contains(
                        "No declined order needs you: every decline was re-sourced, cancelled or marked" + " handled."),
                "the empty state says what an empty bucket means");
        assertTrue(declined.contains("0 orders"));
        String pending = page("/app/orders?bucket=PENDING_RESPONSE");
        assertTrue(pending.contains(
                "Pending response: sent more than 2 days ago and the vendor has neither confirmed" + " nor declined."),
                "with the organisation's threshold (48 hours)");
        assertTrue(pending.contains("Every vendor answered within 2 days of being sent its order."));
        String all = page("/app/orders?q=no-such-order");
        assertTrue(all.contains("No order matches &#39;no-such-order&#39; in reference")
                || all.contains("No order matches 'no-such-order' in reference"), all);
        assertTrue(all.contains(
                "title=\"Stale: sent, not yet delivered or closed, and nothing from the vendor for more than 7 days."),
                "every bucket's link explains it too");
        declinedOrder("plural@vendor.example");
        assertTrue(page("/app/orders?bucket=DECLINED").contains(">1 order<"), "one order, not 1 orders");
    }

    @Test
    void aVendorWithoutEmailGetsNoReminderButWaysToShareOrAddAnAddress() {
        String ref = orderWithoutEmail();
        orders.markSent(tenant.id(), ref, Actor.system(), "WhatsApp");
        String row = row("", ref);
        assertFalse(row.contains("Send reminder"));
        assertFalse(row.contains("E-mail new link"));
        assertTrue(row.contains("Share by WhatsApp or copy"));
        assertTrue(row.contains("Add an e-mail"));

        postForm(staff, "/app/orders", "/app/orders/" + ref + "/remind").statusCode(422)
                .body(containsString("has no e-mail address, so no reminder is sent: share the link by WhatsApp"));
        postForm(staff, "/app/orders", "/app/orders/" + ref + "/resend").statusCode(409)
                .body(containsString("has no e-mail address, so no link is e-mailed"));

        // adding the address: every problem shown with what was typed, then reminders are offered
        postForm(staff, "/app/orders/" + ref, "/app/orders/" + ref + "/vendor-email", "email", "not an address")
                .statusCode(422).body(containsString("E-mail: must be an e-mail address"))
                .body(containsString("value=\"not an address\""));
        postForm(staff, "/app/orders/" + ref, "/app/orders/" + ref + "/vendor-email", "email", "Sales@Phone.example")
                .statusCode(303);
        String after = row("", ref);
        assertTrue(after.contains("Send reminder"));
        assertFalse(after.contains("Add an e-mail"));
    }

    /**
     * Staff adding a phone-only vendor's e-mail while an erasure of that vendor's phone runs: both succeed, one after
     * the other (PostgreSQL). The erasure is made to hold the vendor's row while the form already waits; before the
     * form took the organisation's row first, the two deadlocked and one answered 409.
     */
    @Test
    void anAddedEmailAndAnErasureOfTheVendorsPhoneAtOnceBothSucceed() throws Exception {
        Databases.assumePostgres(dataSource, "two transactions' row locks at once (pg_stat_activity)");
        String ref = uniqueReference();
        String phone = "+44 20 7946 " + (1000 + new java.util.Random().nextInt(9000));
        Fixtures.post(tenant.apiKey(),
                Map.of("reference", ref, "vendor", Map.of("name", "Erased " + ref, "phone", phone), "lines",
                        List.of(Map.of("sku", "NUT-8", "quantity", "10"))))
                .statusCode(201);
        long vendorId = QuarkusTransaction.requiringNew()
                .call(() -> PurchaseOrder
                        .<PurchaseOrder> find("organization.id = ?1 and reference = ?2", tenant.id(), ref)
                        .firstResult().vendor.id);
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            Databases.Hold vendorRow = Databases.hold(pool,
                    () -> Vendor.findById(vendorId, LockModeType.PESSIMISTIC_WRITE));
            var erasure = pool.submit(
                    () -> given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("application/json")
                            .body(Map.of("phone", phone, "includeOpen", true)).post("/api/v1/personal-data/erasures"));
            Databases.awaitLockWaits(dataSource, 1);
            var adding = pool.submit(() -> postForm(staff, "/app/orders/" + ref, "/app/orders/" + ref + "/vendor-email",
                    "email", "orders@" + ref.toLowerCase() + ".example").extract().response());
            Databases.awaitLockWaits(dataSource, 2);
            vendorRow.close();

            Response erased = erasure.get(60, TimeUnit.SECONDS);
            assertEquals(201, erased.statusCode(), erased.body().asString());
            Response added = adding.get(60, TimeUnit.SECONDS);
            assertEquals(303, added.statusCode(), added.body().asString());
            Vendor vendor = QuarkusTransaction.requiringNew().call(() -> Vendor.<Vendor> findById(vendorId));
            assertNull(vendor.phone, "the phone was erased");
            assertEquals("orders@" + ref.toLowerCase() + ".example", vendor.email, "the address was added");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anOrderNeverSentOffersSendingNotAReminder() {
        String ref = uniqueReference();
        createOrderWithLink(tenant.apiKey(), ref, "fresh@vendor.example");
        String row = row("", ref);
        assertFalse(row.contains("Send reminder"));
        assertTrue(row.contains("E-mail the order"));
        postForm(staff, "/app/orders", "/app/orders/" + ref + "/remind").statusCode(409)
                .body(containsString(ref + " was never sent to"))
                .body(containsString("so there is nothing to remind about: send it first"));
        String location = postForm(staff, "/app/orders", "/app/orders/" + ref + "/resend", "back", "bucket=")
                .statusCode(303).header("Location", containsString("done=resent")).extract().header("Location");
        // the queue says a new link went, so whoever shared the one shown before knows it stopped
        given().filter(staff).get(location).then().statusCode(200)
                .body(containsString("the link shown or shared before for that order no longer works"));
    }

    @Test
    void aClosedOrderOffersNoMailButTheDeclineActions() {
        String ref = declinedOrder("closed@vendor.example");
        String row = row("DECLINED", ref);
        assertFalse(row.contains("Send reminder"));
        assertFalse(row.contains("E-mail new link"));
        assertTrue(row.contains("Re-source"));
        assertTrue(row.contains("Mark handled"));
        assertTrue(row.contains("Cancel…"));
        postForm(staff, "/app/orders", "/app/orders/" + ref + "/remind").statusCode(409).body(containsString(
                ref + " is closed (declined): no reminder is sent for a declined, cancelled or" + " delivered"));
        postForm(staff, "/app/orders", "/app/orders/" + ref + "/resend").statusCode(409)
                .body(containsString(ref + " is closed (declined): no link is e-mailed"));
    }

    @Test
    void markHandledEmptiesTheBucketKeepsTheOrderDeclinedAndSaysWhoAndWhen() {
        String ref = declinedOrder("handled@vendor.example");
        for (int i = 0; i < 2; i++) { // a double submit changes nothing more
            postForm(staff, "/app/orders?bucket=DECLINED", "/app/orders/" + ref + "/decline/handled", "back",
                    "bucket=DECLINED").statusCode(303).header("Location", containsString("done=handled"));
        }
        String queue = page("/app/orders?bucket=DECLINED&done=handled");
        assertTrue(queue.contains("Marked handled: the order stays declined"));
        assertTrue(queue.contains("No declined order needs you"));
        String detail = page("/app/orders/" + ref);
        assertTrue(detail.contains(">Declined</span>"));
        assertEquals(1, count(detail, "decline handled</strong> by " + tenant.adminEmail()));
        assertFalse(detail.contains("id=\"decline-actions\""));
    }

    @Test
    void cancellingADeclinedOrderNeedsAReasonAndIsSafeToRepeat() {
        String ref = declinedOrder("cancel@vendor.example");
        String version = version(ref);
        postForm(staff, "/app/orders/" + ref, "/app/orders/" + ref + "/decline/cancel", "version", version, "reason",
                "  ").statusCode(422).body(containsString("Reason: say why the order is cancelled"));
        for (int i = 0; i < 2; i++) {
            postForm(staff, "/app/orders/" + ref, "/app/orders/" + ref + "/decline/cancel", "version", version,
                    "reason", "found it in stock").statusCode(303);
        }
        String detail = page("/app/orders/" + ref);
        assertTrue(detail.contains(">Cancelled</span>"));
        assertEquals(1, count(detail, "declined order cancelled: found it in stock"));
        assertFalse(page("/app/orders?bucket=DECLINED").contains("data-reference=\"" + ref + "\""));
    }

    @Test
    void reSourcingOrdersTheSameLinesFromAnotherVendorOnceAndLinksBothOrders() {
        String ref = declinedOrder("first@vendor.example");
        String other = uniqueReference();
        createOrderWithLink(tenant.apiKey(), other, "second@vendor.example");
        String form = page("/app/orders/" + ref + "/resource?q=second");
        assertFalse(form.contains("> Vendor first@vendor.example</label>"), "not the vendor that declined");
        long vendorId = vendorId(form, "Vendor second@vendor.example");
        String version = version(ref);

        // every problem at once, and what was typed stays
        postForm(staff, "/app/orders/" + ref + "/resource", "/app/orders/" + ref + "/resource", "version", version, "q",
                "second", "send", "LINK_ONLY").statusCode(422)
                        .body(containsString("Vendor: choose the vendor to order from instead"))
                        .body(containsString("value=\"second\"")).body(containsString("value=\"LINK_ONLY\" selected"));

        for (int i = 0; i < 2; i++) { // a double submit: one new order, the same answer
            postForm(staff, "/app/orders/" + ref + "/resource", "/app/orders/" + ref + "/resource", "version", version,
                    "vendor", Long.toString(vendorId), "send", "NONE", "back", "bucket=DECLINED").statusCode(303)
                            .header("Location", containsString("made=" + ref + "-R1"));
        }
        given().filter(staff).get("/app/orders/" + ref + "-R2").then().statusCode(404);
        String queue = page("/app/orders?bucket=DECLINED&done=resourced&made=" + ref + "-R1");
        assertTrue(queue.contains("Re-sourced as " + ref + "-R1"));
        assertTrue(queue.contains("No declined order needs you"));

        String old = page("/app/orders/" + ref);
        assertTrue(old.contains(">Cancelled</span>"));
        assertTrue(old.contains("re-sourced to Vendor second@vendor.example as " + ref + "-R1"));
        assertTrue(old.contains("<a href=\"/app/orders/" + ref + "-R1\">"));
        String made = page("/app/orders/" + ref + "-R1");
        assertTrue(made.contains("Vendor second@vendor.example"));
        assertTrue(made.contains("Hex bolt M8"), "the same lines");
        assertTrue(
                made.contains("re-sourced from " + ref + " (declined by Vendor first@vendor.example: discontinued)"));
        assertTrue(made.contains("<a href=\"/app/orders/" + ref + "\">"));
        // its timeline says it was created and re-sourced by staff, not imported
        assertTrue(made.contains("<strong>created</strong> by " + tenant.adminEmail()), made);
        assertTrue(made.contains("<strong>re-sourced</strong> by " + tenant.adminEmail()), made);
        assertFalse(made.contains("<strong>imported</strong>"), made);

        // the new order declined too: the next one is -R2, derived from the first reference
        String link = newLink(ref + "-R1");
        new PortalClient(link).act(ref + "-R1", "decline", Map.of("reason", "no stock")).then().statusCode(303);
        String third = uniqueReference();
        createOrderWithLink(tenant.apiKey(), third, "third@vendor.example");
        long thirdVendor = vendorId(page("/app/orders/" + ref + "-R1/resource?q=third"), "Vendor third@vendor.example");
        postForm(staff, "/app/orders/" + ref + "-R1", "/app/orders/" + ref + "-R1/resource", "version",
                version(ref + "-R1"), "vendor", Long.toString(thirdVendor)).statusCode(303).header("Location",
                        endsWith("/app/orders/" + ref + "-R2?done=resourced&made=" + ref + "-R2"));
    }

    @Test
    void reSourcingAnOrderTheVendorMeanwhileReopenedIsRefusedWithAReason() {
        String ref = declinedOrder("reopen@vendor.example");
        String other = uniqueReference();
        createOrderWithLink(tenant.apiKey(), other, "instead@vendor.example");
        long vendorId = vendorId(page("/app/orders/" + ref + "/resource"), "Vendor instead@vendor.example");
        String version = version(ref);
        new PortalClient(newLink(ref)).act(ref, "reopen", Map.of("understood", "yes")).then().statusCode(303);
        postForm(staff, "/app/orders/" + ref, "/app/orders/" + ref + "/resource", "version", version, "vendor",
                Long.toString(vendorId)).statusCode(409).body(containsString("was changed meanwhile"))
                        .body(not(containsString("Internal")));
        assertTrue(row("REOPENED", ref).contains("Re-source"), "a reopened order can still be re-sourced");
    }

    private static long count(String html, String text) {
        return Pattern.compile(Pattern.quote(text)).matcher(html).results().count();
    }

    private String version(String ref) {
        Matcher m = Pattern.compile("name=\"version\" value=\"(\\d+)\"").matcher(page("/app/orders/" + ref));
        assertTrue(m.find(), "the order's page carries its version");
        return m.group(1);
    }

    private static long vendorId(String html, String name) {
        Matcher m = Pattern.compile("value=\"(\\d+)\" id=\"vendor-\\d+\"[^>]*> " + Pattern.quote(name)).matcher(html);
        assertTrue(m.find(), name + " is offered");
        return Long.parseLong(m.group(1));
    }

    /** A fresh link for the order's vendor (the first one's token is not stored). */
    private String newLink(String ref) {
        long linkId = Fixtures.firstLinkId(tenant.apiKey(), ref);
        String url = orders
                .regenerateLink(tenant.id(), ref, linkId, Actor.system(), io.portlink.purchasing.SendOption.NONE)
                .orElseThrow().url();
        return url.substring(url.indexOf("/v/"));
    }
}
