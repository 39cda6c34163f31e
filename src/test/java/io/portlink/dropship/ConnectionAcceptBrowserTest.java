package io.portlink.dropship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import io.portlink.testing.ChromiumTest;
import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A supplier's staff member opens the invitation link in a real Chromium, signs in from it, comes back to it and
 * accepts; the merchant then appears under Merchants. Runs when a Chromium is installed.
 */
@QuarkusTest
class ConnectionAcceptBrowserTest extends ChromiumTest {

    @Inject
    Fixtures fixtures;

    @Inject
    CatalogueFixtures catalogue;

    @Test
    void aSupplierSignsInFromTheInvitationAndAccepts() {
        Fixtures.Tenant merchant = fixtures.tenant("GB");
        Fixtures.Tenant supplier = fixtures.tenant("GB");
        String token = catalogue.invite(merchant, "Browser Supply", "browser-" + supplier.id() + "@supplier.example");
        String origin = origin();

        try (BrowserContext desk = chromium.browser
                .newContext(new Browser.NewContextOptions().setViewportSize(1280, 900))) {
            Page page = desk.newPage();
            page.navigate(origin + "/app/connect/" + token);
            assertTrue(page.textContent("h1").contains(merchant.name() + " invites Browser Supply"));
            page.click("#sign-in");
            page.waitForURL(url -> url.contains("/app/login"));
            page.fill("#email", supplier.adminEmail());
            page.fill("#password", Fixtures.PASSWORD);
            page.click("#sign-in");
            // back on the invitation, now as the supplier's staff
            page.waitForURL(url -> url.endsWith("/app/connect/" + token));
            page.click("#accept-existing");
            assertEquals("You are connected to " + merchant.name(), page.textContent("#connected").strip());

            page.navigate(origin + "/app/merchants");
            assertTrue(page.textContent("#merchants").contains(merchant.name()));
            page.navigate(origin + "/app/connect/" + token);
            assertTrue(page.textContent("h1").contains("This invitation is not available"), "used once");
        }
    }
}
