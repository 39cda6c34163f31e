package io.portlink.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.portlink.platform.ValidationException;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Management;
import io.portlink.testing.TestClock;
import io.portlink.testing.TestHostResolver;
import io.portlink.testing.WebhookReceiver;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Signed webhooks through the outbox, against a real HTTP receiver on this machine that checks every signature and
 * timestamp as the README tells receivers to: delivered once, retried with growing backoff, dead after the maximum
 * number of tries, never sent for a rolled-back change, signed with the secret of the moment.
 */
@QuarkusTest
class WebhooksTest {

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

    @Inject
    TestHostResolver resolver;

    @Inject
    ObjectMapper json;

    @Inject
    io.portlink.platform.PortlinkConfig config;

    WebhookReceiver receiver;
    Fixtures.Tenant tenant;

    @BeforeEach
    void receiverAndTenant() {
        receiver = WebhookReceiver.start(clock);
        tenant = fixtures.tenant("GB");
    }

    @AfterEach
    void stop() {
        // nothing of this test stays due for the next one
        for (var e : webhooks.list(tenant.id())) {
            webhooks.delete(tenant.id(), e.id());
        }
        receiver.close();
        resolver.reset();
    }

    private Webhooks.WithSecret endpoint(String types) {
        Webhooks.WithSecret created = webhooks.create(tenant.id(), receiver.url(), types);
        receiver.secret(created.secret());
        return created;
    }

    @Test
    void anEventIsDeliveredOnceWithAValidSignatureAndItsBodyLeavesTheOutbox() throws Exception {
        var created = endpoint("");
        assertTrue(created.secret().matches("whsec_[A-Za-z0-9_-]{43}"), created.secret());
        assertTrue(created.endpoint().allEvents());

        List<String> ids = QuarkusTransaction.requiringNew()
                .call(() -> webhooks.publish(tenant.id(), "shipment.shipped", Map.of("reference", "SH-1", "lines", 3)));
        assertEquals(1, ids.size());

        assertEquals(1, delivery.deliverDue());
        List<WebhookReceiver.Received> got = receiver.received();
        assertEquals(1, got.size());
        WebhookReceiver.Received r = got.get(0);
        assertTrue(r.signatureValid(), "the receiver verified the signature with the secret shown: " + r);
        assertTrue(r.timestampFresh(), r.timestamp());
        assertEquals(String.valueOf(clock.instant().getEpochSecond()), r.timestamp());
        assertEquals(ids.get(0), r.id());
        assertTrue(r.signature().matches("v1=[0-9a-f]{64}"), r.signature());
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        JsonNode body = json.readTree(r.body());
        assertEquals(ids.get(0), body.get("id").asText());
        assertEquals("shipment.shipped", body.get("type").asText());
        assertEquals(clock.instant().toString(), body.get("createdAt").asText());
        assertEquals(tenant.id(), body.get("organization").get("id").asLong());
        assertEquals("SH-1", body.get("data").get("reference").asText());
        assertEquals(3, body.get("data").get("lines").asInt());

        Webhooks.DeliveryView d = only(created);
        assertEquals(Webhooks.DeliveryStatus.DELIVERED, d.status());
        assertEquals(1, d.attempts());
        assertEquals(200, d.lastStatusCode());
        assertNull(bodyOf(d.id()), "the delivered body left the outbox");

        clock.advance(Duration.ofHours(1));
        assertEquals(0, delivery.deliverDue());
        assertEquals(1, receiver.received().size(), "never sent again");
    }

    @Test
    void aReceiverFailingTwiceGetsItOnTheThirdTryAfterGrowingWaits() {
        var created = endpoint("shipment.shipped");
        receiver.answer(500, 500);
        webhooks.publish(tenant.id(), "shipment.shipped", Map.of("n", 1));
        Duration first = config.webhooks().firstRetry();

        assertEquals(0, delivery.deliverDue());
        Webhooks.DeliveryView d = only(created);
        assertEquals(Webhooks.DeliveryStatus.RETRYING, d.status());
        assertEquals(500, d.lastStatusCode());
        assertTrue(d.lastError().startsWith("HTTP 500"), d.lastError());
        Duration wait1 = Duration.between(clock.instant(), d.nextAttemptAt());
        assertTrue(wait1.compareTo(first) >= 0 && wait1.compareTo(first.multipliedBy(5).dividedBy(4)) <= 0,
                "first wait " + wait1);

        clock.advance(wait1.minusSeconds(1));
        assertEquals(0, delivery.deliverDue(), "not due before its time");
        assertEquals(1, receiver.received().size());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(0, delivery.deliverDue());
        d = only(created);
        assertEquals(2, d.attempts());
        Duration wait2 = Duration.between(clock.instant(), d.nextAttemptAt());
        assertTrue(wait2.compareTo(first.multipliedBy(2)) >= 0 && wait2.compareTo(wait1) > 0,
                "the second wait grows: " + wait1 + " then " + wait2);

        clock.advance(wait2);
        assertEquals(1, delivery.deliverDue());
        d = only(created);
        assertEquals(Webhooks.DeliveryStatus.DELIVERED, d.status());
        assertEquals(3, d.attempts());
        List<WebhookReceiver.Received> got = receiver.received();
        assertEquals(3, got.size());
        assertTrue(got.stream().allMatch(WebhookReceiver.Received::signatureValid));
        assertEquals(1, got.stream().map(WebhookReceiver.Received::id).distinct().count(), "one event id throughout");
        assertNotEquals(got.get(0).timestamp(), got.get(2).timestamp(), "each try is signed at its own time");
    }

    @Test
    void aReceiverThatAlwaysFailsMakesTheDeliveryDeadAndARetryDeliversIt() {
        var created = endpoint("");
        receiver.always(500);
        webhooks.publish(tenant.id(), "shipment.shipped", Map.of("n", 1));
        int max = config.webhooks().maxAttempts();
        for (int i = 0; i < max; i++) {
            assertEquals(0, delivery.deliverDue());
            Webhooks.DeliveryView d = only(created);
            if (d.nextAttemptAt() != null) {
                clock.set(d.nextAttemptAt());
            }
        }
        Webhooks.DeliveryView dead = only(created);
        assertEquals(Webhooks.DeliveryStatus.DEAD, dead.status());
        assertEquals(max, dead.attempts());
        assertNull(dead.nextAttemptAt());
        assertEquals(max, receiver.received().size());
        clock.advance(Duration.ofDays(2));
        assertEquals(0, delivery.deliverDue());
        assertEquals(max, receiver.received().size(), "a dead delivery is not tried again by itself");

        receiver.always(204);
        assertTrue(webhooks.retry(tenant.id(), created.endpoint().id(), dead.id()));
        assertEquals(Webhooks.DeliveryStatus.PENDING, only(created).status());
        assertEquals(1, delivery.deliverDue());
        assertEquals(Webhooks.DeliveryStatus.DELIVERED, only(created).status());
        assertEquals(204, only(created).lastStatusCode());
        assertEquals(1, receiver.received().stream().map(WebhookReceiver.Received::id).distinct().count());
        assertThrows(ValidationException.class, () -> webhooks.retry(tenant.id(), created.endpoint().id(), dead.id()),
                "a delivered one is not retried");
    }

    @Test
    void aRolledBackChangePublishesNothing() {
        var created = endpoint("");
        QuarkusTransaction.begin();
        assertEquals(1, webhooks.publish(tenant.id(), "shipment.shipped", Map.of("n", 1)).size());
        QuarkusTransaction.rollback();

        assertEquals(0, delivery.deliverDue());
        assertTrue(receiver.received().isEmpty());
        assertTrue(webhooks.deliveries(tenant.id(), created.endpoint().id(), 0).orElseThrow().deliveries().isEmpty());
    }

    @Test
    void aRotatedSecretSignsEveryTryFromThenOnAndTheOldOneNoLonger() {
        var created = endpoint("");
        receiver.answer(500);
        webhooks.publish(tenant.id(), "shipment.shipped", Map.of("n", 1));
        assertEquals(0, delivery.deliverDue());
        assertTrue(receiver.received().get(0).signatureValid());

        var rotated = webhooks.rotate(tenant.id(), created.endpoint().id()).orElseThrow();
        assertNotEquals(created.secret(), rotated.secret());
        assertNotEquals(created.endpoint().secretHint(), rotated.endpoint().secretHint());
        webhooks.publish(tenant.id(), "shipment.shipped", Map.of("n", 2));
        clock.advance(Duration.ofHours(1));

        // the receiver still has the old secret: both the retry and the new event fail its check
        assertEquals(0, delivery.deliverDue());
        assertEquals(3, receiver.received().size());
        assertFalse(receiver.received().get(1).signatureValid());
        assertFalse(receiver.received().get(2).signatureValid());

        receiver.secret(rotated.secret());
        clock.advance(Duration.ofHours(1));
        assertEquals(2, delivery.deliverDue());
        assertTrue(receiver.received().subList(3, 5).stream().allMatch(WebhookReceiver.Received::signatureValid));
    }

    @Test
    void onlyEnabledEndpointsThatWantTheTypeGetAnEvent() {
        var wantsShipped = endpoint("shipment.shipped");
        var wantsOther = webhooks.create(tenant.id(), receiver.url("/other"), "order.confirmed, order.cancelled");
        assertEquals(List.of("order.confirmed", "order.cancelled"), wantsOther.endpoint().eventTypes());
        var disabled = webhooks.create(tenant.id(), receiver.url("/off"), "");
        webhooks.setEnabled(tenant.id(), disabled.endpoint().id(), false);

        assertEquals(1, webhooks.publish(tenant.id(), "shipment.shipped", Map.of()).size());
        assertEquals(1, delivery.deliverDue());
        assertEquals(List.of("/hooks"), receiver.received().stream().map(WebhookReceiver.Received::path).toList());
        assertEquals(1,
                webhooks.deliveries(tenant.id(), wantsShipped.endpoint().id(), 0).orElseThrow().deliveries().size());

        // queued while enabled, then disabled: it waits, and goes out once the endpoint is enabled again
        webhooks.setEnabled(tenant.id(), disabled.endpoint().id(), true);
        webhooks.publish(tenant.id(), "shipment.shipped", Map.of());
        webhooks.setEnabled(tenant.id(), disabled.endpoint().id(), false);
        assertEquals(1, delivery.deliverDue());
        assertFalse(receiver.received().stream().anyMatch(r -> r.path().equals("/off")));
        webhooks.setEnabled(tenant.id(), disabled.endpoint().id(), true);
        receiver.secret(disabled.secret());
        assertEquals(1, delivery.deliverDue());
        assertTrue(receiver.received().stream().anyMatch(r -> r.path().equals("/off")));
    }

    @Test
    void withinOneTransactionAnEndpointAddedOrDisabledIsSeenByTheNextPublish() {
        // publishing reads the endpoints once per transaction: a change to them in the same one must still count
        List<Integer> counts = QuarkusTransaction.requiringNew().call(() -> {
            int none = webhooks.publish(tenant.id(), "shipment.shipped", Map.of("n", 1)).size();
            var added = endpoint("");
            int one = webhooks.publish(tenant.id(), "shipment.shipped", Map.of("n", 2)).size();
            int again = webhooks.publish(tenant.id(), "shipment.shipped", Map.of("n", 3)).size();
            webhooks.setEnabled(tenant.id(), added.endpoint().id(), false);
            int off = webhooks.publish(tenant.id(), "shipment.shipped", Map.of("n", 4)).size();
            webhooks.setEnabled(tenant.id(), added.endpoint().id(), true);
            return List.of(none, one, again, off);
        });
        assertEquals(List.of(0, 1, 1, 0), counts);
        assertEquals(2, delivery.deliverDue());
        assertEquals(List.of(2, 3), receiver.received().stream().map(r -> {
            try {
                return json.readTree(r.body()).get("data").get("n").asInt();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList());
    }

    @Test
    void aReceiverSlowToAnswerHoldsUpOnlyItsOwnEvents() throws Exception {
        // the slow receiver answers only once the other one has its event: one run sending to one endpoint at a time
        // would wait here for the whole timeout, and the slow one's try would fail
        CountDownLatch otherServed = new CountDownLatch(1);
        try (WebhookReceiver slow = WebhookReceiver.start(clock)) {
            slow.beforeAnswer(() -> {
                try {
                    otherServed.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Webhooks.WithSecret first = webhooks.create(tenant.id(), slow.url("/slow"), "");
            slow.secret(first.secret());
            endpoint("");
            receiver.beforeAnswer(otherServed::countDown);
            assertEquals(2, webhooks.publish(tenant.id(), "shipment.shipped", Map.of()).size());

            assertEquals(2, delivery.deliverDue(), "both delivered in one run");

            assertEquals(1, slow.received().size());
            assertEquals(1, receiver.received().size());
            assertEquals(Webhooks.DeliveryStatus.DELIVERED, only(first).status());
        }
    }

    @Test
    void aRedirectIsAFailedTryAndIsNotFollowed() {
        var created = endpoint("");
        receiver.answer(302);
        webhooks.publish(tenant.id(), "shipment.shipped", Map.of());
        assertEquals(0, delivery.deliverDue());
        assertEquals(List.of("/hooks"), receiver.received().stream().map(WebhookReceiver.Received::path).toList());
        Webhooks.DeliveryView d = only(created);
        assertEquals(302, d.lastStatusCode());
        assertTrue(d.lastError().contains("redirects are not followed"), d.lastError());
    }

    @Test
    void aDeliveryConnectsToTheAddressItLookedUpOnceAndKeepsTheNameAsItsHost() {
        // a name no DNS here knows: only the service's own lookup can lead the delivery to the receiver
        String name = "hooks.receiver.test";
        resolver.answer(name, InetAddress.getLoopbackAddress());
        Webhooks.WithSecret created = webhooks.create(tenant.id(),
                "http://" + name + ":" + receiver.port() + "/in/key-4f1c?from=portlink", "");
        receiver.secret(created.secret());
        webhooks.publish(tenant.id(), "shipment.shipped", Map.of());

        assertEquals(1, delivery.deliverDue());

        WebhookReceiver.Received r = receiver.received().get(0);
        assertTrue(r.signatureValid(), r.toString());
        assertEquals(name + ":" + receiver.port(), r.host(), "the Host header names the URL's host, not the address");
        assertEquals("/in/key-4f1c", r.path());
        assertEquals("from=portlink", r.query());
        assertEquals(1, resolver.lookups(name), "looked up once: the address checked is the address connected to");
        assertFalse(Management.metrics().contains("key-4f1c"), "no metric names the receiver's path");
    }

    @Test
    void anIpv6ReceiverGetsItsHostInBrackets() throws Exception {
        HttpServer v6;
        try {
            v6 = HttpServer.create(new InetSocketAddress(InetAddress.getByName("::1"), 0), 0);
        } catch (IOException e) {
            Assumptions.abort("no IPv6 loopback on this machine: " + e.getMessage());
            return;
        }
        List<String> hosts = new CopyOnWriteArrayList<>();
        v6.createContext("/", exchange -> {
            hosts.add(exchange.getRequestHeaders().getFirst("Host"));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        v6.start();
        try {
            int port = v6.getAddress().getPort();
            webhooks.create(tenant.id(), "http://[::1]:" + port + "/in", "");
            webhooks.publish(tenant.id(), "shipment.shipped", Map.of());
            assertEquals(1, delivery.deliverDue());
            assertEquals(List.of("[::1]:" + port), hosts, "RFC 9110: an IPv6 host in brackets");
        } finally {
            v6.stop(0);
        }
    }

    @Test
    void anAddressListWithOnePrivateAddressIsRefusedAsAWhole() throws Exception {
        InetAddress publicOne = InetAddress.getByName("203.0.113.7");
        assertTrue(WebhookDelivery.refused("hooks.example.com", List.of(publicOne)).isEmpty());
        for (String local : List.of("127.0.0.1", "10.0.0.5", "169.254.169.254", "::1", "fd00::1", "100.64.0.1",
                "255.255.255.255", "0.0.0.1", "64:ff9b::a00:5", "2002:c0a8:1::")) {
            assertEquals("refused: hooks.example.com resolves to a loopback, private or link-local address",
                    WebhookDelivery.refused("hooks.example.com", List.of(publicOne, InetAddress.getByName(local)))
                            .orElseThrow(),
                    local);
        }
    }

    @Test
    void aReceiverWhoseCertificateIsNotTrustedIsAFailedTryNamingWhy(@TempDir Path dir) throws Exception {
        String name = "hooks.receiver.test";
        Path keys = dir.resolve("receiver.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-dname", "CN=" + name, "-ext", "SAN=dns:" + name,
                "-validity", "2", "-keystore", keys.toString(), "-storepass", "changeit", "-storetype", "PKCS12")
                        .redirectErrorStream(true).start();
        keytool.getInputStream().transferTo(OutputStream.nullOutputStream());
        assertEquals(0, keytool.waitFor(), "keytool made a self-signed certificate");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keys)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        km.init(store, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(km.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        List<String> reached = new CopyOnWriteArrayList<>();
        https.createContext("/", exchange -> {
            reached.add(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        https.start();
        try {
            resolver.answer(name, InetAddress.getLoopbackAddress());
            Webhooks.WithSecret created = webhooks.create(tenant.id(),
                    "https://" + name + ":" + https.getAddress().getPort() + "/in", "");
            webhooks.publish(tenant.id(), "shipment.shipped", Map.of());

            assertEquals(0, delivery.deliverDue());

            assertEquals(List.of(), reached, "nothing was posted over a connection the client could not trust");
            Webhooks.DeliveryView d = only(created);
            assertNull(d.lastStatusCode());
            assertEquals("TLS failed: unable to find valid certification path to requested target", d.lastError());
        } finally {
            https.stop(0);
        }
    }

    @Test
    void aReceiverThatHangsUpOrAnswersSomethingElseThanHttpIsAFailedTrySaidInWords() throws Exception {
        Map<String, String> answers = Map.of("", "the receiver closed the connection before it answered",
                "NOT HTTP AT ALL\r\n\r\n", "the receiver's answer was not HTTP");
        for (var answer : answers.entrySet()) {
            try (ServerSocket odd = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                Thread answering = answerOnce(odd,
                        out -> out.write(answer.getKey().getBytes(StandardCharsets.US_ASCII)));
                Webhooks.WithSecret created = webhooks.create(tenant.id(),
                        "http://127.0.0.1:" + odd.getLocalPort() + "/in", "");
                webhooks.publish(tenant.id(), "shipment.shipped", Map.of());

                assertEquals(0, delivery.deliverDue());

                answering.join(Duration.ofSeconds(10).toMillis());
                Webhooks.DeliveryView d = only(created);
                assertNull(d.lastStatusCode());
                assertEquals(answer.getValue(), d.lastError());
                webhooks.delete(tenant.id(), created.endpoint().id());
            }
        }
    }

    @Test
    void anAnswerWithoutEndIsReadUpToItsCapAndEndsTheTry() throws Exception {
        try (ServerSocket endless = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread answering = answerOnce(endless, out -> {
                out.write(
                        "HTTP/1.1 500 Oops\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = ("400\r\n" + "x".repeat(1024) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                while (true) {
                    out.write(chunk); // until the client closes the connection
                }
            });
            Webhooks.WithSecret created = webhooks.create(tenant.id(),
                    "http://127.0.0.1:" + endless.getLocalPort() + "/in", "");
            webhooks.publish(tenant.id(), "shipment.shipped", Map.of());

            assertEquals(0, delivery.deliverDue());

            answering.join(Duration.ofSeconds(10).toMillis());
            assertFalse(answering.isAlive(), "the client closed the connection after the cap");
            Webhooks.DeliveryView d = only(created);
            assertEquals(500, d.lastStatusCode());
            assertEquals("HTTP 500: " + "x".repeat(200) + "…", d.lastError(), "an excerpt, not a timeout");
        }
    }

    @Test
    void aTestEventGoesToItsEndpointWhateverTypesItWants() throws Exception {
        var created = endpoint("order.confirmed");
        String id = webhooks.sendTest(tenant.id(), created.endpoint().id()).orElseThrow();
        assertEquals(1, delivery.deliverDue());
        assertEquals(id, receiver.received().get(0).id());
        assertEquals(Webhooks.TEST_EVENT, json.readTree(receiver.received().get(0).body()).get("type").asText());
        webhooks.setEnabled(tenant.id(), created.endpoint().id(), false);
        assertThrows(ValidationException.class, () -> webhooks.sendTest(tenant.id(), created.endpoint().id()));
    }

    @Test
    void theSecretIsInNoTableAndNoLogLine() throws Exception {
        var created = endpoint("");
        receiver.answer(500);
        webhooks.publish(tenant.id(), "shipment.shipped", Map.of());
        delivery.deliverDue();
        clock.advance(Duration.ofHours(1));
        delivery.deliverDue();
        String secret = created.secret();
        String body = secret.substring("whsec_".length());
        assertEquals(0, count("select count(*) from webhook_endpoint where url like ?1 or event_types like ?1"
                + " or secret_seed like ?1 or secret_hint like ?1", "%" + body.substring(0, 12) + "%"));
        assertEquals(0, count("select count(*) from outbox_message where body_text like ?1 or last_error like ?1"
                + " or recipient like ?1", "%" + body.substring(0, 12) + "%"));
        Path log = Path.of("target/portlink-test.log");
        if (Files.exists(log)) {
            assertFalse(Files.readString(log).contains(body.substring(0, 12)), "no log line holds the secret");
        }
    }

    @Test
    void productionRulesRefuseLocalAndPlainHttpAddresses() {
        for (String url : List.of("http://hooks.example.com/in", "https://localhost/in", "https://127.0.0.1/in",
                "https://10.1.2.3/in", "https://169.254.169.254/latest/meta-data", "https://[::1]/in",
                "https://192.168.0.10/in", "https://user:pw@hooks.example.com/in", "ftp://hooks.example.com",
                "https://hooks.example.com/in#x", "hooks.example.com/in", "https://intranet.internal/in",
                // IPv4 inside IPv6 (NAT64, 6to4), broadcast, a trailing dot, other spellings of 127.0.0.1
                "https://[64:ff9b::7f00:1]/x", "https://[2002:7f00:1::]/x", "https://255.255.255.255/x",
                "https://0.1.2.3/x", "https://localhost./x", "https://0x7f000001/x", "https://0177.0.0.1/x",
                "https://127.1/x", "https://hooks.example.com:99999/x", "https://hooks.example.com:0/x",
                "https://" + "a".repeat(64) + ".example.com/x", "https://münchen.example/x", "https://")) {
            var errors = new ValidationException.Builder();
            assertNull(Webhooks.checkUrl(url, false, errors), url);
            assertEquals(1, errors.size(), url);
        }
        var errors = new ValidationException.Builder();
        assertEquals("https://hooks.example.com/in?x=1",
                Webhooks.checkUrl(" https://hooks.example.com/in?x=1 ", false, errors));
        assertTrue(errors.isEmpty());
        assertEquals("http://127.0.0.1:9/in", Webhooks.checkUrl("http://127.0.0.1:9/in", true, errors));
        assertTrue(errors.isEmpty());
        for (String fine : List.of("https://[64:ff9b::cb00:7107]/in", "https://203.0.113.7:8443/in",
                "https://xn--mnchen-3ya.example/in")) {
            assertEquals(fine, Webhooks.checkUrl(fine, false, errors));
            assertTrue(errors.isEmpty(), fine + ": " + errors);
        }
        Webhooks.checkUrl("https://hooks.example.com:99999/x", false, errors);
        assertEquals("must have a port from 1 to 65535, or none", errors.errors().get(0).message());
        var idn = new ValidationException.Builder();
        Webhooks.checkUrl("https://münchen.example/x", false, idn);
        assertTrue(idn.errors().get(0).message().contains("xn--"), "says how to write the name");
        var local = new ValidationException.Builder();
        Webhooks.checkUrl("ftp://hooks.example.com", true, local);
        assertEquals("must start with https:// or http://", local.errors().get(0).message());
    }

    @Test
    void theReadmeExampleSignsAsDocumented() {
        String body = "{\"id\":\"evt_1\"}";
        String documented = "v1=e06b4edae0afab92027335149c9b5fc7275a30d5bc51ef634b911bfbfa802d26";
        assertEquals(documented, WebhookSecrets.signature("whsec_test", 1764584130L, body));
        assertEquals(documented, WebhookReceiver.expected("whsec_test", "1764584130", body));
    }

    @Test
    void backoffDoublesUpToItsCapPlusAtMostAQuarter() {
        Duration first = Duration.ofSeconds(30);
        Duration max = Duration.ofHours(6);
        assertEquals(Duration.ofSeconds(30), OutboxStore.webhookBackoff(1, first, max, 0));
        assertEquals(Duration.ofSeconds(60), OutboxStore.webhookBackoff(2, first, max, 0));
        assertEquals(Duration.ofSeconds(75), OutboxStore.webhookBackoff(2, first, max, 1));
        assertEquals(Duration.ofMinutes(16), OutboxStore.webhookBackoff(6, first, max, 0));
        assertEquals(max, OutboxStore.webhookBackoff(20, first, max, 0));
        assertEquals(max, OutboxStore.webhookBackoff(200, first, max, 0));
    }

    /** What a raw receiver writes after reading the request. */
    private interface Answer {
        void write(OutputStream out) throws IOException;
    }

    /**
     * A receiver that is no HTTP server: it takes one connection, reads (enough of) the request, writes what
     * {@code answer} writes and hangs up; a connection the client closes first ends it too.
     */
    private static Thread answerOnce(ServerSocket server, Answer answer) {
        Thread answering = new Thread(() -> {
            try (Socket s = server.accept()) {
                s.getInputStream().read(new byte[8192]);
                answer.write(s.getOutputStream());
            } catch (IOException e) {
                // the client closed the connection: what the cap's test waits for
            }
        });
        answering.start();
        return answering;
    }

    private Webhooks.DeliveryView only(Webhooks.WithSecret endpoint) {
        List<Webhooks.DeliveryView> all = webhooks.deliveries(tenant.id(), endpoint.endpoint().id(), 0).orElseThrow()
                .deliveries();
        assertEquals(1, all.size(), "one delivery: " + all);
        assertNotNull(all.get(0).eventId());
        return all.get(0);
    }

    @Transactional
    String bodyOf(long id) {
        return (String) em.createNativeQuery("select body_text from outbox_message where id = ?1").setParameter(1, id)
                .getSingleResult();
    }

    @Transactional
    long count(String sql, String value) {
        return ((Number) em.createNativeQuery(sql).setParameter(1, value).getSingleResult()).longValue();
    }

}
