package io.portlink.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.portlink.testing.RawHttp;
import io.quarkus.test.junit.QuarkusTest;

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
            String answer = RawHttp.postOverLimit(path, 42L * 1024 * 1024, "}",
                    "Authorization: Bearer " + tenant.apiKey(), "Content-Type: image/png");
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.toLowerCase().contains("content-type: application/problem+json"), answer);
            assertTrue(answer.contains("\"title\":\"Request too large\""), answer);
            assertTrue(answer.contains("the request's body is 44040192 bytes (42 MB); the API accepts at most 41943040"
                    + " bytes (40 MB) in one request, so nothing was read or saved"), answer);
        }
    }
}
