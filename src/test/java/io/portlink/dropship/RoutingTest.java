package io.portlink.dropship;

import static io.portlink.dropship.SalesOrderFixtures.line;
import static io.portlink.dropship.SalesOrderFixtures.order;
import static io.portlink.dropship.SalesOrderFixtures.post;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.portlink.testing.Databases;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Races;
import io.portlink.timeline.Actor;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Routing: one dropshipment per supplier with only that supplier's lines and only the fields its connection passes;
 * lines without a connected supplier stay with the merchant; routing again (also two at the same moment) never
 * duplicates; the automatic rule routes orders as they arrive.
 */
@QuarkusTest
class RoutingTest {

    @Inject
    Fixtures fixtures;

    @Inject
    SalesOrderFixtures so;

    @Inject
    SalesOrderSettings settings;

    @Inject
    Routing routing;

    @Inject
    AgroalDataSource dataSource;

    Fixtures.Tenant merchant;
    SalesOrderFixtures.Supplier plain;
    SalesOrderFixtures.Supplier open;

    @BeforeEach
    void catalogue() {
        merchant = fixtures.tenant("GB");
        plain = so.supplier(merchant.id(), "Mugs Direct", DropshipConnection.Status.ACTIVE, false, false);
        open = so.supplier(merchant.id(), "Caps & Co", DropshipConnection.Status.ACTIVE, true, true);
        so.product(merchant.id(), "MUG-1", plain, "MD-MUG");
        so.product(merchant.id(), "MUG-2", plain, "MD-MUG2");
        so.product(merchant.id(), "CAP-1", open, "CC-77");
        so.product(merchant.id(), "BOOK-1", null, null);
    }

    @Test
    void anOrderOfTwoSuppliersBecomesOneDropshipmentEachWithOnlyTheirLinesAndPassedFields() {
        post(merchant.apiKey(), order("SO-2001", List.of(line("MUG-1", 2, "4.50"), line("CAP-1", 1, "9.99"),
                line("BOOK-1", 1, "12.00"), line("MUG-2", 3, "5.00")))).statusCode(201);
        route("SO-2001").statusCode(200).body("routed", hasSize(2)).body("routed[0].reference", equalTo("SO-2001-1"))
                .body("routed[0].supplierName", equalTo("Mugs Direct")).body("routed[0].lines", equalTo(2))
                .body("routed[1].reference", equalTo("SO-2001-2")).body("kept", hasSize(1))
                .body("kept[0].sku", equalTo("BOOK-1")).body("kept[0].reason", containsString("stays with you"))
                .body("status", equalTo("ROUTED"));

        Dropshipment mugs = so.dropshipment(plain.tenant().id(), "SO-2001-1");
        assertEquals(Dropshipment.Status.ROUTED, mugs.status);
        assertNull(mugs.sentAt, "waits for the merchant's sync");
        assertEquals("Cara Customer", mugs.shipToName);
        assertEquals("1 High Street\nLeeds LS1 1AA", mugs.shipToAddress);
        assertEquals("Express", mugs.shippingMethod);
        assertNull(mugs.note, "the internal note is not passed without passNotes");
        var mugLines = so.lines(mugs.id);
        assertEquals(List.of("MUG-1", "MUG-2"), mugLines.stream().map(l -> l.sku).toList());
        assertEquals(List.of("MD-MUG", "MD-MUG2"), mugLines.stream().map(l -> l.supplierSku).toList());
        assertEquals(List.of(2, 3), mugLines.stream().map(l -> l.quantity).toList());
        assertTrue(mugLines.stream().allMatch(l -> l.unitPrice == null), "prices are not passed without passPrices");

        Dropshipment caps = so.dropshipment(open.tenant().id(), "SO-2001-2");
        assertEquals("margin 40%, VIP customer", caps.note, "this connection passes notes");
        var capLines = so.lines(caps.id);
        assertEquals(1, capLines.size());
        assertEquals(0, new java.math.BigDecimal("9.99").compareTo(capLines.get(0).unitPrice));
        assertEquals("Item CAP-1", capLines.get(0).description);

        given().header("Authorization", "Bearer " + merchant.apiKey()).get("/api/v1/sales-orders/SO-2001").then()
                .body("lines[2].routedTo", equalTo(null)).body("lines[0].routedTo", equalTo("SO-2001-1"))
                .body("dropshipments", hasSize(2)).body("timeline[0].kind", equalTo("ROUTED"));
    }

    /** An order line without a description reaches the supplier named as the merchant's catalogue names it. */
    @Test
    void aLineWithoutADescriptionReachesTheSupplierWithTheProductsName() {
        post(merchant.apiKey(),
                order("SO-2099", List.of(java.util.Map.of("sku", "MUG-1", "quantity", 1),
                        java.util.Map.of("sku", "MUG-2", "description", "Mug, as the shop names it", "quantity", 2))))
                                .statusCode(201);
        route("SO-2099").statusCode(200);
        var lines = so.lines(so.dropshipment(plain.tenant().id(), "SO-2099-1").id);
        assertEquals(List.of("Product MUG-1", "Mug, as the shop names it"),
                lines.stream().map(l -> l.description).toList());
        // the merchant's own order reads the same name, for a line kept with the merchant too
        post(merchant.apiKey(), order("SO-2098", List.of(java.util.Map.of("sku", "BOOK-1", "quantity", 1))))
                .statusCode(201);
        given().header("Authorization", "Bearer " + merchant.apiKey()).get("/api/v1/sales-orders/SO-2099").then()
                .body("lines.description", equalTo(List.of("Product MUG-1", "Mug, as the shop names it")));
        given().header("Authorization", "Bearer " + merchant.apiKey()).get("/api/v1/sales-orders/SO-2098").then()
                .body("lines[0].description", equalTo("Product BOOK-1"));
    }

    @Test
    void routingAgainRoutesNothingTwice() {
        post(merchant.apiKey(), order("SO-2002", List.of(line("MUG-1", 1, "1"), line("CAP-1", 1, "1"))))
                .statusCode(201);
        route("SO-2002").statusCode(200).body("routed", hasSize(2));
        route("SO-2002").statusCode(200).body("routed", hasSize(0)).body("status", equalTo("ROUTED"));
        assertEquals(2, so.dropshipmentCount(merchant.id()));
        assertEquals(2, so.dropshipmentLineCount(merchant.id()));
    }

    @Test
    void aSupplierNotConnectedKeepsItsLinesUntilRoutedAgain() {
        var invited = so.supplier(merchant.id(), "Pending Ltd", DropshipConnection.Status.DISCONNECTED, false, false);
        so.product(merchant.id(), "PEN-1", invited, "P-1");
        post(merchant.apiKey(), order("SO-2003", List.of(line("PEN-1", 1, "1"), line("MUG-1", 1, "1"))))
                .statusCode(201);
        route("SO-2003").statusCode(200).body("routed", hasSize(1)).body("kept[0].sku", equalTo("PEN-1"))
                .body("kept[0].reason", containsString("Pending Ltd is not connected")).body("status", equalTo("OPEN"));
    }

    @Test
    void theRuleRoutesNewOrdersAsTheyArriveAndTheBatchRoutesTheRest() {
        post(merchant.apiKey(), order("SO-2004", List.of(line("MUG-1", 1, "1")))).statusCode(201).body("routing",
                equalTo(null));
        settings.setAutoRoute(merchant.id(), true);
        post(merchant.apiKey(), order("SO-2005", List.of(line("MUG-1", 1, "1"), line("CAP-1", 2, "1")))).statusCode(201)
                .body("status", equalTo("ROUTED")).body("routing.routed", hasSize(2));
        given().header("Authorization", "Bearer " + merchant.apiKey()).contentType("text/csv")
                .body("reference,ship_to_name,ship_to_address,sku,quantity\nSO-2006,Ann,1 Road,CAP-1,1\n")
                .post("/api/v1/sales-orders/import").then().statusCode(200).body("routed", equalTo(1));
        assertEquals(SalesOrder.Status.OPEN.name(), given().header("Authorization", "Bearer " + merchant.apiKey())
                .get("/api/v1/sales-orders/SO-2004").then().extract().path("status"));
        given().header("Authorization", "Bearer " + merchant.apiKey()).post("/api/v1/sales-orders/route").then()
                .statusCode(200).body("orders", equalTo(1)).body("routed", equalTo(1));
        assertNotNullDropshipment("SO-2004-1");
        assertNotNullDropshipment("SO-2006-1");
    }

    @Test
    void twoRoutingsAtOnceMakeOneSetOfDropshipments() throws Exception {
        Databases.assumePostgres(dataSource, "row locks between real transactions");
        post(merchant.apiKey(), order("SO-2007", List.of(line("MUG-1", 1, "1"), line("CAP-1", 1, "1"))))
                .statusCode(201);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            var results = Races.together(pool,
                    () -> routing.route(merchant.id(), "SO-2007", Actor.system()).orElseThrow(),
                    () -> routing.route(merchant.id(), "SO-2007", Actor.system()).orElseThrow(),
                    () -> routing.routeOpen(merchant.id(), 100, Actor.system()).orders(),
                    () -> routing.route(merchant.id(), "SO-2007", Actor.system()).orElseThrow());
            long made = results.stream().filter(r -> r instanceof Routing.Result rr && !rr.routed().isEmpty()).count()
                    + (((Integer) results.get(2)) > 0 ? 1 : 0);
            assertTrue(made >= 1);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, so.dropshipmentCount(merchant.id()), "one dropshipment per supplier, once");
        assertEquals(2, so.dropshipmentLineCount(merchant.id()));
    }

    private void assertNotNullDropshipment(String reference) {
        assertTrue(so.dropshipment(plain.tenant().id(), reference) != null
                || so.dropshipment(open.tenant().id(), reference) != null, reference + " exists");
    }

    @Test
    void anotherMerchantsOrderOfTheSameReferenceAtTheSameSupplierNeverStopsRouting() {
        // merchant C of the same supplier routes "SO-DUP" first; the supplier's references must stay unique
        Fixtures.Tenant other = fixtures.tenant("GB");
        var sameSupplier = so.supplier(other.id(), plain.tenant(), "Mugs Direct", DropshipConnection.Status.ACTIVE,
                false, false);
        so.product(other.id(), "MUG-1", sameSupplier, "MD-MUG");
        String reference = "SO-DUP-" + merchant.id();
        post(other.apiKey(), order(reference, List.of(line("MUG-1", 1, "1")))).statusCode(201);
        given().header("Authorization", "Bearer " + other.apiKey()).post("/api/v1/sales-orders/" + reference + "/route")
                .then().statusCode(200).body("routed[0].reference", equalTo(reference + "-1"));

        post(merchant.apiKey(), order(reference, List.of(line("MUG-1", 2, "1"), line("CAP-1", 1, "1"))))
                .statusCode(201);
        route(reference).statusCode(200).body("routed", hasSize(2)).body("status", equalTo("ROUTED"))
                .body("routed.reference", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(reference + "-1")));
        assertEquals(2, so.dropshipmentCount(merchant.id()));
        // and the batch routing of a merchant with such an order goes on with the others
        post(merchant.apiKey(), order(reference + "-B", List.of(line("MUG-1", 1, "1")))).statusCode(201);
        given().header("Authorization", "Bearer " + merchant.apiKey()).post("/api/v1/sales-orders/route").then()
                .statusCode(200);
        assertEquals(3, so.dropshipmentCount(merchant.id()));
    }

    /**
     * Two merchants of one supplier route orders of the same reference at the same moment: the second's insert waits on
     * the first's reference, finds it taken when the first commits, and its routing runs again with the next number
     * instead of failing.
     */
    @Test
    void twoMerchantsRoutingTheSameReferenceToOneSupplierAtOnceBothEndRouted() throws Exception {
        Databases.assumePostgres(dataSource, "an entry of a unique index waited on between real transactions");
        Fixtures.Tenant other = fixtures.tenant("GB");
        var sameSupplier = so.supplier(other.id(), plain.tenant(), "Mugs Direct", DropshipConnection.Status.ACTIVE,
                false, false);
        so.product(other.id(), "MUG-1", sameSupplier, "MD-MUG");
        String reference = "SO-RACE-" + merchant.id();
        post(other.apiKey(), order(reference, List.of(line("MUG-1", 1, "1")))).statusCode(201);
        post(merchant.apiKey(), order(reference, List.of(line("MUG-1", 2, "1")))).statusCode(201);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Routing.Result second;
        try {
            second = Databases.afterWaitingOn(dataSource, pool, () -> {
                routing.route(other.id(), reference, Actor.system()).orElseThrow();
                Dropshipment.getEntityManager().flush(); // its reference in the index, not committed
            }, () -> routing.route(merchant.id(), reference, Actor.system()).orElseThrow());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(reference + "-2"), second.routed().stream().map(Routing.Routed::reference).toList());
        assertEquals(SalesOrder.Status.ROUTED, second.status());
        assertTrue(so.dropshipment(plain.tenant().id(), reference + "-1") != null, "the first kept its number");
        assertEquals(1, so.dropshipmentCount(merchant.id()));
    }

    private io.restassured.response.ValidatableResponse route(String reference) {
        return given().header("Authorization", "Bearer " + merchant.apiKey())
                .post("/api/v1/sales-orders/" + reference + "/route").then();
    }
}
