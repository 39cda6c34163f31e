package io.portlink.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.TrackingLinks;
import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A burst of link previews (mail scanners, chat apps) on the vendor and tracking pages, more at once than the
 * connection pool holds: every one is answered with the page, and the service keeps serving. A machine's fetch is
 * counted in a transaction of its own; were it taken while the page's read still held its connection, each request
 * would hold one and wait for a second, and the burst would use up the pool (500s after the acquisition timeout, for
 * every page and the API alike).
 */
@QuarkusTest
class LinkPreviewBurstTest {

    private static final String PREVIEW = "WhatsApp/2.23.20.0 A";

    @Inject
    Fixtures fixtures;

    @Inject
    TrackingLinks tracking;

    @ConfigProperty(name = "quarkus.datasource.jdbc.max-size")
    int poolSize;

    @Test
    void moreConcurrentPreviewsThanPooledConnectionsAreAllAnswered() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String reference = Fixtures.uniqueReference();
        String vendorPath = Fixtures.createOrderWithLink(tenant.apiKey(), reference, "burst@vendor.example");
        String trackingUrl = tracking
                .create(tenant.id(), fixtures.shipment(tenant.id()), null, ShipmentActor.staff(1, "anna@example.com"))
                .orElseThrow().url();
        String trackingPath = trackingUrl.substring(trackingUrl.indexOf("/t/"));

        Map<Integer, Integer> statuses = burst(List.of(vendorPath, vendorPath + "/orders/" + reference, trackingPath),
                3 * poolSize);
        assertEquals(Map.of(200, 3 * 3 * poolSize), statuses, "every preview of the burst is answered with the page");
        // and the service still serves afterwards
        assertEquals(Map.of(200, 1), burst(List.of(vendorPath), 1));
    }

    /** {@code perPath} requests to each path, all released at once; answers by status. */
    private static Map<Integer, Integer> burst(List<String> paths, int perPath) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        int n = paths.size() * perPath;
        ExecutorService threads = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                URI uri = URI.create(Fixtures.BASE_URL + paths.get(i % paths.size()));
                answers.add(threads.submit(() -> {
                    start.await();
                    return client.send(HttpRequest.newBuilder(uri).header("User-Agent", PREVIEW)
                            .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode();
                }));
            }
            start.countDown();
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (Future<Integer> answer : answers) {
                statuses.merge(answer.get(), 1, Integer::sum);
            }
            return statuses;
        } finally {
            threads.shutdownNow();
        }
    }
}
