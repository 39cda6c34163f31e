package io.portlink.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * {@code PUT /api/v1/organization/retention}: a day count is a whole number or null, never a text; unknown fields are
 * refused; the read-only {@code vendorLinkDaysInEffect} is ignored, so the policy as read can be sent back; nothing is
 * saved on any 422.
 */
@QuarkusTest
class RetentionPolicyApiTest {

    @Inject
    Fixtures fixtures;

    private static ValidatableResponse put(String key, String body) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(body)
                .put("/api/v1/organization/retention").then();
    }

    private static void unchanged(String key) {
        given().header("Authorization", "Bearer " + key).get("/api/v1/organization/retention").then().statusCode(200)
                .body("vendorLinkDays", equalTo(10)).body("trackingLinkDays", equalTo(20))
                .body("imageDays", equalTo(30)).body("positionDays", equalTo(40));
    }

    @Test
    void aTextIsNoDayCountWhateverItSpells() {
        String key = fixtures.tenant("GB").apiKey();
        put(key, "{\"vendorLinkDays\":10,\"trackingLinkDays\":20,\"imageDays\":30,\"positionDays\":40}")
                .statusCode(200);
        for (String text : new String[] { "\"\"", "\"\\u0000\"", "\"5\"", "\"12\\u0000\"", "\"\u0661\u0662\"",
                "\" 7 \"" }) {
            for (String field : new String[] { "vendorLinkDays", "trackingLinkDays", "imageDays", "positionDays" }) {
                String body = "{\"vendorLinkDays\":10,\"trackingLinkDays\":20,\"imageDays\":30,\"positionDays\":40}"
                        .replace("\"" + field + "\":" + switch (field) {
                        case "vendorLinkDays" -> "10";
                        case "trackingLinkDays" -> "20";
                        case "imageDays" -> "30";
                        default -> "40";
                        }, "\"" + field + "\":" + text);
                put(key, body).statusCode(422).body("errors", hasSize(1)).body("errors[0].field", equalTo(field))
                        .body("errors[0].message", containsString("not a text"));
                unchanged(key);
            }
        }
        // what was sent is quoted once, as typed
        put(key, "{\"vendorLinkDays\":10,\"trackingLinkDays\":20,\"imageDays\":\"5\",\"positionDays\":40}")
                .statusCode(422).body("errors[0].message", endsWith(", not a text, got \"5\""));
        put(key, "{\"vendorLinkDays\":10,\"trackingLinkDays\":20,\"imageDays\":1.5,\"positionDays\":true}")
                .statusCode(422).body("errors.field", org.hamcrest.Matchers.contains("imageDays", "positionDays"));
        put(key, "{\"vendorLinkDays\":10,\"trackingLinkDays\":99999999999,\"imageDays\":30,\"positionDays\":40}")
                .statusCode(422).body("errors[0].field", equalTo("trackingLinkDays"));
        unchanged(key);
    }

    @Test
    void nullResetsAndEveryFieldOutOfRangeIsNamedAtOnce() {
        String key = fixtures.tenant("GB").apiKey();
        // a field left out is not read as null: that would turn its part off without a word
        put(key, "{\"trackingLinkDays\":30}").statusCode(422)
                .body("errors.field",
                        org.hamcrest.Matchers.containsInAnyOrder("vendorLinkDays", "imageDays", "positionDays"))
                .body("errors.find { it.field == 'imageDays' }.message", startsWith("is missing"));
        put(key, "{\"vendorLinkDays\":null,\"trackingLinkDays\":20,\"imageDays\":null,\"positionDays\":null}")
                .statusCode(200).body("vendorLinkDays", nullValue()).body("imageDays", nullValue())
                .body("positionDays", nullValue());
        put(key, "{\"vendorLinkDays\":10,\"trackingLinkDays\":20,\"imageDays\":30,\"positionDays\":40}")
                .statusCode(200);
        put(key, "{\"vendorLinkDays\":3651,\"trackingLinkDays\":0,\"imageDays\":-1,\"positionDays\":4000}")
                .statusCode(422).body("errors", hasSize(4))
                .body("errors.field",
                        org.hamcrest.Matchers.containsInAnyOrder("vendorLinkDays", "trackingLinkDays", "imageDays",
                                "positionDays"))
                .body("errors.field", not(org.hamcrest.Matchers.hasItem("linkDays")))
                // in the API's words: null keeps (a form's field is left empty)
                .body("errors.find { it.field == 'imageDays' }.message", containsString("(null: keep)"));
        put(key, "{\"vendorLinkDays\":0,\"imageDays\":30,\"positionDays\":40}").statusCode(422).body("errors.field",
                org.hamcrest.Matchers.containsInAnyOrder("vendorLinkDays", "trackingLinkDays"));
        unchanged(key);
    }

    @Test
    void thePolicyAsReadCanBeSentBackTheDaysInEffectAreIgnoredAndUnknownFieldsAreRefused() {
        String key = fixtures.tenant("GB").apiKey();
        put(key, "{\"vendorLinkDays\":10,\"trackingLinkDays\":20,\"imageDays\":30,\"positionDays\":40}")
                .statusCode(200);
        String asRead = given().header("Authorization", "Bearer " + key).get("/api/v1/organization/retention").then()
                .statusCode(200).body("vendorLinkDaysInEffect", equalTo(10)).extract().asString();
        put(key, asRead).statusCode(200);
        unchanged(key);
        put(key, "{\"vendorLinkDays\":10,\"vendorLinkDaysInEffect\":99,\"trackingLinkDays\":20,\"imageDays\":30,"
                + "\"positionDays\":40}").statusCode(200).body("vendorLinkDaysInEffect", equalTo(10));
        unchanged(key);
        put(key, "{\"vendorLinkDays\":11,\"linkDays\":20,\"trackingLinkDays\":20,\"imageDays\":30,"
                + "\"positionDays\":40}").statusCode(422).body("errors[0].field", equalTo("linkDays"))
                        .body("errors[0].message", containsString("trackingLinkDays"))
                        .body("errors[0].message", not(containsString("vendorLinkDaysInEffect")));
        put(key, "[1]").statusCode(422).body("errors[0].field", equalTo("body")).body("errors[0].message",
                containsString("must be a JSON object of the policy"));
        unchanged(key);
    }
}
