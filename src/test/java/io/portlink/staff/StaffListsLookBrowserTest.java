package io.portlink.staff;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import io.portlink.dropship.SupplierFixtures;
import io.portlink.outbox.Webhooks;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.TrackingLinks;
import io.portlink.testing.Chromium;
import io.portlink.testing.ChromiumTest;
import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The staff lists on a 390 px phone: each row of the orders, shipments, shipment queue, vendors, products, suppliers,
 * sales orders, links, webhook endpoints, dropship orders, merchants and inventory lists is a card, every cell in view
 * under its column's name (the same words as the column's heading), an empty cell not shown as a bare name, and nothing
 * on the page to scroll sideways to. Screenshots go to target/screenshots.
 */
@QuarkusTest
class StaffListsLookBrowserTest extends ChromiumTest {

    /**
     * What is wrong with the table {@code selector} on the page as shown: the table or a box around it (the document
     * too) wider than it shows, a cell out of sight on the right, a cell whose {@code data-label} is not its column's
     * heading, a named cell that does not show its name, or shows the name alone.
     */
    private static final String PROBLEMS = """
            sel => {
              const out = [];
              const t = document.querySelector(sel);
              if (!t) return [sel + ': no such table'];
              const width = document.documentElement.clientWidth;
              for (let e = t; e; e = e.parentElement) {
                if (e.scrollWidth > e.clientWidth) out.push(sel + ': ' + e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                    + ' scrolls sideways (' + e.scrollWidth + ' px in ' + e.clientWidth + ' px)');
              }
              const heads = [...t.querySelectorAll('thead th')].map(th => th.textContent.trim());
              const rows = [...t.querySelectorAll('tbody tr')].filter(tr => !tr.querySelector('td[colspan]'));
              if (rows.length === 0) out.push(sel + ': no row to look at');
              rows.forEach((tr, r) => [...tr.children].forEach((td, i) => {
                const where = sel + ' row ' + (r + 1) + ' cell ' + (i + 1) + ' (' + (heads[i] || 'no heading') + ')';
                const label = td.dataset.label;
                if ((label || '') !== (heads[i] || '')) out.push(where + ': data-label "' + (label || '') + '"');
                if (td.getClientRects().length === 0) return;
                if (td.getBoundingClientRect().right > width) out.push(where + ': out of sight on the right');
                if (!label) return;
                const before = getComputedStyle(td, '::before').content;
                if (!before.includes(label + ': ')) out.push(where + ': does not show its column name (' + before + ')');
                if (td.textContent.trim() === '' && !td.querySelector('input, select, button, img, svg'))
                  out.push(where + ': shows its column name with nothing after it');
              }));
              return out;
            }
            """;

    @Inject
    Fixtures fixtures;

    @Inject
    SupplierFixtures suppliers;

    @Inject
    TrackingLinks trackingLinks;

    @Inject
    Webhooks webhooks;

    @Test
    void onAPhoneEveryListRowIsACardWithEveryCellNamedAndInView() throws Exception {
        Fixtures.Tenant merchant = fixtures.tenant("GB");
        Fixtures.Tenant supplier = fixtures.tenant("GB");
        // an order (its vendor and its link), without a tracking number: that cell stays empty
        Fixtures.createOrderWithLink(merchant.apiKey(), Fixtures.uniqueReference(),
                "phone-" + merchant.id() + "@vendor.example");
        // a shipment with a tracking link nobody opened: listed, and in the queue's "Link never opened"
        long shipment = fixtures.shipment(merchant.id());
        trackingLinks.create(merchant.id(), shipment, null, ShipmentActor.system());
        // a connected supplier, a sales order routed to it and sent: the merchant's and the supplier's lists
        SupplierFixtures.Pair pair = suppliers.connect(merchant, supplier, false, false);
        suppliers.standard(pair);
        api(merchant.apiKey()).body(Map.of("sku", "WIDGET-RED", "name", "Red widget")).post("/api/v1/products").then()
                .statusCode(201);
        api(merchant.apiKey()).body(Map.of("supplier", supplier.name(), "supplierSku", "SUP-RED"))
                .put("/api/v1/products/WIDGET-RED/dropship").then().statusCode(200);
        api(merchant.apiKey()).body(Map.of("sku", "BOOK-1", "name", "Own book")).post("/api/v1/products").then()
                .statusCode(201);
        api(supplier.apiKey()).body(Map.of("availableOnHand", 12, "name", "Red widget (supplier)"))
                .put("/api/v1/inventory/SUP-RED").then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        webhooks.create(merchant.id(), "http://127.0.0.1:9/portlink-hooks-" + merchant.id(), "");
        Files.createDirectories(Path.of("target", "screenshots"));

        List<String> problems = new ArrayList<>();
        look(merchant, problems,
                Map.of("/app/orders", "#orders", "/app/shipments", "#shipments",
                        "/app/shipments/queue?bucket=NEVER_OPENED", "#queue", "/app/vendors", "#vendors",
                        "/app/products", "#products", "/app/suppliers", "#suppliers", "/app/sales-orders",
                        "#sales-orders", "/app/links", "#links", "/app/admin/webhooks", "#endpoints"));
        look(supplier, problems, Map.of("/app/dropship-orders", "#dropship-orders", "/app/merchants", "#merchants",
                "/app/inventory", "#inventory"));
        assertEquals(List.of(), problems, "on a 390 px phone each list's rows are cards, every cell named and in view");
    }

    /** Signs {@code tenant}'s admin in on a 390 px phone and adds what is wrong with each page's table. */
    private void look(Fixtures.Tenant tenant, List<String> problems, Map<String, String> tables) {
        try (BrowserContext phone = chromium.browser
                .newContext(new Browser.NewContextOptions().setViewportSize(390, 844).setIsMobile(true))) {
            Page page = phone.newPage();
            page.navigate(origin() + "/app/login");
            page.fill("#email", tenant.adminEmail());
            page.fill("#password", Fixtures.PASSWORD);
            page.click("#sign-in");
            page.waitForURL(url -> !url.contains("/login"));
            Chromium.Recording recording = Chromium.record(page);
            for (Map.Entry<String, String> t : new java.util.TreeMap<>(tables).entrySet()) {
                var answer = page.navigate(origin() + t.getKey());
                assertEquals(200, answer.status(), t.getKey());
                page.screenshot(new Page.ScreenshotOptions().setFullPage(true).setPath(
                        Path.of("target", "screenshots", "list" + t.getKey().replaceAll("[^a-z]+", "-") + "-390.png")));
                @SuppressWarnings("unchecked")
                List<String> found = (List<String>) page.evaluate(PROBLEMS, t.getValue());
                found.forEach(p -> problems.add(t.getKey() + " " + p));
            }
            assertEquals(List.of(), recording.cspViolations());
        }
    }

    private static io.restassured.specification.RequestSpecification api(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }
}
