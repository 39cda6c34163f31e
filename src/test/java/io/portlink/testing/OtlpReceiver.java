package io.portlink.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import com.sun.net.httpserver.HttpServer;

/**
 * A real OTLP receiver over HTTP ({@code http/protobuf}) on a free port of 127.0.0.1, one per test JVM: it accepts
 * every POST (an export of spans, {@code .../v1/traces}), answers 200 with an empty export response, and keeps each
 * payload with its path. A test profile gives each run its own path ({@link #endpoint(String)}) and reads what arrived
 * there over HTTP ({@link #received(String)}), since the profile and the test may see this class from different class
 * loaders; the one server is shared through a system property.
 */
public final class OtlpReceiver {

    private static final String PROPERTY = "otlp-test-receiver.base-url";

    private OtlpReceiver() {
    }

    /** The base address of the receiver for one test run, e.g. {@code http://127.0.0.1:40123/json-logs}. */
    public static synchronized String endpoint(String run) {
        String base = System.getProperty(PROPERTY);
        if (base == null) {
            base = "http://127.0.0.1:" + start();
            System.setProperty(PROPERTY, base);
        }
        return base + "/" + run;
    }

    /**
     * The payloads (raw protobuf bytes) of every export under a run's path, in arrival order; empty if none.
     */
    public static List<byte[]> received(String run) throws IOException, InterruptedException {
        String base = System.getProperty(PROPERTY);
        if (base == null) {
            return List.of();
        }
        HttpResponse<byte[]> answer = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(base + "/received?" + run)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        // framed as: 4-byte length, payload, repeated
        List<byte[]> payloads = new ArrayList<>();
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(answer.body());
        while (in.remaining() >= 4) {
            byte[] payload = new byte[in.getInt()];
            in.get(payload);
            payloads.add(payload);
        }
        return payloads;
    }

    private static int start() {
        List<String[]> paths = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                try (exchange) {
                    String path = exchange.getRequestURI().getPath();
                    if ("POST".equals(exchange.getRequestMethod())) {
                        byte[] body = exchange.getRequestBody().readAllBytes();
                        synchronized (bodies) {
                            paths.add(new String[] { path });
                            bodies.add(body);
                        }
                        exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                        exchange.sendResponseHeaders(200, -1);
                    } else if (path.equals("/received")) {
                        String run = "/" + exchange.getRequestURI().getQuery() + "/";
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        synchronized (bodies) {
                            for (int i = 0; i < bodies.size(); i++) {
                                if (paths.get(i)[0].startsWith(run)) {
                                    out.write(java.nio.ByteBuffer.allocate(4).putInt(bodies.get(i).length).array());
                                    out.write(bodies.get(i));
                                }
                            }
                        }
                        exchange.sendResponseHeaders(200, out.size() == 0 ? -1 : out.size());
                        exchange.getResponseBody().write(out.toByteArray());
                    } else {
                        exchange.sendResponseHeaders(404, -1);
                    }
                }
            });
            server.start(); // lives as long as the test JVM
            return server.getAddress().getPort();
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a local port for the OTLP receiver", e);
        }
    }
}
