package io.portlink.portal;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import io.portlink.platform.Locales;
import io.portlink.testing.ChromiumTest;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A vendor on a phone (360×800, real Chromium) confirms and dates an order; staff then see it. Runs when a Chromium is
 * installed (see {@link io.portlink.testing.Chromium}).
 */
@QuarkusTest
class VendorBrowserTest extends ChromiumTest {

    static final Path SCREENSHOTS = Paths.get("target", "screenshots");

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    @Inject
    io.portlink.purchasing.Orders orders;

    @Test
    void vendorConfirmsAndDatesOnAPhoneAndStaffSeeIt() throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String ref = uniqueReference();
        String link = createOrderWithLink(tenant.apiKey(), ref, "phone@vendor.example");
        String origin = origin();
        LocalDate date = LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).plusDays(12);
        String shown = Locales.Format.of("GB", "Europe/London", "en").date(date);

        try (BrowserContext phone = chromium.browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(360, 800).setUserAgent(PortalClient.BROWSER).setJavaScriptEnabled(false))) {
            Page page = phone.newPage();
            page.navigate(origin + link);
            assertEquals(ref, page.textContent("#reference").trim());
            assertTrue((Integer) page.evaluate("document.documentElement.scrollWidth") <= 360, "no sideways scrolling");

            page.click("#confirm");
            page.waitForURL(url -> url.endsWith("saved=CONFIRM"));
            assertEquals("Confirmed", page.textContent("#status").trim());

            page.fill("#date", date.toString());
            page.click("#save-date");
            page.waitForLoadState();
            page.waitForURL(url -> url.endsWith("saved=EXPECTED_DATE"));
            assertEquals(shown, page.textContent("#expected-date").trim());
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("vendor-order-360.png"))
                    .setFullPage(true));
        }

        try (BrowserContext desk = chromium.browser
                .newContext(new Browser.NewContextOptions().setViewportSize(1280, 900))) {
            Page staff = desk.newPage();
            staff.navigate(origin + "/app/orders/" + ref);
            staff.fill("#email", tenant.adminEmail());
            staff.fill("#password", Fixtures.PASSWORD);
            staff.click("#sign-in");
            staff.navigate(origin + "/app/orders/" + ref);
            assertEquals("Confirmed", staff.textContent("#status").trim());
            assertEquals(shown, staff.textContent("#expected-date").trim());
            String timeline = staff.textContent("#timeline");
            assertTrue(timeline.contains("confirmed by vendor link #"), timeline);
            assertTrue(timeline.contains("expected date by vendor link #"), timeline);
            assertTrue(staff.textContent("#links .opened").contains("first"), "a person's open is shown");
            staff.screenshot(
                    new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("staff-order.png")).setFullPage(true));
        }
    }

    /**
     * The vendor writes why they decline while the buyer amends the order: the page says the order changed and shows
     * it, with the reason still in its open box; sent again from there, the order is declined with that reason.
     */
    @Test
    void aDeclineReasonSurvivesTheOrderChangingWhileItWasWritten() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String ref = uniqueReference();
        String email = "decline-" + ref.toLowerCase() + "@vendor.example";
        String link = createOrderWithLink(tenant.apiKey(), ref, email);
        String reason = "Out of M8 <until March> & \"beyond\";\nwe can offer M10.";

        try (BrowserContext phone = chromium.browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(360, 800).setUserAgent(PortalClient.BROWSER).setJavaScriptEnabled(false))) {
            Page page = phone.newPage();
            page.navigate(origin() + link);
            page.click("summary:has-text('Decline this order')");
            page.fill("#reason", reason);

            var amended = new java.util.HashMap<>(Fixtures.order(ref, email));
            amended.put("deliveryAddress", "9 Quay Street\nLondon");
            io.restassured.RestAssured.given().header("Authorization", "Bearer " + tenant.apiKey())
                    .contentType(io.restassured.http.ContentType.JSON).header("If-Match", "\"1\"").body(amended)
                    .put("/api/v1/purchase-orders/" + ref).then().statusCode(200);

            page.click("#decline");
            page.waitForLoadState();
            // the refusal is said in the decline form, where the browser takes the focus, not at the top
            assertTrue(page.textContent("form[action$='/decline'] #decline-error")
                    .contains("This order was changed meanwhile"), page.textContent("#decline-error"));
            assertEquals(1, page.locator(".flash.error").count(), "said once");
            assertEquals("decline-error", page.evaluate("document.activeElement.id"));
            assertTrue(page.textContent("main").contains("9 Quay Street"), "the amended order is shown");
            assertTrue(page.isVisible("#reason"), "the decline form is open");
            assertEquals(reason, page.inputValue("#reason"));

            page.click("#decline");
            page.waitForURL(url -> url.endsWith("saved=DECLINE"));
            assertEquals("Declined", page.textContent("#status").trim());
        }
        String saved = io.restassured.RestAssured.given().header("Authorization", "Bearer " + tenant.apiKey())
                .get("/api/v1/purchase-orders/" + ref).then().statusCode(200).extract().path("declineReason");
        assertEquals(reason, saved);
    }

    @Test
    void aRefusedShipFormSaysWhyBesideItsFieldsAndThePhoneScrollsThere() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String ref = uniqueReference();
        String link = createOrderWithLink(tenant.apiKey(), ref, "ship-" + ref.toLowerCase() + "@vendor.example");

        try (BrowserContext phone = chromium.browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(360, 800).setUserAgent(PortalClient.BROWSER).setJavaScriptEnabled(false))) {
            Page page = phone.newPage();
            page.navigate(origin() + link);
            page.fill("#quantity-1", "1e-4");
            page.fill("#carrier", "DHL");
            page.fill("#tracking-number", "JD0146");
            page.click("#ship-button");
            page.waitForLoadState();

            String error = page.textContent("form[action$='/ship'] #ship-error");
            assertTrue(error.contains("1e-4"), error);
            assertEquals(1, page.locator(".flash.error").count(), "said once, in the form");
            assertEquals("ship-error", page.evaluate("document.activeElement.id"));
            var box = page.locator("#ship-error").boundingBox();
            assertTrue(box.y >= 0 && box.y + box.height <= 800, "on the phone's screen without scrolling: " + box.y);
            assertEquals("1e-4", page.inputValue("#quantity-1"));
            assertEquals("JD0146", page.inputValue("#tracking-number"));
            Files.createDirectories(SCREENSHOTS);
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("vendor-ship-refused.png")));

            page.fill("#quantity-1", "2");
            page.click("#ship-button");
            page.waitForURL(url -> url.endsWith("saved=SHIP"));
            assertEquals(0, page.locator(".flash.error").count());
        }
    }

    @Inject
    io.portlink.purchasing.OrderQueue queue;

    @Test
    void longWordsAndRightToLeftLinesStayOnAPhonesScreen() {
        var tenant = fixtures.tenant("GB");
        String ref = Fixtures.uniqueReference();
        var body = new java.util.HashMap<>(Fixtures.order(ref, "narrow@vendor.example"));
        String word = "X".repeat(180);
        body.put("deliveryAddress", "https://example.com/a/very/long/address/" + "segment".repeat(20));
        body.put("lines",
                List.of(Map.of("sku", "SKU-" + "9".repeat(60), "description", word, "quantity", "5", "unit", "pcs"),
                        Map.of("sku", "V-2", "description", "صمام مقاس 2 بوصة", "quantity", "5", "unit", "قطعة")));
        String url = Fixtures.post(tenant.apiKey(), body).statusCode(201).extract().path("vendorLink.url");
        String link = url.substring(url.indexOf("/v/"));

        try (BrowserContext phone = chromium.browser
                .newContext(new Browser.NewContextOptions().setViewportSize(360, 800))) {
            Page page = phone.newPage();
            page.navigate(origin() + link);
            int width = ((Number) page.evaluate("document.documentElement.scrollWidth")).intValue();
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("vendor-long-words-360.png"))
                    .setFullPage(true));
            assertTrue(width <= 360, "the page is as wide as the phone, not " + width + " px");
            // the Arabic description is isolated from the quantity beside it: "5 قطعة × ..." keeps its order
            assertEquals("صمام مقاس 2 بوصة",
                    page.locator(".lines li:nth-child(2) .line-main bdi").last().textContent());
        }
    }

    @Test
    void aRealBrowserShowingThePageIsAPersonsOpenWhateverItsAgentSays() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String ref = uniqueReference();
        String link = createOrderWithLink(tenant.apiKey(), ref, "in-app@vendor.example");
        orders.markSent(tenant.id(), ref, io.portlink.timeline.Actor.system(), "LinkedIn message");
        String origin = origin();
        // The LinkedIn app's own browser: its agent is on the machine list, yet a person reads the page.
        String linkedIn = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15"
                + " (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.30.1234";
        try (BrowserContext app = chromium.browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844)
                .setUserAgent(linkedIn).setJavaScriptEnabled(false))) {
            Page page = app.newPage();
            page.navigate(origin + link); // returns after the load event: stylesheets included
            assertEquals(ref, page.textContent("#reference").trim());
        }
        var neverOpened = queue
                .page(tenant.id(),
                        new io.portlink.purchasing.OrderQueue.Filter(
                                io.portlink.purchasing.OrderQueue.Bucket.NEVER_OPENED, null, null, null),
                        0, 50)
                .items().stream().map(io.portlink.purchasing.OrderQueue.Row::reference).toList();
        assertTrue(!neverOpened.contains(ref), "opened by a person: " + neverOpened);
        io.restassured.RestAssured.given().header("Authorization", "Bearer " + tenant.apiKey())
                .get("/api/v1/purchase-orders/" + ref).then().statusCode(200)
                .body("links[0].openCount", org.hamcrest.Matchers.equalTo(1));
    }

    @Test
    void staffFindANeverOpenedOrderInTheQueueAndRegenerateItsLink() throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String ref = uniqueReference();
        String oldLink = createOrderWithLink(tenant.apiKey(), ref, "unopened@vendor.example");
        orders.markSent(tenant.id(), ref, io.portlink.timeline.Actor.system(), "WhatsApp");
        String origin = origin();

        try (BrowserContext desk = chromium.browser
                .newContext(new Browser.NewContextOptions().setViewportSize(1280, 900))) {
            Page staff = desk.newPage();
            staff.navigate(origin + "/app/login");
            staff.fill("#email", tenant.adminEmail());
            staff.fill("#password", Fixtures.PASSWORD);
            staff.click("#sign-in");
            staff.click("#bucket-never_opened");
            staff.waitForURL(url -> url.contains("bucket=NEVER_OPENED"));
            assertTrue(staff.textContent("#bucket-never_opened").contains("1"));
            staff.click("tr[data-reference='" + ref + "'] a");
            staff.click("button.regenerate");
            staff.click("#confirm");
            String fresh = staff.textContent("#new-link [data-link-url]").trim();
            assertTrue(fresh.contains("/v/pv_"));
            staff.screenshot(
                    new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("staff-new-link.png")).setFullPage(true));

            Page old = desk.newPage();
            var answer = old.navigate(origin + oldLink);
            assertEquals(410, answer.status());
            assertTrue(old.textContent("h1").contains("not available"));
            assertEquals(200, old.navigate(fresh).status());
        }
    }
}
