package io.portlink.staff;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

@QuarkusTest
class OrganizationSettingsTest {

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    @Test
    void adminsEditNameCountryZoneAndLinkExpiryAndEveryPageFollows() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "fmt@vendor.example"));
        vendor.open("").then().body(containsString("1 Jul 2026"));

        CookieFilter admin = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String token = csrf(admin, "/app/admin");
        given().filter(admin).formParam("csrf-token", token).formParam("name", "").formParam("country", "ZZ")
                .formParam("timeZone", "Mars/Olympus").formParam("linkExpiryDays", "0").post("/app/admin/profile")
                .then().statusCode(422).body(containsString("name: must be 1 to 200 characters"));
        given().filter(admin).redirects().follow(false).formParam("csrf-token", token)
                .formParam("name", "Müller Handel GmbH").formParam("country", "de")
                .formParam("timeZone", "Europe/Berlin").formParam("linkExpiryDays", "2").post("/app/admin/profile")
                .then().statusCode(303);

        vendor.open("").then().body(containsString("Müller Handel GmbH")).body(containsString("01.07.2026"));
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/organization").then()
                .body("country", equalTo("DE")).body("timeZone", equalTo("Europe/Berlin"));

        vendor.act(ref, "status", Map.of("status", "DELIVERED")).then().statusCode(303);
        clock.advance(Duration.ofDays(2).plusMinutes(1));
        given().header("User-Agent", PortalClient.BROWSER).get(vendor.link()).then().statusCode(410);
    }
}
