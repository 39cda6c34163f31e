package io.portlink.dropship;

import static io.portlink.dropship.SalesOrderFixtures.line;
import static io.portlink.dropship.SalesOrderFixtures.order;
import static io.portlink.dropship.SalesOrderFixtures.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.SelectOption;

import io.portlink.outbox.OutboxDelivery;
import io.portlink.outbox.WebhookDelivery;
import io.portlink.outbox.Webhooks;
import io.portlink.testing.ChromiumTest;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Smtp;
import io.portlink.testing.TestClock;
import io.portlink.testing.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The whole dropship flow across two organisations in a real Chromium, each user in a browser of its own: the merchant
 * invites a supplier, the supplier accepts from the mail's link by creating its organisation, the merchant marks a
 * product "dropship from" it, two sales orders arrive (API), the merchant routes them and presses "Sync now", the
 * supplier sees them under Dropship orders and ships one with carrier and tracking number, and the merchant's sales
 * order shows shipped with that number. The merchant then cancels the other order and the supplier acknowledges the
 * cancel on its page; the merchant's sales channel receives one signed webhook for each step. Runs when a Chromium is
 * installed.
 */
@QuarkusTest
class DropshipFlowBrowserTest extends ChromiumTest {

    private static final String SUPPLIER_PASSWORD = "quiet-anchor-meadow-7";

    @Inject
    Fixtures fixtures;

    @Inject
    OutboxDelivery delivery;

    @Inject
    TestClock clock;

    @Inject
    Webhooks webhooks;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

    @Inject
    WebhookDelivery webhookDelivery;

    @Test
    void aMerchantsOrderReachesANewSupplierShipsAndComesBackWithItsTrackingAndACancelIsAcknowledged() {
        Fixtures.Tenant merchant = fixtures.tenant("GB");
        String supplierName = "Kiln Works " + merchant.id();
        String supplierEmail = "kiln-" + merchant.id() + "@supplier.example";
        String first = "SO-B" + merchant.id();
        String second = "SO-C" + merchant.id();
        fixtures.settleOutbox();
        GreenMail smtp = Smtp.fresh();
        String origin = origin();

        try (WebhookReceiver channel = WebhookReceiver.start(clock); BrowserContext merchantDesk = desk();
                BrowserContext supplierDesk = desk()) {
            channel.secret(webhooks.create(merchant.id(), channel.url(), "").secret());
            Page m = merchantDesk.newPage();
            signIn(m, merchant.adminEmail(), Fixtures.PASSWORD);

            // the merchant invites the supplier by e-mail
            m.navigate(origin + "/app/suppliers");
            m.fill("#supplier-name", supplierName);
            m.fill("#supplier-email", supplierEmail);
            m.click("#invite");
            assertEquals("The invitation is on its way.", m.textContent("#message").strip());
            assertTrue(row(m, "#suppliers", supplierName).contains("Invited"), "listed as invited");
            Smtp.deliver(delivery, clock);
            MimeMessage[] mails = Smtp.mailsTo(smtp, supplierEmail);
            assertEquals(1, mails.length, "one invitation mail");
            String link = Smtp.supplierInvitationLink(mails[0]);

            // the supplier accepts by creating its organisation, then signs in
            Page s = supplierDesk.newPage();
            s.navigate(origin + link);
            assertEquals(merchant.name() + " invites " + supplierName, s.textContent("h1").strip());
            s.fill("#organization", supplierName);
            s.selectOption("#country", "GB"); // a list of countries
            assertEquals(supplierEmail, s.inputValue("#email"), "the invited address, filled in");
            s.fill("#password", SUPPLIER_PASSWORD);
            s.fill("#confirmation", SUPPLIER_PASSWORD);
            s.click("#accept-new");
            assertEquals("You are connected to " + merchant.name(), s.textContent("#connected").strip());
            s.click("#sign-in-new");
            s.waitForURL(url -> url.contains("/app/login"));
            fillSignIn(s, supplierEmail, SUPPLIER_PASSWORD);

            m.navigate(origin + "/app/suppliers");
            assertTrue(row(m, "#suppliers", supplierName).contains("Connected"), "the merchant sees it connected");

            // the merchant adds a product and marks it dropship from the supplier
            m.navigate(origin + "/app/products");
            m.fill("#sku", "VASE-1");
            m.fill("#name", "Blue vase");
            m.click("#add-product");
            m.click("#products tr[data-sku='VASE-1'] a");
            m.selectOption("#supplier", new SelectOption().setLabel(supplierName));
            m.fill("#supplier-sku", "KW-VASE");
            m.click("#save-dropship");
            assertTrue(m.textContent("#dropship-state").contains("Dropshipped from " + supplierName + " as KW-VASE"),
                    m.textContent("#dropship-state"));

            // two sales orders arrive from the channel; the merchant routes each and syncs
            post(merchant.apiKey(), order(first, List.of(line("VASE-1", 2, "30.00")))).statusCode(201);
            post(merchant.apiKey(), order(second, List.of(line("VASE-1", 1, "30.00")))).statusCode(201);
            for (String reference : List.of(first, second)) {
                m.navigate(origin + "/app/sales-orders/" + reference);
                assertEquals("open", m.textContent("#status").strip());
                m.click("#route");
                assertEquals("Routed: " + reference + "-1 to " + supplierName + " (1 line).",
                        m.textContent("#routed .flash").strip());
                assertTrue(row(m, "#dropshipments", reference + "-1").contains("waiting for the next sync"));
            }
            m.navigate(origin + "/app/sync");
            m.click("#sync-now button");
            assertEquals("Sync finished: see the latest run below.", m.textContent("#message").strip());
            assertTrue(m.textContent("#last-run").contains("2 dropshipments sent"), m.textContent("#last-run"));

            // the supplier sees both and ships the first with carrier and tracking number
            s.click("nav >> text=Dropship orders");
            assertTrue(row(s, "#dropship-orders", first + "-1").contains(merchant.name()));
            assertTrue(row(s, "#dropship-orders", first + "-1").contains("0 of 2"));
            assertTrue(row(s, "#dropship-orders", second + "-1").contains("0 of 1"));
            s.click("#dropship-orders a:text-is('" + first + "-1')");
            assertEquals("KW-VASE", s.textContent("#lines tr[data-position='1'] td:nth-child(2)").strip(),
                    "the supplier's own SKU");
            assertFalse(s.textContent("main").contains("margin 40%"), "never the merchant's internal note");
            s.fill("#carrier", "DHL");
            s.fill("#trackingNumber", "JD0146000062");
            s.fill("#shipDate", LocalDate.ofInstant(clock.instant(), ZoneId.of("Europe/London")).toString());
            s.click("#ship");
            assertEquals("Shipment recorded. The merchant's order shows it now.", s.textContent("#message").strip());
            assertTrue(s.textContent("#shipments li[data-tracking='JD0146000062']").contains("KW-VASE × 2"));

            // the merchant's order shows shipped, with the tracking number
            m.navigate(origin + "/app/sales-orders/" + first);
            assertEquals("shipped", m.textContent("#status").strip());
            assertEquals("2", m.textContent("#line-1 td:nth-child(5)").strip(), "both units shipped");
            assertTrue(m.textContent("#timeline").contains("JD0146000062"), m.textContent("#timeline"));

            // the merchant cancels the second order; the supplier reads the cancel and acknowledges it
            m.navigate(origin + "/app/sales-orders/" + second);
            m.fill("#reason", "customer changed their mind");
            m.click("#cancel");
            assertEquals("The order is cancelled.", m.textContent("#message").strip());
            assertEquals("cancelled", m.textContent("#status").strip());
            assertTrue(row(m, "#dropshipments", second + "-1").contains("change not yet acknowledged"));

            s.click("nav >> text=Dropship orders");
            assertTrue(row(s, "#dropship-orders", second + "-1").contains("Change to acknowledge"));
            s.click("#dropship-orders a:text-is('" + second + "-1')");
            assertTrue(s.textContent("#change h2").contains("revision 2"), s.textContent("#change h2"));
            String change = s.textContent("#change-summary li[data-revision='2']").strip();
            assertTrue(change.startsWith("Revision 2") && change.endsWith(": Cancelled: customer changed their mind"),
                    change);
            assertTrue(s.textContent("#cancelled").contains("Do not ship it"));
            assertEquals(0, s.locator("#ship").count(), "a cancelled order offers no shipping");
            s.click("#acknowledge");
            assertEquals("Change acknowledged. The merchant sees it now.", s.textContent("#message").strip());
            assertEquals(0, s.locator("#change").count(), "nothing left to acknowledge");
            assertTrue(s.textContent("#revision").contains("acknowledged 2"), s.textContent("#revision"));

            m.reload();
            String acknowledged = row(m, "#dropshipments", second + "-1");
            assertFalse(acknowledged.contains("not yet acknowledged"), acknowledged);
            assertTrue(acknowledged.contains("acknowledged"), acknowledged);

            // and the merchant's sales channel heard each step once, signed
            webhookDelivery.deliverDue();
            assertTrue(channel.received().stream().allMatch(WebhookReceiver.Received::signatureValid));
            assertEquals(
                    List.of("sales_order.routed " + first, "sales_order.routed " + second,
                            "sales_order.shipped " + first, "sales_order.cancelled " + second,
                            "dropshipment.acknowledged " + second),
                    channel.received().stream().map(r -> type(r.body()) + " " + salesOrder(r.body())).toList());
            webhooks.list(merchant.id()).forEach(e -> webhooks.delete(merchant.id(), e.id()));
        }
    }

    private String type(String body) {
        return read(body).get("type").asText();
    }

    private String salesOrder(String body) {
        return read(body).get("data").get("salesOrder").asText();
    }

    private com.fasterxml.jackson.databind.JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BrowserContext desk() {
        return chromium.browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
    }

    private void signIn(Page page, String email, String password) {
        page.navigate(origin() + "/app/login");
        fillSignIn(page, email, password);
    }

    private static void fillSignIn(Page page, String email, String password) {
        page.fill("#email", email);
        page.fill("#password", password);
        page.click("#sign-in");
        page.waitForURL(url -> !url.contains("/app/login"));
    }

    /** The text of the row of {@code table} that mentions {@code text}; fails when there is none. */
    private static String row(Page page, String table, String text) {
        var rows = page.locator(table + " tbody tr")
                .filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText(text));
        assertEquals(1, rows.count(), "one row of " + table + " with " + text + ": " + page.textContent(table));
        return rows.first().textContent();
    }
}
