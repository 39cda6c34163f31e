package io.portlink.portal;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.StaffClient;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The vendor's "all my orders" page: each order's badge says what the order's own page says (a partly shipped order is
 * "partially shipped", not "confirmed"), and a vendor with more open orders than a page holds reaches all of them.
 */
@QuarkusTest
class VendorOrderListTest {

    private static final Pattern ROW = Pattern
            .compile("<a href=\"[^\"]*/orders/(PO-[A-Z0-9-]+)\">(?:<strong>)?PO-[A-Z0-9-]+(?:</strong>)?</a>\\s*"
                    + "<span class=\"badge status-([a-z_]+)\">([^<]*)</span>");

    @Inject
    Fixtures fixtures;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("DE");
    }

    private static String list(String link, String query) {
        return given().header("User-Agent", PortalClient.BROWSER).get(link + "/orders" + query).then().statusCode(200)
                .extract().asString();
    }

    /** The badge of {@code reference} on the page: its CSS class and text. */
    private static String badge(String page, String reference) {
        Matcher m = ROW.matcher(page);
        while (m.find()) {
            if (m.group(1).equals(reference)) {
                return m.group(2) + " " + m.group(3);
            }
        }
        throw new AssertionError(reference + " is not on the page: " + page);
    }

    @Test
    void aPartlyShippedOrderReadsSoInTheList() {
        String email = "list-" + tenant.id() + "@vendor.example";
        String untouched = uniqueReference();
        String partly = uniqueReference();
        String link = createOrderWithLink(tenant.apiKey(), untouched, email);
        createOrderWithLink(tenant.apiKey(), partly, email);

        PortalClient vendor = new PortalClient(link);
        vendor.open("/orders/" + partly).then().statusCode(200);
        var ship = vendor.hidden("ship");
        given().redirects().follow(false).header("User-Agent", PortalClient.BROWSER)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8").formParam("nonce", ship.get("nonce"))
                .formParam("version", ship.get("version")).formParam("line", "1").formParam("quantity", "40")
                .formParam("carrier", "DHL").formParam("trackingNumber", "JD0146000001")
                .post(link + "/orders/" + partly + "/ship").then().statusCode(303);
        assertTrue(vendor.open("/orders/" + partly).asString().contains("Teilweise versandt"), "the order's page");

        String page = list(link, "");
        assertEquals("partially_shipped Teilweise versandt", badge(page, partly));
        assertEquals("pending Ausstehend", badge(page, untouched), "nothing shipped: the order's own status");

        // staff see it beside the status they filter by
        String queue = given().filter(StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD))
                .get("/app/orders?q=" + partly).then().statusCode(200).extract().asString();
        int row = queue.indexOf("data-reference=\"" + partly + "\"");
        assertTrue(row > 0, queue);
        String cells = queue.substring(row, queue.indexOf("</tr>", row));
        assertTrue(cells.contains(">Confirmed</span> <span class=\"badge fulfilment\""), cells);
        assertTrue(cells.contains(">Partially shipped</span>"), cells);
        String other = given().filter(StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD))
                .get("/app/orders?q=" + untouched).then().statusCode(200).extract().asString();
        assertFalse(other.contains("badge fulfilment"), "nothing shipped, nothing added");
    }

    @Test
    void everyOpenOrderIsReachedHoweverMany() {
        String email = "many-" + tenant.id() + "@vendor.example";
        String prefix = "PO-M" + tenant.id();
        StringBuilder csv = new StringBuilder(
                "reference,vendor_name,vendor_email,delivery_address,sku,description,quantity,unit,unit_price,currency\n");
        for (int i = 1; i <= 101; i++) {
            csv.append(prefix).append('-').append(i).append(",Vendor ").append(email).append(',').append(email)
                    .append(",1 Dock Road,S-").append(i).append(",bolt,5,pcs,2,EUR\n");
        }
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv; charset=UTF-8")
                .body(csv.toString().getBytes(StandardCharsets.UTF_8)).post("/api/v1/purchase-orders/import").then()
                .statusCode(200);
        String link = createOrderWithLink(tenant.apiKey(), uniqueReference(), email); // the 102nd

        String first = list(link, "");
        String second = list(link, "?page=1");
        int onFirst = count(first);
        int onSecond = count(second);
        assertEquals(100, onFirst, "a page holds 100");
        assertEquals(2, onSecond, "the rest on the next");
        assertTrue(first.contains("id=\"next\"") && first.contains("/orders?page=1"), "a way on");
        assertFalse(first.contains("id=\"previous\""));
        assertTrue(second.contains("id=\"previous\"") && !second.contains("id=\"next\""), "a way back");
        for (int i = 1; i <= 101; i++) {
            String ref = prefix + "-" + i;
            assertTrue(first.contains("/orders/" + ref + "\"") ^ second.contains("/orders/" + ref + "\""),
                    ref + " on exactly one page");
        }
        // an address with a page that is no number shows the first page
        assertEquals(100, count(list(link, "?page=x")));
        assertEquals(100, count(list(link, "?page=-1")));
        for (String past : List.of("?page=2", "?page=99999", "?page=123456789012")) {
            String page = list(link, past);
            assertEquals(0, count(page), past);
            assertTrue(page.contains("Hier gibt es keine weiteren offenen Bestellungen."), past + ": " + page);
            assertTrue(page.contains("/orders?page=1\" id=\"last-page\""), "leads to the last page: " + page);
            assertFalse(page.contains("Keine offenen Bestellungen.") || page.contains("id=\"previous\""), page);
        }
    }

    private static int count(String page) {
        Matcher m = ROW.matcher(page);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
