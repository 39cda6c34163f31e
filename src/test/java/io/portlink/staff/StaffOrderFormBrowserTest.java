package io.portlink.staff;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import io.portlink.outbox.OutboxDelivery;
import io.portlink.testing.ChromiumTest;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Smtp;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A buyer in a real Chromium with JavaScript off writes a purchase order in the staff form: adds a line with the form's
 * own button, is told every problem at once with what was typed still there, fixes them and sends; the vendor's mail
 * arrives with the link. And duplicates an order. Runs when a Chromium is installed (see
 * {@link io.portlink.testing.Chromium}).
 */
@QuarkusTest
class StaffOrderFormBrowserTest extends ChromiumTest {

    @Inject
    Fixtures fixtures;

    @Inject
    OutboxDelivery delivery;

    @Inject
    TestClock clock;

    /** The orders' requested date (2026-07-01) is ahead, whatever clock the tests before left. */
    @org.junit.jupiter.api.BeforeEach
    void beforeTheRequestedDate() {
        clock.set(java.time.Instant.parse("2026-06-01T09:00:00Z"));
    }

    private Page signedIn(BrowserContext desk, Fixtures.Tenant tenant) {
        Page page = desk.newPage();
        page.navigate(origin() + "/app/login");
        page.fill("#email", tenant.adminEmail());
        page.fill("#password", Fixtures.PASSWORD);
        page.click("#sign-in");
        page.waitForURL(url -> url.contains("/app/orders"));
        return page;
    }

    private BrowserContext desk() {
        return chromium.browser
                .newContext(new Browser.NewContextOptions().setViewportSize(1280, 900).setJavaScriptEnabled(false));
    }

    @Test
    void aBuyerWritesAnOrderWithTwoLinesFixesWhatIsWrongAndTheVendorGetsTheMail() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        fixtures.settleOutbox();
        GreenMail smtp = Smtp.fresh();
        String reference = uniqueReference();
        String vendorEmail = "form-" + tenant.id() + "@vendor.example";

        try (BrowserContext desk = desk()) {
            Page page = signedIn(desk, tenant);
            List<String> console = new java.util.ArrayList<>();
            page.onConsoleMessage(m -> console.add(m.text()));
            page.click("#new-order");
            page.waitForURL(url -> url.endsWith("/app/orders/new"));
            assertEquals(1, page.locator("tr.line-row").count(), "a new order starts with one line");
            assertEquals("PO-0001", page.inputValue("#reference"), "a first order is offered a reference");
            page.fill("#reference", reference);
            // the new vendor's fields are folded away behind the list until asked for
            assertFalse(page.isVisible("#vendor-name"));
            page.click("#add-new-vendor");
            page.fill("#vendor-name", "Harbour Fixings");
            page.fill("#vendor-email", "harbour fixings at example"); // wrong: told below
            page.fill("#line-1-sku", "BR-1");
            page.fill("#line-1-description", "Bracket, galvanised");
            page.fill("#line-1-quantity", "10");
            page.fill("#line-1-unit", "pcs");
            page.fill("#line-1-unitPrice", "2.35");
            page.fill("#requestedDate", "2027-03-15");
            page.fill("#deliveryAddress", "Unit 4, Dockside Road\nLondon");

            // a second line through the form's own button: no script, the page comes back with all that was typed
            page.click("#add-line");
            assertEquals(2, page.locator("tr.line-row").count());
            assertEquals("Bracket, galvanised", page.inputValue("#line-1-description"));
            assertEquals("2.35", page.inputValue("#line-1-unitPrice"));
            assertEquals("GBP", page.inputValue("#line-2-currency"), "a new line takes the currency of the last");
            assertEquals("harbour fixings at example", page.inputValue("#vendor-email"));
            page.fill("#line-2-sku", "NUT-8");
            page.fill("#line-2-description", "Hex nut M8");
            page.fill("#line-2-quantity", "0"); // wrong: told below
            // a decimal comma that could be thousands: a number input in an English browser sent 1500 unsaid; asked
            page.fill("#line-2-unitPrice", "1,500");
            page.selectOption("#send", "PO_AND_LINK");
            page.click("#create");

            // every problem at once, by field and line, and nothing lost
            List<String> problems = page.locator("#errors li").allTextContents();
            assertEquals(3, problems.size(), "" + problems);
            assertTrue(problems.contains("Line 2, unit price: is that 1.5 or 1500? write 1.5 or 1500 (got \"1,500\")"),
                    "" + problems);
            assertTrue(problems.stream().anyMatch(p -> p.startsWith("Vendor, e-mail: must be an e-mail address")),
                    "" + problems);
            assertTrue(problems.contains("Line 2, quantity: must be a positive number (got \"0\")"), "" + problems);
            assertEquals("true", page.getAttribute("#line-2-quantity", "aria-invalid"));
            assertEquals(null, page.getAttribute("#line-1-quantity", "aria-invalid"));
            assertEquals(reference, page.inputValue("#reference"));
            assertEquals("NUT-8", page.inputValue("#line-2-sku"));
            assertEquals("10", page.inputValue("#line-1-quantity"));
            assertEquals("Unit 4, Dockside Road\nLondon", page.inputValue("#deliveryAddress"));
            assertEquals("2027-03-15", page.inputValue("#requestedDate"));
            assertEquals("PO_AND_LINK", page.inputValue("#send"));
            java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "screenshots"));
            page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                    .setPath(java.nio.file.Path.of("target", "screenshots", "order-form-problems.png")));

            page.fill("#vendor-email", vendorEmail);
            page.fill("#line-2-quantity", "250");
            page.fill("#line-2-unitPrice", "49,90"); // a decimal comma that cannot be thousands: read as 49.90
            page.click("#create");
            page.waitForURL(url -> url.contains("/app/orders/" + reference + "?done=created-sent"));
            assertTrue(page.textContent("[role=status]").contains("e-mail to the vendor is queued"));
            assertEquals(reference, page.textContent("#reference"));
            assertTrue(page.textContent("#line-1").contains("Bracket, galvanised"));
            assertTrue(page.textContent("#line-2").contains("Hex nut M8"));
            assertTrue(page.textContent("#line-2").contains("250"));
            assertTrue(page.textContent("#line-2").contains("49.90"), page.textContent("#line-2"));
            assertTrue(console.stream().noneMatch(m -> m.contains("Content Security Policy")),
                    "the form keeps to the staff CSP: " + console);
        }

        Smtp.deliver(delivery, clock);
        var mails = Smtp.mailsTo(smtp, vendorEmail);
        assertEquals(1, mails.length, "one mail to the vendor");
        String body = GreenMailUtil.getBody(mails[0]).replace("=\r\n", "").replace("=3D", "=");
        Matcher link = Pattern.compile(Pattern.quote(Fixtures.BASE_URL) + "/v/pv_[A-Za-z0-9_-]{20,}").matcher(body);
        assertTrue(link.find(), "the mail carries the vendor's link");
        assertTrue(body.contains(reference));

        // the link opens the order for the vendor
        try (BrowserContext vendor = chromium.browser.newContext()) {
            Page page = vendor.newPage();
            page.navigate(link.group());
            assertTrue(page.textContent("body").contains("Bracket, galvanised"));
            assertTrue(page.textContent("body").contains("Hex nut M8"));
        }
    }

    @Test
    void duplicatingAnOrderOpensTheFormFilledInUnderTheNextFreeReference() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String reference = uniqueReference() + "-0099";
        createOrderWithLink(tenant.apiKey(), reference, "dup-" + tenant.id() + "@vendor.example");
        String copy = reference.replace("-0099", "-0100");

        try (BrowserContext desk = desk()) {
            Page page = signedIn(desk, tenant);
            page.navigate(origin() + "/app/orders/" + reference);
            page.click("#duplicate");
            assertTrue(page.textContent("h1").contains("a copy of " + reference));
            assertEquals(copy, page.inputValue("#reference"), "the next free reference");
            assertTrue(page.locator("#vendorId option:checked").textContent()
                    .contains("dup-" + tenant.id() + "@vendor.example"));
            assertEquals("BOLT-8", page.inputValue("#line-1-sku"));
            assertEquals("100", page.inputValue("#line-1-quantity"));
            assertEquals("0.12", page.inputValue("#line-1-unitPrice"));
            assertEquals("2026-07-01", page.inputValue("#requestedDate"));
            assertEquals("1 Dock Road\nLondon", page.inputValue("#deliveryAddress"));

            // one more line, then the first removed again: the second stays as typed
            page.click("#add-line");
            page.fill("#line-2-description", "Washer M8");
            page.fill("#line-2-quantity", "40");
            page.click("#remove-1");
            assertEquals(1, page.locator("tr.line-row").count());
            assertEquals("Washer M8", page.inputValue("#line-1-description"));

            page.selectOption("#send", "NONE");
            page.click("#create");
            assertTrue(page.textContent("#created").contains("shown only now"));
            assertTrue(page.textContent("[data-link-url]").contains("/v/pv_"));
            page.click("#to-order");
            assertEquals(copy, page.textContent("#reference"));
            assertTrue(page.textContent("#line-1").contains("Washer M8"));
            assertTrue(page.textContent("body").contains("Vendor dup-" + tenant.id() + "@vendor.example"));
        }
        // the original is untouched
        io.restassured.RestAssured.given().header("Authorization", "Bearer " + tenant.apiKey())
                .get("/api/v1/purchase-orders/" + reference).then().statusCode(200)
                .body("lines.size()", org.hamcrest.Matchers.equalTo(1))
                .body("lines[0].sku", org.hamcrest.Matchers.equalTo("BOLT-8"));
    }

    /** An order sent to the vendor by e-mail (the mail delivered), through the API. */
    private void sentOrder(Fixtures.Tenant tenant, String reference, String vendorEmail) {
        var body = new java.util.HashMap<String, Object>(Fixtures.order(reference, vendorEmail));
        body.put("send", "PO_AND_LINK");
        Fixtures.post(tenant.apiKey(), body).statusCode(201);
        Smtp.deliver(delivery, clock);
    }

    private static String vendorLink(jakarta.mail.internet.MimeMessage mail) {
        String body = GreenMailUtil.getBody(mail).replace("=\r\n", "").replace("=3D", "=");
        Matcher link = Pattern.compile(Pattern.quote(Fixtures.BASE_URL) + "/v/pv_[A-Za-z0-9_-]{20,}").matcher(body);
        assertTrue(link.find(), "the mail carries the vendor's link");
        return link.group();
    }

    @Test
    void aBuyerAmendsAQuantityAndTheVendorAcknowledgesTheRevision() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        fixtures.settleOutbox();
        GreenMail smtp = Smtp.fresh();
        String reference = uniqueReference();
        String vendorEmail = "amend-" + tenant.id() + "@vendor.example";
        sentOrder(tenant, reference, vendorEmail);
        assertEquals(1, Smtp.mailsTo(smtp, vendorEmail).length, "the order went out");

        try (BrowserContext desk = desk()) {
            Page page = signedIn(desk, tenant);
            page.navigate(origin() + "/app/orders/" + reference);
            page.click("#amend");
            assertTrue(page.textContent("h1").contains("Amend " + reference));
            assertTrue(page.textContent("#revision-note").contains("(revision 1 → saving makes revision 2)"));
            assertEquals(reference, page.textContent("#reference-fixed"));
            assertEquals(0, page.locator("#vendorId").count(), "the vendor stays");
            assertEquals("100", page.inputValue("#line-1-quantity"));
            page.fill("#line-1-quantity", "120");
            page.click("#save-amendment");
            page.waitForURL(url -> url.contains("/app/orders/" + reference + "?done=amended-mailed"));
            assertTrue(page.textContent("[role=status]").contains("asked to acknowledge"));
            assertTrue(page.textContent("#line-1").contains("120"));
            assertTrue(page.textContent("#timeline").contains("quantity 100 → 120"), page.textContent("#timeline"));
            assertTrue(page.textContent("#change-unacknowledged").contains("revision 2"));
        }

        Smtp.deliver(delivery, clock);
        var mails = Smtp.mailsTo(smtp, vendorEmail);
        assertEquals(2, mails.length, "the vendor is told of the change");
        assertTrue(mails[1].getSubject().contains(reference), mails[1].getSubject());
        String link = vendorLink(mails[1]);

        try (BrowserContext phone = chromium.browser
                .newContext(new Browser.NewContextOptions().setViewportSize(360, 800)
                        .setUserAgent(io.portlink.testing.PortalClient.BROWSER).setJavaScriptEnabled(false))) {
            Page page = phone.newPage();
            page.navigate(link);
            assertTrue(page.textContent("#revision-banner").contains("revision 2"));
            assertTrue(page.textContent("#revision-changes").contains("120"), page.textContent("#revision-changes"));
            page.click("#acknowledge-revision");
            assertTrue(page.textContent("[role=status]").contains("you acknowledged revision 2"));
            assertEquals(0, page.locator("#revision-banner").count());
        }

        try (BrowserContext desk = desk()) {
            Page page = signedIn(desk, tenant);
            page.navigate(origin() + "/app/orders/" + reference);
            assertTrue(page.textContent("#timeline").contains("revision 2 acknowledged"));
            assertEquals(0, page.locator("#change-unacknowledged").count());
        }
    }

    @Test
    void anAmendmentOverSomeoneElsesSaysSoAndKeepsWhatWasTyped() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        fixtures.settleOutbox();
        String reference = uniqueReference();
        sentOrder(tenant, reference, "stale-" + tenant.id() + "@vendor.example");

        try (BrowserContext desk = desk(); BrowserContext colleague = desk()) {
            Page mine = signedIn(desk, tenant);
            mine.navigate(origin() + "/app/orders/" + reference + "/amend");
            mine.fill("#line-1-quantity", "150");
            mine.fill("#deliveryAddress", "Gate 2, Dockside Road\nLondon");

            // meanwhile a colleague amends the same revision and saves first
            Page theirs = signedIn(colleague, tenant);
            theirs.navigate(origin() + "/app/orders/" + reference + "/amend");
            theirs.fill("#line-1-unitPrice", "0.15");
            theirs.click("#save-amendment");
            theirs.waitForURL(url -> url.contains("done=amended"));

            mine.click("#save-amendment");
            assertTrue(mine.textContent("#stale").contains("someone else amended " + reference),
                    mine.textContent("body"));
            assertTrue(mine.textContent("#stale").contains("revision 2"));
            assertEquals("150", mine.inputValue("#line-1-quantity"), "what was typed is kept");
            assertEquals("Gate 2, Dockside Road\nLondon", mine.inputValue("#deliveryAddress"));
            // the colleague's change is in the form (a second save must not undo it), and listed
            assertEquals("0.15", mine.inputValue("#line-1-unitPrice"), "the order as it is now");
            assertTrue(mine.textContent("#their-changes").contains("Line 1, unit price: \"0.12\" → \"0.15\""),
                    mine.textContent("#stale"));
            assertEquals(0, mine.locator("#conflicts").count(), "nobody changed the same field");

            // saving again makes revision 3 with both changes
            mine.click("#save-amendment");
            mine.waitForURL(url -> url.contains("/app/orders/" + reference + "?done=amended"));
            assertTrue(mine.textContent("#line-1").contains("150"));
            assertTrue(mine.textContent("#line-1").contains("0.15"), mine.textContent("#line-1"));
            assertTrue(mine.textContent("#timeline").contains("revision 3"));
        }
    }
}
