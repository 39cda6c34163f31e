package io.portlink.inventory;

import static io.portlink.testing.StaffClient.FORM_TOKEN;
import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.dropship.CatalogueFixtures;
import io.portlink.testing.Fixtures;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The supplier's available on hand: each actual change leaves exactly one pending change per merchant source on an
 * active connection, none when unchanged; the "needs sync" filter; CSV uploads all or nothing with row, column and
 * value.
 */
@QuarkusTest
class SupplierStockTest {

    @Inject
    Fixtures fixtures;

    @Inject
    CatalogueFixtures catalogue;

    @Inject
    TestClock clock;

    Fixtures.Tenant supplier;

    @BeforeEach
    void supplier() {
        supplier = fixtures.tenant("GB");
    }

    private static RequestSpecification api(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    /** A merchant connected to the supplier whose product {@code sku} is dropshipped from the supplier's SKU. */
    private Fixtures.Tenant merchantOf(String supplierSku, String name) {
        Fixtures.Tenant merchant = fixtures.tenant("GB");
        catalogue.connect(merchant, supplier, name);
        api(merchant.apiKey()).body(Map.of("sku", "M-" + supplierSku, "name", "Merchant's " + supplierSku))
                .post("/api/v1/products").then().statusCode(201);
        api(merchant.apiKey()).body(Map.of("supplier", name, "supplierSku", supplierSku))
                .put("/api/v1/products/M-" + supplierSku + "/dropship").then().statusCode(200);
        return merchant;
    }

    private io.restassured.response.ValidatableResponse available(String sku, int quantity) {
        return api(supplier.apiKey()).body(Map.of("availableOnHand", quantity)).put("/api/v1/inventory/" + sku).then();
    }

    private long supplierProduct(String sku) {
        return Product.<Product> find("organizationId = ?1 and sku = ?2", supplier.id(), sku)
                .<Product> firstResultOptional().orElseThrow().id;
    }

    @Test
    void aChangeWaitsOncePerActiveMerchantAndAnUnchangedQuantityWritesNothing() {
        Fixtures.Tenant first = merchantOf("SKU-A", "Supplier One");
        Fixtures.Tenant second = merchantOf("SKU-A", "Supplier One");
        Fixtures.Tenant gone = merchantOf("SKU-A", "Supplier One");
        long goneConnection = api(gone.apiKey()).get("/api/v1/connections/suppliers").then().extract()
                .<Integer> path("rows[0].id");
        api(supplier.apiKey()).post("/api/v1/connections/" + goneConnection + "/disconnect").then().statusCode(204);
        api(supplier.apiKey()).body(Map.of("availableOnHand", 3, "name", "Unmapped")).put("/api/v1/inventory/SKU-B")
                .then().statusCode(201);
        long product = supplierProduct("SKU-A");

        available("SKU-A", 10).statusCode(200).body("changed", equalTo(true)).body("pendingChanges", equalTo(2));
        List<Object[]> rows = catalogue.pending(product);
        assertEquals(2, rows.size(), "one per active merchant source");
        Set<Long> merchants = new HashSet<>();
        rows.forEach(r -> merchants.add(((Number) r[1]).longValue()));
        assertEquals(Set.of(first.id(), second.id()), merchants);

        // a repeat change moves the rows, never adds; the same quantity again writes nothing
        clock.advance(Duration.ofMinutes(5));
        available("SKU-A", 11).statusCode(200).body("changed", equalTo(true)).body("pendingChanges", equalTo(2));
        var updated = api(supplier.apiKey()).get("/api/v1/inventory?q=SKU-A").then().extract()
                .<String> path("items[0].availableUpdatedAt");
        clock.advance(Duration.ofMinutes(5));
        available("SKU-A", 11).statusCode(200).body("changed", equalTo(false));
        api(supplier.apiKey()).get("/api/v1/inventory?q=SKU-A").then().body("items[0].availableUpdatedAt",
                equalTo(updated));
        assertEquals(2, catalogue.pending(product).size());

        // the supplier's filter: only SKU-A needs sync; SKU-B has no merchant
        api(supplier.apiKey()).get("/api/v1/inventory?needsSync=true").then().body("items.sku",
                equalTo(List.of("SKU-A")));
        api(supplier.apiKey()).get("/api/v1/inventory").then().body("items.sku", equalTo(List.of("SKU-A", "SKU-B")));
        var staff = signIn(supplier.adminEmail(), Fixtures.PASSWORD);
        given().filter(staff).get("/app/inventory?needsSync=yes").then().statusCode(200)
                .body(containsString("data-sku=\"SKU-A\"")).body(not(containsString("data-sku=\"SKU-B\"")));
    }

    private static String csv(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    private io.restassured.response.ValidatableResponse upload(String body) {
        return given().header("Authorization", "Bearer " + supplier.apiKey()).contentType("text/csv")
                .body(body.getBytes(StandardCharsets.UTF_8)).post("/api/v1/inventory/import").then();
    }

    @Test
    void aCsvWithProblemsNamesEachByRowColumnAndValueAndWritesNothing() {
        Fixtures.Tenant merchant = merchantOf("CSV-1", "Csv Supplier");
        available("CSV-1", 4).statusCode(200);
        long product = supplierProduct("CSV-1");
        int pendingBefore = catalogue.pending(product).size();

        upload(csv("sku,available,name", "CSV-1,9,", "CSV-2,-3,Second", "CSV-3,5,", "CSV-1,7,", "CSV-4,lots,Fourth"))
                .statusCode(422).body("errors.row", hasItem(3)).body("errors.column", hasItem("available"))
                .body("detail", containsString("problems; nothing was saved")).body(containsString("-3"))
                .body(containsString("lots")).body(containsString("is not in your catalogue"))
                .body(containsString("is also on row 2"));
        api(supplier.apiKey()).get("/api/v1/inventory").then().body("items.sku", equalTo(List.of("CSV-1")))
                .body("items[0].availableOnHand", equalTo(4));
        assertEquals(pendingBefore, catalogue.pending(product).size());
        assertTrue(merchant.id() > 0);

        // staff upload of the same file: the page lists the problems with row and column, nothing written
        var staff = signIn(supplier.adminEmail(), Fixtures.PASSWORD);
        given().filter(staff).multiPart(FORM_TOKEN, csrf(staff, "/app/inventory"))
                .multiPart("file", "stock.csv", csv("sku,available", "CSV-1,x").getBytes(StandardCharsets.UTF_8),
                        "text/csv")
                .post("/app/inventory/import").then().statusCode(422)
                .body(containsString("row 2, available: must be a whole number"))
                .body(containsString("(got &quot;x&quot;)"));
    }

    @Test
    void availableIsReadAsTheSuppliersSpreadsheetsGroupThousands() {
        Fixtures.Tenant german = fixtures.tenant("DE");
        given().header("Authorization", "Bearer " + german.apiKey()).contentType("text/csv")
                .body(csv("sku;available;name", "DE-1;1.500;Schrauben", "DE-2;2,5;Muttern")
                        .getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/inventory/import").then().statusCode(422).body("errors.size()", equalTo(1))
                .body("errors[0].row", equalTo(3)).body("errors[0].message", containsString("got \"2,5\""))
                .body("errors[0].message", containsString("must be a whole number from 0 to"));
        given().header("Authorization", "Bearer " + german.apiKey()).contentType("text/csv")
                .body(csv("sku;available;name", "DE-1;1.500;Schrauben").getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/inventory/import").then().statusCode(200).body("created", equalTo(1));
        api(german.apiKey()).get("/api/v1/inventory?q=DE-1").then().body("items[0].availableOnHand", equalTo(1500));

        // a British supplier's 1.500 is no whole number as written: refused, saying how to write fifteen hundred
        upload(csv("sku,available,name", "GB-1,1.500,Bolts")).statusCode(422).body("errors[0].row", equalTo(2))
                .body("errors[0].message", equalTo("must be a whole number from 0 to 1000000000; if you mean 1500,"
                        + " write 1500, got \"1.500\""));
        given().header("Authorization", "Bearer " + supplier.apiKey()).contentType("text/csv")
                .body(csv("sku,available,name", "GB-1,1.500,Bolts").getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/inventory/import?decimal=comma").then().statusCode(200);
        api(supplier.apiKey()).get("/api/v1/inventory?q=GB-1").then().body("items[0].availableOnHand", equalTo(1500));

        // the staff upload: the decimal comma chosen reads 2.000, and stays chosen when a file is refused
        var staff = signIn(supplier.adminEmail(), Fixtures.PASSWORD);
        given().filter(staff).redirects().follow(false).multiPart(FORM_TOKEN, csrf(staff, "/app/inventory"))
                .multiPart("decimal", "COMMA").multiPart("file", "stock.csv",
                        csv("sku;available", "GB-1;2.000").getBytes(StandardCharsets.UTF_8), "text/csv")
                .post("/app/inventory/import").then().statusCode(303);
        api(supplier.apiKey()).get("/api/v1/inventory?q=GB-1").then().body("items[0].availableOnHand", equalTo(2000));
        given().filter(staff).multiPart(FORM_TOKEN, csrf(staff, "/app/inventory")).multiPart("decimal", "COMMA")
                .multiPart("file", "stock.csv", csv("sku;available", "GB-1;1,5").getBytes(StandardCharsets.UTF_8),
                        "text/csv")
                .post("/app/inventory/import").then().statusCode(422)
                .body(containsString("row 2, available: must be a whole number"))
                .body(containsString("<option value=\"COMMA\" selected>"));
    }

    @Test
    void thousandsOfRowsInOneUploadAndTheSameFileAgainChangesNothing() {
        merchantOf("BULK-00001", "Bulk Supplier");
        StringBuilder file = new StringBuilder("sku;available;name\n");
        for (int i = 1; i <= 3000; i++) {
            file.append(String.format("BULK-%05d;%d;Bulk product %d%n", i, i % 50, i));
        }
        upload(file.toString()).statusCode(200).body("rows", equalTo(3000)).body("created", equalTo(2999))
                .body("changed", equalTo(1)).body("changes", equalTo(1));
        assertEquals(1, catalogue.pending(supplierProduct("BULK-00001")).size());
        api(supplier.apiKey()).get("/api/v1/inventory?q=BULK-0300").then().body("items[0].availableOnHand", equalTo(0));
        api(supplier.apiKey()).get("/api/v1/inventory?q=BULK-02999").then().body("items[0].availableOnHand",
                equalTo(2999 % 50));

        upload(file.toString()).statusCode(200).body("created", equalTo(0)).body("changed", equalTo(0))
                .body("unchanged", equalTo(3000)).body("changes", equalTo(0));
    }

    @Test
    void unknownSkusPastTheErrorCapAreCountedNotListed() {
        StringBuilder file = new StringBuilder("sku,available\n");
        for (int i = 1; i <= 1000; i++) {
            file.append(String.format("NOPE-%05d,%d%n", i, i % 7));
        }
        var body = upload(file.toString()).statusCode(422).extract();
        List<String> messages = body.path("errors.message");
        assertEquals(io.portlink.platform.CsvFile.MAX_ERRORS + 1, messages.size(),
                "capped, plus one line for the rest");
        assertTrue(messages.get(messages.size() - 1).contains("has 800 more problems not listed here (1000 in all)"),
                messages.get(messages.size() - 1));
        api(supplier.apiKey()).get("/api/v1/inventory").then().body("items", equalTo(List.of()));
    }
}
