package io.portlink.purchasing;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A file whose first order is for a known vendor and whose next one is for a new vendor imports both: the new vendor's
 * row no longer pulls the earlier order's insert behind its timeline entry (a foreign-key error before).
 */
@QuarkusTest
class NewVendorAfterKnownTest {

    @Inject
    Fixtures fixtures;

    @Test
    void aKnownVendorThenANewOneInOneFileImportsBoth() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String known = "known-" + tenant.id() + "@vendor.example";
        createOrderWithLink(tenant.apiKey(), uniqueReference(), known);
        String csv = "reference,vendor_name,vendor_email,sku,quantity\n" + uniqueReference() + ",Known," + known
                + ",S1,1\n" + uniqueReference() + ",New,new-" + tenant.id() + "@vendor.example,S1,1\n"
                + uniqueReference() + ",Known," + known + ",S1,1\n";
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv; charset=UTF-8").body(csv)
                .post("/api/v1/purchase-orders/import").then().statusCode(200).body("created", equalTo(3));
    }
}
