package io.portlink.staff;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;

import io.portlink.dropship.DropshipConnection;
import io.portlink.dropship.DropshipSource;
import io.portlink.dropship.SupplierFixtures;
import io.portlink.dropship.SyncFixtures;
import io.portlink.outbox.Webhooks;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.TrackingLinks;
import io.portlink.testing.Chromium;
import io.portlink.testing.ChromiumTest;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.StaffClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.http.ContentType;

/**
 * The staff lists on a 390 px phone: each row of the orders, shipments, shipment queue, vendors, products, suppliers,
 * sales orders, links, webhook endpoints, dropship orders, merchants and inventory lists is a card, every cell in view
 * under its column's name (the same words as the column's heading), an empty cell not shown as a bare name, and nothing
 * on the page to scroll sideways to. So too the other staff tables: users and API keys, sync runs and drift, milestone
 * rules, a webhook's deliveries, vendors to merge into, imported shipments, a sales or dropship order's lines and
 * shipments, a product's stock, an order's shipments and re-source lines, and the pipeline and order forms' lines.
 * Screenshots go to target/screenshots.
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

    @Inject
    SyncFixtures sync;

    @Inject
    Clock clock;

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

    @Test
    void onAPhoneTheOtherStaffTablesShowEachRowAsACard() throws Exception {
        Fixtures.Tenant merchant = fixtures.tenant("GB");
        String today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
        // an order the vendor shipped part of (the order's shipments), one it declined (its re-source page)
        String shipped = Fixtures.uniqueReference();
        PortalClient vendor = new PortalClient(
                Fixtures.createOrderWithLink(merchant.apiKey(), shipped, "ships-" + merchant.id() + "@vendor.example"));
        vendor.act(shipped, "ship", Map.of("line", "1", "quantity", "40", "carrier", "DHL", "trackingNumber",
                "JD-PHONE-1", "shipDate", today, "expectedDelivery", "")).then().statusCode(303);
        String declined = Fixtures.uniqueReference();
        new PortalClient(Fixtures.createOrderWithLink(merchant.apiKey(), declined,
                "declines-" + merchant.id() + "@vendor.example"))
                        .act(declined, "decline", Map.of("reason", "discontinued")).then().statusCode(303);
        // a milestone rule and a customer's own threshold, made with the page's forms
        CookieFilter staff = StaffClient.signIn(merchant.adminEmail(), Fixtures.PASSWORD);
        String milestones = "/app/shipments/milestones";
        StaffClient.postForm(staff, milestones, milestones, "trigger", "DELIVERED", "mailCustomer", "yes",
                "extraRecipients", "desk@client.example").statusCode(303);
        StaffClient.postForm(staff, milestones, milestones + "/customers", "customerName", "Cara Customer",
                "customerThreshold", "30").statusCode(303);
        // a webhook endpoint with a test event waiting to go
        long endpoint = webhooks.create(merchant.id(), "http://127.0.0.1:9/portlink-phone-" + merchant.id(), "")
                .endpoint().id();
        webhooks.sendTest(merchant.id(), endpoint).orElseThrow();

        // a merchant and its supplier: a sales order with two lines routed (one priced, one not) and one of its own,
        // part of which it shipped itself; a second dropshipment the supplier ships with a file
        SupplierFixtures.Pair pair = suppliers.pair(true, false);
        SupplierFixtures.Made made = suppliers.dropshipment(pair, true,
                List.of(new SupplierFixtures.Item("WIDGET-RED", "SUP-RED", 3, new BigDecimal("19.99")),
                        new SupplierFixtures.Item("WIDGET-BLUE", "SUP-BLUE", 2, null)),
                List.of(new SupplierFixtures.Item("BOOK-1", null, 3, new BigDecimal("5.00"))));
        String salesOrder = "/app/sales-orders/" + made.salesOrderReference();
        StaffClient.postForm(StaffClient.signIn(pair.merchant().adminEmail(), Fixtures.PASSWORD), salesOrder,
                salesOrder + "/ship", "position", "3", "quantity", "1", "carrier", "DHL", "trackingNumber",
                "OWN-PHONE-1", "shipDate", today).statusCode(303);
        SupplierFixtures.Made byFile = suppliers.standard(pair);

        // a merchant whose sync ran once, with a product whose quantities disagree and one the supplier lacks
        Fixtures.Tenant syncing = sync.org();
        DropshipConnection c = sync.connection(syncing.id(), sync.org(), DropshipConnection.Status.ACTIVE);
        api(syncing.apiKey()).post("/api/v1/sync/run").then().statusCode(200);
        DropshipSource drifting = sync.dropshipped(c, "DRIFT-PHONE", 7);
        sync.stockLevel(drifting.merchantProductId, c.warehouseId, 3);
        sync.source(c, sync.product(syncing.id(), "GONE-PHONE", null), null);
        Files.createDirectories(Path.of("target", "screenshots"));

        List<String> problems = new ArrayList<>();
        try (BrowserContext phone = phone()) {
            Page page = signIn(phone, merchant);
            Chromium.Recording recording = Chromium.record(page);
            open(page, "/app/admin");
            check(page, "/app/admin", problems, "#users", "#api-keys-table");
            open(page, milestones);
            check(page, milestones, problems, "#rules-table", "#thresholds-table");
            open(page, "/app/admin/webhooks/" + endpoint);
            check(page, "/app/admin/webhooks/endpoint", problems, "#deliveries");
            open(page, "/app/orders/" + shipped);
            check(page, "/app/orders/shipped", problems, "#shipments");
            open(page, "/app/orders/" + declined + "/resource");
            check(page, "/app/orders/resource", problems, "#lines");
            open(page, "/app/vendors");
            String vendorId = page.getAttribute("#vendors tbody tr", "data-vendor-id");
            open(page, "/app/vendors/" + vendorId + "/merge");
            check(page, "/app/vendors/merge", problems, "#candidates");
            open(page, "/app/admin/pipelines");
            check(page, "/app/admin/pipelines", problems, "#stages");
            open(page, "/app/orders/new");
            check(page, "/app/orders/new", problems, "#lines table");
            open(page, "/app/shipments/import");
            page.setInputFiles("#file",
                    new FilePayload("shipments.csv", "text/csv",
                            ("reference,title,customer_name,stage\n" + Fixtures.uniqueReference()
                                    + ",Load 4471: 18 pallets,Cara Customer,\n").getBytes(StandardCharsets.UTF_8)));
            page.click("#upload");
            page.waitForSelector("#import-summary");
            check(page, "/app/shipments/imported", problems, "#imported-shipments");
            // the webhooks page's address box looks like the other boxes
            open(page, "/app/admin/webhooks");
            assertEquals(List.of("8px", "10px"), page.locator("#webhook-url")
                    .evaluate("i => [getComputedStyle(i).borderRadius, getComputedStyle(i).paddingTop]"));
            assertEquals(List.of(), recording.cspViolations());
        }
        try (BrowserContext phone = phone()) {
            Page page = signIn(phone, pair.merchant());
            open(page, salesOrder);
            check(page, "/app/sales-orders/order", problems, "#lines", "#own-lines", "#dropshipments",
                    "#shipments-table");
            open(page, "/app/sales-orders/new");
            check(page, "/app/sales-orders/new", problems, "#lines table");
        }
        try (BrowserContext phone = phone()) {
            Page page = signIn(phone, pair.supplier());
            open(page, "/app/dropship-orders/" + made.id());
            check(page, "/app/dropship-orders/order", problems, "#lines");
            open(page, "/app/dropship-orders/import");
            page.setInputFiles("#file",
                    new FilePayload("shipped.csv", "text/csv", ("reference,carrier,tracking_number,ship_date\n"
                            + byFile.reference() + ",DHL,JD-FILE-1," + today + "\n").getBytes(StandardCharsets.UTF_8)));
            page.click("#upload");
            page.waitForSelector("#import-summary");
            check(page, "/app/dropship-orders/imported", problems, "#imported-shipments");
        }
        try (BrowserContext phone = phone()) {
            Page page = signIn(phone, syncing);
            open(page, "/app/sync");
            check(page, "/app/sync", problems, "#runs-table", "#drift-table", "#unmapped-table");
            open(page, "/app/products/" + drifting.merchantProductId);
            check(page, "/app/products/product", problems, "#stock-table");
        }
        assertEquals(List.of(), problems,
                "on a 390 px phone each table's rows are cards, every cell named and in view");
    }

    /** A late shipment's page: its long "late, level 2 since …" badge wraps instead of widening the page. */
    @Test
    void aLateShipmentsPageFitsAPhone() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        long shipment = fixtures.shipment(tenant.id());
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            io.portlink.shipment.Shipment s = io.portlink.shipment.Shipment.findById(shipment);
            s.lateLevel = 2;
            s.lateSince = clock.instant();
        });
        try (BrowserContext phone = phone()) {
            Page page = signIn(phone, tenant);
            open(page, "/app/shipments/" + shipment);
            assertEquals(true, page.isVisible("#late-badge"));
            Number width = (Number) page.evaluate("() => document.documentElement.scrollWidth");
            assertEquals(true, width.intValue() <= 390, "no sideways scroll at 390 px, scrollWidth " + width);
        }
    }

    /** Signs {@code tenant}'s admin in on a 390 px phone and adds what is wrong with each page's table. */
    private void look(Fixtures.Tenant tenant, List<String> problems, Map<String, String> tables) {
        try (BrowserContext phone = phone()) {
            Page page = signIn(phone, tenant);
            Chromium.Recording recording = Chromium.record(page);
            for (Map.Entry<String, String> t : new java.util.TreeMap<>(tables).entrySet()) {
                open(page, t.getKey());
                check(page, t.getKey(), problems, t.getValue());
            }
            assertEquals(List.of(), recording.cspViolations());
        }
    }

    private BrowserContext phone() {
        return chromium.browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844).setIsMobile(true));
    }

    private Page signIn(BrowserContext phone, Fixtures.Tenant tenant) {
        Page page = phone.newPage();
        page.navigate(origin() + "/app/login");
        page.fill("#email", tenant.adminEmail());
        page.fill("#password", Fixtures.PASSWORD);
        page.click("#sign-in");
        page.waitForURL(url -> !url.contains("/login"));
        return page;
    }

    private void open(Page page, String path) {
        var answer = page.navigate(origin() + path);
        assertEquals(200, answer.status(), path);
    }

    /**
     * Saves a screenshot of the page as shown (named after {@code where}) and adds what is wrong with each of its
     * tables.
     */
    private static void check(Page page, String where, List<String> problems, String... tables) {
        page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                .setPath(Path.of("target", "screenshots", "list" + where.replaceAll("[^a-z]+", "-") + "-390.png")));
        for (String table : tables) {
            @SuppressWarnings("unchecked")
            List<String> found = (List<String>) page.evaluate(PROBLEMS, table);
            found.forEach(p -> problems.add(where + " " + p));
        }
    }

    private static io.restassured.specification.RequestSpecification api(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }
}
