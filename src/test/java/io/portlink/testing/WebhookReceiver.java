package io.portlink.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver on a free local port, written the way the README tells receivers to: it checks the signature
 * ({@code v1=} hex HMAC-SHA256 of {@code timestamp + "." + body}, keyed with the secret staff were shown) and that the
 * timestamp is within 5 minutes of the clock, and answers 400 when either fails. Otherwise it answers the statuses a
 * test queued ({@link #answer}), then 200.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** What arrived, and what the receiver found when it checked it. */
    public record Received(String path, String id, String timestamp, String signature, String contentType, String body,
            boolean signatureValid, boolean timestampFresh, int answered, String host, String query) {
    }

    private final HttpServer server;
    private final Clock clock;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Deque<Integer> answers = new ArrayDeque<>();
    private volatile String secret;
    private volatile int always = 200;
    private volatile Runnable beforeAnswer = () -> {
    };

    private WebhookReceiver(Clock clock) throws IOException {
        this.clock = clock;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A receiver that verifies against {@code clock}'s time. */
    public static WebhookReceiver start(Clock clock) {
        try {
            return new WebhookReceiver(clock);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Its URL for a path, e.g. {@code http://127.0.0.1:41234/hooks}. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The port it listens on, on the loopback address. */
    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return url("/hooks");
    }

    /** The secret it verifies with (as staff copied it). */
    public WebhookReceiver secret(String secret) {
        this.secret = secret;
        return this;
    }

    /** The next answers, one per request, before the usual one ({@link #always}). */
    public synchronized WebhookReceiver answer(int... statuses) {
        for (int s : statuses) {
            answers.add(s);
        }
        return this;
    }

    /** The answer to every request once the queued ones are used (200 unless set). */
    public WebhookReceiver always(int status) {
        always = status;
        return this;
    }

    /** Runs once a request's whole body has arrived and before it is answered (e.g. a stop beginning meanwhile). */
    public WebhookReceiver beforeAnswer(Runnable action) {
        beforeAnswer = action;
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readAllBytes();
        }
        String body = new String(bytes, StandardCharsets.UTF_8);
        String id = exchange.getRequestHeaders().getFirst("Portlink-Webhook-Id");
        String timestamp = exchange.getRequestHeaders().getFirst("Portlink-Webhook-Timestamp");
        String signature = exchange.getRequestHeaders().getFirst("Portlink-Webhook-Signature");
        boolean valid = secret != null && timestamp != null && signature != null
                && MessageDigest.isEqual(expected(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII),
                        signature.getBytes(StandardCharsets.US_ASCII));
        boolean fresh = false;
        try {
            fresh = timestamp != null && Math.abs(clock.instant().getEpochSecond() - Long.parseLong(timestamp)) <= 300;
        } catch (NumberFormatException e) {
            fresh = false;
        }
        int status;
        synchronized (this) {
            status = !valid || !fresh ? 400 : answers.isEmpty() ? always : answers.poll();
        }
        received.add(new Received(exchange.getRequestURI().getPath(), id, timestamp, signature,
                exchange.getRequestHeaders().getFirst("Content-Type"), body, valid, fresh, status,
                exchange.getRequestHeaders().getFirst("Host"), exchange.getRequestURI().getRawQuery()));
        if (status >= 300 && status < 400) {
            exchange.getResponseHeaders().add("Location", url("/elsewhere"));
        }
        beforeAnswer.run();
        byte[] answer = ("answered " + status).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    /** The receiver's side of the recipe: "v1=" + hex(HMAC-SHA256(secret, timestamp + "." + body)). */
    public static String expected(String secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "v1="
                    + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
