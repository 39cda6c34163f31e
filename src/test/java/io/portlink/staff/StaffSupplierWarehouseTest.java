package io.portlink.staff;

import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.dropship.DropshipConnection;
import io.portlink.dropship.SyncFixtures;
import io.portlink.inventory.Catalogue;
import io.portlink.testing.Fixtures;
import io.portlink.testing.StaffClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.http.ContentType;

/**
 * The merchant's warehouse named after a supplier holds what the supplier says is available: the merchant cannot type
 * it (page, API), and takes the supplier's figure from the sync page where the two differ.
 */
@QuarkusTest
class StaffSupplierWarehouseTest {

    @Inject
    SyncFixtures fx;

    @Inject
    Catalogue catalogue;

    @Test
    void theSuppliersWarehouseIsReadOnlyOnThePageAndInTheApi() {
        var merchant = fx.org();
        var supplier = fx.org();
        DropshipConnection c = fx.connection(merchant.id(), supplier, DropshipConnection.Status.ACTIVE);
        var source = fx.dropshipped(c, "RO-1", 7);
        fx.stockLevel(source.merchantProductId, c.warehouseId, 3);
        CookieFilter staff = signIn(merchant.adminEmail(), Fixtures.PASSWORD);
        String path = "/app/products/" + source.merchantProductId;
        String page = given().filter(staff).get(path).then().statusCode(200).extract().asString();
        assertFalse(page.contains("<option value=\"" + c.warehouseId + "\">"), "not offered in the stock form");
        assertTrue(page.contains("read-only: what " + supplier.name() + " says is available"), page);
        String refused = StaffClient
                .postForm(staff, path, path + "/stock", "warehouseId", c.warehouseId, "physicalOnHand", "5")
                .statusCode(422).extract().asString();
        assertTrue(refused.contains("RO-1 in " + supplier.name() + " is read-only"), refused);
        given().header("Authorization", "Bearer " + merchant.apiKey()).contentType(ContentType.JSON)
                .body(Map.of("physicalOnHand", 5)).put("/api/v1/products/RO-1/stock/" + c.warehouseId).then()
                .statusCode(422).body(containsString("RO-1 in " + supplier.name() + " is read-only"));
        assertEquals(3, fx.onHand(c, source.merchantProductId), "nothing was written");
        // the merchant's own warehouse takes a typed quantity as before
        long own = catalogue.createWarehouse(merchant.id(), "Own shelf").id();
        StaffClient.postForm(staff, path, path + "/stock", "warehouseId", own, "physicalOnHand", "5").statusCode(303);
    }

    /**
     * An organisation with more warehouses than a page (501 of its own and a supplier's): the API and the staff page
     * page through all of them by name, and a product's count in the warehouse that sorts last still shows on its page
     * (lists that stopped at 500 rows lost it).
     */
    @Test
    void everyWarehouseIsReachedHoweverMany() {
        var merchant = fx.org();
        var supplier = fx.org();
        DropshipConnection c = fx.connection(merchant.id(), supplier, DropshipConnection.Status.ACTIVE);
        var source = fx.dropshipped(c, "MANY-1", 7);
        long last = 0;
        for (int i = 0; i < 501; i++) {
            last = catalogue.createWarehouse(merchant.id(), "Shelf %03d".formatted(i)).id();
        }
        fx.stockLevel(source.merchantProductId, last, 4);

        String key = "Bearer " + merchant.apiKey();
        given().header("Authorization", key).get("/api/v1/warehouses?size=200&page=2").then().statusCode(200)
                .body("items.size()", equalTo(102)).body("items.name", hasItem("Shelf 500"))
                .body("items.find { it.name == 'Shelf 500' }.keptBy", nullValue()).body("hasNext", equalTo(false))
                .body("page", equalTo(2));
        given().header("Authorization", key).get("/api/v1/warehouses?size=2").then()
                .body("items.name", contains(supplier.name(), "Shelf 000")).body("hasNext", equalTo(true));
        given().header("Authorization", key).get("/api/v1/warehouses?page=last").then().statusCode(422)
                .body("errors[0].field", equalTo("page"));

        CookieFilter staff = signIn(merchant.adminEmail(), Fixtures.PASSWORD);
        String first = given().filter(staff).get("/app/warehouses").then().statusCode(200).extract().asString();
        // by name: the supplier's ("Buyer …") first, then 49 shelves
        assertTrue(first.contains(supplier.name() + "'s stock, kept by the sync"), first);
        assertTrue(first.contains("Shelf 048") && !first.contains("Shelf 049"), "50 a page");
        assertTrue(first.contains("href=\"/app/warehouses?page=1\""), "a next page is offered");
        String end = given().filter(staff).get("/app/warehouses?page=10").then().statusCode(200).extract().asString();
        assertTrue(end.contains("Shelf 499") && end.contains("Shelf 500"), end);
        assertFalse(end.contains("page=11"), "the last page offers no next one");

        String product = given().filter(staff).get("/app/products/" + source.merchantProductId).then().statusCode(200)
                .extract().asString();
        assertTrue(product.contains(
                "<tr data-warehouse=\"Shelf 500\"><td data-label=\"Warehouse\">Shelf 500</td><td class=\"qty\" data-label=\"On hand\">4</td>"),
                product);
    }

    /**
     * A refused count comes back in the warehouse it was typed for, with what was typed: sent again once mended, it
     * must not land in the list's first warehouse, overwriting that one's count.
     */
    @Test
    void aRefusedCountKeepsItsWarehouseAndValue() {
        var merchant = fx.org();
        var source = fx.dropshipped(fx.connection(merchant.id(), fx.org(), DropshipConnection.Status.ACTIVE), "KEEP-1",
                7);
        catalogue.createWarehouse(merchant.id(), "A first shelf");
        long chosen = catalogue.createWarehouse(merchant.id(), "Zeebrugge overflow").id();
        CookieFilter staff = signIn(merchant.adminEmail(), Fixtures.PASSWORD);
        String path = "/app/products/" + source.merchantProductId;
        String refused = StaffClient
                .postForm(staff, path, path + "/stock", "warehouseId", chosen, "physicalOnHand", "-5").statusCode(422)
                .extract().asString();
        assertTrue(refused.contains("<option value=\"" + chosen + "\" selected>Zeebrugge overflow</option>"), refused);
        assertTrue(refused.contains("name=\"physicalOnHand\" min=\"0\" required value=\"-5\""), refused);
    }

    @Test
    void onceDisconnectedTheMerchantCountsTheWarehouseAgain() {
        var merchant = fx.org();
        DropshipConnection c = fx.connection(merchant.id(), fx.org(), DropshipConnection.Status.DISCONNECTED);
        var source = fx.dropshipped(c, "RO-2", 7);
        CookieFilter staff = signIn(merchant.adminEmail(), Fixtures.PASSWORD);
        String path = "/app/products/" + source.merchantProductId;
        StaffClient.postForm(staff, path, path + "/stock", "warehouseId", c.warehouseId, "physicalOnHand", "0")
                .statusCode(303);
        assertEquals(0, fx.onHand(c, source.merchantProductId));
    }

    @Test
    void takingTheSuppliersFigureEndsTheDrift() {
        var merchant = fx.org();
        var supplier = fx.org();
        DropshipConnection c = fx.connection(merchant.id(), supplier, DropshipConnection.Status.ACTIVE);
        var counted = fx.dropshipped(c, "DRIFT-1", 7);
        fx.stockLevel(counted.merchantProductId, c.warehouseId, 3);
        var uncounted = fx.dropshipped(c, "DRIFT-2", 4);
        CookieFilter staff = signIn(merchant.adminEmail(), Fixtures.PASSWORD);
        String page = given().filter(staff).get("/app/sync").then().statusCode(200).extract().asString();
        assertTrue(page.contains("data-sku=\"DRIFT-1\"") && page.contains("data-sku=\"DRIFT-2\""), page);
        assertTrue(page.contains("action=\"/app/sync/drift/take\"") && page.contains("Take the supplier"), page);
        StaffClient.postForm(staff, "/app/sync", "/app/sync/drift/take", "sku", "DRIFT-1", "drift", "0").statusCode(303)
                .header("Location", containsString("/app/sync?done=taken&drift=0"));
        assertEquals(7, fx.onHand(c, counted.merchantProductId));
        StaffClient.postForm(staff, "/app/sync", "/app/sync/drift/take", "sku", "DRIFT-2", "drift", "0")
                .statusCode(303);
        assertEquals(4, fx.onHand(c, uncounted.merchantProductId), "a row where none was counted");
        // a second click (a retry) changes nothing
        StaffClient.postForm(staff, "/app/sync", "/app/sync/drift/take", "sku", "DRIFT-1", "drift", "0")
                .statusCode(303);
        assertEquals(7, fx.onHand(c, counted.merchantProductId));
        String after = given().filter(staff).get("/app/sync?done=taken").then().statusCode(200).extract().asString();
        assertTrue(after.contains("The supplier&#39;s figure is taken") || after.contains("The supplier's figure is"),
                after);
        assertFalse(after.contains("data-sku=\"DRIFT-1\"") || after.contains("data-sku=\"DRIFT-2\""), after);
        // another organisation's product, or one not dropshipped: nothing to take
        var other = fx.org();
        StaffClient.postForm(signIn(other.adminEmail(), Fixtures.PASSWORD), "/app/sync", "/app/sync/drift/take", "sku",
                "DRIFT-1", "drift", "0").statusCode(404);
        // no form token: refused
        given().filter(staff).redirects().follow(false).formParam("sku", "DRIFT-1").post("/app/sync/drift/take").then()
                .statusCode(403);
    }
}
