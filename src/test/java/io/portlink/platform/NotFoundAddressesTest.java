package io.portlink.platform;

import static io.portlink.testing.StaffClient.postForm;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * An address whose id is no whole number (or too large for one), or that no route takes, is a clean 404: a problem
 * answer on the API and the styled not-found page on the staff pages, never how Java failed to read the value.
 */
@QuarkusTest
class NotFoundAddressesTest {

    @Inject
    Fixtures fixtures;

    @Test
    void apiAddressesWithAnIdThatIsNoNumberAreACleanProblem() {
        String key = fixtures.tenant("GB").apiKey();
        Map<String, Response> answers = Map.of("GET /api/v1/dropshipments/abc",
                given().header("Authorization", "Bearer " + key).get("/api/v1/dropshipments/abc"),
                "GET /api/v1/dropshipments/99999999999999999999",
                given().header("Authorization", "Bearer " + key).get("/api/v1/dropshipments/99999999999999999999"),
                "POST /api/v1/dropshipments/1x/acknowledge",
                given().header("Authorization", "Bearer " + key).contentType("application/json")
                        .body("{\"revision\":1}").post("/api/v1/dropshipments/1x/acknowledge"),
                "PUT /api/v1/sales-orders/SO-1/lines/two",
                given().header("Authorization", "Bearer " + key).contentType("application/json")
                        .body("{\"quantity\":\"1\"}").put("/api/v1/sales-orders/SO-1/lines/two"),
                "DELETE /api/v1/webhook-endpoints/abc",
                given().header("Authorization", "Bearer " + key).delete("/api/v1/webhook-endpoints/abc"),
                "GET /api/v1/no-such-thing",
                given().header("Authorization", "Bearer " + key).get("/api/v1/no-such-thing"));
        answers.forEach((what, r) -> {
            assertEquals(404, r.statusCode(), what + ": " + r.asString());
            assertEquals(Problems.MEDIA_TYPE, r.contentType().split(";")[0], what);
            String detail = r.jsonPath().getString("detail");
            assertTrue(detail.startsWith("nothing is at /api/v1/"), what + ": " + detail);
            assertNoJava(what, r.asString());
        });
    }

    @Test
    void staffAddressesWithAnIdThatIsNoNumberShowTheNotFoundPage() {
        var admin = signIn(fixtures.tenant("GB").adminEmail(), Fixtures.PASSWORD);
        for (String path : List.of("/app/dropship-orders/abc", "/app/shipments/abc", "/app/products/abc",
                "/app/shipments/1/photos/x", "/app/admin/webhooks/99999999999999999999", "/app/no-such-page",
                "/app/sales-orders/abc", "/app/dropship-orders/424242")) {
            Response r = given().filter(admin).get(path);
            assertEquals(404, r.statusCode(), path);
            assertEquals("text/html", r.contentType().split(";")[0], path);
            assertTrue(r.asString().contains("<h1 id=\"problem-title\">Not found</h1>"), path + ": " + r.asString());
            assertNoJava(path, r.asString());
        }
        Response post = postForm(admin, "/app/dropship-orders", "/app/dropship-orders/abc/acknowledge", "revision", "1")
                .statusCode(404).extract().response();
        assertTrue(post.asString().contains("id=\"problem-title\">Not found<"), post.asString());
        assertNoJava("POST /app/dropship-orders/abc/acknowledge", post.asString());
    }

    private static void assertNoJava(String what, String body) {
        for (String java : List.of("For input string", "NumberFormat", "Exception", "java.", "Unable to find")) {
            assertFalse(body.contains(java), what + " says " + java + ": " + body);
        }
    }
}
