package io.portlink.api;

import static io.portlink.testing.Fixtures.order;
import static io.portlink.testing.Fixtures.post;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.organization.ApiKeys;
import io.portlink.testing.Fixtures;
import io.portlink.testing.StaffClient;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

@QuarkusTest
class ApiKeyScopesTest {

    @Inject
    Fixtures fixtures;

    @Inject
    ApiKeys keys;

    @Inject
    TestClock clock;

    @Test
    void aReadOnlyKeyReadsButCannotWrite() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter admin = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String page = given().filter(admin).formParam("form-token", csrf(admin, "/app/admin"))
                .formParam(StaffClient.ONCE, StaffClient.once(admin, "/app/admin")).formParam("name", "BI")
                .formParam("scope", "READ").post("/app/admin/api-keys").then().statusCode(200).extract().asString();
        Matcher key = Pattern.compile("id=\"new-api-key\">(pk_[A-Za-z0-9_-]{43})<").matcher(page);
        assertTrue(key.find());
        given().header("Authorization", "Bearer " + key.group(1)).get("/api/v1/purchase-orders").then().statusCode(200);
        post(key.group(1), order(uniqueReference(), "ro@vendor.example")).statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("write scope"));
        given().filter(admin).get("/app/admin").then().body(containsString("BI"));
    }

    @Test
    void anExpiredKeyIsRefused() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String key = keys.create(tenant.id(), "temporary", "test", true, clock.instant().plus(Duration.ofDays(1)))
                .key();
        given().header("Authorization", "Bearer " + key).get("/api/v1/organization").then().statusCode(200);
        clock.advance(Duration.ofDays(2));
        given().header("Authorization", "Bearer " + key).get("/api/v1/organization").then().statusCode(401)
                .body("detail", containsString("expired"));
    }
}
