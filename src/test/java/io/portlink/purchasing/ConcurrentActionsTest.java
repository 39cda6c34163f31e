package io.portlink.purchasing;

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

    /**
     * The double clicks: the same form sent twice at the same moment (14 of 15 answered 500 in the attack run).
     * Each time one applies and the other is "already saved", for every kind of form.
     */
    @Test
    void fifteenTrueDoubleClicksSaveOnceAndNeverFail() throws Exception {
        String[][] forms = { { "confirm", "CONFIRMED" }, { "date", "EXPECTED_DATE" }, { "tracking", "TRACKING" },
                { "note", "NOTE" }, { "status", "STATUS" }, { "decline", "DECLINED" } };
        Map<String, String> fields = Map.of("date",
                LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(9).toString(), "trackingNumber",
                "JD0146000", "note", "twice", "status", "PREPARING", "reason", "out of stock");
        for (int i = 0; i < 15; i++) {
            String[] form = forms[i % forms.length];
            String ref = uniqueReference();
            PortalClient vendor = new PortalClient(
                    createOrderWithLink(tenant.apiKey(), ref, "double-" + tenant.id() + "@vendor.example"));
            vendor.open("/orders/" + ref);
            Map<String, String> hidden = vendor.hidden(form[0]);
            CyclicBarrier together = new CyclicBarrier(2);
            Callable<Response> click = () -> vendor.submitWith(hidden, ref, form[0], fields);
            Future<Response> first = pool.submit(released(together, click));
            Future<Response> second = pool.submit(released(together, click));
            List<String> saved = new ArrayList<>();
            for (Future<Response> answer : List.of(first, second)) {
                Response response = answer.get(60, TimeUnit.SECONDS);
                assertEquals(303, response.statusCode(), form[0] + " (" + ref + "): " + response.asString());
                saved.add(response.header("Location").replaceAll(".*saved=", ""));
            }
            assertTrue(saved.contains("ALREADY") && saved.stream().filter("ALREADY"::equals).count() == 1,
                    form[0] + ": one applies, one is already saved: " + saved);
            List<String> events = order(ref).getList("timeline.type", String.class);
            assertEquals(1, events.stream().filter(form[1]::equals).count(), form[0] + " once: " + events);
        }
        assertCleanLog();
    }

    /**
     * The crowd: 20 vendors acting on one order at once (1,286 of 2,390 posts answered 500 in the attack run),
     * each opening the page and sending one of its forms, a bounded number of times ({@code -Drace.posts=N}). No answer
     * is an error: each form applies or, when an earlier one made it impossible (a step backwards, a "ship everything"
     * after all was shipped), the page says the order changed meanwhile; and the timeline holds exactly what the
     * answers said was saved.
     */
    @Test
    void twentyVendorsOnOneOrderNeverSeeAnError() throws Exception {
        int vendors = 20;
        int posts = Integer.getInteger("race.posts", 6);
        String ref = uniqueReference();
        String email = "crowd-" + tenant.id() + "@vendor.example";
        String link = createOrderWithLink(tenant.apiKey(), ref, email);
        String date = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(30).toString();
        ExecutorService crowd = Executors.newFixedThreadPool(vendors);
        CyclicBarrier together = new CyclicBarrier(vendors);
        Map<String, Integer> answers = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> savedNotes = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> savedTracking = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> savedDates = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> all = new ArrayList<>();
        try {
            for (int t = 0; t < vendors; t++) {
                int n = t;
                all.add(crowd.submit(() -> {
                    together.await(60, TimeUnit.SECONDS);
                    PortalClient vendor = new PortalClient(link);
                    for (int i = 0; i < posts; i++) {
                        vendor.fetch("/orders/" + ref);
                        String mark = n + "-" + i;
                        String day = LocalDate.parse(date).plusDays(n).toString();
                        String[] form = switch ((n + i) % 6) {
                        case 0 -> new String[] { "confirm" };
                        case 1 -> new String[] { "date", "date", day };
                        case 2 -> new String[] { "tracking", "trackingNumber", "JD" + mark };
                        case 3 -> new String[] { "status", "status", i % 2 == 0 ? "PREPARING" : "DISPATCHED" };
                        default -> new String[] { "note", "note", "note " + mark };
                        };
                        if (!vendor.offers(form[0]) || form[0].equals("status")
                                && !vendor.lastPage().contains("<option value=\"" + form[2] + "\"")) {
                            form = new String[] { "note", "note", "note " + mark }; // a person sends what is shown
                        }
                        Map<String, String> fields = form.length == 1 ? Map.of() : Map.of(form[1], form[2]);
                        Response response = vendor.submit(ref, form[0], fields);
                        int status = response.statusCode();
                        String saved = status == 303 ? response.header("Location").replaceAll(".*saved=", "") : "";
                        answers.merge(form[0] + " " + status + (saved.isEmpty() ? "" : " " + saved), 1, Integer::sum);
                        if (status != 303 && status != 409) {
                            errors.add(form[0] + " " + mark + ": " + status + " " + response.asString());
                        }
                        if (status == 303 && !saved.equals("ALREADY") && !saved.equals("CHANGED")) {
                            switch (form[0]) {
                            case "note" -> savedNotes.add(form[2]);
                            case "tracking" -> savedTracking.add(form[2]);
                            case "date" -> savedDates.add(form[2]);
                            default -> {
                            }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get(600, TimeUnit.SECONDS);
            }
        } finally {
            crowd.shutdownNow();
        }
        System.out.println("20 vendors × " + posts + " posts on one order: " + new TreeMap<>(answers));
        assertEquals(List.of(), errors.stream().limit(5).toList(), "never an error page");
        // "changed meanwhile": a step already passed, or the short tracking form drawn to ship everything once
        // another vendor shipped it all (applied, it would overwrite that parcel's tracking number)
        assertTrue(
                answers.keySet().stream().filter(k -> k.contains(" 409"))
                        .allMatch(k -> k.startsWith("status ") || k.startsWith("tracking ")),
                "only a step already passed or a parcel shipped meanwhile is \"changed meanwhile\"; every other form"
                        + " of an older page applies: " + answers);

        JsonPath after = order(ref);
        List<Map<String, String>> timeline = after.getList("timeline");
        java.util.function.Function<String, List<String>> details = type -> timeline.stream()
                .filter(e -> type.equals(e.get("type"))).map(e -> e.get("detail")).sorted().toList();
        assertEquals(savedNotes.stream().sorted().toList(), details.apply("NOTE"), "every saved note, once");
        // a tracking entry names the shipment it went to and, when it shipped lines, which: "PO-1-1: JD7-1; line 1 ×
        // 100"; a correction what it replaced: "PO-1-1: JD8-2 (corrected from JD7-1)"
        assertEquals(savedTracking.stream().sorted().toList(),
                details.apply("TRACKING").stream()
                        .map(d -> d.replaceAll("^[^:]*: ", "").replaceAll(";.*$", "")
                                .replaceAll(" \\(corrected from .*\\)$", ""))
                        .sorted().toList(),
                "every saved tracking number, once");
        assertEquals(savedDates.size(), details.apply("EXPECTED_DATE").size(), "every saved date, once");
        assertTrue(details.apply("CONFIRMED").size() <= 1, "confirmed once at most (a reported step confirms too)");
        assertTrue(savedTracking.contains(after.getString("trackingNumber")), "the number is one that was saved");
        assertTrue(savedDates.contains(after.getString("expectedDate")), "the date is one that was saved");
        assertEquals("DISPATCHED", after.getString("status"), "the furthest step any vendor reported");
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
        if (s == Staff.REMIND) {
            // a reminder is for an order the vendor was sent (one never sent is refused: "send it first")
            given().filter(staff).redirects().follow(false).formParam("form-token", csrf).formParam("how", "phone")
                    .post("/app/orders/" + ref + "/mark-sent").then().statusCode(303);
        }
        JsonPath before = order(ref);
        long version = before.getLong("version");
        long linkId = before.getLong("links[0].id");
        PortalClient vendor = new PortalClient(link);
        // the form the vendor is about to send; the race's GET is the order's first open, writing to both rows
        if (v != Vendor.OPEN) {
            vendor.open("/orders/" + ref);
        }
        String date = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(20).toString();

        CyclicBarrier together = new CyclicBarrier(2);
        Future<Integer> staffAnswer = pool.submit(released(together, () -> staffRequest(s, ref, version, linkId)));
        Future<Integer> vendorAnswer = pool.submit(released(together, () -> vendorRequest(v, vendor, ref, date)));
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
        // a note still reaches a cancelled order's buyer (its form stays on a closed order's page): no contradiction
        if (s == Staff.CANCEL && v != Vendor.OPEN && v != Vendor.NOTE) {
            assertTrue(!(staffDone && vendorDone), what + ": one form was outdated by the other");
        }
    }

    private static <T> Callable<T> released(CyclicBarrier together, Callable<T> request) {
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
        case REGENERATE -> request.formParam("send", "NONE").formParam("confirm", "yes")
                .post(base + "/links/" + linkId + "/regenerate");
        case REVOKE -> request.formParam("confirm", "yes").post(base + "/links/" + linkId + "/revoke");
        case REMIND -> request.post(base + "/remind");
        case RESEND -> request.post(base + "/resend");
        case MARK_SENT -> request.formParam("how", "phone").post(base + "/mark-sent");
        case EXPIRY -> request
                .formParam("expires", LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(10).toString())
                .post(base + "/links/" + linkId + "/expiry");
        };
        return response.statusCode();
    }

    private static int vendorRequest(Vendor v, PortalClient vendor, String ref, String date) {
        Response response = switch (v) {
        case CONFIRM -> vendor.submit(ref, "confirm", Map.of());
        case DECLINE -> vendor.submit(ref, "decline", Map.of("reason", "out of stock"));
        case DATE -> vendor.submit(ref, "date", Map.of("date", date));
        case STATUS -> vendor.submit(ref, "status", Map.of("status", "PREPARING"));
        case TRACKING -> vendor.submit(ref, "tracking", Map.of("trackingNumber", "JD0146000"));
        case NOTE -> vendor.submit(ref, "note", Map.of("note", "hello"));
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
