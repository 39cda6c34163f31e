package io.portlink.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;

import io.portlink.testing.Chromium;
import io.portlink.testing.ChromiumTest;
import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A clerk in a real Chromium searches the order list for part of a reference, sees the one order, and downloads the
 * list as CSV from the link beside it: the file holds that order and nothing else. Runs when a Chromium is installed
 * (see {@link Chromium}).
 */
@QuarkusTest
class OrderSearchBrowserTest extends ChromiumTest {

    @Inject
    Fixtures fixtures;

    @Test
    void searchPartOfAReferenceThenExportWhatIsShown() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String tag = UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        String wanted = "PO-" + tag + "-7781";
        String other = "PO-" + tag + "-1200";
        for (String reference : List.of(wanted, other)) {
            Fixtures.post(tenant.apiKey(),
                    Map.of("reference", reference, "vendor",
                            Map.of("name", "Northwind Traders", "email", "north@vendor.example"), "lines",
                            List.of(Map.of("sku", "BR-1", "description", "Bracket", "quantity", "4"))))
                    .statusCode(201);
        }
        String origin = origin();
        try (BrowserContext desk = chromium.browser
                .newContext(new Browser.NewContextOptions().setViewportSize(1280, 900).setAcceptDownloads(true))) {
            Page page = desk.newPage();
            page.navigate(origin + "/app/login");
            page.fill("#email", tenant.adminEmail());
            page.fill("#password", Fixtures.PASSWORD);
            page.click("#sign-in");
            page.navigate(origin + "/app/orders");
            assertEquals(2, page.locator("#orders tbody tr").count());

            page.fill("#q", "7781");
            page.click("#search button[type=submit]");
            page.waitForURL(url -> url.contains("q=7781"));
            assertEquals(List.of(wanted), page.locator("#orders tbody tr td:first-child").allTextContents());
            assertTrue(page.textContent("#total").contains("1 order"));

            Download download = page.waitForDownload(() -> page.click("#export-csv"));
            assertTrue(
                    download.suggestedFilename()
                            .matches("purchase-orders-buyer-[0-9a-f]{8}-\\d{4}-\\d\\d-\\d\\d\\.csv"),
                    download.suggestedFilename());
            String csv = Files.readString(download.path(), StandardCharsets.UTF_8);
            List<String> rows = csv.lines().toList();
            assertEquals(2, rows.size(), csv);
            assertTrue(rows.get(0).startsWith("\uFEFFreference,status,vendor_name"), rows.get(0));
            assertTrue(rows.get(1).startsWith(wanted + ",Pending,Northwind Traders,"), rows.get(1));

            page.fill("#q", "nothing-like-this");
            page.click("#search button[type=submit]");
            assertTrue(page.textContent("#empty").contains("No order matches 'nothing-like-this' in reference, SKU,"
                    + " description or vendor. Try fewer letters."));
        }
    }
}
