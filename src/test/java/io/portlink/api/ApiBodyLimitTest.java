package io.portlink.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * An API request over the body limit (40 MiB) is answered like every other refusal of the API: a 413 problem naming the
 * request's size and the limit, not Quarkus's empty 413 and a closed connection.
 */
@QuarkusTest
class ApiBodyLimitTest {

    @Inject
    Fixtures fixtures;

    @Test
    void aBodyOverTheLimitGetsAProblemNamingItsSizeAndTheLimit() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        for (String path : new String[] { "/api/v1/shipments/SH-1/photos", "/api/v1/purchase-orders/import" }) {
            String answer = send(path, tenant.apiKey(), 42L * 1024 * 1024);
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.toLowerCase().contains("content-type: application/problem+json"), answer);
            assertTrue(answer.contains("\"title\":\"Request too large\""), answer);
            assertTrue(answer.contains("the request's body is 44040192 bytes (42 MB); the API accepts at most 41943040"
                    + " bytes (40 MB) in one request, so nothing was read or saved"), answer);
        }
    }

    /** Sends the head of a request declaring {@code length} bytes and 64 KB of it; returns the answer. */
    private static String send(String path, String key, long length) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key + "\r\n"
                    + "Content-Type: image/png\r\nContent-Length: " + length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'x');
            out.write(chunk);
            out.flush();
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while (!seen.toString(StandardCharsets.UTF_8).contains("\r\n\r\n")
                    || !seen.toString(StandardCharsets.UTF_8).endsWith("}")) {
                if ((n = socket.getInputStream().read(buffer)) <= 0) {
                    break;
                }
                seen.write(buffer, 0, n);
            }
            return seen.toString(StandardCharsets.UTF_8);
        }
    }
}
