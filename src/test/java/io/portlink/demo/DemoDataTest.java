package io.portlink.demo;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;

/** Dev mode's demo orders go through the real rules, and some name a consignee staff can ship to. */
@QuarkusTest
class DemoDataTest {

    @Inject
    Fixtures fixtures;

    @Inject
    DemoData demo;

    @Test
    void theDemoOrdersIncludeOneWithAConsignee() {
        var tenant = fixtures.tenant("GB");
        demo.orders(tenant.id());
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/PO-01001").then()
                .statusCode(200).body("consignee.name", equalTo("Harbour Foods Ltd"))
                .body("consignee.email", equalTo("goods-in@harbourfoods.example"))
                .body("consignee.language", equalTo("en"));
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/PO-01002").then()
                .statusCode(200).body("consignee", nullValue());
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/PO-01012").then()
                .statusCode(200);
    }
}
