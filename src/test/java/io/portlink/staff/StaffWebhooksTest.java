package io.portlink.staff;

import static io.portlink.testing.StaffClient.postForm;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.organization.StaffAccounts;
import io.portlink.organization.StaffUser;
import io.portlink.outbox.WebhookDelivery;
import io.portlink.outbox.Webhooks;
import io.portlink.testing.Fixtures;
import io.portlink.testing.TestClock;
import io.portlink.testing.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

/**
 * Admins manage webhook endpoints on their pages: add one and copy its secret once, send a test event that a real
 * receiver verifies, see a dead delivery and retry it, rotate and delete only after confirming; another organisation's
 * admin can neither see nor touch any of it.
 */
@QuarkusTest
class StaffWebhooksTest {

    private static final Pattern SECRET = Pattern.compile("id=\"secret\">(whsec_[A-Za-z0-9_-]{43})<");
    private static final Pattern ENDPOINT = Pattern.compile("data-endpoint=\"(\\d+)\"");

    @Inject
    Fixtures fixtures;

    @Inject
    Webhooks webhooks;

    @Inject
    WebhookDelivery delivery;

    @Inject
    TestClock clock;

    @Inject
    StaffAccounts accounts;

    @Inject
    io.portlink.platform.PortlinkConfig config;

    WebhookReceiver receiver;
    Fixtures.Tenant tenant;
    CookieFilter admin;

    @BeforeEach
    void signedIn() {
        receiver = WebhookReceiver.start(clock);
        tenant = fixtures.tenant("GB");
        admin = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
    }

    @AfterEach
    void stop() {
        for (var e : webhooks.list(tenant.id())) {
            webhooks.delete(tenant.id(), e.id());
        }
        receiver.close();
    }

    /** Adds an endpoint through the form; returns its id, and the receiver knows the secret the page showed. */
    private long add(String events) {
        String page = postForm(admin, "/app/admin/webhooks", "/app/admin/webhooks", "url", receiver.url(), "eventTypes",
                events).statusCode(200).extract().asString();
        Matcher secret = SECRET.matcher(page);
        assertTrue(secret.find(), "the answer shows the secret");
        receiver.secret(secret.group(1));
        Matcher id = ENDPOINT.matcher(page);
        assertTrue(id.find(), "the endpoint is listed");
        return Long.parseLong(id.group(1));
    }

    @Test
    void anAdminAddsAnEndpointCopiesItsSecretOnceAndATestEventArrivesSigned() {
        given().filter(admin).get("/app/admin").then().statusCode(200).body(containsString("/app/admin/webhooks"));
        long id = add("shipment.shipped, order.confirmed");
        // the address again: one endpoint per address, so a receiver never gets each event twice
        postForm(admin, "/app/admin/webhooks", "/app/admin/webhooks", "url", receiver.url(), "eventTypes", "")
                .statusCode(422).body(containsString("This address has an endpoint already (#" + id + ")"));
        assertEquals(1, webhooks.list(tenant.id()).size());
        given().filter(admin).get("/app/admin/webhooks").then()
                .body(containsString("shipment.shipped, order.confirmed")).body(containsString("whsec_"))
                .body(not(containsString("id=\"secret\"")));

        postForm(admin, "/app/admin/webhooks/" + id, "/app/admin/webhooks/" + id + "/test").statusCode(303);
        assertEquals(1, delivery.deliverDue());
        WebhookReceiver.Received r = receiver.received().get(0);
        assertTrue(r.signatureValid() && r.timestampFresh(), "the receiver verified it with the secret shown: " + r);
        assertTrue(r.body().contains("\"type\":\"webhook.test\""), r.body());

        String page = given().filter(admin).get("/app/admin/webhooks/" + id).asString();
        assertTrue(page.contains("data-status=\"delivered\""), page);
        assertTrue(page.contains(r.id()), "the delivery shows its event id");
        assertFalse(page.contains(receiver.received().get(0).signature()));
    }

    @Test
    void aFormWithAPlainHttpOrBadEventTypeSaysWhatToFix() {
        postForm(admin, "/app/admin/webhooks", "/app/admin/webhooks", "url", "not a url", "eventTypes", "")
                .statusCode(422).body(containsString("URL: "));
        postForm(admin, "/app/admin/webhooks", "/app/admin/webhooks", "url", receiver.url(), "eventTypes",
                "Shipment Shipped!").statusCode(422).body(containsString("Event types: "))
                        .body(containsString(receiver.url()));
        // both wrong at once: both are named, and what was typed stays
        String both = postForm(admin, "/app/admin/webhooks", "/app/admin/webhooks", "url", "not a url", "eventTypes",
                "Shipment Shipped!").statusCode(422).extract().asString();
        assertTrue(both.contains("URL: ") && both.contains("Event types: "), both);
        assertTrue(both.contains("Shipment Shipped!"), "the event types typed stay in the form");
        assertTrue(webhooks.list(tenant.id()).isEmpty());
    }

    @Test
    void aDeadDeliveryShowsInTheListAndRetryDeliversIt() {
        long id = add("");
        receiver.always(503);
        webhooks.publish(tenant.id(), "shipment.shipped", Map.of("reference", "SH-DEAD"));
        for (int i = 0; i < config.webhooks().maxAttempts(); i++) {
            delivery.deliverDue();
            clock.advance(Duration.ofHours(7));
        }
        String page = given().filter(admin).get("/app/admin/webhooks/" + id).asString();
        Matcher dead = Pattern.compile("data-delivery=\"(\\d+)\" data-status=\"dead\"").matcher(page);
        assertTrue(dead.find(), page);
        assertTrue(page.contains("HTTP 503"), "the last answer is shown");
        assertTrue(page.contains(">" + config.webhooks().maxAttempts() + "<"), "the number of tries is shown");
        assertTrue(page.contains("class=\"retry\""));

        receiver.always(200);
        postForm(admin, "/app/admin/webhooks/" + id,
                "/app/admin/webhooks/" + id + "/deliveries/" + dead.group(1) + "/retry").statusCode(303);
        given().filter(admin).get("/app/admin/webhooks/" + id).then()
                .body(containsString("data-delivery=\"" + dead.group(1) + "\" data-status=\"pending\""));
        assertEquals(1, delivery.deliverDue());
        given().filter(admin).get("/app/admin/webhooks/" + id).then()
                .body(containsString("data-delivery=\"" + dead.group(1) + "\" data-status=\"delivered\""))
                .body(not(containsString("class=\"retry\"")));
    }

    @Test
    void rotatingAndDeletingAskFirstThenTakeEffect() {
        long id = add("");
        String oldSecret = receiverSecretOf(id);

        given().filter(admin).get("/app/admin/webhooks/" + id + "/rotate").then().statusCode(200)
                .body(containsString("Rotate this endpoint's secret?")).body(containsString("confirm-rotate"));
        assertEquals(oldSecret, receiverSecretOf(id), "asking changes nothing");
        String page = postForm(admin, "/app/admin/webhooks/" + id + "/rotate", "/app/admin/webhooks/" + id + "/rotate")
                .statusCode(200).extract().asString();
        Matcher secret = SECRET.matcher(page);
        assertTrue(secret.find(), "the new secret is shown once");
        assertNotEquals(oldSecret, receiverSecretOf(id));

        // the receiver still has the old secret: the test event fails its check until it takes the new one
        postForm(admin, "/app/admin/webhooks/" + id, "/app/admin/webhooks/" + id + "/test").statusCode(303);
        assertEquals(0, delivery.deliverDue());
        receiver.secret(secret.group(1));
        clock.advance(Duration.ofMinutes(5));
        assertEquals(1, delivery.deliverDue());

        given().filter(admin).get("/app/admin/webhooks/" + id + "/delete").then().statusCode(200)
                .body(containsString("Delete this webhook endpoint?"));
        assertEquals(1, webhooks.list(tenant.id()).size(), "asking deletes nothing");
        postForm(admin, "/app/admin/webhooks/" + id + "/delete", "/app/admin/webhooks/" + id + "/delete")
                .statusCode(303).header("Location", containsString("/app/admin/webhooks?done=deleted"));
        assertTrue(webhooks.list(tenant.id()).isEmpty());
        given().filter(admin).get("/app/admin/webhooks/" + id).then().statusCode(404);
    }

    @Test
    void disablingStopsNewEventsUntilEnabledAgain() {
        long id = add("");
        postForm(admin, "/app/admin/webhooks/" + id, "/app/admin/webhooks/" + id + "/enabled", "enabled", "false")
                .statusCode(303);
        given().filter(admin).get("/app/admin/webhooks/" + id).then().body(containsString(">disabled<"))
                .body(not(containsString("id=\"send-test\"")));
        assertEquals(List.of(), webhooks.publish(tenant.id(), "shipment.shipped", Map.of()));
        postForm(admin, "/app/admin/webhooks/" + id, "/app/admin/webhooks/" + id + "/enabled", "enabled", "true")
                .statusCode(303);
        assertEquals(1, webhooks.publish(tenant.id(), "shipment.shipped", Map.of()).size());
        // a value the form never sends switches nothing off
        int refused = postForm(admin, "/app/admin/webhooks/" + id, "/app/admin/webhooks/" + id + "/enabled", "enabled",
                "maybe").extract().statusCode();
        assertTrue(refused == 400 || refused == 422, "refused: " + refused);
        assertEquals(1, webhooks.publish(tenant.id(), "shipment.shipped", Map.of()).size(), "still enabled");
    }

    @Test
    void deliveriesArePaged() {
        long id = add("");
        for (int i = 0; i < Webhooks.DELIVERIES_PAGE + 3; i++) {
            webhooks.publish(tenant.id(), "shipment.shipped", Map.of("n", i));
        }
        String first = given().filter(admin).get("/app/admin/webhooks/" + id).asString();
        assertEquals(Webhooks.DELIVERIES_PAGE, Pattern.compile("data-delivery=").matcher(first).results().count());
        assertTrue(first.contains("id=\"older\""));
        String second = given().filter(admin).get("/app/admin/webhooks/" + id + "?page=1").asString();
        assertEquals(3, Pattern.compile("data-delivery=").matcher(second).results().count());
        assertTrue(second.contains("?page=0\" id=\"newer\"") && !second.contains("id=\"older\""), second);
    }

    @Test
    void anotherOrganisationsAdminCanNeitherSeeNorTouchAnEndpoint() {
        long id = add("");
        webhooks.publish(tenant.id(), "shipment.shipped", Map.of());
        long deliveryId = webhooks.deliveries(tenant.id(), id, 0).orElseThrow().deliveries().get(0).id();
        var before = webhooks.view(tenant.id(), id).orElseThrow();

        Fixtures.Tenant other = fixtures.tenant("GB");
        CookieFilter stranger = signIn(other.adminEmail(), Fixtures.PASSWORD);
        given().filter(stranger).get("/app/admin/webhooks").then().statusCode(200)
                .body(not(containsString(receiver.url())));
        for (String page : List.of("", "/rotate", "/delete")) {
            given().filter(stranger).get("/app/admin/webhooks/" + id + page).then().statusCode(404)
                    .body(not(containsString(receiver.url())));
        }
        for (String action : List.of("/enabled", "/test", "/rotate", "/delete",
                "/deliveries/" + deliveryId + "/retry")) {
            postForm(stranger, "/app/admin/webhooks", "/app/admin/webhooks/" + id + action, "enabled", "false")
                    .statusCode(404);
        }
        assertEquals(before, webhooks.view(tenant.id(), id).orElseThrow(), "the endpoint is as it was");
        assertEquals(1, webhooks.deliveries(tenant.id(), id, 0).orElseThrow().deliveries().size());

        // a staff user (not an admin) of the same organisation has no webhook pages either
        accounts.add(tenant.id(), "clerk-" + tenant.id() + "@buyer.example", null, "ledger-tulip-harbour",
                StaffUser.Role.STAFF);
        CookieFilter clerk = signIn("clerk-" + tenant.id() + "@buyer.example", "ledger-tulip-harbour");
        given().filter(clerk).get("/app/admin/webhooks/" + id).then().statusCode(403);
    }

    private String receiverSecretOf(long id) {
        return webhooks.view(tenant.id(), id).orElseThrow().secretHint();
    }
}
