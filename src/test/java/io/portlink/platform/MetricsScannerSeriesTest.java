package io.portlink.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.portlink.testing.Management;
import io.portlink.testing.RawHttp;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A scanner's many addresses make no series of their own: 404, 405, 400 and 413 answers to distinct addresses, on
 * routes with and without path parameters and on none, leave the {@code uri} values of
 * {@code http_server_requests_seconds_count} as they were but for Quarkus's own ({@code NOT_FOUND}, {@code UNKNOWN})
 * and the routes' templates.
 */
@QuarkusTest
class MetricsScannerSeriesTest {

    /** One request as a scanner sends it (any method, path and body); the status line of the answer. */
    private static String send(String method, String path, byte[] body) throws IOException {
        int port = Integer.getInteger("testport", 8081);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            String head = method + " " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nConnection: close\r\n"
                    + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n")
                    + "\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                try {
                    out.write(body);
                } catch (IOException refusedBeforeTheEnd) {
                    // the service may answer 413 and close before the whole body is sent
                }
            }
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return answer.substring(0, Math.max(0, answer.indexOf('\r')));
        }
    }

    private static Set<String> uris() {
        return Management.samples(Management.metrics(), "http_server_requests_seconds_count").stream()
                .map(s -> s.labels().get("uri")).collect(Collectors.toSet());
    }

    @Test
    void distinctRefusedAddressesMakeNoSeriesAndRoutesKeepTheirTemplates() throws Exception {
        String marker = RawHttp.marker("scan");
        byte[] tooLarge = new byte[41 * 1024 * 1024];
        for (int i = 0; i < 2; i++) {
            String m = marker + i;
            assertEquals("HTTP/1.1 413 Request Entity Too Large", send("POST", "/" + m, tooLarge));
            assertEquals("HTTP/1.1 413 Request Entity Too Large",
                    send("POST", "/api/v1/purchase-orders/" + m + "/cancel", tooLarge));
        }
        Set<String> before = uris();
        for (int i = 0; i < 20; i++) {
            String m = marker + "x" + i;
            assertEquals("HTTP/1.1 404 Not Found", send("GET", "/" + m, null));
            assertEquals("HTTP/1.1 404 Not Found", send("DELETE", "/api/v1/" + m, null));
            assertEquals("HTTP/1.1 405 Method Not Allowed", send("DELETE", "/api/v1/purchase-orders/" + m, null));
            assertEquals("HTTP/1.1 405 Method Not Allowed",
                    send("DELETE", "/api/v1/organization/retention?" + m, null));
            assertEquals("HTTP/1.1 400 Bad Request", send("GET", "/api/v1/purchase-orders/" + m + ";x", null));
            assertEquals("HTTP/1.1 400 Bad Request", send("GET", "/" + m + "/%zz", null));
            assertEquals("HTTP/1.1 401 Unauthorized", send("GET", "/api/v1/purchase-orders/" + m, null));
        }
        String scrape = Management.metrics();
        assertFalse(scrape.contains(marker), "an address became a uri");
        Set<String> added = uris();
        added.removeAll(before);
        assertTrue(Set.of("NOT_FOUND", "UNKNOWN", "/api/v1/purchase-orders/{reference}").containsAll(added),
                added.toString());
        // a route's refusals are counted under its template, with and without path parameters
        assertTrue(Management
                .value(scrape, "http_server_requests_seconds_count",
                        Map.of("uri", "/api/v1/purchase-orders/{reference}", "method", "GET", "status", "401"))
                .orElse(0) >= 20);
        assertTrue(Management
                .value(scrape, "http_server_requests_seconds_count",
                        Map.of("uri", "/api/v1/purchase-orders/{reference}/cancel", "method", "POST", "status", "413"))
                .orElse(0) >= 2);
    }
}
