package io.portlink.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Browsers ask every page's origin for {@code /favicon.ico}: it answers with our icon (an ICO, 32 × 32), cached
 * publicly for a month, without a sign-in, so the tracking and driver pages log no 404.
 */
@QuarkusTest
class FaviconTest {

    @Test
    void theIconIsServedWithALongCache() {
        byte[] icon = given().get("/favicon.ico").then().statusCode(200).contentType(equalTo("image/x-icon"))
                .header("Cache-Control", equalTo("public, max-age=2592000")).extract().asByteArray();
        // an ICO header with one image, 32 × 32
        assertArrayEquals(new byte[] { 0, 0, 1, 0, 1, 0, 32, 32 }, Arrays.copyOf(icon, 8));
        assertTrue(icon.length < 8192, "a small file: " + icon.length);
    }
}
