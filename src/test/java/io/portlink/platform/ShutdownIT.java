package io.portlink.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.testing.PackagedApp;
import io.portlink.testing.StallingSmtp;

/**
 * SIGTERM to the packaged service, as Kubernetes sends it on every rolling update: an idle service stops at once, a
 * busy one stops taking traffic (readiness DOWN) and lets the request in flight and the mail in hand finish, a delivery
 * that has not started sending is given back at once for the next instance, and none logs an error. Runs in the
 * PostgreSQL pass of {@code ./mvnw verify}; each test starts the jar once.
 */
class ShutdownIT {

    /** Idle, the service stops in well under this (it used to take the whole 20 s shutdown timeout). */
    private static final Duration IDLE_STOP = Duration.ofSeconds(5);

    private static final String API_KEY = "pk_" + Base64.getUrlEncoder().withoutPadding()
            .encodeToString(UUID.randomUUID().toString().repeat(2).getBytes(StandardCharsets.US_ASCII))
            .substring(0, 43);

    private static String database;

    /** Per test, so that on H2 each test is reported as skipped with the reason (from @BeforeAll, neither would be). */
    @BeforeEach
    void database() throws Exception {
        if (database == null) {
            database = PackagedApp.freshDatabase("stop");
        }
    }

    /** The first start on the empty database creates an organisation and its API key; later starts change nothing. */
    private static Map<String, String> env(int smtpPort) {
        return Map.of("PORTLINK_BOOTSTRAP_ORGANIZATION", "Shutdown Test Ltd", "PORTLINK_BOOTSTRAP_ADMIN_EMAIL",
                "admin@shutdown.example", "PORTLINK_BOOTSTRAP_ADMIN_PASSWORD", "Stop-" + UUID.randomUUID(),
                "PORTLINK_BOOTSTRAP_API_KEY", API_KEY, "QUARKUS_MAILER_HOST", "127.0.0.1", "QUARKUS_MAILER_FROM",
                "Portlink <portlink@shutdown.example>", "QUARKUS_MAILER_PORT", Integer.toString(smtpPort),
                "PORTLINK_OUTBOX_EVERY", "1s");
    }

    @Test
    void anIdleServiceStopsAtOnceWithoutAnError() throws Exception {
        try (PackagedApp app = PackagedApp.start(database, env(PackagedApp.freePort()), "shutdown-idle.log")) {
            assertEquals(200, health(app));
            long start = System.nanoTime();
            app.terminate();
            int exit = app.awaitExit(Duration.ofSeconds(30));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(took.compareTo(IDLE_STOP) < 0, "stopped in " + took.toMillis() + " ms:\n" + app.output());
            assertTrue(exit == 0 || exit == 143, "a clean stop exits 0 or 143 (SIGTERM), got " + exit);
            assertEquals(List.of(), app.errors(), "no ERROR in the log of a clean stop");
        }
    }

    @Test
    void aBusyServiceGoesUnreadyThenFinishesTheRequestAndTheMailInFlightAndReleasesTheRest() throws Exception {
        try (StallingSmtp smtp = new StallingSmtp();
                PackagedApp app = PackagedApp.start(database, env(smtp.port()), "shutdown-busy.log")) {
            String first = "PO-STOP-" + UUID.randomUUID().toString().substring(0, 8);
            String second = "PO-STOP-" + UUID.randomUUID().toString().substring(0, 8);
            assertEquals(201, create(app, first, "LINK_ONLY"));
            assertEquals(201, create(app, second, "LINK_ONLY"));
            assertTrue(smtp.awaitFirstMail(Duration.ofSeconds(60)), "the delivery job sends the first mail");

            // a request whose headers have arrived (the server answered "100 Continue") and whose body has not
            String third = "PO-STOP-" + UUID.randomUUID().toString().substring(0, 8);
            try (Socket request = new Socket("127.0.0.1", app.port)) {
                byte[] body = orderJson(third, "NONE").getBytes(StandardCharsets.UTF_8);
                OutputStream out = request.getOutputStream();
                out.write(("POST /api/v1/purchase-orders HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                        + API_KEY + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                var in = new BufferedReader(new InputStreamReader(request.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("HTTP/1.1 100 Continue", in.readLine());
                in.readLine();

                app.terminate();
                awaitUnready(app);
                smtp.release(); // the server takes the mail in hand
                out.write(body);
                out.flush();
                assertEquals("HTTP/1.1 201 Created", in.readLine(), "the request in flight is answered");
            }
            int exit = app.awaitExit(Duration.ofSeconds(15));

            assertTrue(exit == 0 || exit == 143, "a clean stop exits 0 or 143 (SIGTERM), got " + exit);
            assertEquals(List.of(), app.errors(), "no ERROR in the log of a clean stop");
            assertEquals(1, smtp.recipients().size(), "the job stopped after the mail in hand: " + smtp.recipients());
            try (Connection c = DriverManager.getConnection(database, PackagedApp.user(),
                    System.getProperty("testdb.password")); var statement = c.createStatement()) {
                List<String> outbox = new ArrayList<>();
                try (var rows = statement.executeQuery("select p.reference, m.status, m.claimed_until"
                        + " from outbox_message m join purchase_order p on p.id = m.purchase_order_id"
                        + " where p.reference in ('" + first + "', '" + second + "') order by m.id")) {
                    while (rows.next()) {
                        outbox.add(rows.getString(1) + " " + rows.getString(2) + " claimed="
                                + (rows.getObject(3) != null));
                    }
                }
                assertEquals(List.of(first + " SENT claimed=false", second + " PENDING claimed=false"), outbox,
                        "the mail in hand is recorded as sent; the other is due at once for another replica");
                try (var rows = statement
                        .executeQuery("select count(*) from purchase_order where reference = '" + third + "'")) {
                    rows.next();
                    assertEquals(1, rows.getInt(1), "the order of the request in flight is stored");
                }
            }
        }
    }

    /**
     * A webhook whose receiver does not even complete the TCP handshake (its accept queue is full, so the connect
     * hangs): claimed, nothing of it sent. On SIGTERM, with a shutdown delay as in Kubernetes, readiness goes DOWN
     * while pages are still served; the delivery gives its claim back at once (no try counted, due now) instead of
     * holding the stop until its connect timeout; a request in flight past the moment new ones are refused is still
     * answered; the process exits soon after the delay, cleanly.
     */
    @Test
    void aDeliveryNotYetSendingWhenTheStopBeginsIsGivenBackAtOnceForTheNextInstance() throws Exception {
        try (Blackhole receiver = new Blackhole();
                PackagedApp app = PackagedApp.start(database, givingBackEnv(), "shutdown-give-back.log");
                Connection db = DriverManager.getConnection(database, PackagedApp.user(),
                        System.getProperty("testdb.password"))) {
            long message = queueWebhook(app, db, receiver.url());
            awaitClaimed(db, message);

            try (Socket request = new Socket("127.0.0.1", app.port)) {
                String reference = "PO-STOP-" + UUID.randomUUID().toString().substring(0, 8);
                byte[] body = orderJson(reference, "NONE").getBytes(StandardCharsets.UTF_8);
                OutputStream out = request.getOutputStream();
                out.write(("POST /api/v1/purchase-orders HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                        + API_KEY + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                var in = new BufferedReader(new InputStreamReader(request.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("HTTP/1.1 100 Continue", in.readLine());
                in.readLine();

                long stopped = System.nanoTime();
                app.terminate();
                awaitUnready(app);
                assertEquals(200, status(app.port, "/api/v1/purchase-orders"),
                        "readiness is DOWN while the service still serves (the load balancer stops first)");
                // given back on the delivery's own thread once its connect is cancelled: within the delay (2 s), long
                // before the connect timeout (14 s)
                String row = outboxRow(db, message);
                for (long until = System.nanoTime() + Duration.ofMillis(1500).toNanos(); !row
                        .equals("PENDING attempts=0 claimed=false due=true")
                        && System.nanoTime() < until; row = outboxRow(db, message)) {
                    java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
                }
                assertEquals("PENDING attempts=0 claimed=false due=true", row,
                        "the delivery gave its claim back within 1.5 s of readiness going DOWN, with no try counted, due for"
                                + " another instance");

                // the delay is over once new requests are refused; the request in flight is still answered
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (status(app.port, "/api/v1/purchase-orders") == 200) {
                    assertTrue(System.nanoTime() < deadline, "still taking new requests 15 s after SIGTERM");
                    Thread.onSpinWait();
                }
                out.write(body);
                out.flush();
                assertEquals("HTTP/1.1 201 Created", in.readLine(), "the request in flight is answered");

                int exit = app.awaitExit(Duration.ofSeconds(20));
                Duration took = Duration.ofNanos(System.nanoTime() - stopped);
                assertTrue(took.compareTo(GIVE_BACK_DELAY.plusSeconds(5)) < 0,
                        "exited " + took.toMillis() + " ms after SIGTERM: the stop waited for the delivery");
                assertTrue(exit == 0 || exit == 143, "a clean stop exits 0 or 143 (SIGTERM), got " + exit);
                assertEquals(List.of(), app.errors(), "no ERROR in the log of a clean stop");
            }
            assertEquals("PENDING attempts=0 claimed=false due=true", outboxRow(db, message),
                    "after the exit, the webhook is unsent and due at once for the next instance");
        }
    }

    /** The shutdown delay of the give-back test, as k8s/ has one (shorter, to keep the test short). */
    private static final Duration GIVE_BACK_DELAY = Duration.ofSeconds(2);

    private static Map<String, String> givingBackEnv() {
        Map<String, String> env = new java.util.HashMap<>(env(PackagedApp.freePort()));
        env.put("QUARKUS_SHUTDOWN_DELAY", GIVE_BACK_DELAY.toSeconds() + "s");
        env.put("PORTLINK_WEBHOOKS_ALLOW_LOCAL", "true");
        // longer than the whole test's stop: a stop that waited for the connect would show
        env.put("PORTLINK_WEBHOOKS_CONNECT_TIMEOUT", "14s");
        env.put("PORTLINK_JOBS_START_DELAY", "0s");
        return env;
    }

    /** A webhook endpoint (through the API) and one delivery to it, queued as the outbox queues one; its id. */
    private static long queueWebhook(PackagedApp app, Connection db, String url) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) URI
                .create("http://127.0.0.1:" + app.port + "/api/v1/webhook-endpoints").toURL().openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Authorization", "Bearer " + API_KEY);
        connection.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = connection.getOutputStream()) {
            out.write(("{\"url\": \"" + url + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(201, connection.getResponseCode());
        connection.disconnect();
        String event = "evt_" + UUID.randomUUID().toString().replace("-", "");
        try (var insert = db.prepareStatement("insert into outbox_message (id, organization_id, channel, kind,"
                + " webhook_endpoint_id, recipient, subject, message_id, body_text, status, attempts, next_attempt_at,"
                + " created_at) select (select coalesce(max(id), 0) + 1000000 from outbox_message), e.organization_id,"
                + " 'WEBHOOK', 'webhook.test', e.id, e.url, 'webhook.test', ?, ?, 'PENDING', 0, now(), now()"
                + " from webhook_endpoint e where e.url = ? returning id")) {
            insert.setString(1, event);
            insert.setString(2, "{\"id\": \"" + event + "\", \"type\": \"webhook.test\", \"data\": {}}");
            insert.setString(3, url);
            try (var rows = insert.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Waits until the delivery job has claimed the message (it is then connecting). */
    private static void awaitClaimed(Connection db, long message) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!outboxRow(db, message).contains("claimed=true")) {
            assertTrue(System.nanoTime() < deadline, "the delivery job never claimed the webhook");
            Thread.onSpinWait();
        }
    }

    /** The message's state, as the next instance's delivery run would see it. */
    private static String outboxRow(Connection db, long message) throws Exception {
        try (var query = db.prepareStatement("select status, attempts, claimed_until is not null,"
                + " next_attempt_at <= now() from outbox_message where id = ?")) {
            query.setLong(1, message);
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getString(1) + " attempts=" + rows.getInt(2) + " claimed=" + rows.getBoolean(3) + " due="
                        + rows.getBoolean(4);
            }
        }
    }

    /**
     * A receiver whose accept queue is full and which never accepts: a client's connect hangs (the kernel drops its
     * SYN), the way a receiver behind an overloaded or unreachable address looks. Nothing of a request ever reaches it.
     */
    private static final class Blackhole implements AutoCloseable {

        private final java.net.ServerSocket server;
        private final List<Socket> queued = new ArrayList<>();

        Blackhole() throws Exception {
            server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
            // fill the accept queue until one more connect no longer completes
            while (queued.size() < 16) {
                Socket s = new Socket();
                try {
                    s.connect(server.getLocalSocketAddress(), 300);
                    queued.add(s);
                } catch (java.net.SocketTimeoutException e) {
                    s.close();
                    return;
                }
            }
            throw new IllegalStateException("the accept queue never filled up");
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort() + "/hooks";
        }

        @Override
        public void close() throws Exception {
            for (Socket s : queued) {
                s.close();
            }
            server.close();
        }
    }

    /** Readiness answers 503 once the stop has begun (the probe takes the replica out of the service). */
    private static void awaitUnready(PackagedApp app) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status;
        while ((status = health(app)) == 200) {
            assertTrue(System.nanoTime() < deadline, "readiness still UP 10 s after SIGTERM");
            Thread.onSpinWait();
        }
        assertEquals(503, status);
    }

    /** Readiness, on the management interface (never the public port). */
    private static int health(PackagedApp app) throws Exception {
        return status(app.managementPort, "/q/health/ready");
    }

    private static int status(int port, String path) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL()
                .openConnection();
        connection.setRequestProperty("Authorization", "Bearer " + API_KEY);
        connection.setRequestProperty("Connection", "close");
        connection.setConnectTimeout(2000);
        connection.setReadTimeout(5000);
        try {
            return connection.getResponseCode();
        } finally {
            connection.disconnect();
        }
    }

    private static int create(PackagedApp app, String reference, String send) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) URI
                .create("http://127.0.0.1:" + app.port + "/api/v1/purchase-orders").toURL().openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Authorization", "Bearer " + API_KEY);
        connection.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = connection.getOutputStream()) {
            out.write(orderJson(reference, send).getBytes(StandardCharsets.UTF_8));
        }
        try {
            return connection.getResponseCode();
        } finally {
            connection.disconnect();
        }
    }

    private static String orderJson(String reference, String send) {
        return """
                {"reference": "%s", "vendor": {"name": "Vendor %s", "email": "%s@vendor.example"},
                 "lines": [{"sku": "HB-8", "description": "Hex bolt M8", "quantity": 10, "unit": "pcs"}],
                 "send": "%s"}""".formatted(reference, reference, reference.toLowerCase(), send);
    }
}
