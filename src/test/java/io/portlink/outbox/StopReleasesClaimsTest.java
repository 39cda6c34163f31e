package io.portlink.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.inject.Vetoed;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.platform.GracefulStop;
import io.portlink.testing.Fixtures;
import io.portlink.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A stop that reaches its deadline while a delivery still waits for its receiver gives that try up and releases the
 * claim: the message is due again at once for another replica, its try not counted, instead of waiting out the lease
 * (30 s) while the replica is gone. The stop is played by a {@link GracefulStop} whose abandonment the test triggers;
 * the receiver accepts the connection and says nothing until the test lets it answer.
 */
@QuarkusTest
class StopReleasesClaimsTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Webhooks webhooks;

    @Inject
    WebhookDelivery delivery;

    @Inject
    TestClock clock;

    @Inject
    EntityManager em;

    /** A stop whose deadline the test brings about (installed per test, never a bean of its own). */
    @Vetoed
    static final class Stopping extends GracefulStop {
        volatile CompletableFuture<Void> abandoned = new CompletableFuture<>();

        @Override
        public CompletableFuture<Void> abandoned() {
            return abandoned;
        }

        /** As in a real stop, a stop that gives the step in hand up has been requested (no further step starts). */
        @Override
        public boolean requested() {
            return abandoned.isDone();
        }
    }

    Stopping stopping;
    Fixtures.Tenant tenant;
    ExecutorService runner;

    @BeforeEach
    void setUp() {
        stopping = new Stopping();
        QuarkusMock.installMockForType(stopping, GracefulStop.class);
        tenant = fixtures.tenant("GB");
        runner = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void tearDown() {
        for (var e : webhooks.list(tenant.id())) {
            webhooks.delete(tenant.id(), e.id());
        }
        runner.shutdownNow();
    }

    @Test
    void aWebhookInFlightWhenTheStopGivesUpIsDueAgainAtOnceAndDeliveredOnceByTheNextRun() throws Exception {
        try (ServerSocket receiver = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            var endpoint = webhooks.create(tenant.id(), "http://127.0.0.1:" + receiver.getLocalPort() + "/hooks", "");
            QuarkusTransaction.requiringNew()
                    .run(() -> webhooks.publish(tenant.id(), "shipment.shipped", Map.of("reference", "SH-STOP")));

            Future<Integer> run = runner.submit(() -> delivery.deliverDue());
            try (Socket silent = receiver.accept()) {
                silent.setSoTimeout(10_000);
                assertTrue(readRequestHead(silent.getInputStream()), "the try reached the receiver");
                Row during = row(endpoint.endpoint().id());
                assertTrue(during.claimedUntil() != null && during.attempts() == 1,
                        "claimed while in flight: " + during);

                stopping.abandoned.complete(null);
                assertEquals(0, run.get(10, TimeUnit.SECONDS), "the run gave the try up and returned");
            }
            Row after = row(endpoint.endpoint().id());
            assertEquals("PENDING", after.status());
            assertNull(after.claimedUntil(), "released, not left to its lease");
            assertEquals(0, after.attempts(), "a try given up by a stop is not counted");
            assertTrue(!after.nextAttemptAt().isAfter(clock.instant()), "due at once: " + after);
            assertNull(after.lastError());

            // the next run (another replica's, not stopping) delivers it, once
            stopping.abandoned = new CompletableFuture<>();
            run = runner.submit(() -> delivery.deliverDue());
            answer204(receiver);
            assertEquals(1, run.get(10, TimeUnit.SECONDS));
            Row delivered = row(endpoint.endpoint().id());
            assertEquals("SENT", delivered.status());
            assertEquals(1, delivered.attempts(), "one counted try: the one that delivered");
        }
    }

    /** One outbox row as stored. */
    record Row(String status, int attempts, Instant claimedUntil, Instant nextAttemptAt, String lastError) {
    }

    @Transactional
    Row row(long endpointId) {
        List<OutboxMessage> rows = OutboxMessage.list("webhookEndpointId", endpointId);
        assertEquals(1, rows.size(), "one delivery");
        OutboxMessage m = rows.get(0);
        em.refresh(m);
        return new Row(m.status.name(), m.attempts, m.claimedUntil, m.nextAttemptAt, m.lastError);
    }

    /**
     * Answers 204 to the next request that arrives whole; a connection closed before its request's headers ended (the
     * given-up try's, which the client may still be closing) is passed over.
     */
    private static void answer204(ServerSocket receiver) throws Exception {
        for (int connections = 0; connections < 3; connections++) {
            try (Socket answering = receiver.accept()) {
                answering.setSoTimeout(10_000);
                if (!readRequestHead(answering.getInputStream())) {
                    continue;
                }
                OutputStream out = answering.getOutputStream();
                out.write("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return;
            }
        }
        throw new AssertionError("no whole request in 3 connections");
    }

    /**
     * Reads up to the blank line after the request's headers (the try has reached the receiver); false when the
     * connection closed first.
     */
    private static boolean readRequestHead(InputStream in) throws Exception {
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
        return true;
    }
}
