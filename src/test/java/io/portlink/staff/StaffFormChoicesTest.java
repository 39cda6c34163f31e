package io.portlink.staff;

import static io.portlink.testing.StaffClient.postForm;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

/**
 * Staff forms offer countries and time zones as lists and numbers as number inputs; a refused form lists every problem
 * with what was typed, and keeps it in the fields.
 */
@QuarkusTest
class StaffFormChoicesTest {

    @Inject
    Fixtures fixtures;

    @Test
    void countryAndTimeZoneAreChoicesAndNumbersAreNumberInputs() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter admin = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String page = given().filter(admin).get("/app/admin").then().statusCode(200).extract().asString();
        assertTrue(page.contains("<select id=\"org-country\" name=\"country\" required>"));
        assertTrue(page.contains("<option value=\"GB\" selected>United Kingdom (GB)</option>"));
        assertTrue(page.contains("<option value=\"DE\">Germany (DE)</option>"));
        assertTrue(page.contains("<select id=\"org-zone\" name=\"timeZone\" required>"));
        assertTrue(page.contains("<option selected>Europe/London</option>"));
        assertTrue(page.contains("<option>America/New_York</option>"));
        assertTrue(page.contains("type=\"number\" min=\"1\" max=\"720\" step=\"1\" id=\"pending-hours\""));
        assertTrue(page.contains("type=\"number\" min=\"0\" max=\"10\" step=\"1\" id=\"max-reminders\""));

        long shipment = fixtures.shipment(tenant.id());
        given().filter(admin).get("/app/shipments/" + shipment).then().statusCode(200)
                .body(containsString("<select name=\"zone\" aria-label=\"Time zone of row 1\">"));
    }

    @Test
    void aRefusedFormListsEveryProblemWithWhatWasTypedAndKeepsIt() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter admin = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        postForm(admin, "/app/admin", "/app/admin/settings", "pendingResponseHours", "two days", "staleDays", "0")
                .statusCode(422).body(containsString("Please fix 2 problems; nothing was saved"))
                .body(containsString("Pending response hours: must be a whole number of hours from 1 to 720 (got"
                        + " &quot;two days&quot;)"))
                .body(containsString("Stale days: must be a whole number of days from 1 to 365 (got &quot;0&quot;)"))
                .body(containsString("name=\"pendingResponseHours\" value=\"two days\""))
                .body(containsString("name=\"staleDays\" value=\"0\""));
        postForm(admin, "/app/admin", "/app/admin/reminders", "enabled", "true", "remindAfterHours", "99999",
                "reconfirmDaysBefore", "2", "maxReminders", "eleven").statusCode(422)
                        .body(containsString("Please fix 2 problems")).body(containsString("value=\"eleven\""))
                        .body(containsString("value=\"99999\""));
    }

    @Test
    void aRefusedLinkFormListsEveryProblemAndKeepsWhatWasTyped() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter admin = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String ref = Fixtures.uniqueReference();
        Fixtures.createOrderWithLink(tenant.apiKey(), ref, "contact@vendor.example");
        postForm(admin, "/app/orders/" + ref, "/app/orders/" + ref + "/links", "name", " ", "contact", "nonsense",
                "expires", "2020-01-01").statusCode(422).body(containsString("The link was not created."))
                        .body(containsString("Name: "))
                        .body(containsString(
                                "Contact: must be an e-mail address or a phone number (got &quot;nonsense&quot;)"))
                        .body(containsString("Expires: must be a date after today"))
                        .body(containsString("name=\"contact\" value=\"nonsense\""))
                        .body(containsString("value=\"2020-01-01\""));
    }
}
