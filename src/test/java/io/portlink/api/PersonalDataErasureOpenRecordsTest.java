package io.portlink.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.dropship.DropshipConnection;
import io.portlink.dropship.SalesOrderFixtures;
import io.portlink.organization.PersonalDataErasure;
import io.portlink.organization.PersonalDataErasures;
import io.portlink.shipment.Shipment;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentInput;
import io.portlink.shipment.Shipments;
import io.portlink.testing.Fixtures;
import io.portlink.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * An erasure whose person is still to receive goods: a purchase order that names them as consignee and is not closed, a
 * shipment to them not delivered, a sales order to them not shipped (and, on a supplier's side, a dropshipment).
 * Erasing their address would send the goods nowhere, so the erasure answers 409 naming every such record, erases
 * nothing and writes no audit row; once the records are delivered, shipped or cancelled, the same request erases them;
 * with {@code "includeOpen": true} it erases them at once.
 */
@QuarkusTest
class PersonalDataErasureOpenRecordsTest {

    @Inject
    Fixtures fixtures;

    @Inject
    SalesOrderFixtures so;

    @Inject
    Shipments shipments;

    @Inject
    TestClock clock;

    String email;
    String phone;

    @BeforeEach
    void person() {
        clock.set(Instant.parse("2026-06-01T09:00:00Z"));
        String id = UUID.randomUUID().toString().substring(0, 8);
        email = "kim-" + id + "@person.example";
        phone = "+44 7700 9" + id.chars().map(c -> '0' + c % 10).limit(5).collect(StringBuilder::new,
                StringBuilder::appendCodePoint, StringBuilder::append);
    }

    private static ValidatableResponse erase(String key, Map<String, Object> body) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(body)
                .post("/api/v1/personal-data/erasures").then();
    }

    private static long audits(long organizationId) {
        return QuarkusTransaction.requiringNew()
                .call(() -> PersonalDataErasure.count("organizationId", organizationId));
    }

    @Test
    void recordsStillToBeDeliveredRefuseTheErasureNameEachAndLoseNothingUntilTheyClose() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        var supplier = so.supplier(t.id(), "Mugs Direct", DropshipConnection.Status.ACTIVE, false, true);
        so.product(t.id(), "MUG-1", supplier, "MD-MUG");
        // a purchase order delivered to the person (consignee), not confirmed yet
        String po = Fixtures.uniqueReference();
        Map<String, Object> order = new HashMap<>(Fixtures.order(po, "sales@vendor.example"));
        order.put("consignee", Map.of("name", "Kim Person", "email", email, "phone", phone));
        Fixtures.post(t.apiKey(), order).statusCode(201);
        // a shipment to them on its way
        long shipment = shipments.create(t.id(),
                new ShipmentInput(Fixtures.uniqueReference(), "Sofa for Kim",
                        new ShipmentInput.CustomerInput("Kim Person", email, phone, "en"), "Warehouse 4, Leeds",
                        "12 Home Street, York", null),
                ShipmentActor.system()).id();
        String shipmentRef = QuarkusTransaction.requiringNew()
                .call(() -> Shipment.<Shipment> findById(shipment).reference);
        // a sales order to their phone, routed to the supplier: found by the phone the other records carry
        String sales = "SO-" + t.id();
        SalesOrderFixtures.post(t.apiKey(),
                Map.of("reference", sales, "shipTo",
                        Map.of("name", "Kim Person", "address", "12 Home Street\nYork", "phone", phone), "lines",
                        List.of(SalesOrderFixtures.line("MUG-1", 1, "4.50"))))
                .statusCode(201);
        given().header("Authorization", "Bearer " + t.apiKey()).post("/api/v1/sales-orders/" + sales + "/route").then()
                .statusCode(200);

        erase(t.apiKey(), Map.of("email", email)).statusCode(409).body("detail", containsString("nothing was erased"))
                .body("detail", containsString("purchase order " + po + ", Pending"))
                .body("detail", containsString("shipment " + shipmentRef + ", "))
                .body("detail", containsString("sales order " + sales + ", Routed"))
                .body("detail", containsString("\"includeOpen\": true")).body("errors", hasSize(3))
                .body("errors.field", everyItem(equalTo("open")));
        // nothing changed: every address is still there, and no erasure is recorded
        given().header("Authorization", "Bearer " + t.apiKey()).get("/api/v1/purchase-orders/" + po).then()
                .statusCode(200).body("consignee.email", equalTo(email));
        given().header("Authorization", "Bearer " + t.apiKey()).get("/api/v1/shipments/" + shipmentRef).then()
                .statusCode(200).body("customer.phone", equalTo(phone)).body("shipTo", equalTo("12 Home Street, York"));
        given().header("Authorization", "Bearer " + t.apiKey()).get("/api/v1/sales-orders/" + sales).then()
                .statusCode(200).body("shipToAddress", equalTo("12 Home Street\nYork"));
        assertEquals(0, audits(t.id()));

        // the order is cancelled, the shipment delivered, the sales order still to ship: only that one is named
        given().header("Authorization", "Bearer " + t.apiKey()).contentType(ContentType.JSON)
                .body(Map.of("reason", "customer moved")).post("/api/v1/purchase-orders/" + po + "/cancel").then()
                .statusCode(200);
        QuarkusTransaction.requiringNew()
                .run(() -> Shipment.<Shipment> findById(shipment).deliveredAt = Instant.parse("2026-05-31T10:00:00Z"));
        erase(t.apiKey(), Map.of("phone", phone)).statusCode(409).body("errors", hasSize(1)).body("errors[0].message",
                equalTo("sales order " + sales + " is Routed: not delivered yet"));

        given().header("Authorization", "Bearer " + t.apiKey()).contentType(ContentType.JSON)
                .body(Map.of("reason", "customer asked")).post("/api/v1/sales-orders/" + sales + "/cancel").then()
                .statusCode(200);
        erase(t.apiKey(), Map.of("email", email)).statusCode(201).body("erased.orderConsignees", equalTo(1))
                .body("erased.shipmentCustomers", equalTo(1)).body("erased.salesOrderShipTos", equalTo(1));
        given().header("Authorization", "Bearer " + t.apiKey()).get("/api/v1/sales-orders/" + sales).then()
                .statusCode(200).body("shipToAddress", equalTo(PersonalDataErasures.ERASED));
        assertEquals(1, audits(t.id()));
    }

    @Test
    void includeOpenErasesRecordsStillToBeDeliveredAtOnce() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        long shipment = shipments.create(t.id(),
                new ShipmentInput(Fixtures.uniqueReference(), "Sofa for Kim",
                        new ShipmentInput.CustomerInput("Kim Person", email, phone, "en"), "Warehouse 4, Leeds",
                        "12 Home Street, York", null),
                ShipmentActor.system()).id();
        // the flag is a JSON boolean: a text is refused, not read as yes or no
        erase(t.apiKey(), Map.of("email", email, "includeOpen", "true")).statusCode(422).body("errors[0].field",
                equalTo("includeOpen"));
        erase(t.apiKey(), Map.of("email", email, "includeOpen", false)).statusCode(409);
        erase(t.apiKey(), Map.of("email", email, "includeOpen", true)).statusCode(201).body("erased.shipmentCustomers",
                equalTo(1));
        assertEquals(null,
                QuarkusTransaction.requiringNew().call(() -> Shipment.<Shipment> findById(shipment).customerEmail));
    }

    /** The answer stays readable for a person with many open records: twenty named, then how many more. */
    @Test
    void manyOpenRecordsAreNamedUpToTwentyAndCounted() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        for (int i = 0; i < 23; i++) {
            shipments.create(t.id(),
                    new ShipmentInput(Fixtures.uniqueReference(), "Box " + i,
                            new ShipmentInput.CustomerInput("Kim Person", email, phone, "en"), "Warehouse 4, Leeds",
                            "12 Home Street, York", null),
                    ShipmentActor.system());
        }
        erase(t.apiKey(), Map.of("email", email)).statusCode(409).body("errors", hasSize(20))
                .body("detail", containsString("deliver 23 records in progress"))
                .body("detail", containsString("; and 3 more). Erase again"));
    }

    @Test
    void aSupplierErasingTheCustomerOfADropshipmentItHasNotShippedIsToldSo() {
        Fixtures.Tenant merchant = fixtures.tenant("GB");
        Fixtures.Tenant supplierOrg = fixtures.tenant("GB");
        var supplier = so.supplier(merchant.id(), supplierOrg, "Mugs Direct", DropshipConnection.Status.ACTIVE, false,
                true);
        so.product(merchant.id(), "MUG-1", supplier, "MD-MUG");
        String sales = "SO-" + merchant.id();
        SalesOrderFixtures.post(merchant.apiKey(),
                Map.of("reference", sales, "shipTo",
                        Map.of("name", "Kim Person", "address", "12 Home Street\nYork", "phone", phone), "lines",
                        List.of(SalesOrderFixtures.line("MUG-1", 2, "4.50"))))
                .statusCode(201);
        given().header("Authorization", "Bearer " + merchant.apiKey()).post("/api/v1/sales-orders/" + sales + "/route")
                .then().statusCode(200);
        so.send(sales + "-1", supplierOrg.id());

        erase(supplierOrg.apiKey(), Map.of("phone", phone)).statusCode(409).body("errors[0].message",
                equalTo("dropshipment " + sales + "-1 is Open: not delivered yet"));
        assertEquals("12 Home Street\nYork", so.dropshipment(supplierOrg.id(), sales + "-1").shipToAddress);

        so.ship(sales + "-1", supplierOrg.id());
        erase(supplierOrg.apiKey(), Map.of("phone", phone)).statusCode(201).body("erased.dropshipmentShipTos",
                equalTo(1));
        assertEquals(PersonalDataErasures.ERASED, so.dropshipment(supplierOrg.id(), sales + "-1").shipToAddress);
    }
}
