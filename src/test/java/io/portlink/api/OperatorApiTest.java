package io.portlink.api;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.organization.Organization;
import io.portlink.organization.Organizations;
import io.portlink.testing.Databases;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.StaffClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
class OperatorApiTest {

    static final String TOKEN = "test-operator-token-0123456789";

    @Inject
    Fixtures fixtures;

    @Inject
    Organizations organizations;

    @Inject
    DataSource dataSource;

    static RequestSpecification operator() {
        return given().header("Authorization", "Bearer " + TOKEN).contentType("application/json");
    }

    @Test
    void operatorCreatesAnOrganisationWhoseAdminCanSignIn() {
        String email = "owner-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        int id = operator()
                .body(Map.of("name", "Globex", "country", "DE", "adminEmail", email, "adminPassword",
                        "a-long-password"))
                .post("/api/v1/operator/organizations").then().statusCode(201).body("id", notNullValue()).extract()
                .path("id");
        CookieFilter session = StaffClient.signIn(email, "a-long-password");
        given().filter(session).get("/app/orders").then().statusCode(200).body(containsString("Globex"));

        // every problem at once, named as the body names them
        operator().body(Map.of("name", "", "country", "XX", "adminEmail", "nope", "adminPassword", "short"))
                .post("/api/v1/operator/organizations").then().statusCode(422).body("errors.field",
                        org.hamcrest.Matchers.containsInAnyOrder("name", "country", "adminEmail", "adminPassword"));
        operator().body(Map.of("name", "Initech", "country", "GB", "adminPassword", "a-long-password"))
                .post("/api/v1/operator/organizations").then().statusCode(422)
                .body("errors[0].field", equalTo("adminEmail"))
                .body("errors[0].message", containsString("is required"));
        // an address in use is told to pick another, not to "accept" an invitation it never had
        operator()
                .body(Map.of("name", "Globex Two", "country", "DE", "adminEmail", email, "adminPassword",
                        "a-long-password"))
                .post("/api/v1/operator/organizations").then().statusCode(422)
                .body("errors[0].field", equalTo("adminEmail"))
                .body("errors[0].message", org.hamcrest.Matchers.startsWith(
                        "already signs in to another organisation; give this organisation's admin another address"));
        operator().body(Map.of("status", "PAUSED")).put("/api/v1/operator/organizations/" + id + "/status").then()
                .statusCode(422).body("errors[0].field", equalTo("status"));
    }

    /**
     * Two organisations created at the same moment for one admin address (PostgreSQL): the first is created; the second
     * passed the "signs in elsewhere" check before the first committed, waits on the unique sign-in index, and is then
     * a 422 with nothing of it kept, not a 500 or an organisation whose admin can never sign in.
     */
    @Test
    void twoOrganisationsCreatedAtOnceForOneAdminAddressMakeOneAndA422() throws Exception {
        Databases.assumePostgres(dataSource, "two transactions on one unique index at once (pg_stat_activity)");
        String email = "race-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            Databases.Hold first = Databases.hold(pool,
                    () -> organizations.create("Hooli", "GB", email, "a-long-password"));
            Future<Response> second = pool
                    .submit(() -> operator().body(Map.of("name", "Hooli XYZ", "country", "GB", "adminEmail", email,
                            "adminPassword", "another-long-password")).post("/api/v1/operator/organizations"));
            Databases.awaitLockWaits(dataSource, 1);
            first.close();

            Response refused = second.get(60, TimeUnit.SECONDS);
            assertEquals(422, refused.statusCode(), refused.body().asString());
            assertEquals("adminEmail", refused.path("errors[0].field"));
            assertEquals(0L,
                    (long) QuarkusTransaction.requiringNew().call(() -> Organization.count("name", "Hooli XYZ")),
                    "nothing of the refused one is kept");
            given().filter(StaffClient.signIn(email, "a-long-password")).get("/app/orders").then().statusCode(200)
                    .body(containsString("Hooli"));
            // the refused insert is logged by Hibernate; the driver must not write its values (a password hash) or
            // the key's value (the address) into that line
            String log = java.nio.file.Files.readString(java.nio.file.Path.of("target/portlink-test.log"));
            org.junit.jupiter.api.Assertions.assertFalse(log.contains("$2a$"), "a password hash reached the log");
            org.junit.jupiter.api.Assertions.assertFalse(log.contains("Key (sign_in_email)"),
                    "the unique key's value reached the log");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void lockingStopsLinksSignInsKeysAndSessionsAtOnceAndUnlockingRestoresAllButTheSessions() {
        Fixtures.Tenant tenant = fixtures.tenant("FR");
        String ref = uniqueReference();
        String link = createOrderWithLink(tenant.apiKey(), ref, "lock@vendor.example");
        CookieFilter session = StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);

        operator().body(Map.of("status", "LOCKED")).put("/api/v1/operator/organizations/" + tenant.id() + "/status")
                .then().statusCode(200).body("status", equalTo("LOCKED"));
        given().header("User-Agent", PortalClient.BROWSER).get(link).then().statusCode(410)
                .body(containsString("not available")).body(org.hamcrest.Matchers.not(containsString(ref)));
        // who was signed in is told why on the sign-in page, as is the right password; a wrong one is only wrong
        given().filter(session).redirects().follow(false).get("/app/orders").then().statusCode(302).header("Location",
                containsString("/app/login?refused=locked"));
        given().redirects().follow(false).formParam("j_username", tenant.adminEmail())
                .formParam("j_password", Fixtures.PASSWORD).post("/j_security_check").then()
                .header("Location", containsString("/app/login?refused=locked"));
        given().get("/app/login?refused=locked").then().statusCode(200)
                .body(containsString("Your organisation is locked on this Portlink"));
        given().redirects().follow(false).formParam("j_username", tenant.adminEmail())
                .formParam("j_password", "not " + Fixtures.PASSWORD).post("/j_security_check").then()
                .header("Location", containsString("error"));
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/organization").then().statusCode(401);

        operator().body(Map.of("status", "ACTIVE")).put("/api/v1/operator/organizations/" + tenant.id() + "/status")
                .then().statusCode(200);
        given().header("User-Agent", PortalClient.BROWSER).get(link).then().statusCode(200).body(containsString(ref));
        // the lock ended the session for good: its staff sign in again
        given().filter(session).redirects().follow(false).get("/app/orders").then().statusCode(302).header("Location",
                containsString("/app/login"));
        given().filter(StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD)).get("/app/orders").then()
                .statusCode(200);
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/organization").then().statusCode(200)
                .body("id", equalTo((int) tenant.id())).body("name", equalTo(tenant.name()))
                .body("country", equalTo("FR")).body("timeZone", equalTo("Europe/Paris"))
                .body("status", equalTo("ACTIVE"));
    }

    @Test
    void operatorEndpointsNeedTheOperatorToken() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        given().contentType("application/json").body(Map.of("status", "LOCKED"))
                .put("/api/v1/operator/organizations/" + tenant.id() + "/status").then().statusCode(401)
                .contentType("application/problem+json");
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("application/json")
                .body(Map.of("status", "LOCKED")).put("/api/v1/operator/organizations/" + tenant.id() + "/status")
                .then().statusCode(401);
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/organization").then().body("status",
                equalTo("ACTIVE"));
        operator().body(Map.of("status", "LOCKED")).put("/api/v1/operator/organizations/999999999/status").then()
                .statusCode(404);
    }
}
