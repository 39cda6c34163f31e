package io.portlink.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.organization.ApiKeys;
import io.portlink.outbox.WebhookDelivery;
import io.portlink.outbox.Webhooks;
import io.portlink.testing.Fixtures;
import io.portlink.testing.TestClock;
import io.portlink.testing.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Webhook endpoints through the API: added with the secret in the answer once, listed without it, deleted; scoped to
 * the calling key's organisation and its write scope; in the OpenAPI document.
 */
@QuarkusTest
class WebhookEndpointApiTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Webhooks webhooks;

    @Inject
    WebhookDelivery delivery;

    @Inject
    ApiKeys keys;

    @Inject
    TestClock clock;

    @Test
    void anEndpointAddedThroughTheApiGetsEventsSignedWithTheSecretItWasGivenAndIsDeletedForGood() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        try (WebhookReceiver receiver = WebhookReceiver.start(clock)) {
            var created = given().auth().oauth2(tenant.apiKey()).contentType(ContentType.JSON)
                    .body(Map.of("url", receiver.url(), "eventTypes", List.of("shipment.shipped")))
                    .post("/api/v1/webhook-endpoints").then().statusCode(201)
                    .header("Location", containsString("/api/v1/webhook-endpoints/"))
                    .body("secret", matchesPattern("whsec_[A-Za-z0-9_-]{43}"))
                    .body("eventTypes", equalTo(List.of("shipment.shipped"))).body("enabled", equalTo(true)).extract()
                    .jsonPath();
            long id = created.getLong("id");
            receiver.secret(created.getString("secret"));

            given().auth().oauth2(tenant.apiKey()).get("/api/v1/webhook-endpoints").then().statusCode(200)
                    .body("$", hasSize(1)).body("[0].id", equalTo((int) id)).body("[0].url", equalTo(receiver.url()))
                    .body("[0].secretHint", matchesPattern("whsec_.{4}…"))
                    .body(not(containsString(created.getString("secret"))));

            webhooks.publish(tenant.id(), "shipment.shipped", Map.of("reference", "SH-API"));
            assertEquals(1, delivery.deliverDue());
            assertTrue(receiver.received().get(0).signatureValid());

            given().auth().oauth2(tenant.apiKey()).delete("/api/v1/webhook-endpoints/" + id).then().statusCode(204);
            given().auth().oauth2(tenant.apiKey()).get("/api/v1/webhook-endpoints").then().body("$", hasSize(0));
            assertEquals(List.of(), webhooks.publish(tenant.id(), "shipment.shipped", Map.of()));
            given().auth().oauth2(tenant.apiKey()).delete("/api/v1/webhook-endpoints/" + id).then().statusCode(404);
        }
    }

    @Test
    void anotherOrganisationsKeyNeitherSeesNorDeletesAnEndpoint() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        Fixtures.Tenant other = fixtures.tenant("GB");
        long id = webhooks.create(tenant.id(), "http://127.0.0.1:9/mine", "").endpoint().id();

        given().auth().oauth2(other.apiKey()).get("/api/v1/webhook-endpoints").then().statusCode(200).body("$",
                hasSize(0));
        given().auth().oauth2(other.apiKey()).delete("/api/v1/webhook-endpoints/" + id).then().statusCode(404)
                .contentType("application/problem+json");
        assertEquals(1, webhooks.list(tenant.id()).size());
        webhooks.delete(tenant.id(), id);
    }

    @Test
    void aReadOnlyKeyListsButNeitherAddsNorDeletes() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        long id = webhooks.create(tenant.id(), "http://127.0.0.1:9/read", "").endpoint().id();
        String readOnly = keys.create(tenant.id(), "read only", "tests", false, null).key();
        given().auth().oauth2(readOnly).get("/api/v1/webhook-endpoints").then().statusCode(200).body("$", hasSize(1));
        given().auth().oauth2(readOnly).contentType(ContentType.JSON).body(Map.of("url", "http://127.0.0.1:9/x"))
                .post("/api/v1/webhook-endpoints").then().statusCode(403);
        given().auth().oauth2(readOnly).delete("/api/v1/webhook-endpoints/" + id).then().statusCode(403);
        assertEquals(1, webhooks.list(tenant.id()).size());
        webhooks.delete(tenant.id(), id);
    }

    @Test
    void aBadEndpointIsA422NamingTheField() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        given().auth().oauth2(tenant.apiKey()).contentType(ContentType.JSON).body(Map.of("url", "ftp://example.com/in"))
                .post("/api/v1/webhook-endpoints").then().statusCode(422).contentType("application/problem+json")
                .body(containsString("url"));
        given().auth().oauth2(tenant.apiKey()).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/in", "eventTypes", List.of("NOT A TYPE")))
                .post("/api/v1/webhook-endpoints").then().statusCode(422).body(containsString("eventTypes"));
        // a misspelt type would never receive anything: refused, listing the types Portlink sends
        given().auth().oauth2(tenant.apiKey()).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/in", "eventTypes", List.of("sales_order.shiped")))
                .post("/api/v1/webhook-endpoints").then().statusCode(422).body("errors[0].field", equalTo("eventTypes"))
                .body("errors[0].message", containsString("sales_order.shiped"))
                .body("errors[0].message", containsString("is not an event type Portlink sends"))
                .body("errors[0].message", containsString(
                        "dropshipment.acknowledged, order.cancelled, order.confirmed, sales_order.cancelled, sales_order.changed, sales_order.routed, sales_order.shipped, shipment.shipped, webhook.test"));
        given().auth().oauth2(tenant.apiKey()).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/in", "eventTypes", List.of("sales_order.shipped")))
                .post("/api/v1/webhook-endpoints").then().statusCode(201);
        assertEquals(1, webhooks.list(tenant.id()).size());
        webhooks.delete(tenant.id(), webhooks.list(tenant.id()).get(0).id());
        assertTrue(webhooks.list(tenant.id()).isEmpty());
    }

    @Test
    void oneEndpointPerAddressAndTheSameCreateAgainIsTheEndpointWithoutItsSecret() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        try (WebhookReceiver receiver = WebhookReceiver.start(clock)) {
            Map<String, Object> body = Map.of("url", receiver.url(), "eventTypes",
                    List.of("order.confirmed", "order.cancelled"));
            var created = given().auth().oauth2(tenant.apiKey()).contentType(ContentType.JSON).body(body)
                    .post("/api/v1/webhook-endpoints").then().statusCode(201).extract().jsonPath();
            long id = created.getLong("id");

            // a retry after a lost answer, the types in another order: the endpoint, no second one, no secret
            given().auth().oauth2(tenant.apiKey()).contentType(ContentType.JSON)
                    .body(Map.of("url", receiver.url(), "eventTypes", List.of("order.cancelled", "order.confirmed")))
                    .post("/api/v1/webhook-endpoints").then().statusCode(200).body("id", equalTo((int) id))
                    .body("secret", equalTo(null)).body("secretHint", equalTo(created.getString("secretHint")));
            // the address with other types: told which it has
            given().auth().oauth2(tenant.apiKey()).contentType(ContentType.JSON)
                    .body(Map.of("url", receiver.url(), "eventTypes", List.of())).post("/api/v1/webhook-endpoints")
                    .then().statusCode(409).contentType("application/problem+json")
                    .body("detail", containsString("webhook endpoint " + id + " has this address already"))
                    .body("errors[0].field", equalTo("eventTypes")).body("errors[0].message",
                            containsString("wants order.confirmed, order.cancelled, got \"every type\""));
            assertEquals(1, webhooks.list(tenant.id()).size());
            // the same address written otherwise (the scheme's case here; host case, default port and a trailing
            // dot in the test of sameAddress)
            String url = receiver.url(); // http://127.0.0.1:port/path
            for (String same : List.of(url.replace("http://", "HTTP://"))) {
                given().auth().oauth2(tenant.apiKey()).contentType(ContentType.JSON)
                        .body(Map.of("url", same, "eventTypes", List.of("order.confirmed", "order.cancelled")))
                        .post("/api/v1/webhook-endpoints").then().statusCode(200).body("id", equalTo((int) id));
            }
            assertEquals(1, webhooks.list(tenant.id()).size());

            // a lost secret is rotated: the new one signs from now on
            String secret = given().auth().oauth2(tenant.apiKey()).post("/api/v1/webhook-endpoints/" + id + "/secret")
                    .then().statusCode(200).body("id", equalTo((int) id))
                    .body("secret", matchesPattern("whsec_[A-Za-z0-9_-]{43}")).extract().path("secret");
            assertTrue(!secret.equals(created.getString("secret")));
            receiver.secret(secret);
            webhooks.publish(tenant.id(), "order.confirmed", Map.of("reference", "PO-ROT"));
            assertEquals(1, delivery.deliverDue());
            assertTrue(receiver.received().get(0).signatureValid());

            Fixtures.Tenant other = fixtures.tenant("GB");
            given().auth().oauth2(other.apiKey()).post("/api/v1/webhook-endpoints/" + id + "/secret").then()
                    .statusCode(404);
            webhooks.delete(tenant.id(), id);
        }
    }

    @Test
    void anAddressIsOneWhateverItsCaseDefaultPortOrTrailingDotAndARetryAtTheLimitIsStillTheEndpoint() {
        assertEquals(Webhooks.sameAddress("https://hooks.example.com/in"),
                Webhooks.sameAddress("HTTPS://Hooks.Example.COM.:443/in"));
        assertEquals(Webhooks.sameAddress("https://hooks.example.com"),
                Webhooks.sameAddress("https://hooks.example.com/"));
        assertNotEquals(Webhooks.sameAddress("https://hooks.example.com/in"),
                Webhooks.sameAddress("https://hooks.example.com/IN"));
        assertNotEquals(Webhooks.sameAddress("https://hooks.example.com/in"),
                Webhooks.sameAddress("https://hooks.example.com:8443/in"));

        Fixtures.Tenant tenant = fixtures.tenant("GB");
        for (int i = 0; i < Webhooks.MAX_ENDPOINTS; i++) {
            webhooks.create(tenant.id(), "http://127.0.0.1:9/full-" + i, "order.confirmed");
        }
        given().auth().oauth2(tenant.apiKey()).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/full-3", "eventTypes", List.of("order.confirmed")))
                .post("/api/v1/webhook-endpoints").then().statusCode(200).body("secret", equalTo(null));
        given().auth().oauth2(tenant.apiKey()).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/full-3", "eventTypes", List.of()))
                .post("/api/v1/webhook-endpoints").then().statusCode(409);
        given().auth().oauth2(tenant.apiKey()).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/one-more", "eventTypes", List.of()))
                .post("/api/v1/webhook-endpoints").then().statusCode(422)
                .body("errors[0].message", containsString("at most 20 webhook endpoints"));
        webhooks.list(tenant.id()).forEach(e -> webhooks.delete(tenant.id(), e.id()));
    }

    @Test
    void theEndpointsAreInTheOpenApiDocument() {
        given().get("/q/openapi?format=json").then().statusCode(200).body(containsString("/api/v1/webhook-endpoints"))
                .body(containsString("/api/v1/webhook-endpoints/{id}"));
    }
}
