package io.portlink.link;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.portlink.platform.Tokens;
import io.portlink.purchasing.OrderQueue;
import io.portlink.purchasing.Orders;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.TestClock;
import io.portlink.timeline.Actor;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A page view writes nothing: a link's first person open and first machine fetch are written at once (the "Never
 * opened" bucket and the order's first open see them), repeats are counted in memory, shown to staff at once, and added
 * to the row by a flush; flushes from several replicas (instances here) at the same time neither lose nor double a
 * count, nor does a flush that fails or the one at shutdown. The Micrometer counters count every open.
 */
@QuarkusTest
class OpenCountsTest {

    @Inject
    Fixtures fixtures;

    @Inject
    OrderQueue queue;

    @Inject
    Orders orders;

    @Inject
    TestClock clock;

    @Inject
    OpenCounts counts;

    @Inject
    DataSource dataSource;

    @Inject
    io.portlink.platform.PortlinkConfig config;

    @Inject
    MeterRegistry registry;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
        counts.flush(); // what earlier tests left
    }

    private String[] sentOrder() {
        String ref = uniqueReference();
        String link = createOrderWithLink(tenant.apiKey(), ref, "opens@vendor.example");
        orders.markSent(tenant.id(), ref, Actor.system(), "WhatsApp");
        return new String[] { ref, link };
    }

    private boolean neverOpened(String ref) {
        return queue.page(tenant.id(), new OrderQueue.Filter(OrderQueue.Bucket.NEVER_OPENED, null, null, null), 0, 200)
                .items().stream().anyMatch(r -> r.reference().equals(ref));
    }

    /** The link's row as stored (not what staff see). */
    private static AccessLink row(String linkPath) {
        String token = linkPath.substring(linkPath.lastIndexOf('/') + 1);
        return QuarkusTransaction.requiringNew()
                .call(() -> AccessLink.<AccessLink> find("tokenHash", Tokens.sha256(token)).firstResult());
    }

    private double opens(String kind, String by) {
        return registry.counter(LinkMeters.OPENS, "kind", kind, "by", by).count(); // the same meter, made or found
    }

    private io.restassured.response.ValidatableResponse apiOrder(String ref) {
        return given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .statusCode(200);
    }

    @Test
    void theFirstOpenIsWrittenAtOnceRepeatsAtTheFlushAndStaffSeeThemAll() {
        String[] o = sentOrder();
        PortalClient person = new PortalClient(o[1]);
        Instant first = clock.instant();
        person.open("").then().statusCode(200);

        AccessLink stored = row(o[1]);
        assertEquals(1, stored.openCount, "the first open is in the row at once");
        assertEquals(first, stored.firstOpenedAt);
        assertFalse(neverOpened(o[0]), "the order left the Never opened bucket at once");

        clock.advance(Duration.ofMinutes(3));
        person.open("").then().statusCode(200);
        clock.advance(Duration.ofMinutes(1));
        person.open("").then().statusCode(200);
        Instant last = clock.instant();

        assertEquals(1, row(o[1]).openCount, "repeats are not written by the page's requests");
        assertEquals(first, row(o[1]).lastOpenedAt);
        apiOrder(o[0]).body("links[0].openCount", equalTo(3));

        assertTrue(counts.flush() >= 1);
        stored = row(o[1]);
        assertEquals(3, stored.openCount);
        assertEquals(first, stored.firstOpenedAt);
        assertEquals(last, stored.lastOpenedAt);
        apiOrder(o[0]).body("links[0].openCount", equalTo(3)); // nothing counted twice after the flush
        assertEquals(0, counts.pending(stored.id).people());
    }

    @Test
    void machinesAreCountedApartFirstAtOnceAndTheCountersTellPeopleFromBots() {
        String[] o = sentOrder();
        double bots = opens("vendor", "bot");
        double people = opens("vendor", "person");

        PortalClient scanner = new PortalClient(o[1])
                .as("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)");
        scanner.open("").then().statusCode(200); // fetches the stylesheet too: still no person
        AccessLink stored = row(o[1]);
        assertEquals(1, stored.botOpenCount, "the first machine fetch is in the row at once");
        assertNotNull(stored.lastBotOpenAt);
        assertEquals(0, stored.openCount);
        assertNull(stored.firstOpenedAt);
        given().head(o[1]).then().statusCode(200);
        scanner.fetch("").then().statusCode(200);
        assertEquals(1, row(o[1]).botOpenCount);
        assertTrue(neverOpened(o[0]), "machines never open an order");
        apiOrder(o[0]).body("links[0].botOpenCount", equalTo(3)).body("links[0].openCount", equalTo(0));

        counts.flush();
        assertEquals(3, row(o[1]).botOpenCount);
        assertEquals(0, row(o[1]).openCount);
        assertEquals(bots + 3, opens("vendor", "bot"));
        assertEquals(people, opens("vendor", "person"));

        new PortalClient(o[1]).open("").then().statusCode(200);
        assertEquals(people + 1, opens("vendor", "person"));
    }

    @Test
    void theTrackingPageViewCounterCountsEveryPageShown() {
        String link = trackingLink();
        double views = registry.counter("portlink.tracking.page.views").count();
        double people = opens("tracking", "person");
        new PortalClient(link).open("").then().statusCode(200);
        given().header("User-Agent", "WhatsApp/2.23.20.0").get(link).then().statusCode(200);
        given().get(link.substring(0, link.length() - 3) + "xyz").then().statusCode(404);
        assertEquals(views + 2, registry.counter("portlink.tracking.page.views").count());
        assertEquals(people + 1, opens("tracking", "person"));
    }

    /** A shipment with a tracking link, made through the API; returns the link's path (/t/pt_…). */
    private String trackingLink() {
        String ref = uniqueReference();
        api().body("{\"reference\":\"" + ref + "\",\"title\":\"18 pallets of tiles\",\"customer\":{\"name\":\"Jo\","
                + "\"email\":\"jo@customer.example\",\"language\":\"en\"},\"shipFrom\":\"Hamburg\",\"shipTo\":\"Lyon\"}")
                .post("/api/v1/shipments").then().statusCode(201);
        String url = api().body("{}").post("/api/v1/shipments/" + ref + "/tracking-link").then().statusCode(201)
                .extract().path("url");
        return url.substring(url.indexOf("/t/"));
    }

    private io.restassured.specification.RequestSpecification api() {
        return given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("application/json");
    }

    /** An OpenCounts of its own, as another replica has, writing to the same database. */
    private OpenCounts replica(DataSource source) {
        OpenCounts other = new OpenCounts();
        other.dataSource = source;
        other.config = config;
        return other;
    }

    @Test
    void replicasFlushingAtTheSameTimeNeitherLoseNorDoubleACount() throws Exception {
        String[] o = sentOrder();
        String[] p = sentOrder();
        long a = row(o[1]).id;
        long b = row(p[1]).id;
        List<OpenCounts> replicas = List.of(replica(dataSource), replica(dataSource), replica(dataSource));
        int perThread = 400;
        Instant base = Instant.parse("2026-03-01T10:00:00Z");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> work = new ArrayList<>();
            for (OpenCounts r : replicas) {
                // one thread counts while another flushes the same replica over and over
                work.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        r.person(a, base.plusSeconds(i));
                        r.bot(b, base.plusSeconds(i));
                        r.person(b, base.plusSeconds(perThread - i));
                    }
                    return null;
                }));
                work.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 20; i++) {
                        r.flush();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : work) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (OpenCounts r : replicas) {
            r.onStop(null); // the last flush of a stopping replica
            assertEquals(0, r.waiting());
        }
        AccessLink ra = row(o[1]);
        AccessLink rb = row(p[1]);
        assertEquals(3 * perThread, ra.openCount);
        assertEquals(3 * perThread, rb.openCount);
        assertEquals(3 * perThread, rb.botOpenCount);
        assertEquals(base.plusSeconds(perThread - 1), ra.lastOpenedAt, "the latest open, whichever flush wrote it");
        assertEquals(base.plusSeconds(perThread), rb.lastOpenedAt);
        assertEquals(base.plusSeconds(perThread - 1), rb.lastBotOpenAt);
    }

    @Test
    void aFlushThatFailsKeepsItsCountsForTheNextOne() throws SQLException {
        String[] o = sentOrder();
        long id = row(o[1]).id;
        DataSource down = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { DataSource.class }, (proxy, method, args) -> {
                    throw new SQLException("database unreachable");
                });
        OpenCounts r = replica(down);
        Instant at = Instant.parse("2026-03-02T08:00:00Z");
        r.person(id, at);
        r.person(id, at.plusSeconds(5));
        r.bot(id, at);
        assertEquals(0, r.flush());
        assertEquals(2, r.pending(id).people());
        r.onStop(null); // stopping while the database is down: nothing can be written, nothing is dropped either
        assertEquals(1, r.waiting());

        r.dataSource = dataSource;
        r.person(id, at.plusSeconds(1));
        assertEquals(1, r.flush());
        AccessLink stored = row(o[1]);
        assertEquals(3, stored.openCount);
        assertEquals(1, stored.botOpenCount);
        assertEquals(at.plusSeconds(5), stored.lastOpenedAt);
        assertNull(stored.firstOpenedAt, "repeats never set the first open: only a person's first open does");
    }
}
