package io.portlink.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.dropship.SalesOrderFixtures;
import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A reference that is a word the addresses use ({@code /app/orders/new}, {@code /api/v1/purchase-orders/export},
 * {@code /app/sales-orders/settings}) would make a record that could be created but never opened: refused, in any case,
 * naming the field; a reference that merely contains such a word is fine.
 */
@QuarkusTest
class ReferenceRouteWordsTest {

    @Inject
    Fixtures fixtures;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
    }

    @Test
    void aReferenceThatIsARouteWordIsRefusedEverywhere() {
        for (String word : List.of("export", "New", "import")) {
            Fixtures.post(tenant.apiKey(), Fixtures.order(word, "words@vendor.example")).statusCode(422)
                    .body("errors[0].field", equalTo("reference"))
                    .body("errors[0].message", containsString("a word the addresses of pages and endpoints use"));
        }
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("application/json")
                .body(ShipmentApiTest.shipment("import")).post("/api/v1/shipments").then().statusCode(422)
                .body("errors[0].field", equalTo("reference"));
        SalesOrderFixtures
                .post(tenant.apiKey(),
                        SalesOrderFixtures.order("settings", List.of(SalesOrderFixtures.line("MUG-1", 1, "4.50"))))
                .statusCode(422).body("errors.field", org.hamcrest.Matchers.hasItem("reference"));

        String fine = "export-" + Fixtures.uniqueReference();
        Fixtures.post(tenant.apiKey(), Fixtures.order(fine, "words@vendor.example")).statusCode(201);
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + fine).then()
                .statusCode(200);
    }
}
