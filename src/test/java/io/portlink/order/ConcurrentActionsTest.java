package io.portlink.order;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Staff and a vendor acting on the same order at the same moment, on PostgreSQL with real threads released together:
 * every staff action against every vendor action, many rounds each. Every answer is a valid one (never a 5xx), the
 * final state is exactly what the answers said happened, and the log shows no deadlock and no lost race.
 * {@code -Drace.rounds=N} sets the rounds per pair (the cancel-versus-confirm pair of the bug report always runs 30).
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentActionsTest {

    static final int ROUNDS = Integer.getInteger("race.rounds", 6);
    static final Path LOG = Path.of("target/portlink-test.log");
    /** What must never appear in the log while staff and vendors race. */
    static final Pattern TROUBLE = Pattern.compile("deadlock detected|OptimisticLock|StaleObjectState|"
            + "PessimisticLock|LockTimeout|ended as \"changed meanwhile\"| (5\\d\\d) [0-9.]+ ms");

    @Inject
    Fixtures fixtures;

    @Inject
    DataSource dataSource;

    @Inject
    TestClock clock;

    Fixtures.Tenant tenant;
    CookieFilter staff;
    String csrf;
    ExecutorService pool;
    long logStart;
    final Map<String, Integer> outcomes = new TreeMap<>();

    enum Staff {
        CANCEL, REGENERATE, REVOKE, REMIND, RESEND, MARK_SENT, EXPIRY
    }

    enum Vendor {
        CONFIRM, DECLINE, DATE, STATUS, TRACKING, NOTE, OPEN
    }

    @BeforeAll
    void start() throws Exception {
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
        csrf = csrf(staff, "/app/orders");
        logStart = Files.exists(LOG) ? Files.size(LOG) : 0;
        outcomes.clear();
    }

    /** The race of the bug report: 8 of 12 tries ended in HTTP 500 before. */
    @Test
    void staffCancellingWhileTheVendorConfirmsNeverFails() throws Exception {
        for (int i = 0; i < Math.max(30, ROUNDS); i++) {
            round(Staff.CANCEL, Vendor.CONFIRM);
        }
        System.out.println("cancel × confirm: " + outcomes);
        assertTrue(
                outcomes.keySet().stream()
                        .allMatch(k -> k.equals("staff 303 / vendor 409") || k.equals("staff 409 / vendor 303")),
                "exactly one of them wins each time: " + outcomes);
        assertCleanLog();
    }

    @Test
    void everyStaffActionAgainstEveryVendorAction() throws Exception {
        for (Staff s : Staff.values()) {
            for (Vendor v : Vendor.values()) {
                for (int i = 0; i < ROUNDS; i++) {
                    round(s, v);
                }
            }
        }
        System.out.println("every pair, " + ROUNDS + " rounds: " + outcomes);
        assertCleanLog();
    }

    private void assertCleanLog() throws IOException {
        List<String> trouble = new ArrayList<>();
        try (RandomAccessFile file = new RandomAccessFile(LOG.toFile(), "r")) {
            file.seek(Math.min(logStart, file.length()));
            byte[] bytes = new byte[(int) (file.length() - file.getFilePointer())];
            file.readFully(bytes);
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                if (TROUBLE.matcher(line).find()) {
                    trouble.add(line);
                }
            }
        }
        assertEquals(List.of(), trouble.stream().limit(20).toList(), "the log of the races");
    }

    /** One round: a fresh order, both requests released at once, then the answers checked against the state. */
    private void round(Staff s, Vendor v) throws Exception {
        String ref = uniqueReference();
        String link = createOrderWithLink(tenant.apiKey(), ref, "race-" + tenant.id() + "@vendor.example");
        JsonPath before = order(ref);
        long version = before.getLong("version");
        long linkId = before.getLong("links[0].id");
        PortalClient vendor = new PortalClient(link);
        // the form the vendor is about to send; the race's GET is the order's first open, writing to both rows
        if (v != Vendor.OPEN) {
            vendor.open("/orders/" + ref);
        }
        Map<String, String> form = v == Vendor.OPEN ? Map.of() : vendor.hidden();
        String date = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(20).toString();

        CyclicBarrier together = new CyclicBarrier(2);
        Future<Integer> staffAnswer = pool.submit(released(together, () -> staffRequest(s, ref, version, linkId)));
        Future<Integer> vendorAnswer = pool.submit(released(together, () -> vendorRequest(v, vendor, form, ref, date)));
        int staffStatus = staffAnswer.get(60, TimeUnit.SECONDS);
        int vendorStatus = vendorAnswer.get(60, TimeUnit.SECONDS);
        String what = s + " × " + v + " (" + ref + "): staff " + staffStatus + ", vendor " + vendorStatus;
        assertTrue(staffStatus < 500 && vendorStatus < 500, what);
        outcomes.merge(s == Staff.CANCEL && v == Vendor.CONFIRM ? "staff " + staffStatus + " / vendor " + vendorStatus
                : s + "×" + v + " " + staffStatus + "/" + vendorStatus, 1, Integer::sum);

        JsonPath after = order(ref);
        boolean staffDone = staffStatus == 303 || staffStatus == 200;
        assertTrue(staffDone || staffStatus == 409, what);
        assertEquals(staffDone, staffEffect(s, after, linkId), what + ": the staff action shows iff it succeeded");
        boolean vendorDone = vendorStatus == (v == Vendor.OPEN ? 200 : 303);
        assertTrue(vendorDone || vendorStatus == 409 || vendorStatus == 410, what);
        assertEquals(vendorDone, vendorEffect(v, after, linkId, date),
                what + ": the vendor action shows iff it succeeded");
        if (s == Staff.CANCEL && v != Vendor.OPEN) {
            assertTrue(!(staffDone && vendorDone), what + ": one form was outdated by the other");
        }
    }

    private static Callable<Integer> released(CyclicBarrier together, Callable<Integer> request) {
        return () -> {
            together.await(30, TimeUnit.SECONDS);
            return request.call();
        };
    }

    private int staffRequest(Staff s, String ref, long version, long linkId) {
        var request = given().filter(staff).redirects().follow(false).formParam("form-token", csrf);
        String base = "/app/orders/" + ref;
        Response response = switch (s) {
        case CANCEL -> request.formParam("version", version).formParam("reason", "race").post(base + "/cancel");
        case REGENERATE -> request.formParam("send", "NONE").post(base + "/links/" + linkId + "/regenerate");
        case REVOKE -> request.post(base + "/links/" + linkId + "/revoke");
        case REMIND -> request.post(base + "/remind");
        case RESEND -> request.post(base + "/resend");
        case MARK_SENT -> request.formParam("how", "phone").post(base + "/mark-sent");
        case EXPIRY -> request
                .formParam("expires", LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(10).toString())
                .post(base + "/links/" + linkId + "/expiry");
        };
        return response.statusCode();
    }

    private static int vendorRequest(Vendor v, PortalClient vendor, Map<String, String> form, String ref, String date) {
        Response response = switch (v) {
        case CONFIRM -> vendor.submitWith(form, ref, "confirm", Map.of());
        case DECLINE -> vendor.submitWith(form, ref, "decline", Map.of("reason", "out of stock"));
        case DATE -> vendor.submitWith(form, ref, "date", Map.of("date", date));
        case STATUS -> vendor.submitWith(form, ref, "status", Map.of("status", "PREPARING"));
        case TRACKING -> vendor.submitWith(form, ref, "tracking", Map.of("trackingNumber", "JD0146000"));
        case NOTE -> vendor.submitWith(form, ref, "note", Map.of("note", "hello"));
        // a person's open: the page and, as a browser showing it does, its render's stylesheet
        case OPEN -> vendor.open("");
        };
        return response.statusCode();
    }

    private static boolean staffEffect(Staff s, JsonPath order, long linkId) {
        List<String> events = order.getList("timeline.type", String.class);
        boolean revoked = order.get("links.find { it.id == " + linkId + " }.revokedAt") != null;
        return switch (s) {
        case CANCEL -> "CANCELLED".equals(order.getString("status"));
        case REGENERATE -> revoked && events.contains("LINK_REGENERATED") && order.getList("links").size() == 2;
        case REVOKE -> revoked && events.contains("LINK_REVOKED");
        case REMIND -> events.contains("REMINDER");
        case RESEND -> revoked && events.contains("LINK_REGENERATED");
        case MARK_SENT -> events.contains("LINK_SENT");
        case EXPIRY -> events.contains("LINK_EXPIRY");
        };
    }

    private static boolean vendorEffect(Vendor v, JsonPath order, long linkId, String date) {
        List<String> events = order.getList("timeline.type", String.class);
        return switch (v) {
        case CONFIRM -> events.contains("CONFIRMED");
        case DECLINE -> events.contains("DECLINED") && "out of stock".equals(order.getString("declineReason"));
        case DATE -> date.equals(order.getString("expectedDate"));
        case STATUS -> events.contains("STATUS");
        case TRACKING -> "JD0146000".equals(order.getString("trackingNumber"));
        case NOTE -> "hello".equals(order.getString("vendorNote"));
        case OPEN -> order.getInt("links.find { it.id == " + linkId + " }.openCount") == 1;
        };
    }

    private JsonPath order(String ref) {
        return given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .statusCode(200).extract().jsonPath();
    }
}
