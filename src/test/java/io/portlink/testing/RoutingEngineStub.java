package io.portlink.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/**
 * A local stub speaking OSRM's JSON ({@code GET /route/v1/driving/...}) on a free port of 127.0.0.1, one per test class
 * loader: answers the duration set in {@link #routeSeconds} (seconds), or 500 when it is negative; runs
 * {@link #whileAnswering} (when set) before it answers, each request on its own thread.
 * {@link TestProfiles.Integrations} points {@code portlink.routing.osrm-url} at it.
 */
public final class RoutingEngineStub {

    /** The route duration the next answer gives, in seconds; negative: the engine fails (500). */
    public static volatile double routeSeconds = 3600;
    /** Run while a request is being answered (before the answer is sent), or nothing when null. */
    public static volatile Runnable whileAnswering;

    private static final HttpServer ENGINE = start();

    private RoutingEngineStub() {
    }

    /** The stub's base URL, e.g. {@code http://127.0.0.1:40123}. */
    public static String url() {
        return "http://127.0.0.1:" + ENGINE.getAddress().getPort();
    }

    /** Back to a 1-hour route and nothing run while answering. */
    public static void reset() {
        routeSeconds = 3600;
        whileAnswering = null;
    }

    private static HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/route/v1/driving/", exchange -> {
                double seconds = routeSeconds;
                Runnable meanwhile = whileAnswering;
                if (meanwhile != null) {
                    meanwhile.run();
                }
                String body = seconds < 0 ? "{\"code\":\"Error\"}"
                        : "{\"code\":\"Ok\",\"routes\":[{\"duration\":" + seconds + ",\"distance\":1000}]}";
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(seconds < 0 ? 500 : 200, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
