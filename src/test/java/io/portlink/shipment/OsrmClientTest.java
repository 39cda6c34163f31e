package io.portlink.shipment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The OSRM client against a local stub that speaks OSRM's route JSON: the duration of routes[0] on "Ok"; nothing (so
 * the caller estimates) on an error code, a non-200 answer, unreadable JSON, a refused connection or a timeout.
 */
class OsrmClientTest {

    HttpServer server;
    final List<String> paths = new CopyOnWriteArrayList<>();
    volatile int status = 200;
    volatile String body;
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean stall;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        paths.add(exchange.getRequestURI().toString());
        if (stall) {
            try {
                release.await(10, TimeUnit.SECONDS); // held until the test ends: the client must give up first
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private OsrmClient client(Duration timeout) {
        return new OsrmClient("http://127.0.0.1:" + server.getAddress().getPort() + "/", timeout);
    }

    private static BigDecimal d(String v) {
        return new BigDecimal(v);
    }

    @Test
    void anOkRouteGivesItsDurationAndTheRequestNamesLongitudeFirst() {
        body = "{\"code\":\"Ok\",\"routes\":[{\"duration\":8673.4,\"distance\":144553.6,\"legs\":[]}],"
                + "\"waypoints\":[]}";
        var seconds = client(Duration.ofSeconds(2)).duration(d("51.507400"), d("-0.127800"), d("52.520000"),
                d("13.405000"));
        assertEquals(8673.4, seconds.getAsDouble(), 0.001);
        assertEquals("/route/v1/driving/-0.127800,51.507400;13.405000,52.520000?overview=false", paths.get(0));
    }

    @Test
    void errorsAreNoAnswer() {
        OsrmClient client = client(Duration.ofSeconds(2));
        body = "{\"code\":\"NoRoute\",\"message\":\"Impossible route between points\",\"routes\":[]}";
        assertTrue(client.duration(d("1"), d("2"), d("3"), d("4")).isEmpty());
        status = 400;
        body = "{\"code\":\"InvalidQuery\",\"message\":\"Query string malformed\"}";
        assertTrue(client.duration(d("1"), d("2"), d("3"), d("4")).isEmpty());
        status = 200;
        body = "<html>proxy error</html>";
        assertTrue(client.duration(d("1"), d("2"), d("3"), d("4")).isEmpty());
        body = "{\"code\":\"Ok\",\"routes\":[]}";
        assertTrue(client.duration(d("1"), d("2"), d("3"), d("4")).isEmpty());
    }

    @Test
    void aSlowEngineTimesOutAndAMissingOneIsRefused() {
        stall = true;
        body = "{\"code\":\"Ok\",\"routes\":[{\"duration\":60}]}";
        long start = System.nanoTime();
        assertTrue(client(Duration.ofMillis(300)).duration(d("1"), d("2"), d("3"), d("4")).isEmpty());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0,
                "gave up after its timeout, not the server's");
        int port = server.getAddress().getPort();
        server.stop(0);
        release.countDown();
        assertTrue(new OsrmClient("http://127.0.0.1:" + port, Duration.ofMillis(500))
                .duration(d("1"), d("2"), d("3"), d("4")).isEmpty());
    }
}
