package io.portlink.dropship;

import static io.portlink.testing.StaffClient.postForm;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The merchant's catalogue and "dropship from": products idempotent by SKU, the supplier's product created or linked,
 * the warehouse named after the supplier, links made at acceptance, the mark removed, and nothing of another
 * organisation reachable.
 */
@QuarkusTest
class DropshipSourcesTest {

    @Inject
    Fixtures fixtures;

    @Inject
    CatalogueFixtures catalogue;

    @Inject
    Connections connections;

    Fixtures.Tenant merchant;
    Fixtures.Tenant supplier;

    @BeforeEach
    void merchantAndSupplier() {
        merchant = fixtures.tenant("GB");
        supplier = fixtures.tenant("GB");
    }

    private static RequestSpecification api(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    private void product(String sku, String name) {
        api(merchant.apiKey()).body(Map.of("sku", sku, "name", name)).post("/api/v1/products").then().statusCode(201);
    }

    @Test
    void productsAreIdempotentBySku() {
        product("LAMP-1", "Desk lamp");
        api(merchant.apiKey()).body(Map.of("sku", "LAMP-1", "name", "Desk lamp")).post("/api/v1/products").then()
                .statusCode(200).body("name", equalTo("Desk lamp"));
        api(merchant.apiKey()).body(Map.of("sku", "LAMP-1", "name", "Desk lamp, brass")).post("/api/v1/products").then()
                .statusCode(200).body("name", equalTo("Desk lamp, brass"));
        api(merchant.apiKey()).get("/api/v1/products?q=lamp").then().statusCode(200).body("products.sku",
                equalTo(java.util.List.of("LAMP-1")));
        api(merchant.apiKey()).body(Map.of("sku", "", "name", "x".repeat(301))).post("/api/v1/products").then()
                .statusCode(422).body("errors.field", hasItem("sku")).body("errors.field", hasItem("name"));
    }

    @Test
    void dropshipFromAnActiveSupplierCreatesItsProductAndTheWarehouse() {
        catalogue.connect(merchant, supplier, "Harbour Goods");
        product("MUG-1", "Blue mug");
        api(merchant.apiKey()).body(Map.of("supplier", "harbour goods", "supplierSku", "HG-77", "unitCost", 3.25))
                .put("/api/v1/products/MUG-1/dropship").then().statusCode(200)
                .body("supplierName", equalTo("Harbour Goods")).body("linked", equalTo(true));

        // the supplier's catalogue has the product, named as the merchant names it; no unit cost reaches it
        api(supplier.apiKey()).get("/api/v1/inventory").then().statusCode(200)
                .body("items.sku", equalTo(java.util.List.of("HG-77"))).body("items[0].name", equalTo("Blue mug"))
                .body(not(containsString("3.25")));
        api(merchant.apiKey()).get("/api/v1/warehouses").then().body("items.name", hasItem("Harbour Goods"));
        api(merchant.apiKey()).get("/api/v1/products/MUG-1").then().body("dropship.supplierSku", equalTo("HG-77"))
                .body("dropship.unitCost", equalTo("3.25"));

        // the same values again change nothing; a second product of the same supplier SKU links the same product
        api(merchant.apiKey()).body(Map.of("supplier", "Harbour Goods", "supplierSku", "HG-77", "unitCost", "3.250"))
                .put("/api/v1/products/MUG-1/dropship").then().statusCode(200);
        product("MUG-1-GIFT", "Blue mug, gift box");
        api(merchant.apiKey()).body(Map.of("supplier", "Harbour Goods", "supplierSku", "HG-77"))
                .put("/api/v1/products/MUG-1-GIFT/dropship").then().statusCode(200);
        assertEquals(catalogue.linkedSupplierProduct(merchant.id(), "MUG-1"),
                catalogue.linkedSupplierProduct(merchant.id(), "MUG-1-GIFT"));
        api(supplier.apiKey()).get("/api/v1/inventory").then().body("items.size()", equalTo(1));
        api(merchant.apiKey()).get("/api/v1/warehouses").then().body("items.size()", equalTo(1));
    }

    /**
     * A warehouse of the merchant's own that bears the supplier's name stays the merchant's: its stock is never
     * overwritten by the supplier's figures nor made read-only. The supplier's is another, named so.
     */
    @Test
    void theMerchantsOwnWarehouseOfTheSuppliersNameIsNeverTakenOver() {
        product("DX", "Delta box");
        int own = api(merchant.apiKey()).body(Map.of("name", "Delta Co")).post("/api/v1/warehouses").then()
                .statusCode(201).extract().path("id");
        api(merchant.apiKey()).body(Map.of("physicalOnHand", 777)).put("/api/v1/products/DX/stock/" + own).then()
                .statusCode(200);
        catalogue.connect(merchant, supplier, "delta  co");
        api(merchant.apiKey()).body(Map.of("supplier", "Delta Co", "supplierSku", "D-SUP"))
                .put("/api/v1/products/DX/dropship").then().statusCode(200).body("warehouseId", not(equalTo(own)));
        api(merchant.apiKey()).get("/api/v1/warehouses").then().body("items.name",
                org.hamcrest.Matchers.containsInAnyOrder("Delta Co", "delta co (dropship)"));
        // the own figure stays, and stays the merchant's to change
        api(merchant.apiKey()).body(Map.of("physicalOnHand", 778)).put("/api/v1/products/DX/stock/" + own).then()
                .statusCode(200);
        api(merchant.apiKey()).get("/api/v1/products/DX").then()
                .body("stock.find { it.warehouse == 'Delta Co' }.physicalOnHand", equalTo(778));
    }

    @Test
    void aSupplierSkuThatExistsIsLinkedAsItIs() {
        catalogue.connect(merchant, supplier, "Linked Co");
        api(supplier.apiKey()).body(Map.of("availableOnHand", 12, "name", "Supplier's own name"))
                .put("/api/v1/inventory/LC-1").then().statusCode(201);
        product("CHAIR", "Chair");
        api(merchant.apiKey()).body(Map.of("supplier", "Linked Co", "supplierSku", "LC-1"))
                .put("/api/v1/products/CHAIR/dropship").then().statusCode(200).body("linked", equalTo(true));
        api(supplier.apiKey()).get("/api/v1/inventory").then().body("items.size()", equalTo(1))
                .body("items[0].name", equalTo("Supplier's own name")).body("items[0].availableOnHand", equalTo(12));
        // the supplier's quantity reaches the merchant at its next sync, though the supplier changed nothing since
        api(merchant.apiKey()).post("/api/v1/sync/run").then().statusCode(200);
        api(merchant.apiKey()).get("/api/v1/products/CHAIR").then().body("stock.warehouse", hasItem("Linked Co"))
                .body("stock.physicalOnHand", hasItem(12));
    }

    @Test
    void anInvitedSupplierIsLinkedAtAcceptance() {
        String token = catalogue.invite(merchant, "Later Ltd", "later-" + merchant.id() + "@supplier.example");
        product("DESK", "Standing desk");
        // the warehouse exists at once; the supplier's product waits for the acceptance
        postForm(signIn(merchant.adminEmail(), Fixtures.PASSWORD), "/app/products",
                "/app/products/" + productId("DESK") + "/dropship", "supplier", "Later Ltd", "supplierSku", "LL-DESK",
                "unitCost", "").statusCode(303);
        assertNull(catalogue.linkedSupplierProduct(merchant.id(), "DESK"));
        api(merchant.apiKey()).get("/api/v1/products/DESK").then().body("dropship.linked", equalTo(false));
        api(merchant.apiKey()).get("/api/v1/warehouses").then().body("items.name", hasItem("Later Ltd"));

        // two more marks: one of the same supplier SKU, one of a SKU the supplier's catalogue already has
        product("DESK-WIDE", "Standing desk, wide");
        product("LAMP", "Desk lamp");
        api(supplier.apiKey()).body(Map.of("availableOnHand", 4, "name", "Supplier's lamp"))
                .put("/api/v1/inventory/LL-LAMP").then().statusCode(201);
        for (String[] mark : new String[][] { { "DESK-WIDE", "LL-DESK" }, { "LAMP", "LL-LAMP" } }) {
            api(merchant.apiKey()).body(Map.of("supplier", "Later Ltd", "supplierSku", mark[1]))
                    .put("/api/v1/products/" + mark[0] + "/dropship").then().statusCode(200)
                    .body("linked", equalTo(false));
        }

        connections.acceptExisting(token, supplier.id()).orElseThrow();
        assertNotNull(catalogue.linkedSupplierProduct(merchant.id(), "DESK"));
        assertEquals(catalogue.linkedSupplierProduct(merchant.id(), "DESK"),
                catalogue.linkedSupplierProduct(merchant.id(), "DESK-WIDE"), "one supplier product per supplier SKU");
        api(supplier.apiKey()).get("/api/v1/inventory").then().body("items.sku", contains("LL-DESK", "LL-LAMP"))
                .body("items[0].name", equalTo("Standing desk")).body("items[1].name", equalTo("Supplier's lamp"));
        api(merchant.apiKey()).get("/api/v1/products/LAMP").then().body("dropship.linked", equalTo(true));
    }

    private long productId(String sku) {
        return api(merchant.apiKey()).get("/api/v1/products?q=" + sku).then().extract()
                .<Integer> path("products.size()") == 1 ? idOf(sku) : -1;
    }

    private long idOf(String sku) {
        return io.quarkus.arc.Arc.container().instance(io.portlink.inventory.Catalogue.class).get()
                .product(merchant.id(), sku).orElseThrow().id();
    }

    @Test
    void removingTheMarkMakesItTheMerchantsOwnAgain() {
        catalogue.connect(merchant, supplier, "Gone Soon");
        product("VASE", "Vase");
        api(merchant.apiKey()).body(Map.of("supplier", "Gone Soon", "supplierSku", "GS-V"))
                .put("/api/v1/products/VASE/dropship").then().statusCode(200);
        api(merchant.apiKey()).delete("/api/v1/products/VASE/dropship").then().statusCode(204);
        api(merchant.apiKey()).get("/api/v1/products/VASE").then().body("dropship", nullValue());
        api(merchant.apiKey()).delete("/api/v1/products/VASE/dropship").then().statusCode(404);
        assertNull(catalogue.linkedSupplierProduct(merchant.id(), "VASE"));
    }

    @Test
    void physicalOnHandPerOwnWarehouse() {
        product("BOX", "Box");
        int warehouse = api(merchant.apiKey()).body(Map.of("name", "Main")).post("/api/v1/warehouses").then()
                .statusCode(201).extract().path("id");
        api(merchant.apiKey()).body(Map.of("name", "Main")).post("/api/v1/warehouses").then().statusCode(422);
        // names that look alike are one: case, doubled or no-break spaces (stock typed into the wrong one otherwise)
        int london = api(merchant.apiKey()).body(Map.of("name", "London  Main ")).post("/api/v1/warehouses").then()
                .statusCode(201).body("name", equalTo("London Main")).extract().path("id");
        for (String alike : java.util.List.of("london main", "LONDON MAIN", "London\u00a0Main", " London Main")) {
            api(merchant.apiKey()).body(Map.of("name", alike)).post("/api/v1/warehouses").then().statusCode(422).body(
                    "errors[0].message",
                    org.hamcrest.Matchers.startsWith("is already one of your warehouses, as \"London Main\""));
        }
        api(merchant.apiKey()).get("/api/v1/warehouses").then()
                .body("items.findAll { it.id == " + london + " }.size()", equalTo(1)).body("items.size()", equalTo(2));
        api(merchant.apiKey()).body(Map.of("physicalOnHand", 40)).put("/api/v1/products/BOX/stock/" + warehouse).then()
                .statusCode(200).body("stock[0].warehouse", equalTo("Main"))
                .body("stock[0].physicalOnHand", equalTo(40));
        api(merchant.apiKey()).body(Map.of("physicalOnHand", -1)).put("/api/v1/products/BOX/stock/" + warehouse).then()
                .statusCode(422).body("errors[0].field", equalTo("physicalOnHand"));
        // another organisation's warehouse is not found
        Fixtures.Tenant other = fixtures.tenant("GB");
        api(other.apiKey()).body(Map.of("sku", "BOX", "name", "Box")).post("/api/v1/products").then().statusCode(201);
        api(other.apiKey()).body(Map.of("physicalOnHand", 1)).put("/api/v1/products/BOX/stock/" + warehouse).then()
                .statusCode(404).body("detail",
                        equalTo("no warehouse " + warehouse + " of yours: GET /api/v1/warehouses lists their ids"));
        api(other.apiKey()).body(Map.of("physicalOnHand", 1)).put("/api/v1/products/NOPE/stock/" + warehouse).then()
                .statusCode(404).body("detail", equalTo("no product NOPE"));
    }

    @Test
    void anotherOrganisationReachesNoneOfIt() {
        long id = catalogue.connect(merchant, supplier, "Mine Only");
        product("SECRET", "Secret product");
        api(merchant.apiKey()).body(Map.of("supplier", "Mine Only", "supplierSku", "MO-1", "unitCost", 9.99))
                .put("/api/v1/products/SECRET/dropship").then().statusCode(200);
        Fixtures.Tenant other = fixtures.tenant("GB");
        api(other.apiKey()).get("/api/v1/products/SECRET").then().statusCode(404);
        api(other.apiKey()).get("/api/v1/products").then().body("products.size()", equalTo(0));
        api(other.apiKey()).delete("/api/v1/products/SECRET/dropship").then().statusCode(404);
        // its own product cannot be marked from the merchant's connection, by id or by name
        api(other.apiKey()).body(Map.of("sku", "OWN", "name", "Own")).post("/api/v1/products").then().statusCode(201);
        api(other.apiKey()).body(Map.of("supplier", String.valueOf(id), "supplierSku", "X"))
                .put("/api/v1/products/OWN/dropship").then().statusCode(422)
                .body("errors[0].field", equalTo("supplier"));
        api(other.apiKey()).body(Map.of("supplier", "Mine Only", "supplierSku", "X"))
                .put("/api/v1/products/OWN/dropship").then().statusCode(422);
        // staff of another organisation: the product page is a 404, the list does not show it
        var otherStaff = signIn(other.adminEmail(), Fixtures.PASSWORD);
        given().filter(otherStaff).get("/app/products/" + idOf("SECRET")).then().statusCode(404);
        given().filter(otherStaff).get("/app/products?q=SECRET").then().body(not(containsString("Secret product")));
        postForm(otherStaff, "/app/products", "/app/products/" + idOf("SECRET") + "/dropship/remove").statusCode(404);
        api(merchant.apiKey()).get("/api/v1/products/SECRET").then().body("dropship.supplierSku", equalTo("MO-1"));
        // the supplier sees its product, never the merchant's SKU or cost
        api(supplier.apiKey()).get("/api/v1/inventory").then().body(not(containsString("SECRET")))
                .body(not(containsString("9.99")));
    }
}
