package io.portlink.purchasing;

import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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

import io.portlink.outbox.OutboxMessage;
import io.portlink.testing.Databases;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Races;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The same import (or order) sent twice at the same moment, on PostgreSQL with real threads released together: the
 * second waits for the first and answers as a re-import does (unchanged, or a conflict for other content), never a 500;
 * the import page's e-mail button pressed twice at once mails the vendor once.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentImportsTest {

    static final int ROUNDS = Integer.getInteger("race.rounds", 6);
    private static final Pattern TOKEN = Pattern.compile("data-link-url>[^<]*/v/(pv_[A-Za-z0-9_-]{43})<");

    @Inject
    Fixtures fixtures;

    @Inject
    DataSource dataSource;

    ExecutorService pool;
    Fixtures.Tenant tenant;

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
    }

    /** Runs both at the same moment and returns their responses in order. */
    List<Response> together(Callable<Response> a, Callable<Response> b) throws Exception {
        return Races.together(pool, a, b);
    }

    Response csv(String body) {
        return given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv; charset=UTF-8")
                .body(body).post("/api/v1/purchase-orders/import");
    }

    static String rows(String... references) {
        StringBuilder csv = new StringBuilder("reference,vendor_name,vendor_email,sku,quantity\n");
        for (String reference : references) {
            csv.append(reference).append(",Vendor ").append(reference).append(',').append(reference.toLowerCase())
                    .append("@vendor.example,S1,2\n");
        }
        return csv.toString();
    }

    @Test
    void theSameCsvTwiceAtOnceCreatesItOnceAndTheOtherIsUnchanged() throws Exception {
        for (int i = 0; i < ROUNDS; i++) {
            String a = uniqueReference();
            String b = uniqueReference();
            String csv = rows(a, b);
            List<Response> r = together(() -> csv(csv), () -> csv(csv));
            for (Response response : r) {
                assertEquals(200, response.statusCode(), response.asString());
            }
            assertEquals(2, r.get(0).jsonPath().getInt("created") + r.get(1).jsonPath().getInt("created"));
            assertEquals(2, r.get(0).jsonPath().getInt("unchanged") + r.get(1).jsonPath().getInt("unchanged"));
            // the same references in another order and another file at once: still one order each
            String c = uniqueReference();
            String d = uniqueReference();
            List<Response> swapped = together(() -> csv(rows(c, d)), () -> csv(rows(d, c)));
            for (Response response : swapped) {
                assertEquals(200, response.statusCode(), response.asString());
            }
            assertEquals(2, swapped.get(0).jsonPath().getInt("created") + swapped.get(1).jsonPath().getInt("created"));
        }
    }

    Response json(String reference, int quantity) {
        var body = Map.of("reference", reference, "vendor", Map.of("name", "Vendor " + reference), "lines",
                List.of(Map.of("sku", "S1", "quantity", quantity)));
        return given().header("Authorization", "Bearer " + tenant.apiKey()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/purchase-orders");
    }

    @Test
    void theSameJsonOrderTwiceAtOnceIsCreatedOnceAndOtherContentIsAConflict() throws Exception {
        for (int i = 0; i < ROUNDS; i++) {
            String same = uniqueReference();
            List<Response> r = together(() -> json(same, 3), () -> json(same, 3));
            List<Integer> codes = new ArrayList<>(List.of(r.get(0).statusCode(), r.get(1).statusCode()));
            codes.sort(null);
            assertEquals(List.of(200, 201), codes, r.get(0).asString() + r.get(1).asString());

            String other = uniqueReference();
            r = together(() -> json(other, 3), () -> json(other, 4));
            codes = new ArrayList<>(List.of(r.get(0).statusCode(), r.get(1).statusCode()));
            codes.sort(null);
            assertEquals(List.of(201, 409), codes, r.get(0).asString() + r.get(1).asString());
        }
    }

    Response upload(CookieFilter staff, String token, String csv, String send) {
        return given().filter(staff).multiPart("form-token", token).multiPart("send", send)
                .multiPart("file", "orders.csv", csv.getBytes(StandardCharsets.UTF_8), "text/csv").post("/app/import");
    }

    @Test
    void aDoubleClickOnUploadShowsBothResultPages() throws Exception {
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        for (int i = 0; i < ROUNDS; i++) {
            String token = csrf(staff, "/app/import");
            String csv = rows(uniqueReference(), uniqueReference());
            List<Response> r = together(() -> upload(staff, token, csv, "NONE"),
                    () -> upload(staff, token, csv, "NONE"));
            String pages = r.get(0).asString() + r.get(1).asString();
            assertEquals(200, r.get(0).statusCode(), pages);
            assertEquals(200, r.get(1).statusCode(), pages);
            assertTrue(pages.contains("2 orders created, 0 unchanged.")
                    && pages.contains("0 orders created, 2 unchanged."), pages);
        }
    }

    Response send(CookieFilter staff, String csrf, String action, String held) {
        return given().filter(staff).formParam("form-token", csrf).formParam("action", action).formParam("created", 1)
                .formParam("unchanged", 0).formParam("importSend", "NONE").formParam("held", held)
                .post("/app/import/send");
    }

    /** Two presses of "E-mail PO + link" at once: one mail, and both pages keep the link. */
    @Test
    void theResultPagesEmailButtonTwiceAtOnceMailsOnce() throws Exception {
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        for (int i = 0; i < ROUNDS; i++) {
            String reference = uniqueReference();
            String page = upload(staff, csrf(staff, "/app/import"), rows(reference), "NONE").then().statusCode(200)
                    .extract().asString();
            Matcher m = TOKEN.matcher(page);
            assertTrue(m.find(), page);
            String link = m.group(1);
            String token = csrf(staff, "/app/import");
            List<Response> r = together(() -> send(staff, token, "PO_AND_LINK " + link, link),
                    () -> send(staff, token, "PO_AND_LINK " + link, link));
            String pages = r.get(0).asString() + r.get(1).asString();
            assertEquals(200, r.get(0).statusCode(), pages);
            assertEquals(200, r.get(1).statusCode(), pages);
            assertTrue(pages.contains("queued for e-mail") && pages.contains("was not sent twice"), pages);
            long mails = QuarkusTransaction.requiringNew().call(() -> OutboxMessage.count(
                    "purchaseOrderId in (select o.id from PurchaseOrder o where o.reference = ?1) and kind = ?2",
                    reference, "PO_AND_LINK"));
            assertEquals(1, mails, "one mail for " + reference);
        }
    }
}
