package io.portlink.portal;

import static io.portlink.testing.Fixtures.uniqueReference;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import io.portlink.outbox.OutboxDelivery;
import io.portlink.testing.ChromiumTest;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.Smtp;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The buyer amends a sent order; the vendor opens the link of the "PO changed" mail on a phone (real Chromium, no
 * JavaScript), sees what changed, and acknowledges the revision; the banner is gone and staff see it acknowledged.
 */
@QuarkusTest
class RevisionAcknowledgeBrowserTest extends ChromiumTest {

    static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    static final Pattern LINK = Pattern.compile("(/v/pv_[A-Za-z0-9_-]{43})");

    @Inject
    Fixtures fixtures;

    @Inject
    OutboxDelivery delivery;

    @Inject
    TestClock clock;

    private static Map<String, Object> order(String ref, String email, String quantity) {
        return new HashMap<>(Map.of("reference", ref, "vendor", Map.of("name", "Acme Fasteners Ltd", "email", email),
                "deliveryAddress", "1 Dock Road\nLondon", "requestedDate", "2026-07-01", "lines",
                List.of(Map.of("sku", "BOLT-8", "description", "Hex bolt M8", "quantity", quantity, "unit", "pcs"))));
    }

    @Test
    void theVendorOpensTheChangeMailsLinkSeesTheChangeAndAcknowledgesIt() throws Exception {
        Files.createDirectories(SCREENSHOTS);
        fixtures.settleOutbox();
        GreenMail smtp = Smtp.fresh();
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String ref = uniqueReference();
        String email = "browser-" + ref.toLowerCase() + "@vendor.example";
        Map<String, Object> body = order(ref, email, "100");
        body.put("send", "LINK_ONLY");
        Fixtures.post(tenant.apiKey(), body).statusCode(201);
        Smtp.deliver(delivery, clock);
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType(ContentType.JSON)
                .header("If-Match", "\"1\"").body(order(ref, email, "150")).put("/api/v1/purchase-orders/" + ref).then()
                .statusCode(200);
        Smtp.deliver(delivery, clock);
        MimeMessage[] mails = Smtp.mailsTo(smtp, email);
        assertEquals(2, mails.length);
        Matcher link = LINK.matcher(GreenMailUtil.getBody(mails[1]).replace("=\r\n", "").replace("=3D", "="));
        assertTrue(link.find(), "the change mail carries a link");

        try (BrowserContext phone = chromium.browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(360, 800).setUserAgent(PortalClient.BROWSER).setJavaScriptEnabled(false))) {
            Page page = phone.newPage();
            page.navigate(origin() + link.group(1));
            String banner = page.textContent("#revision-banner");
            assertTrue(banner.contains("This order was changed: revision 2"), banner);
            assertTrue(banner.contains("Line 1 (Hex bolt M8): Quantity 100 → 150"), banner);
            assertEquals("Revision 2", page.textContent("#revision").trim());
            assertTrue((Integer) page.evaluate("document.documentElement.scrollWidth") <= 360, "fits the phone");
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("vendor-revision-360.png"))
                    .setFullPage(true));

            page.click("#acknowledge-revision");
            page.waitForURL(url -> url.endsWith("saved=ACK_REVISION"));
            assertTrue(page.textContent(".flash.ok").contains("you acknowledged revision 2"));
            assertEquals(0, page.locator("#revision-banner").count(), "the banner is gone");
            page.reload();
            assertEquals(0, page.locator("#acknowledge-revision").count(), "nothing left to acknowledge");
        }

        try (BrowserContext desk = chromium.browser
                .newContext(new Browser.NewContextOptions().setViewportSize(1280, 900))) {
            Page staff = desk.newPage();
            staff.navigate(origin() + "/app/orders/" + ref);
            staff.fill("#email", tenant.adminEmail());
            staff.fill("#password", Fixtures.PASSWORD);
            staff.click("#sign-in");
            staff.navigate(origin() + "/app/orders/" + ref);
            assertEquals(0, staff.locator("#change-unacknowledged").count());
            String history = staff.textContent("#revision-2");
            assertTrue(history.contains("line 1 (Hex bolt M8): quantity 100 → 150"), history);
            assertTrue(history.contains("acknowledged"), history);
            String timeline = staff.textContent("#timeline");
            assertTrue(timeline.contains("revision 2 acknowledged"), timeline);
        }
    }
}
