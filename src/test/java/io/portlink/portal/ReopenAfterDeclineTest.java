package io.portlink.portal;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/**
 * A decline is undone only on purpose: after declining, the page has no "Confirm order" button, only a secondary "I can
 * supply it after all" with a warning and a box to tick; staff then see the order as "Reopened by vendor".
 */
@QuarkusTest
class ReopenAfterDeclineTest {

    @Inject
    Fixtures fixtures;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
    }

    private ValidatableResponse api(String path) {
        return given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders" + path).then()
                .statusCode(200);
    }

    private List<String> bucket(String bucket) {
        return api("?bucket=" + bucket + "&size=200").extract().jsonPath().getList("items.reference", String.class);
    }

    private PortalClient declined(String ref) {
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "reopen@vendor.example"));
        vendor.act(ref, "decline", Map.of("reason", "Out of stock until March")).then().statusCode(303);
        return vendor;
    }

    @Test
    void afterDecliningTheBigConfirmButtonIsGoneAndATapOnItChangesNothing() {
        String ref = uniqueReference();
        PortalClient vendor = declined(ref);

        String page = vendor.open("/orders/" + ref + "?saved=DECLINE").asString();
        assertFalse(page.contains("id=\"confirm\""), "no big Confirm button right after declining");
        assertTrue(page.contains("id=\"reopen\"") && page.contains("I can supply it after all"),
                "the way back is offered as its own action");
        assertTrue(page.contains("may already be buying it elsewhere"), "with a warning");
        assertTrue(page.indexOf("id=\"reopen\"") > page.indexOf("id=\"send-note\""), "below the other forms");

        // the confirm form of a page shown before the decline: the order as it is now, and the way back
        Response confirm = vendor.submit(ref, "confirm", Map.of());
        assertEquals(409, confirm.statusCode());
        assertTrue(confirm.asString().contains("If you can supply it after all, please use"));
        api("/" + ref).body("status", equalTo("DECLINED")).body("timeline.type", not(hasItem("CONFIRMED")));
        assertTrue(bucket("DECLINED").contains(ref), "the order stays in the Declined bucket");
        assertFalse(bucket("REOPENED").contains(ref));
    }

    @Test
    void reopeningNeedsTheTickThenStaffSeeItInTheQueueAndOnTheTimeline() {
        String ref = uniqueReference();
        PortalClient vendor = declined(ref);

        Response unticked = vendor.act(ref, "reopen", Map.of());
        assertEquals(422, unticked.statusCode());
        assertTrue(unticked.asString().contains("Please tick the box"));
        api("/" + ref).body("status", equalTo("DECLINED"));

        vendor.act(ref, "reopen", Map.of("understood", "yes")).then().statusCode(303).header("Location",
                containsString("saved=REOPEN"));
        assertTrue(vendor.open("/orders/" + ref + "?saved=REOPEN").asString()
                .contains("The order is open again and confirmed."));
        api("/" + ref).body("status", equalTo("ACKNOWLEDGED")).body("closedAt", nullValue())
                .body("declineReason", nullValue()).body("reopenedAt", notNullValue())
                .body("timeline.type", hasItems("DECLINED", "REOPENED"))
                .body("timeline.find { it.type == 'REOPENED' }.detail",
                        equalTo("can supply it after all (had declined: Out of stock until March)"))
                .body("links[0].expiresAt", nullValue());
        assertTrue(bucket("REOPENED").contains(ref), "the API's bucket filter finds it");
        assertFalse(bucket("DECLINED").contains(ref));

        // a double click on the reopen button changes nothing more
        vendor.submit(ref, "reopen", Map.of("understood", "yes")).then().statusCode(303);
        api("/" + ref).body("timeline.findAll { it.type == 'REOPENED' }.size()", equalTo(1));

        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String queue = given().filter(staff).get("/app/orders?bucket=REOPENED").then().statusCode(200).extract()
                .asString();
        assertTrue(queue.contains("data-reference=\"" + ref + "\""), "the staff queue lists it");
        assertTrue(queue.contains("Reopened by vendor <span class=\"count\">1</span>"), "the bucket counts it");
        assertTrue(queue.contains("badge reopened"), "the row carries the badge");
        String detail = given().filter(staff).get("/app/orders/" + ref).then().statusCode(200).extract().asString();
        assertTrue(detail.contains("id=\"reopened\"") && detail.contains("event-reopened"),
                "the order page says so, and its timeline shows it");

        long version = api("/" + ref).extract().jsonPath().getLong("version");
        given().filter(staff).formParam("form-token", csrf(staff, "/app/orders/" + ref)).redirects().follow(false)
                .post("/app/orders/" + ref + "/reopen-noted").then().statusCode(303)
                .header("Location", containsString("done=noted"));
        assertFalse(bucket("REOPENED").contains(ref), "noted: it leaves the bucket");
        api("/" + ref).body("reopenedAt", nullValue()).body("version", equalTo((int) version)).body("timeline.type",
                hasItem("REOPEN_NOTED"));
        // the vendor's open page is still valid: noting it is not an edit of the order
        vendor.submit(ref, "note", Map.of("note", "Delivery next week")).then().statusCode(303);
    }

    @Test
    void declinedAgainAfterReopeningLeavesTheReopenedBucket() {
        String ref = uniqueReference();
        PortalClient vendor = declined(ref);
        vendor.act(ref, "reopen", Map.of("understood", "yes")).then().statusCode(303);
        vendor.act(ref, "decline", Map.of("reason", "Really out of stock")).then().statusCode(303);
        assertFalse(bucket("REOPENED").contains(ref));
        assertTrue(bucket("DECLINED").contains(ref));
        api("/" + ref).body("reopenedAt", nullValue());
    }
}
