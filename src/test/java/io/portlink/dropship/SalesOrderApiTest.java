package io.portlink.dropship;

import static io.portlink.dropship.SalesOrderFixtures.line;
import static io.portlink.dropship.SalesOrderFixtures.order;
import static io.portlink.dropship.SalesOrderFixtures.post;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Sales orders through the API: created once per reference (a repeat answers the same order, other content is a 409
 * naming what differs), every invalid field named, the CSV import all or nothing with row and column, the list's filter
 * and search, and one merchant never reaching another's orders.
 */
@QuarkusTest
class SalesOrderApiTest {

    @Inject
    Fixtures fixtures;

    Fixtures.Tenant merchant;

    @BeforeEach
    void merchant() {
        merchant = fixtures.tenant("GB");
    }

    @Test
    void aRepeatAnswersTheSameOrderAndOtherContentIsAConflictNamingWhatDiffers() {
        var body = order("SO-1001", List.of(line("MUG-1", 2, "4.50"), line("CAP-1", 1, "9.99")));
        post(merchant.apiKey(), body).statusCode(201).body("reference", equalTo("SO-1001"))
                .body("status", equalTo("OPEN")).body("outcome", equalTo("CREATED"));
        post(merchant.apiKey(), body).statusCode(200).body("outcome", equalTo("UNCHANGED"));

        var other = order("SO-1001", List.of(line("MUG-1", 3, "4.50"), line("CAP-1", 1, "9.99")));
        post(merchant.apiKey(), other).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("already exists with different content (lines[0].quantity)"))
                .body("errors.field", hasItem("lines[0].quantity"))
                .body("errors[0].message", containsString("is stored as \"2\""));

        given().header("Authorization", "Bearer " + merchant.apiKey()).get("/api/v1/sales-orders/SO-1001").then()
                .statusCode(200).body("lines", hasSize(2)).body("lines[0].quantity", equalTo(2))
                .body("internalNote", equalTo("margin 40%, VIP customer"))
                .body("timeline[0].kind", equalTo("RECEIVED"));
    }

    @Test
    void everyInvalidFieldIsNamedAndNothingIsStored() {
        var body = Map.of("reference", "bad ref!", "shipTo", Map.of("name", "", "address", "x", "phone", "call me"),
                "lines", List.of(Map.of("sku", "MUG-1", "quantity", 1.5), Map.of("quantity", -2),
                        Map.of("sku", "X", "quantity", 1, "unitPrice", "abc")));
        post(merchant.apiKey(), body).statusCode(422).contentType("application/problem+json").body("errors.field",
                hasItems("reference", "shipTo.name", "shipTo.phone", "lines[0].quantity", "lines[1].sku",
                        "lines[1].quantity", "lines[2].unitPrice"));
        post(merchant.apiKey(), Map.of("reference", "SO-EMPTY", "shipTo", Map.of("name", "A", "address", "B")))
                .statusCode(422).body("errors.field", hasItem("lines"));
        given().header("Authorization", "Bearer " + merchant.apiKey()).get("/api/v1/sales-orders").then()
                .statusCode(200).body("items.size()", equalTo(0));
    }

    @Test
    void aCsvIsImportedWholeOrNotAtAllWithRowAndColumnOfEveryProblem() {
        String good = "reference,ship_to_name,ship_to_address,shipping_method,internal_note,sku,description,quantity,unit_price\n"
                + "SO-C1,Ann,\"1 Road\nYork\",Ground,call first,MUG-1,Mug,2,4.50\n"
                + "SO-C2,Bob,2 Lane,,,CAP-1,Cap,1,9.99\n" + "SO-C1,,,,,CAP-1,Cap,1,\"1,200.00\"\n";
        String bad = good + "SO-C3,Cy,3 Way,,,MUG-1,Mug,0,1\n" + "SO-C2,Bobby,,,,MUG-1,Mug,1,1\n"
                + "SO-C4,,4 Road,,,MUG-1,Mug,two,1\n";
        csv(bad).statusCode(422).body("errors.row", hasItems(5, 6, 7))
                .body("errors.column", hasItems("quantity", "ship_to_name"))
                .body("errors.find { it.row == 6 }.message", containsString("differs from row 3 of order SO-C2"))
                .body("created", equalTo(0));
        given().header("Authorization", "Bearer " + merchant.apiKey()).get("/api/v1/sales-orders").then()
                .body("items.size()", equalTo(0));

        csv(good).statusCode(200).body("created", equalTo(2)).body("unchanged", equalTo(0));
        given().header("Authorization", "Bearer " + merchant.apiKey()).get("/api/v1/sales-orders/SO-C1").then()
                .body("lines", hasSize(2)).body("lines[1].unitPrice", equalTo("1200"))
                .body("shipToAddress", equalTo("1 Road\nYork")).body("channel", equalTo("CSV"));
        csv(good).statusCode(200).body("created", equalTo(0)).body("unchanged", equalTo(2));

        // a later row giving what the first row left empty: told to give it on the first row
        csv("reference,ship_to_name,ship_to_address,ship_to_phone,sku,quantity\n" + "SO-C9,Ann,1 Road,,MUG-1,1\n"
                + "SO-C9,,,+44 20 7946 0000,CAP-1,1\n").statusCode(422).body("errors[0].row", equalTo(3))
                        .body("errors[0].column", equalTo("ship_to_phone"))
                        .body("errors[0].message", containsString("is empty on row 2, order SO-C9's first row"));
    }

    /** The template imports as it is: one example order of two lines, routed to no supplier. */
    @Test
    void theTemplateImportsAsItIsAndWritesTheOrganisationsNumbers() {
        byte[] gb = given().header("Authorization", "Bearer " + merchant.apiKey())
                .get("/api/v1/sales-orders/import/template").then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/csv"))
                .header("Content-Disposition", equalTo("attachment; filename=\"sales-orders-template.csv\"")).extract()
                .asByteArray();
        String text = new String(gb, java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(text.startsWith("\uFEFFreference,ship_to_name,ship_to_company,"), text);
        importBytes(merchant, gb).statusCode(200).body("created", equalTo(1)).body("routed", equalTo(0));
        given().header("Authorization", "Bearer " + merchant.apiKey()).get("/api/v1/sales-orders/SO-EXAMPLE-1").then()
                .statusCode(200).body("status", equalTo("OPEN"))
                .body("lines.sku", contains("EXAMPLE-MUG", "EXAMPLE-TEE")).body("lines[0].unitPrice", equalTo("8.5"))
                .body("shipToAddress", equalTo("12 Example Street\nLeeds LS1 4AB"));

        // a German merchant's spreadsheet: semicolons and a decimal comma, read back as such
        Fixtures.Tenant de = fixtures.tenant("DE");
        byte[] german = given().header("Authorization", "Bearer " + de.apiKey())
                .get("/api/v1/sales-orders/import/template").then().statusCode(200).extract().asByteArray();
        String germanText = new String(german, java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(germanText.contains(";8,50") && germanText.contains(";14,00"), germanText);
        importBytes(de, german).statusCode(200).body("created", equalTo(1));
        given().header("Authorization", "Bearer " + de.apiKey()).get("/api/v1/sales-orders/SO-EXAMPLE-1").then()
                .statusCode(200).body("lines[1].unitPrice", equalTo("14"));
        given().header("Authorization", "Bearer " + de.apiKey()).queryParam("decimal", "dot")
                .get("/api/v1/sales-orders/import/template").then().statusCode(422)
                .body("errors[0].field", equalTo("decimal"));
    }

    private static io.restassured.response.ValidatableResponse importBytes(Fixtures.Tenant tenant, byte[] csv) {
        return given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv").body(csv)
                .post("/api/v1/sales-orders/import").then();
    }

    @Test
    void aLargeFileIsImportedInBatches() {
        StringBuilder file = new StringBuilder("reference,ship_to_name,ship_to_address,sku,quantity\n");
        for (int i = 0; i < 3000; i++) {
            file.append("SO-B").append(i / 2).append(",Ann,1 Road,SKU-").append(i % 7).append(",1\n");
        }
        csv(file.toString()).statusCode(200).body("created", equalTo(1500));
        given().header("Authorization", "Bearer " + merchant.apiKey()).get("/api/v1/sales-orders/SO-B1499").then()
                .statusCode(200).body("lines", hasSize(2));
    }

    @Test
    void theListFiltersByStatusAndFindsAReferenceByItsBeginning() {
        post(merchant.apiKey(), order("WEB-100", List.of(line("A", 1, "1")))).statusCode(201);
        post(merchant.apiKey(), order("WEB-101", List.of(line("A", 1, "1")))).statusCode(201);
        post(merchant.apiKey(), order("SHOP-7", List.of(line("A", 1, "1")))).statusCode(201);
        given().header("Authorization", "Bearer " + merchant.apiKey()).queryParam("q", "WEB-10")
                .get("/api/v1/sales-orders").then().statusCode(200).body("items.size()", equalTo(2))
                .body("items.reference", hasItems("WEB-100", "WEB-101")).body("hasNext", equalTo(false))
                .body("$", not(hasKey("total")));
        given().header("Authorization", "Bearer " + merchant.apiKey()).queryParam("q", "WEB-10").queryParam("size", 1)
                .get("/api/v1/sales-orders").then().body("items.reference", contains("WEB-101"))
                .body("hasNext", equalTo(true)).body("size", equalTo(1));
        given().header("Authorization", "Bearer " + merchant.apiKey()).queryParam("q", "WEB-10").queryParam("size", 1)
                .queryParam("page", 1).get("/api/v1/sales-orders").then().body("items.reference", contains("WEB-100"))
                .body("hasNext", equalTo(false)).body("page", equalTo(1));
        given().header("Authorization", "Bearer " + merchant.apiKey()).queryParam("status", "cancelled")
                .get("/api/v1/sales-orders").then().body("items.size()", equalTo(0));
        given().header("Authorization", "Bearer " + merchant.apiKey()).queryParam("status", "LOST")
                .get("/api/v1/sales-orders").then().statusCode(422).body("errors[0].field", equalTo("status"));
    }

    @Test
    void anotherMerchantNeitherSeesNorTouchesTheOrders() {
        post(merchant.apiKey(), order("SO-MINE", List.of(line("A", 1, "1")))).statusCode(201);
        Fixtures.Tenant other = fixtures.tenant("GB");
        var as = given().header("Authorization", "Bearer " + other.apiKey());
        as.get("/api/v1/sales-orders/SO-MINE").then().statusCode(404);
        given().header("Authorization", "Bearer " + other.apiKey()).post("/api/v1/sales-orders/SO-MINE/route").then()
                .statusCode(404);
        given().header("Authorization", "Bearer " + other.apiKey()).contentType("application/json")
                .body(Map.of("reason", "mine now")).post("/api/v1/sales-orders/SO-MINE/cancel").then().statusCode(404);
        given().header("Authorization", "Bearer " + other.apiKey()).get("/api/v1/sales-orders").then()
                .body("items.size()", equalTo(0));
        // the same reference is the other merchant's own order, not a conflict
        post(other.apiKey(), order("SO-MINE", List.of(line("B", 5, "2")))).statusCode(201);
        assertEquals("OPEN", given().header("Authorization", "Bearer " + merchant.apiKey())
                .get("/api/v1/sales-orders/SO-MINE").then().extract().path("status"));
    }

    private io.restassured.response.ValidatableResponse csv(String text) {
        return given().header("Authorization", "Bearer " + merchant.apiKey()).contentType("text/csv").body(text)
                .post("/api/v1/sales-orders/import").then();
    }
}
