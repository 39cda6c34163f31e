package io.portlink.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

import io.portlink.purchasing.Orders;
import io.portlink.testing.Chromium;
import io.portlink.testing.ChromiumTest;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.timeline.Actor;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The order list and the order form as a person sees them, at 1280 px and on a 390 px phone: headings never broken
 * inside a word, each order (and an order's lines and links) a card on the phone with every cell in view and an empty
 * cell left out, status badges coloured by meaning (confirmed green, cancelled red, pending grey, sent blue), phone
 * inputs styled like the others, and nothing styled inline (the CSP would refuse it). Screenshots go to
 * target/screenshots.
 */
@QuarkusTest
class OrderListLooksBrowserTest extends ChromiumTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Orders orders;

    @Inject
    io.portlink.dropship.Connections connections;

    @Inject
    io.portlink.testing.TestClock clock;

    @Test
    void headingsStayWholeBadgesSayTheirMeaningAndInputsMatch() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String pending = Fixtures.uniqueReference();
        Fixtures.createOrderWithLink(tenant.apiKey(), pending, "p@vendor.example");
        String confirmed = Fixtures.uniqueReference();
        String link = Fixtures.createOrderWithLink(tenant.apiKey(), confirmed, "c@vendor.example");
        new PortalClient(link).act(confirmed, "confirm", Map.of()).then().statusCode(303);
        // its expected date: the one order whose "Expected" cell has something to show
        new PortalClient(link)
                .act(confirmed, "date",
                        Map.of("date", clock.instant().plus(java.time.Duration.ofDays(20)).toString().substring(0, 10)))
                .then().statusCode(303);
        String cancelled = Fixtures.uniqueReference();
        Fixtures.createOrderWithLink(tenant.apiKey(), cancelled, "x@vendor.example");
        orders.cancel(tenant.id(), cancelled, (Long) null, Actor.system(), "not needed");
        String sent = Fixtures.uniqueReference();
        Fixtures.createOrderWithLink(tenant.apiKey(), sent, "s@vendor.example");
        orders.markSent(tenant.id(), sent, Actor.system(), "WhatsApp");
        // the widest action a row has: a vendor without an e-mail address is shared by WhatsApp or copy
        Fixtures.post(tenant.apiKey(), Map.of("reference", Fixtures.uniqueReference(), "vendor",
                Map.of("name", "Contoso Packaging International Holdings Ltd"), "deliveryAddress", "1 Dock Road",
                "requestedDate", "2027-07-01", "lines", java.util.List.of(Map.of("sku", "BOX-1", "quantity", "5"))))
                .statusCode(201);
        // the widest status: confirmed by the vendor, then amended, the change not yet acknowledged
        String amended = Fixtures.uniqueReference();
        String amendedLink = Fixtures.createOrderWithLink(tenant.apiKey(), amended, "amended-long-name@vendor.example");
        orders.markSent(tenant.id(), amended, Actor.system(), "WhatsApp"); // a vendor who got it acknowledges changes
        new PortalClient(amendedLink).act(amended, "confirm", Map.of()).then().statusCode(303);
        Map<String, Object> change = new java.util.HashMap<>(
                Fixtures.order(amended, "amended-long-name@vendor.example"));
        change.put("lines", java.util.List.of(Map.of("sku", "BOLT-8", "description", "Hex bolt M8", "quantity", "120",
                "unit", "pcs", "unitPrice", "0.12", "currency", "GBP")));
        io.restassured.RestAssured.given().header("Authorization", "Bearer " + tenant.apiKey())
                .contentType("application/json").header("If-Match", "\"1\"").body(change)
                .put("/api/v1/purchase-orders/" + amended).then().statusCode(200)
                .body("awaitsAcknowledgement", org.hamcrest.Matchers.equalTo(true));
        // a supplier row: its status and its actions ("Invite again", "Withdraw invitation…") in a table of its own
        connections.invite(tenant.id(), "Mugs Direct Wholesale", "orders@mugs.example", "test");
        Files.createDirectories(Path.of("target", "screenshots"));

        for (int width : new int[] { 1280, 390, 320 }) {
            try (BrowserContext desk = chromium.browser
                    .newContext(new Browser.NewContextOptions().setViewportSize(width, 900))) {
                Page page = desk.newPage();
                Chromium.Recording recording = Chromium.record(page);
                page.navigate(origin() + "/app/login");
                page.fill("#email", tenant.adminEmail());
                page.fill("#password", Fixtures.PASSWORD);
                page.click("#sign-in");
                page.waitForURL(url -> url.endsWith("/app/orders"));
                page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                        .setPath(Path.of("target", "screenshots", "orders-" + width + ".png")));

                @SuppressWarnings("unchecked")
                List<Object> heights = (List<Object>) page.locator("#orders thead th").evaluateAll(
                        "ths => ths.map(th => { const s = getComputedStyle(th); return (th.getBoundingClientRect().height"
                                + " - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom)) / parseFloat(s.lineHeight); })");
                for (Object h : heights) {
                    assertTrue(((Number) h).doubleValue() < 1.5, width + " px: a heading wraps: " + heights);
                }
                assertEquals("nowrap",
                        page.locator("#orders thead th").first().evaluate("th => getComputedStyle(th).whiteSpace"));
                if (width == 1280) {
                    assertEquals(Boolean.FALSE,
                            page.locator("#orders")
                                    .evaluate("t => t.parentElement.scrollWidth > t.parentElement.clientWidth"),
                            "on a laptop the queue fits its card, every row's actions in view");
                }
                if (width == 320) {
                    assertEquals(Boolean.TRUE,
                            page.locator("#q")
                                    .evaluate("q => q.getBoundingClientRect().right"
                                            + " <= q.closest('form').getBoundingClientRect().right"),
                            "the search box stays inside its card");
                    // the smallest phones: the menu wraps, nothing is cut off or scrolls sideways
                    assertTrue(((Number) page.evaluate("document.documentElement.scrollWidth")).intValue() <= 320,
                            "the list fits a 320 px phone; wider: " + page.evaluate(
                                    "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect()"
                                            + ".right > 321).slice(0, 8).map(e => e.tagName + '#' + e.id + '.'"
                                            + " + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
                                            + ".join(', ')"));
                    // and the other staff pages with tables: a wide table scrolls in its own box, not the page
                    for (String path : List.of("/app/shipments/queue", "/app/admin/pipelines", "/app/products",
                            "/app/suppliers", "/app/vendors", "/app/links", "/app/sales-orders",
                            "/app/sales-orders/new")) {
                        var answer = page.navigate(origin() + path);
                        assertEquals(200, answer.status(), path);
                        assertTrue(((Number) page.evaluate("document.documentElement.scrollWidth")).intValue() <= 320,
                                path + " fits a 320 px phone; wider: " + page.evaluate(
                                        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect()"
                                                + ".right > 321).slice(0, 6).map(e => e.tagName + '#' + e.id + '.'"
                                                + " + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
                                                + ".join(', ')"));
                    }
                    page.navigate(origin() + "/app/orders");
                }
                if (width == 390) {
                    // each order a card: every cell in view under its column's name, nothing to scroll sideways to
                    assertEquals(Boolean.FALSE,
                            page.locator("#orders")
                                    .evaluate("t => t.parentElement.scrollWidth > t.parentElement.clientWidth"),
                            "on a phone the list does not scroll sideways");
                    assertEquals(List.of(), page.locator("#orders tbody td").evaluateAll(
                            "tds => tds.filter(td => td.getClientRects().length > 0 && td.getBoundingClientRect().right > 390)"
                                    + ".map(td => td.dataset.label)"),
                            "every shown cell of every order is within the phone's width");
                    assertTrue(String
                            .valueOf(page.locator("#orders tbody td[data-label=Requested]").first()
                                    .evaluate("td => getComputedStyle(td, '::before').content"))
                            .contains("Requested: "), "a cell says which column it is");
                    assertEquals(List.of(confirmed), page.locator("#orders tbody td[data-label=Expected]").evaluateAll(
                            "tds => tds.filter(td => td.getClientRects().length > 0).map(td => td.closest('tr').dataset.reference)"),
                            "the expected date is shown where there is one");
                    assertEquals(List.of(), page.locator("#orders tbody td[data-label]").evaluateAll(
                            "tds => tds.filter(td => td.getClientRects().length > 0 && td.textContent.trim() === '')"
                                    + ".map(td => td.dataset.label)"),
                            "an empty cell (no expected date, no tracking number) is left out, not shown as its name alone");
                    // an order's lines, total and links alike
                    page.navigate(origin() + "/app/orders/" + amended);
                    page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                            .setPath(Path.of("target", "screenshots", "order-390.png")));
                    assertEquals(List.of(), page.locator("#lines td, #links td, #mails td, #revisions td").evaluateAll(
                            "tds => tds.filter(td => td.getClientRects().length > 0 && td.getBoundingClientRect().right > 390)"
                                    + ".map(td => td.dataset.label)"),
                            "every cell of the order's lines, links, mails and revisions is within the phone's width");
                    assertTrue(page.locator("#lines tfoot td.amount").first().isVisible(), "the order total is shown");
                    // the longest reference (64 characters) wraps in the heading rather than widen the page
                    String longest = "PO-" + "9".repeat(61);
                    Fixtures.createOrderWithLink(tenant.apiKey(), longest, "long@vendor.example");
                    page.navigate(origin() + "/app/orders/" + longest);
                    assertTrue(((Number) page.evaluate("document.documentElement.scrollWidth")).intValue() <= 390,
                            "an order with the longest reference fits the phone");
                    page.navigate(origin() + "/app/orders/" + amended);
                    assertTrue(
                            page.locator("#lines tfoot td.amount").first()
                                    .evaluate("td => td.getBoundingClientRect().right <= 390").equals(Boolean.TRUE),
                            "the order total is within the phone's width");
                    page.navigate(origin() + "/app/orders");
                    @SuppressWarnings("unchecked")
                    List<Object> narrow = (List<Object>) page.locator("#orders tbody td a, #orders tbody td button")
                            .evaluateAll(
                                    "as => as.filter(a => a.textContent.trim().length > 0).map(a => { const r = a.getClientRects();"
                                            + " return r.length > 0 ? r[0].width : 99; }).filter(w => w < 24)");
                    assertEquals(List.of(), narrow, "no link in the list is squeezed to a letter or two a line");
                    // a table outside a scrolling wrapper scrolls too, its words whole ("Invite again", not "In / vi")
                    page.navigate(origin() + "/app/suppliers");
                    page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                            .setPath(Path.of("target", "screenshots", "suppliers-390.png")));
                    // a text shown on more lines than it has words is broken inside a word
                    Object broken = page.evaluate("() => { const out = []; const w = document.createTreeWalker("
                            + "document.querySelector('#suppliers tbody'), NodeFilter.SHOW_TEXT); let n;"
                            + " while ((n = w.nextNode())) { const t = n.textContent.trim(); if (!t) continue;"
                            + " const r = document.createRange(); r.selectNodeContents(n); const lines = new Set("
                            + "[...r.getClientRects()].map(x => Math.round(x.top))).size;"
                            + " if (lines > t.split(/\\s+/).length) out.push(t); } return out; }");
                    assertEquals(List.of(), broken, "no supplier's name, state or action is broken inside a word");
                    page.navigate(origin() + "/app/orders");
                    page.navigate(origin() + "/app/admin");
                    assertEquals(0,
                            page.locator("#api-keys-table .token, table .token")
                                    .evaluateAll("ts => ts.filter(t => t.getClientRects().length > 1).length"),
                            "a key's hint stays on one line");
                    assertTrue(((Number) page.evaluate("document.documentElement.scrollWidth")).intValue() <= 390,
                            "the admin page fits the phone: no sideways scrolling; wider: " + page.evaluate(
                                    "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect()"
                                            + ".right > 391).slice(0, 8).map(e => e.tagName + '#' + e.id + '.'"
                                            + " + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
                                            + ".join(', ')"));
                    page.navigate(origin() + "/app/orders");
                }

                assertEquals("rgb(6, 118, 71)", badge(page, confirmed), "confirmed is green");
                assertEquals("rgb(180, 35, 24)", badge(page, cancelled), "cancelled is red");
                assertEquals("rgb(52, 64, 84)", badge(page, pending), "pending is grey");
                assertEquals("rgb(23, 92, 211)", badge(page, sent), "sent is blue");

                var served = page.navigate(origin() + "/app/orders/new");
                assertTrue(!served.text().contains(" style="), "nothing styled inline in the markup");
                page.click("#add-new-vendor");
                assertEquals(page.locator("#vendor-email").evaluate("i => getComputedStyle(i).borderRadius"),
                        page.locator("#vendor-phone").evaluate("i => getComputedStyle(i).borderRadius"));
                assertEquals(page.locator("#vendor-email").evaluate("i => getComputedStyle(i).paddingLeft"),
                        page.locator("#consignee-phone").evaluate("i => getComputedStyle(i).paddingLeft"));
                page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                        .setPath(Path.of("target", "screenshots", "order-form-" + width + ".png")));
                assertEquals(List.of(), recording.cspViolations());
            }
        }
    }

    private Object badge(Page page, String reference) {
        page.navigate(origin() + "/app/orders/" + reference);
        return page.locator("#status").evaluate("b => getComputedStyle(b).color");
    }
}
