package io.portlink.purchasing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.link.AccessLink;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.timeline.TimelineEntry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * Imports larger than one write chunk ({@link OrderBulkWriter#CHUNK} orders): every order, line, timeline entry and
 * link is written once, in file order; a problem anywhere (also in the last row) leaves nothing written; the same file
 * again changes nothing.
 */
@QuarkusTest
class BulkImportTest {

    static final String HEADER = "reference,vendor_name,vendor_email,delivery_address,sku,description,quantity,unit,"
            + "unit_price,currency\n";

    @Inject
    Fixtures fixtures;

    static ValidatableResponse importCsv(Fixtures.Tenant tenant, String csv) {
        return given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv; charset=UTF-8")
                .body(csv.getBytes(StandardCharsets.UTF_8)).post("/api/v1/purchase-orders/import").then();
    }

    /** {@code orders} orders of two lines each (the second line far below the first), over 7 vendors. */
    static String file(String prefix, int orders) {
        StringBuilder first = new StringBuilder(HEADER);
        StringBuilder second = new StringBuilder();
        for (int o = 1; o <= orders; o++) {
            String vendor = "Vendor " + (o % 7) + "," + (o % 2 == 0 ? "orders" + (o % 7) + "@bulk.example" : "");
            String ref = prefix + "-" + o;
            String address = "\"Unit " + o + ",\tDock\nBristol \\ BS1\"";
            first.append(ref).append(',').append(vendor).append(',').append(address).append(",S-").append(o)
                    .append(",first line,").append(o).append(",pcs,1.25,EUR\n");
            second.append(ref).append(',').append(vendor).append(',').append(address)
                    .append(",,second line,2.5,kg,,\n");
        }
        return first.append(second).toString();
    }

    static long count(Class<? extends io.quarkus.hibernate.orm.panache.PanacheEntityBase> type, String query,
            Object... params) {
        return QuarkusTransaction.requiringNew().call(() -> switch (type.getSimpleName()) {
        case "PurchaseOrder" -> PurchaseOrder.count(query, params);
        case "OrderLine" -> OrderLine.count(query, params);
        case "TimelineEntry" -> TimelineEntry.count(query, params);
        case "AccessLink" -> AccessLink.count(query, params);
        default -> throw new IllegalArgumentException(type.getName());
        });
    }

    @Test
    void aFileOfSeveralChunksIsWrittenWholeAndAgainChangesNothing() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String prefix = "B" + UUID.randomUUID().toString().substring(0, 6);
        int orders = OrderBulkWriter.CHUNK + 250;
        String csv = file(prefix, orders);
        var answer = importCsv(tenant, csv).statusCode(200).body("created", equalTo(orders))
                .body("unchanged", equalTo(0)).body("orders", hasSize(orders)).extract();
        assertEquals(prefix + "-1", answer.path("orders[0].reference"));
        assertEquals(prefix + "-" + orders, answer.path("orders[" + (orders - 1) + "].reference"));

        assertEquals(orders, count(PurchaseOrder.class, "organization.id = ?1", tenant.id()));
        assertEquals(2L * orders, count(OrderLine.class, "order.organization.id = ?1", tenant.id()));
        assertEquals(orders, count(TimelineEntry.class,
                "organizationId = ?1 and kind = 'IMPORTED' and detail = '2 lines'", tenant.id()));
        assertEquals(orders, count(AccessLink.class, "organization.id = ?1", tenant.id()));
        QuarkusTransaction.requiringNew().run(() -> {
            // the last order of the file, past the first chunk: its lines in file order, the text as it was
            PurchaseOrder last = PurchaseOrder.findByReference(tenant.id(), prefix + "-" + orders).orElseThrow();
            assertEquals(OrderStatus.PENDING, last.status);
            assertEquals("Unit " + orders + ",\tDock\nBristol \\ BS1", last.deliveryAddress);
            assertEquals(List.of("first line", "second line"), last.lines.stream().map(l -> l.description).toList());
            assertEquals(0, new BigDecimal(orders).compareTo(last.lines.get(0).quantity));
            assertEquals(0, new BigDecimal("2.5").compareTo(last.lines.get(1).quantity));
            assertEquals(null, last.lines.get(1).unitPrice);
            assertEquals(1, last.revision);
            assertEquals(7L, Vendor.count("organization.id = ?1", tenant.id()));
        });

        // the link of an order of the second chunk opens its page
        String url = answer.path("orders[" + (orders - 3) + "].vendorLink.url");
        var vendor = new PortalClient(URI.create(url).getPath());
        vendor.open("").then().statusCode(200);
        assertTrue(vendor.lastPage().contains(prefix + "-" + (orders - 2)), "the order's page");

        importCsv(tenant, csv).statusCode(200).body("created", equalTo(0)).body("unchanged", equalTo(orders));
        assertEquals(orders, count(PurchaseOrder.class, "organization.id = ?1", tenant.id()));
        assertEquals(orders, count(AccessLink.class, "organization.id = ?1", tenant.id()));
        assertEquals(2L * orders, count(OrderLine.class, "order.organization.id = ?1", tenant.id()));
    }

    @Test
    void aProblemInTheLastRowOfABigFileLeavesNothingWritten() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String prefix = "L" + UUID.randomUUID().toString().substring(0, 6);
        int orders = OrderBulkWriter.CHUNK + 10;
        String csv = file(prefix, orders) + prefix + "-" + orders + ",Another Vendor,,,S-X,,1,pcs,,\n";
        importCsv(tenant, csv).statusCode(422).body("errors[0].row", equalTo(2 * orders + 2)).body("errors[0].column",
                equalTo("vendor_name"));
        assertEquals(0, count(PurchaseOrder.class, "organization.id = ?1", tenant.id()));
        assertEquals(0,
                QuarkusTransaction.requiringNew().call(() -> Vendor.count("organization.id = ?1", tenant.id())));
    }

    @Test
    void newOrdersWithOneChangedOrderAtTheEndWriteNothing() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String prefix = "D" + UUID.randomUUID().toString().substring(0, 6);
        importCsv(tenant, HEADER + prefix + "-OLD,Old Vendor,,,S1,,1,pcs,,\n").statusCode(200);
        int orders = OrderBulkWriter.CHUNK + 10;
        // the old order again, unchanged, first; then new orders; then the old one with another quantity
        String same = HEADER + prefix + "-OLD,Old Vendor,,,S1,,1,pcs,,\n"
                + file(prefix, orders).substring(HEADER.length());
        importCsv(tenant, same).statusCode(200).body("created", equalTo(orders)).body("unchanged", equalTo(1));
        assertEquals(orders + 1, count(PurchaseOrder.class, "organization.id = ?1", tenant.id()));

        String changed = file(prefix + "N", orders) + prefix + "-OLD,Old Vendor,,,S1,,3,pcs,,\n";
        importCsv(tenant, changed).statusCode(422).body("errors[0].message",
                startsWith("order " + prefix + "-OLD already exists with different content"));
        assertEquals(orders + 1, count(PurchaseOrder.class, "organization.id = ?1", tenant.id()));
        assertEquals(orders + 1, count(AccessLink.class, "organization.id = ?1", tenant.id()));
    }

    @Test
    void pastTwoHundredProblemsTheAnswerSaysHowManyMore() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        StringBuilder csv = new StringBuilder(HEADER);
        for (int o = 1; o <= 260; o++) {
            // every row wrong once; row 262, after the cap, twice
            csv.append("C-").append(o).append(",Vendor,,,S1,,").append(o % 2 == 0 ? "x" : "-1").append(",pcs,,\n");
        }
        csv.append("C-261,Vendor,not-an-address,,S1,,x,pcs,,\n");
        importCsv(tenant, csv.toString()).statusCode(422).body("errors", hasSize(201)).body("errors[0].row", equalTo(2))
                .body("errors[199].row", equalTo(201)).body("errors[200].field", equalTo("file"))
                .body("errors[200].message", startsWith("has 62 more problems not listed here (262 in all)"));
        assertEquals(0, count(PurchaseOrder.class, "organization.id = ?1", tenant.id()));
    }
}
