package io.portlink.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.portlink.testing.Databases;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Races;
import io.portlink.testing.StaffClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The same create sent many times at the same moment (an integration retrying, a double submit, two people), on
 * PostgreSQL with real threads: each ends as it would one after the other (created once, then "exists" or a plain
 * refusal), never a 500 from a unique key, and no limit is passed.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CreateRacesTest {

    private static final int AT_ONCE = 8;

    @Inject
    Fixtures fixtures;

    @Inject
    DataSource dataSource;

    ExecutorService pool;
    Fixtures.Tenant tenant;

    @BeforeAll
    void start() {
        pool = Executors.newFixedThreadPool(AT_ONCE);
    }

    @AfterAll
    void stop() {
        pool.shutdownNow();
    }

    @BeforeEach
    void postgresOnly() throws Exception {
        Databases.assumePostgres(dataSource, "races are run on PostgreSQL, the production database");
        tenant = fixtures.tenant("GB");
    }

    /** How many answers had each status, e.g. {201=1, 422=7}. */
    private Map<Integer, Integer> statuses(int times, Callable<Integer> call) throws Exception {
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            calls.add(call);
        }
        @SuppressWarnings("unchecked")
        List<Integer> answers = Races.together(pool, calls.toArray(new Callable[0]));
        Map<Integer, Integer> counted = new TreeMap<>();
        answers.forEach(s -> counted.merge(s, 1, Integer::sum));
        return counted;
    }

    private int post(String path, Object body) {
        return given().header("Authorization", "Bearer " + tenant.apiKey()).contentType(ContentType.JSON).body(body)
                .post(path).statusCode();
    }

    private int count(String table, String where) throws Exception {
        try (var c = dataSource.getConnection();
                var st = c.prepareStatement("select count(*) from " + table + " where " + where)) {
            st.setLong(1, tenant.id());
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void theSameNewProductAtOnceIsCreatedOnce() throws Exception {
        var answers = statuses(AT_ONCE, () -> post("/api/v1/products", Map.of("sku", "RACE-1", "name", "Race mug")));
        assertEquals(Map.of(201, 1, 200, AT_ONCE - 1), answers, "one created, the others find it");
        assertEquals(1, count("product", "organization_id = ? and sku = 'RACE-1'"));
    }

    @Test
    void theSameNewSkuSetOnStockAtOnceIsCreatedOnce() throws Exception {
        var answers = statuses(AT_ONCE,
                () -> given().header("Authorization", "Bearer " + tenant.apiKey()).contentType(ContentType.JSON)
                        .body(Map.of("availableOnHand", 5, "name", "New")).put("/api/v1/inventory/RACE-2")
                        .statusCode());
        assertTrue(answers.keySet().stream().allMatch(s -> s < 300), "no error: " + answers);
        assertEquals(1, count("product", "organization_id = ? and sku = 'RACE-2'"));
    }

    @Test
    void theSameWarehouseAtOnceIsCreatedOnceAndTheOthersAreToldItExists() throws Exception {
        var answers = statuses(AT_ONCE, () -> post("/api/v1/warehouses", Map.of("name", "Race depot")));
        assertEquals(Map.of(201, 1, 422, AT_ONCE - 1), answers);
    }

    @Test
    void webhookEndpointsCreatedAtOnceNeverPassTheLimit() throws Exception {
        int already = 20 - AT_ONCE / 2;
        for (int i = 0; i < already; i++) {
            assertEquals(201, post("/api/v1/webhook-endpoints",
                    Map.of("url", "https://hooks.example.com/" + i, "eventTypes", List.of())));
        }
        AtomicInteger next = new AtomicInteger();
        var answers = statuses(AT_ONCE, () -> post("/api/v1/webhook-endpoints",
                Map.of("url", "https://hooks.example.com/race-" + next.incrementAndGet(), "eventTypes", List.of())));
        assertEquals(Map.of(201, AT_ONCE / 2, 422, AT_ONCE / 2), answers, "up to the limit of 20, no further");
        assertEquals(20, count("webhook_endpoint", "organization_id = ?"));
    }

    @Test
    void theSameWebhookEndpointAtOnceIsCreatedOnceAndTheOthersGetItWithoutItsSecret() throws Exception {
        List<String> secrets = java.util.Collections.synchronizedList(new ArrayList<>());
        var answers = statuses(AT_ONCE, () -> {
            var answer = given().auth().oauth2(tenant.apiKey()).contentType(ContentType.JSON)
                    .body(Map.of("url", "https://hooks.example.com/once", "eventTypes", List.of("order.confirmed")))
                    .post("/api/v1/webhook-endpoints");
            String secret = answer.jsonPath().getString("secret");
            if (secret != null) {
                secrets.add(secret);
            }
            return answer.statusCode();
        });
        // a receiver would otherwise get each event eight times, under eight event ids
        assertEquals(Map.of(201, 1, 200, AT_ONCE - 1), answers);
        assertEquals(1, count("webhook_endpoint", "organization_id = ?"));
        assertEquals(1, secrets.size(), "the secret is in the one answer that created the endpoint");
    }

    @Test
    void theSameShipmentNoteAtOnceIsAddedOnce() throws Exception {
        assertEquals(201, post("/api/v1/shipments", Map.of("reference", "SH-NOTE-RACE", "title", "Race")));
        var answers = statuses(AT_ONCE, () -> post("/api/v1/shipments/SH-NOTE-RACE/notes",
                Map.of("scope", "CUSTOMER", "text", "Left the depot")));
        // the customer's page would show the note eight times
        assertEquals(Map.of(201, 1, 200, AT_ONCE - 1), answers);
        assertEquals(1, count("shipment_note n join shipment s on s.id = n.shipment_id", "s.organization_id = ?"));
    }

    @Test
    void theSamePhotoSentAtOnceIsStoredOnce() throws Exception {
        assertEquals(201, post("/api/v1/shipments", Map.of("reference", "SH-PHOTO-RACE", "title", "Race")));
        byte[] photo = io.portlink.testing.Images.of("png", 30, 20);
        var answers = statuses(AT_ONCE, () -> given().header("Authorization", "Bearer " + tenant.apiKey())
                .contentType("image/png").body(photo).post("/api/v1/shipments/SH-PHOTO-RACE/photos").statusCode());
        // the gallery and the customer's page would show the same picture eight times
        assertEquals(Map.of(201, 1, 200, AT_ONCE - 1), answers);
        assertEquals(1, count("shipment_photo p join shipment s on s.id = p.shipment_id", "s.organization_id = ?"));
    }

    @Test
    void theSameProblemReportedAtOnceIsOpenedOnce() throws Exception {
        assertEquals(201, post("/api/v1/shipments", Map.of("reference", "SH-PROBLEM-RACE", "title", "Race")));
        var answers = statuses(AT_ONCE, () -> post("/api/v1/shipments/SH-PROBLEM-RACE/exceptions",
                Map.of("kind", "DAMAGE", "note", "Pallet 3 crushed")));
        assertEquals(Map.of(201, 1, 200, AT_ONCE - 1), answers);
        assertEquals(1, count("shipment_exception e join shipment s on s.id = e.shipment_id", "s.organization_id = ?"));
    }

    @Test
    void theSameSupplierInvitedAtOnceHasOneOpenInvitation() throws Exception {
        var answers = statuses(AT_ONCE, () -> post("/api/v1/connections/suppliers",
                Map.of("supplierName", "Race Supplies", "email", "orders@race.example")));
        assertEquals(Map.of(201, 1, 422, AT_ONCE - 1), answers);
        assertEquals(1, count("dropship_connection", "merchant_id = ?"));
    }

    @Test
    void theSamePersonInvitedAtOnceByStaffIsInvitedOnce() throws Exception {
        var staff = StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String token = StaffClient.csrf(staff, "/app/admin");
        var answers = statuses(AT_ONCE,
                () -> given().filter(staff).redirects().follow(false)
                        .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                        .formParam(StaffClient.FORM_TOKEN, token).formParam("email", "new.person@race.example")
                        .formParam("role", "STAFF").post("/app/admin/users/invite").statusCode());
        assertEquals(1, answers.getOrDefault(303, 0), "one invited: " + answers);
        assertTrue(answers.keySet().stream().allMatch(s -> s == 303 || s == 422), "the others refused: " + answers);
        assertEquals(1, count("staff_user", "organization_id = ? and email = 'new.person@race.example'"));
    }

    @Test
    void aMerchantsFirstSyncNowPressedAtOnceNeverFails() throws Exception {
        var answers = statuses(4, () -> post("/api/v1/sync/run", Map.of()));
        assertTrue(answers.keySet().stream().noneMatch(s -> s >= 500 && s != 503), "no server error: " + answers);
        assertEquals(1, count("dropship_settings", "organization_id = ?"));
    }
}
