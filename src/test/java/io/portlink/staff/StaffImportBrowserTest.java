package io.portlink.staff;

import static io.portlink.testing.Fixtures.uniqueReference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;

import io.portlink.testing.Chromium;
import io.portlink.testing.ChromiumTest;
import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A clerk in a real Chromium with JavaScript off imports three orders and e-mails one: the page that comes back still
 * shows every link, at that order's card. Runs when a Chromium is installed (see {@link Chromium}).
 */
@QuarkusTest
class StaffImportBrowserTest extends ChromiumTest {

    @Inject
    Fixtures fixtures;

    @Test
    void emailingOneOrderKeepsTheOtherLinksOnScreen() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String a = uniqueReference();
        String b = uniqueReference();
        String c = uniqueReference();
        String csv = "reference,vendor_name,vendor_email,sku,quantity\n" + a + ",Vendor A,a@vendor.example,S1,1\n" + b
                + ",Vendor B,b@vendor.example,S2,2\n" + c + ",Vendor C,c@vendor.example,S3,3\n";
        String origin = origin();

        try (BrowserContext desk = chromium.browser
                .newContext(new Browser.NewContextOptions().setViewportSize(1280, 900).setJavaScriptEnabled(false))) {
            Page page = desk.newPage();
            page.navigate(origin + "/app/login");
            page.fill("#email", tenant.adminEmail());
            page.fill("#password", Fixtures.PASSWORD);
            page.click("#sign-in");
            page.navigate(origin + "/app/import");
            page.setInputFiles("#file",
                    new FilePayload("orders.csv", "text/csv", csv.getBytes(StandardCharsets.UTF_8)));
            page.click("#upload");
            List<String> links = page.locator("[data-link-url]").allTextContents();
            assertEquals(3, links.size());

            page.click("#order-" + b + " button:has-text('E-mail PO + link')");
            page.waitForURL(url -> url.endsWith("/app/import/send#order-" + b));
            assertEquals(links, page.locator("[data-link-url]").allTextContents(), "every link is still on screen");
            assertTrue(page.textContent("#send-result").contains(b + ": The PO and its link are queued"));
            assertTrue(page.textContent("#order-" + b + " [data-mailed]").contains("b@vendor.example"));
            assertEquals(0, page.locator("#order-" + a + " [data-mailed]").count());

            // and the next one from there
            page.click("#order-" + c + " button:has-text('E-mail link only')");
            page.waitForURL(url -> url.endsWith("#order-" + c));
            assertEquals(links, page.locator("[data-link-url]").allTextContents());
            assertEquals(2, page.locator("[data-mailed]").count());
        }
    }
}
