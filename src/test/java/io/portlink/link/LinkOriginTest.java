package io.portlink.link;

import static io.portlink.testing.Fixtures.order;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** SECURITY.md: links are always built from the configured public base URL, never from the request's host. */
@QuarkusTest
class LinkOriginTest {

    @Inject
    Fixtures fixtures;

    @Test
    void aLinkNeverTakesTheHostOfTheRequestThatMadeIt() {
        var tenant = fixtures.tenant("GB");
        given().header("Authorization", "Bearer " + tenant.apiKey()).header("Host", "attacker.example")
                .header("X-Forwarded-Host", "attacker.example").header("Forwarded", "host=attacker.example;proto=https")
                .contentType(ContentType.JSON).body(order(uniqueReference(), "sales@vendor.example"))
                .post("/api/v1/purchase-orders").then().statusCode(201)
                .body("vendorLink.url", startsWith(Fixtures.BASE_URL + "/v/pv_"));
    }
}
