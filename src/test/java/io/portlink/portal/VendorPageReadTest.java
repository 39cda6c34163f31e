package io.portlink.portal;

import static io.portlink.testing.Fixtures.uniqueReference;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.fulfilment.FulfilmentStatus;
import io.portlink.fulfilment.OrderFulfilment;
import io.portlink.purchasing.VendorDesk;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.SqlStatements;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What the vendor's order page reads ({@link VendorPages#open}): the order, its shipped quantities and its shipments,
 * in a number of SQL statements that stays the same however many shipments and lines the order has (the page is the
 * busiest of the service). H2 and PostgreSQL.
 */
@QuarkusTest
class VendorPageReadTest {

    @Inject
    Fixtures fixtures;

    @Inject
    VendorPages pages;

    @Inject
    TestClock clock;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
    }

    /** A two-line order (100 bolts, 8 racks); its link path. */
    private String order(String reference) {
        Map<String, Object> body = Map.of("reference", reference, "vendor",
                Map.of("name", "Read Model Ltd", "email", "read-" + reference.toLowerCase() + "@vendor.example"),
                "deliveryAddress", "1 Dock Road\nLondon", "requestedDate", "2026-07-01", "lines",
                List.of(Map.of("sku", "BOLT-8", "description", "Hex bolt M8", "quantity", "100", "unit", "pcs",
                        "unitPrice", "0.12", "currency", "GBP"),
                        Map.of("sku", "PAL-1", "description", "Pallet rack", "quantity", "8", "unit", "pcs",
                                "unitPrice", "950.00", "currency", "GBP")));
        String url = Fixtures.post(tenant.apiKey(), body).statusCode(201).extract().path("vendorLink.url");
        return url.substring(url.indexOf("/v/"));
    }

    /** Ships from the page the client opens now (the ship form's nonce and version). */
    private void ship(PortalClient vendor, String reference, String bolts, String racks, String tracking) {
        vendor.open("/orders/" + reference);
        Map<String, String> hidden = vendor.hidden("ship");
        given().redirects().follow(false).header("User-Agent", PortalClient.BROWSER)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8").formParam("nonce", hidden.get("nonce"))
                .formParam("version", hidden.get("version")).formParam("line", "1", "2")
                .formParam("quantity", bolts, racks).formParam("carrier", "DHL").formParam("trackingNumber", tracking)
                .formParam("shipDate", LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).toString())
                .post(vendor.link() + "/orders/" + reference + "/ship").then().statusCode(303);
    }

    private SqlStatements.Counted<VendorPages.Loaded> open(String link) {
        String token = link.substring("/v/".length());
        return SqlStatements.count(() -> pages.open(token, null, false));
    }

    @Test
    void shippedQuantitiesAndShipmentsInAConstantNumberOfStatements() {
        String ref = uniqueReference();
        String link = order(ref);
        PortalClient vendor = new PortalClient(link);

        var fresh = open(link);
        assertInstanceOf(VendorDesk.Shown.class, fresh.result().access());
        assertEquals(FulfilmentStatus.NOT_SHIPPED, fresh.result().fulfilment().status());
        assertTrue(fresh.result().fulfilment().shipments().isEmpty());

        ship(vendor, ref, "40", "0", "RM0001");
        var once = open(link);
        ship(vendor, ref, "10", "3", "RM0002");
        var twice = open(link);

        OrderFulfilment f = twice.result().fulfilment();
        assertEquals(FulfilmentStatus.PARTIALLY_SHIPPED, f.status());
        assertEquals(List.of("50", "3"), f.lines().stream().map(OrderFulfilment.LineView::shipped).toList());
        assertEquals(List.of("50", "5"), f.lines().stream().map(OrderFulfilment.LineView::remaining).toList());
        assertEquals(List.of("RM0001", "RM0002"),
                f.shipments().stream().map(OrderFulfilment.ShipmentView::trackingNumber).toList());
        assertEquals(List.of("40"), f.shipments().get(0).lines().stream().map(l -> l.quantity()).toList(),
                "a line shipped with 0 is not part of the shipment");
        assertEquals(List.of("10", "3"), f.shipments().get(1).lines().stream().map(l -> l.quantity()).toList());
        assertEquals(io.portlink.shipment.Milestone.DISPATCHED, f.shipments().get(1).milestone(),
                "the stage comes along");

        assertEquals(once.statements(), twice.statements(),
                "one shipment more, no statement more (" + twice.statements() + ")");
        assertTrue(twice.statements() <= 7, "the page reads in at most 7 statements, not " + twice.statements());
    }
}
