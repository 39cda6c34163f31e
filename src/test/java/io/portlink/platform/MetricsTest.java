package io.portlink.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.dropship.DropshipConnection;
import io.portlink.dropship.Sync;
import io.portlink.dropship.SyncFixtures;
import io.portlink.outbox.OutboxDelivery;
import io.portlink.outbox.WebhookDelivery;
import io.portlink.outbox.Webhooks;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Management;
import io.portlink.testing.RawHttp;
import io.portlink.testing.Smtp;
import io.portlink.testing.TestClock;
import io.portlink.testing.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What an operator's Prometheus reads at {@code /q/metrics} on the management interface, after real actions: the
 * outbox's depth, oldest age (by the test clock) and dead messages by channel and kind, the dropship sync lag per
 * merchant id, HTTP requests by route template without any token, the connection pool. Neither the metrics, the health
 * checks nor the jobs' state are served on the public port.
 */
@QuarkusTest
class MetricsTest {

    @Inject
    Fixtures fixtures;

    @Inject
    SyncFixtures world;

    @Inject
    Sync sync;

    @Inject
    OutboxDelivery delivery;

    @Inject
    WebhookDelivery webhookDelivery;

    @Inject
    Webhooks webhooks;

    @Inject
    PortlinkConfig config;

    @Inject
    TestClock clock;

    @Inject
    DataSource dataSource;

    @Inject
    ScrapedGauges gauges;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @Test
    void managementEndpointsAreNeverServedOnThePublicPort() {
        for (String path : List.of("/q/metrics", "/q/jobs", "/q/health", "/q/health/ready", "/q/health/live")) {
            given().get(path).then().statusCode(404);
        }
        Management.given().get("/q/health/ready").then().statusCode(200);
        Management.given().get("/q/jobs").then().statusCode(200).contentType("application/json");
        String scrape = Management.metrics();
        assertTrue(scrape.contains("# TYPE agroal_active_count gauge"), "the connection pool's metrics");
        assertTrue(Management.value(scrape, "agroal_max_used_count", Map.of()).orElse(0) >= 1, "a connection was used");
        assertTrue(scrape.contains("jvm_memory_used_bytes"), "the JVM's metrics");
    }

    @Test
    void aQueuedMailIsCountedWithItsAgeUntilItIsDelivered() throws Exception {
        Smtp.fresh();
        fixtures.settleOutbox();
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        orderMailingItsLink(tenant, "metrics@vendor.example");
        List<String> kinds = pendingKinds();
        assertEquals(1, kinds.size(), "the order's mail is the one message waiting: " + kinds);
        Map<String, String> mail = Map.of("channel", "mail", "kind", kinds.get(0));

        String scrape = Management.metrics();
        assertEquals(1.0, Management.value(scrape, "portlink_outbox_pending", mail).orElseThrow(), scrape);
        assertEquals(0.0, Management.value(scrape, "portlink_outbox_oldest_pending_age_seconds", mail).orElseThrow());

        clock.advance(Duration.ofSeconds(90));
        scrape = Management.metrics();
        assertEquals(90.0, Management.value(scrape, "portlink_outbox_oldest_pending_age_seconds", mail).orElseThrow(),
                "the age follows the service's clock");

        assertEquals(1, Smtp.deliver(delivery, clock));
        scrape = Management.metrics();
        assertEquals(0.0, Management.value(scrape, "portlink_outbox_pending", mail).orElseThrow(),
                "a delivered kind stays visible, at 0");
        assertEquals(0.0, Management.value(scrape, "portlink_outbox_oldest_pending_age_seconds", mail).orElseThrow());
    }

    @Test
    void aWebhookGivenUpIsCountedAsDead() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        Map<String, String> shipped = Map.of("channel", "webhook", "kind", "shipment.shipped");
        double before = Management.value(Management.metrics(), "portlink_outbox_dead", shipped).orElse(0);
        try (WebhookReceiver receiver = WebhookReceiver.start(clock)) {
            var created = webhooks.create(tenant.id(), receiver.url(), "");
            receiver.secret(created.secret());
            receiver.always(500);
            webhooks.publish(tenant.id(), "shipment.shipped", Map.of("n", 1));
            assertEquals(1.0, Management.value(Management.metrics(), "portlink_outbox_pending", shipped).orElse(0));
            for (int i = 0; i < config.webhooks().maxAttempts(); i++) {
                webhookDelivery.deliverDue();
                clock.advance(config.webhooks().maxRetry().multipliedBy(2));
            }
            String scrape = Management.metrics();
            assertEquals(before + 1, Management.value(scrape, "portlink_outbox_dead", shipped).orElseThrow(), scrape);
            assertEquals(0.0, Management.value(scrape, "portlink_outbox_pending", shipped).orElseThrow());
            webhooks.delete(tenant.id(), created.endpoint().id());
        }
    }

    @Test
    void theSyncLagOfAMerchantIsTaggedWithItsIdOnlyAndFollowsItsLastSuccessfulRun() {
        var merchant = world.org();
        var supplier = world.org();
        world.connection(merchant.id(), supplier, DropshipConnection.Status.ACTIVE);
        Map<String, String> tags = Map.of("merchant", Long.toString(merchant.id()));
        clock.advance(Duration.ofHours(2));

        String scrape = Management.metrics();
        assertEquals(7200.0, Management.value(scrape, "portlink_dropship_sync_lag_seconds", tags).orElseThrow(),
                "never synced: since the connection was accepted");
        assertEquals(3600.0, Management.value(scrape, "portlink_dropship_sync_interval_seconds", tags).orElseThrow(),
                "hourly by default");

        assertTrue(sync.runNow(merchant.id()).run().isPresent());
        clock.advance(Duration.ofMinutes(30));
        scrape = Management.metrics();
        assertEquals(1800.0, Management.value(scrape, "portlink_dropship_sync_lag_seconds", tags).orElseThrow());
        assertFalse(scrape.contains(merchant.name()), "no customer data in metrics");
        assertFalse(scrape.contains(supplier.name()), "no customer data in metrics");
    }

    @Test
    void linksOpenedMakeOneSeriesByRouteTemplateAndNoTokenReachesTheMetrics() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String path = Fixtures.createOrderWithLink(tenant.apiKey(), Fixtures.uniqueReference(),
                    "tokens" + i + "@vendor.example");
            tokens.add(path.substring("/v/".length()));
        }
        for (int i = 0; i < 45; i++) {
            tokens.add(Tokens.generate(Tokens.VENDOR)); // well-formed, unknown: the neutral page
        }
        for (String token : tokens) {
            given().redirects().follow(false).get("/v/" + token);
        }
        // answered before any route matched: a semicolon (400), a tracking and a driver token, an invitation
        RawHttp.get("127.0.0.1", "/v/" + tokens.get(0) + ";x");
        String tracking = Tokens.generate(Tokens.TRACKING);
        String driver = Tokens.generate(Tokens.DRIVER);
        String invitation = Tokens.generate(Tokens.INVITATION);
        given().redirects().follow(false).get("/t/" + tracking);
        given().redirects().follow(false).get("/d/" + driver);
        given().redirects().follow(false).get("/app/invite/" + invitation);
        tokens.addAll(List.of(tracking, driver, invitation));

        String scrape = Management.metrics();
        for (String token : tokens) {
            assertFalse(scrape.contains(token.substring(3, 23)), "a token in the metrics: " + token);
        }
        assertFalse(Tokens.ANY.matcher(scrape).find(), "nothing shaped like a token in the metrics");
        Set<String> linkUris = Management.samples(scrape, "http_server_requests_seconds_count").stream()
                .map(s -> s.labels().get("uri")).filter(u -> u != null && u.startsWith("/v/"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(linkUris.stream().allMatch(u -> u.startsWith("/v/{token}")), linkUris.toString());
        var opened = Management.samples(scrape, "http_server_requests_seconds_count").stream()
                .filter(s -> "/v/{token}".equals(s.labels().get("uri")) && "GET".equals(s.labels().get("method")))
                .toList();
        assertTrue(opened.size() <= 3, "one series per status, not per link: " + opened);
        assertTrue(opened.stream().mapToDouble(Management.Sample::value).sum() >= 50, opened.toString());
    }

    @Test
    void theApiIsMeasuredByRoute() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders").then()
                .statusCode(200);
        String scrape = Management.metrics();
        assertTrue(
                Management
                        .value(scrape, "http_server_requests_seconds_count",
                                Map.of("uri", "/api/v1/purchase-orders", "method", "GET", "status", "200"))
                        .orElse(0) >= 1,
                scrape);
    }

    /**
     * A refusal (422) by a route without path parameters is counted under that route, so an operator sees which route
     * refuses; 4xx answers to addresses no route takes (here 400s for a semicolon, as a scanner gets them) are all
     * {@code UNKNOWN}: however many addresses are tried, none becomes a series of its own.
     */
    @Test
    void aRefusalKeepsItsRoutesTemplateAndAnUnmatchedAddressMakesNoSeries() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        Map<String, String> refused = Map.of("uri", "/api/v1/organization/retention", "method", "PUT", "status", "422");
        double before = Management.value(Management.metrics(), "http_server_requests_seconds_count", refused).orElse(0);
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("application/json")
                .body("{\"vendorLinkDays\":\"ten\"}").put("/api/v1/organization/retention").then().statusCode(422);

        String marker = RawHttp.marker("probe");
        for (int i = 0; i < 30; i++) {
            String answer = RawHttp.get("127.0.0.1", "/" + marker + "-" + i + "/wp-login.php;x");
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        }

        String scrape = Management.metrics();
        assertEquals(before + 1, Management.value(scrape, "http_server_requests_seconds_count", refused).orElse(0),
                "the refusal is counted under its route");
        assertFalse(scrape.contains(marker), "an address no route takes is no uri of its own");
        assertTrue(
                Management.value(scrape, "http_server_requests_seconds_count",
                        Map.of("uri", "UNKNOWN", "method", "GET", "status", "400")).orElse(0) >= 30,
                "counted as UNKNOWN");
    }

    /**
     * A staff form's redirect (303) by a route without path parameters is counted under that route, not under Quarkus's
     * {@code REDIRECTION}, so per-route alerts see the forms; the tag that carries the route to the filter is in no
     * series.
     */
    @Test
    void aFormsRedirectIsCountedUnderItsRoute() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        Map<String, String> saved = Map.of("uri", "/app/admin/retention", "method", "POST", "status", "303");
        double before = Management.value(Management.metrics(), "http_server_requests_seconds_count", saved).orElse(0);
        var admin = io.portlink.testing.StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        io.portlink.testing.StaffClient.postForm(admin, "/app/admin", "/app/admin/retention", "linkDays", "14",
                "imageDays", "", "positionDays", "7").statusCode(303);

        String scrape = Management.metrics();
        assertEquals(before + 1, Management.value(scrape, "http_server_requests_seconds_count", saved).orElse(0),
                scrape);
        assertFalse(scrape.contains("portlink_route"), "the carrier tag is exported nowhere");
    }

    /**
     * A staff page asked for without a session is sent to the sign-in page by authentication, before Quarkus REST
     * matches it: the answer is still counted under the page's route (named when the answer starts:
     * {@link UnmatchedRouteTemplate}), and it is the sign-in redirect it always was.
     */
    @Test
    void aRequestRefusedByAuthenticationIsCountedUnderItsRoute() {
        Map<String, String> refused = Map.of("uri", "/app/admin/retention", "method", "POST", "status", "302");
        double before = Management.value(Management.metrics(), "http_server_requests_seconds_count", refused).orElse(0);
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded").formParam("linkDays", "14")
                .post("/app/admin/retention").then().statusCode(302)
                .header("Location", org.hamcrest.Matchers.endsWith("/app/login"));

        String scrape = Management.metrics();
        assertEquals(before + 1, Management.value(scrape, "http_server_requests_seconds_count", refused).orElse(0),
                scrape);
    }

    /** Made-up HTTP methods, however many, make one series: {@code method="OTHER"}. */
    @Test
    void madeUpMethodsMakeOneSeries() {
        String marker = RawHttp.marker("zq").toUpperCase(java.util.Locale.ROOT);
        for (int i = 0; i < 20; i++) {
            given().request(marker + i, "/v/pv_nothing");
        }
        String scrape = Management.metrics();
        assertFalse(scrape.contains(marker), "no method of its own");
        assertTrue(scrape.contains("method=\"OTHER\""), scrape);
    }

    @Test
    void maskUriRemovesTokensFromAnyAddress() {
        String token = Tokens.generate(Tokens.VENDOR);
        assertEquals("/v/{token}", MetricTags.maskUri("/v/" + token));
        assertEquals("/v/{token}/orders/{id}", MetricTags.maskUri("/v/" + token + "/orders/{id}"));
        assertEquals("/v/{token}/accept", MetricTags.maskUri("/v/{token}/accept"));
        assertEquals("/app/invite/{token}", MetricTags.maskUri("/app/invite/whatever-it-is"));
        assertEquals("/api/v1/x/{token}", MetricTags.maskUri("/api/v1/x/" + Tokens.generate(Tokens.API_KEY)));
        assertEquals("/api/v1/purchase-orders", MetricTags.maskUri("/api/v1/purchase-orders"));
    }

    @Test
    void scrapesWithinTheCacheIntervalCostNoQuery() throws Exception {
        fixtures.settleOutbox();
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        gauges.refreshIfStale(Duration.ZERO);
        orderMailingItsLink(tenant, "cache@vendor.example");
        String kind = pendingKinds().get(0);
        Map<String, String> mail = Map.of("channel", "mail", "kind", kind);
        gauges.refreshIfStale(Duration.ofHours(1));
        assertEquals(0.0, pending(mail), "read within the interval: the last reading, no query");
        gauges.refreshIfStale(Duration.ZERO);
        assertEquals(1.0, pending(mail));
        fixtures.settleOutbox();
    }

    /** The gauge as the registry holds it (a scrape would read the database first). */
    private double pending(Map<String, String> tags) {
        var gauge = registry
                .find("portlink.outbox.pending").tags(tags.entrySet().stream()
                        .flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray(String[]::new))
                .gauge();
        return gauge == null ? 0 : gauge.value();
    }

    /** Creates an order through the API that mails its vendor the link (queued in the outbox). */
    private static void orderMailingItsLink(Fixtures.Tenant tenant, String vendorEmail) {
        Map<String, Object> order = new java.util.HashMap<>(Fixtures.order(Fixtures.uniqueReference(), vendorEmail));
        order.put("send", "LINK_ONLY");
        Fixtures.post(tenant.apiKey(), order).statusCode(201);
    }

    private List<String> pendingKinds() throws Exception {
        List<String> kinds = new ArrayList<>();
        try (Connection db = dataSource.getConnection();
                PreparedStatement select = db.prepareStatement(
                        "select kind from outbox_message where status = 'PENDING' and channel = 'MAIL'");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                kinds.add(rows.getString(1));
            }
        }
        return kinds;
    }
}
