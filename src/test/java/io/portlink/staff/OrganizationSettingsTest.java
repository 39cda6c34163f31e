package io.portlink.staff;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

@QuarkusTest
class OrganizationSettingsTest {

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    @Test
    void adminsEditNameCountryZoneAndLinkExpiryAndEveryPageFollows() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "fmt@vendor.example"));
        vendor.open("").then().body(containsString("1 Jul 2026"));

        CookieFilter admin = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String token = csrf(admin, "/app/admin");
        given().filter(admin).formParam("form-token", token).formParam("name", "").formParam("country", "ZZ")
                .formParam("timeZone", "Mars/Olympus").formParam("linkExpiryDays", "0").post("/app/admin/profile")
                .then().statusCode(422).body(containsString("Please fix 4 problems; nothing was saved"))
                .body(containsString("Name: must be 1 to 200 characters"))
                .body(containsString("Country: must be an ISO 3166 two-letter country code such as GB, DE or US"
                        + " (got &quot;ZZ&quot;)"))
                .body(containsString("Time zone: must be one of the listed time zones, such as Europe/London or"
                        + " America/New_York (got &quot;Mars/Olympus&quot;)"))
                .body(containsString(
                        "Link expiry days: must be a whole number of days from 1 to 3650 (got" + " &quot;0&quot;)"))
                .body(containsString("name=\"linkExpiryDays\" value=\"0\""));
        given().filter(admin).redirects().follow(false).formParam("form-token", token)
                .formParam("name", "Müller Handel GmbH").formParam("country", "de").formParam("language", "de")
                .formParam("timeZone", "Europe/Berlin").formParam("linkExpiryDays", "2").post("/app/admin/profile")
                .then().statusCode(303);

        vendor.open("").then().body(containsString("Müller Handel GmbH")).body(containsString("01.07.2026"));
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/organization").then()
                .body("country", equalTo("DE")).body("timeZone", equalTo("Europe/Berlin"));

        vendor.act(ref, "status", Map.of("status", "DELIVERED")).then().statusCode(303);
        clock.advance(Duration.ofDays(2).plusMinutes(1));
        given().header("User-Agent", PortalClient.BROWSER).get(vendor.link()).then().statusCode(410);
    }

    @Test
    void aNameOnSeveralLinesOrAnAddressListIsRefusedAndNothingChanges() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        CookieFilter admin = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String token = csrf(admin, "/app/admin");
        given().filter(admin).formParam("form-token", token).formParam("name", "Acme\r\nBcc: all@example.com")
                .formParam("country", "GB").formParam("timeZone", "Europe/London").formParam("language", "en")
                .post("/app/admin/profile").then().statusCode(422)
                .body(containsString("Name: must be one line, without control characters"));
        for (String name : new String[] { "Acme\u2028Evil", "Acme\u202EliveE" }) {
            given().filter(admin).contentType("application/x-www-form-urlencoded; charset=UTF-8")
                    .formParam("form-token", token).formParam("name", name).formParam("country", "GB")
                    .formParam("timeZone", "Europe/London").formParam("language", "en").post("/app/admin/profile")
                    .then().statusCode(422);
        }
        for (String list : new String[] { "a,b@example.com", "Desk <desk@example.com>",
                "a@example.com;b@example.com" }) {
            given().filter(admin).formParam("form-token", token).formParam("purchasingName", "Desk")
                    .formParam("purchasingEmail", list).post("/app/admin/purchasing").then().statusCode(422)
                    .body(containsString("must be an e-mail address"));
        }
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/organization").then().body("name",
                equalTo(tenant.name()));
    }

    @Test
    void vendorPagesAndMailsSpeakTheOrganisationsLanguageOrTheVendorsOwn() {
        Fixtures.Tenant tenant = fixtures.tenant("DE");
        String ref = uniqueReference();
        String email = "sprache-" + tenant.id() + "@vendor.example";
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, email));
        vendor.open("").then().statusCode(200).body(containsString("<html lang=\"de\">"))
                .body(containsString("Bestellung von")).body(containsString("Bestellung bestätigen"))
                .body(containsString("01.07.2026"));
        Map<String, Object> mailed = new java.util.HashMap<>(Fixtures.order(uniqueReference(), email));
        mailed.put("send", "LINK_ONLY");
        Fixtures.post(tenant.apiKey(), mailed).statusCode(201);
        assertTrue(subjectTo(email).startsWith("Bestellung PO-"), subjectTo(email));

        CookieFilter admin = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String token = csrf(admin, "/app/admin");
        given().filter(admin).formParam("form-token", token).formParam("name", "Werk").formParam("country", "DE")
                .formParam("timeZone", "Europe/Berlin").formParam("language", "xx").post("/app/admin/profile").then()
                .statusCode(422).body(containsString("Language: must be one of en, de, fr, es"));
        given().filter(admin).redirects().follow(false).formParam("form-token", token).formParam("name", "Werk")
                .formParam("country", "DE").formParam("timeZone", "Europe/Berlin").formParam("language", "fr")
                .post("/app/admin/profile").then().statusCode(303);
        vendor.open("").then().body(containsString("<html lang=\"fr\">"))
                .body(containsString("Bon de commande émis par")).body(containsString("Confirmer la commande"))
                .body(containsString("1er juil. 2026"));

        // a vendor with a language of its own reads that one (any regional variant)
        String spanish = uniqueReference();
        Map<String, Object> order = new java.util.HashMap<>(Fixtures.order(spanish, "es-" + email));
        order.put("vendor", Map.of("name", "Proveedor", "email", "es-" + email, "language", "es-MX"));
        String url = Fixtures.post(tenant.apiKey(), order).statusCode(201).extract().path("vendorLink.url");
        new PortalClient(url.substring(url.indexOf("/v/"))).open("").then().body(containsString("Confirmar pedido"))
                .body(containsString("Pendiente"));

        // the neutral page names no organisation, so it follows the browser
        String unknown = "/v/pv_" + "A".repeat(43);
        given().header("User-Agent", PortalClient.BROWSER).header("Accept-Language", "de-AT,de;q=0.9,en;q=0.5")
                .get(unknown).then().statusCode(404).body(containsString("Dieser Link ist nicht verfügbar"));
        given().header("User-Agent", PortalClient.BROWSER).header("Accept-Language", "ja-JP").get(unknown).then()
                .statusCode(404).body(containsString("This link is not available"));
    }

    @jakarta.transaction.Transactional
    String subjectTo(String email) {
        return io.portlink.outbox.OutboxMessage.<io.portlink.outbox.OutboxMessage> find("recipient", email)
                .firstResult().subject;
    }
}
