package io.portlink.purchasing;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.portlink.testing.Databases;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.Races;
import io.portlink.timeline.Actor;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.response.Response;

/**
 * Dealing with a declined order while someone else acts on it, on PostgreSQL with real threads released together: the
 * same re-source sent twice at once creates one order; a re-source or "mark handled" racing the vendor's reopening ends
 * with exactly one of them applied, and nobody sees an error page.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeclinedOrderRacesTest {

    static final int ROUNDS = Integer.getInteger("race.rounds", 6);

    @Inject
    Fixtures fixtures;

    @Inject
    DataSource dataSource;

    @Inject
    Orders orders;

    Fixtures.Tenant tenant;
    CookieFilter staff;
    ExecutorService pool;
    long insteadVendor;

    @BeforeAll
    void start() {
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    void stop() {
        pool.shutdownNow();
    }

    @BeforeEach
    void postgresOnly() throws Exception {
        Databases.assumePostgres(dataSource,
                "races are run on PostgreSQL, the production database (H2 locks whole tables differently)");
        tenant = fixtures.tenant("GB");
        staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        insteadVendor = 0;
        createOrderWithLink(tenant.apiKey(), uniqueReference(), "instead@vendor.example");
    }

    @Test
    void theSameReSourceSentTwiceAtOnceCreatesOneOrder() throws Exception {
        for (int i = 0; i < ROUNDS; i++) {
            Declined order = declined();
            String token = csrf(staff, "/app/orders/" + order.reference);
            List<Response> answers = Races.together(pool, () -> reSource(order, token), () -> reSource(order, token));
            for (Response answer : answers) {
                assertEquals(303, answer.statusCode(), answer.asString());
                assertTrue(answer.header("Location").endsWith("made=" + order.reference + "-R1"),
                        answer.header("Location"));
            }
            given().filter(staff).get("/app/orders/" + order.reference + "-R1").then().statusCode(200);
            given().filter(staff).get("/app/orders/" + order.reference + "-R2").then().statusCode(404);
            assertEquals(1, Pattern.compile("re-sourced to ")
                    .matcher(given().filter(staff).get("/app/orders/" + order.reference).asString()).results().count(),
                    "one cancel on the timeline");
        }
    }

    @Test
    void reSourceAgainstTheVendorReopeningNeverFails() throws Exception {
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < ROUNDS; i++) {
            Declined order = declined();
            String token = csrf(staff, "/app/orders/" + order.reference);
            List<Response> answers = Races.together(pool, () -> reSource(order, token),
                    () -> order.vendor.submit(order.reference, "reopen", Map.of("understood", "yes")));
            int staffStatus = answers.get(0).statusCode();
            int vendorStatus = answers.get(1).statusCode();
            outcomes.merge("staff " + staffStatus + " / vendor " + vendorStatus, 1, Integer::sum);
            assertTrue(staffStatus < 500 && vendorStatus < 500, answers.get(0).asString() + answers.get(1).asString());
            String page = given().filter(staff).get("/app/orders/" + order.reference).asString();
            boolean resourced = given().filter(staff).get("/app/orders/" + order.reference + "-R1").statusCode() == 200;
            if (staffStatus == 303) {
                assertTrue(resourced && page.contains(">Cancelled</span>"), "the re-source applied");
            } else {
                assertEquals(409, staffStatus);
                assertTrue(answers.get(0).asString().contains("was changed meanwhile"));
                assertTrue(!resourced && page.contains("Reopened by vendor on"), "the reopen applied");
            }
        }
        System.out.println("re-source × reopen: " + outcomes);
    }

    @Test
    void markHandledAgainstTheVendorReopeningNeverFails() throws Exception {
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < ROUNDS; i++) {
            Declined order = declined();
            String token = csrf(staff, "/app/orders/" + order.reference);
            List<Response> answers = Races.together(pool,
                    () -> post(token, "/app/orders/" + order.reference + "/decline/handled", Map.of()),
                    () -> order.vendor.submit(order.reference, "reopen", Map.of("understood", "yes")));
            outcomes.merge("staff " + answers.get(0).statusCode() + " / vendor " + answers.get(1).statusCode(), 1,
                    Integer::sum);
            assertTrue(answers.get(0).statusCode() < 500 && answers.get(1).statusCode() < 500);
            // whichever came first, the vendor's reopen stands: the order is open and in "Reopened by vendor"
            assertTrue(given().filter(staff).get("/app/orders?bucket=REOPENED").asString()
                    .contains("data-reference=\"" + order.reference + "\""), outcomes.toString());
        }
        System.out.println("mark handled × reopen: " + outcomes);
    }

    record Declined(String reference, String version, PortalClient vendor) {
    }

    /** A declined order whose vendor has its page open (the reopen form ready), and the version staff see. */
    private Declined declined() {
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "declines@vendor.example"));
        vendor.act(ref, "decline", Map.of("reason", "out of stock")).then().statusCode(303);
        long linkId = Fixtures.firstLinkId(tenant.apiKey(), ref);
        String url = orders.regenerateLink(tenant.id(), ref, linkId, Actor.system(), SendOption.NONE).orElseThrow()
                .url();
        PortalClient fresh = new PortalClient(url.substring(url.indexOf("/v/")));
        fresh.open("/orders/" + ref);
        Matcher m = Pattern.compile("name=\"version\" value=\"(\\d+)\"")
                .matcher(given().filter(staff).get("/app/orders/" + ref).asString());
        assertTrue(m.find());
        if (insteadVendor == 0) {
            Matcher v = Pattern.compile("value=\"(\\d+)\" id=\"vendor-\\d+\"[^>]*> Vendor instead@vendor.example")
                    .matcher(given().filter(staff).get("/app/orders/" + ref + "/resource").asString());
            assertTrue(v.find());
            insteadVendor = Long.parseLong(v.group(1));
        }
        return new Declined(ref, m.group(1), fresh);
    }

    private Response reSource(Declined order, String token) {
        return post(token, "/app/orders/" + order.reference + "/resource",
                Map.of("version", order.version, "vendor", Long.toString(insteadVendor)));
    }

    private Response post(String token, String path, Map<String, String> fields) {
        return given().filter(staff).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8").formParam("form-token", token)
                .formParams(fields).post(path);
    }
}
