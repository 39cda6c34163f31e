package io.portlink.staff;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import io.portlink.testing.Chromium;
import io.portlink.testing.ChromiumTest;
import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A clerk in a real Chromium opens the vendor list from the menu, opens a vendor, adds a logistics contact and sees the
 * scorecard drawn, with nothing blocked by the staff pages' Content Security Policy. Runs when a Chromium is installed
 * (see {@link Chromium}).
 */
@QuarkusTest
class VendorsBrowserTest extends ChromiumTest {

    @Inject
    Fixtures fixtures;

    @Test
    void aClerkOpensAVendorAddsAContactAndSeesTheScorecard() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String email = "browser-" + tenant.id() + "@vendor.example";
        createOrderWithLink(tenant.apiKey(), uniqueReference(), email);
        String origin = origin();

        try (BrowserContext desk = chromium.browser
                .newContext(new Browser.NewContextOptions().setViewportSize(1280, 900))) {
            Page page = desk.newPage();
            page.navigate(origin + "/app/login");
            page.fill("#email", tenant.adminEmail());
            page.fill("#password", Fixtures.PASSWORD);
            page.click("#sign-in");
            page.waitForURL(url -> url.contains("/app/orders"));
            // from here on: the sign-in page's own inline style is another story (issue 12, section 5)
            Chromium.Recording recording = Chromium.record(page);

            page.click("nav >> text=Vendors");
            page.waitForURL(url -> url.endsWith("/app/vendors"));
            page.fill("#q", "browser-" + tenant.id());
            page.click("#search");
            assertEquals(1, page.locator("#vendors [data-vendor-id]").count());
            page.click("#vendors a:has-text('Vendor " + email + "')");
            page.waitForURL(url -> url.matches(".*/app/vendors/\\d+$"));
            assertEquals("Vendor " + email, page.textContent("#vendor-name"));

            page.fill("#new-name", "Lena Lager");
            page.selectOption("#new-role", "LOGISTICS");
            page.fill("#new-email", "lena-" + tenant.id() + "@vendor.example");
            page.selectOption("#new-language", "de");
            page.click("#add-contact-button");
            page.waitForURL(url -> url.endsWith("?done=contact-added"));
            assertEquals("The contact is added.", page.textContent("#message"));
            assertEquals(1, page.locator("form.contact").count());
            assertEquals("Lena Lager", page.inputValue("form.contact input[name=name]"));
            assertEquals("LOGISTICS", page.inputValue("form.contact select[name=role]"));

            assertTrue(page.isVisible("#scorecard"));
            assertTrue(page.textContent("#score-response").contains("0 of 0 orders sent answered"));
            assertEquals(5, page.locator("#scorecard svg rect.bar").count(), "three rates and two times");
            assertTrue(page.locator("#chart-rates svg").boundingBox().width > 100, "the chart is drawn");
            assertEquals(java.util.List.of(), recording.cspViolations());
        }
    }
}
