package io.portlink.portal;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.platform.Locales;
import io.portlink.purchasing.VendorMessages;
import io.portlink.purchasing.VendorTexts;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Vendors live in other time zones and languages: an expected delivery is from today where the buyer is (the
 * organisation's zone), and every error on a vendor page comes from the message bundle, in the vendor's language,
 * saying what to do.
 */
@QuarkusTest
class VendorLanguageAndTimeTest {

    /** How errors read before: a field name, a colon, and the raw value ("date: must be ... (got "...")"). */
    private static final Pattern DEVELOPER_STYLE = Pattern
            .compile("^(form|date|reason|note|carrier|trackingNumber|status|understood): |got (\"|&quot;)");
    private static final Pattern ERROR = Pattern.compile("<p class=\"flash error\" role=\"alert\"[^>]*>([^<]*)</p>");

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    /** Moves the clock forward to the next 20:00 UTC: Auckland is then a day ahead of Los Angeles. */
    private void toEightPmUtc() {
        Instant now = clock.instant();
        Instant next = now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(20));
        clock.advance(Duration.between(now, next.isAfter(now) ? next : next.plus(Duration.ofDays(1))));
    }

    private static String error(Response response) {
        Matcher m = ERROR.matcher(response.asString());
        assertTrue(m.find(), "the page shows an error: " + response.asString());
        return m.group(1);
    }

    private static io.restassured.response.ValidatableResponse api(Fixtures.Tenant tenant, String ref) {
        return given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .statusCode(200);
    }

    @Test
    void anExpectedDeliveryIsFromTodayWhereTheBuyerIsNotWhereTheVendorIs() {
        Fixtures.Tenant auckland = fixtures.tenant("NZ"); // organisation time zone Pacific/Auckland
        toEightPmUtc();
        LocalDate inAuckland = LocalDate.ofInstant(clock.instant(), ZoneId.of("Pacific/Auckland"));
        LocalDate inLosAngeles = LocalDate.ofInstant(clock.instant(), ZoneId.of("America/Los_Angeles"));
        assertEquals(inAuckland.minusDays(1), inLosAngeles, "the vendor's today is the buyer's yesterday");

        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(auckland.apiKey(), ref, "west@vendor.example"));
        assertTrue(vendor.open("").asString().contains("min=\"" + inAuckland + "\""),
                "the date input starts at the buyer's today");
        // the goods arrive in Auckland, where the vendor's today is already over
        Response past = vendor.act(ref, "date", Map.of("date", inLosAngeles.toString()));
        assertEquals(422, past.statusCode());
        assertTrue(error(past).contains("has already passed. Please choose"), error(past));
        assertTrue(error(past).contains(" (Pacific/Auckland) or a later date"), "whose today it is: " + error(past));
        api(auckland, ref).body("expectedDate", equalTo(null));

        vendor.act(ref, "date", Map.of("date", inAuckland.toString())).then().statusCode(303);
        api(auckland, ref).body("expectedDate", equalTo(inAuckland.toString()));

        // the ship form's expected delivery alike; its ship date is the vendor's own today
        Response ship = vendor.act(ref, "ship",
                Map.of("line", "1", "quantity", "1", "carrier", "DHL", "trackingNumber", "JD014600006281234567",
                        "shipDate", inLosAngeles.toString(), "expectedDelivery", inLosAngeles.toString()));
        assertEquals(422, ship.statusCode());
        assertTrue(error(ship).contains("has already passed. Please choose"), error(ship));
        vendor.act(ref, "ship",
                Map.of("line", "1", "quantity", "1", "carrier", "DHL", "trackingNumber", "JD014600006281234567",
                        "shipDate", inLosAngeles.toString(), "expectedDelivery", inAuckland.toString()))
                .then().statusCode(303);
    }

    @Test
    void theDateInputCarriesMinAndMaxAndBothEndsAreAccepted() {
        Fixtures.Tenant tenant = fixtures.tenant("NZ");
        toEightPmUtc();
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "range@vendor.example"));
        LocalDate min = LocalDate.ofInstant(clock.instant(), ZoneId.of("Pacific/Auckland"));
        LocalDate max = LocalDate.ofInstant(clock.instant(), ZoneOffset.ofHours(14)).plusYears(2);
        String page = vendor.open("").asString();
        assertTrue(page.contains("min=\"" + min + "\" max=\"" + max + "\""), "the date input offers the range");

        vendor.act(ref, "date", Map.of("date", max.toString())).then().statusCode(303);
        vendor.act(ref, "date", Map.of("date", min.toString())).then().statusCode(303);
        Response tooFar = vendor.act(ref, "date", Map.of("date", max.plusDays(1).toString()));
        assertEquals(422, tooFar.statusCode());
        assertTrue(error(tooFar).contains("is more than two years away"));
        api(tenant, ref).body("expectedDate", equalTo(min.toString()));
    }

    /** One form error: the action, its fields, what the German page must say. */
    private record Case(String action, Map<String, String> fields, String german) {
    }

    @Test
    void onAGermanPageEveryFormErrorIsGermanAndSaysWhatToDo() {
        Fixtures.Tenant tenant = fixtures.tenant("DE");
        String ref = uniqueReference();
        PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "de@vendor.example"));
        String far = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusYears(3).toString();
        List<Case> cases = List.of(new Case("date", Map.of("date", far), "mehr als zwei Jahre in der Zukunft"),
                new Case("date", Map.of("date", "2020-01-01"), "Der 01.01.2020 liegt in der Vergangenheit"),
                new Case("date", Map.of("date", "31.12.2026"), "ist kein lesbares Datum"),
                new Case("date", Map.of("date", " "), "Bitte wählen Sie den voraussichtlichen Liefertermin"),
                new Case("decline", Map.of("reason", ""), "warum Sie die Bestellung nicht liefern können"),
                new Case("decline", Map.of("reason", "x".repeat(1001)), "höchstens 1.000 Zeichen (er hat 1.001)"),
                new Case("tracking", Map.of("trackingNumber", "!!"), "sieht nicht wie eine Sendungsnummer aus"),
                new Case("tracking", Map.of("trackingNumber", ""), "Bitte geben Sie die Sendungsnummer ein"),
                new Case("tracking", Map.of("trackingNumber", "JD014\n6000"), "ohne Zeilenumbrüche"),
                new Case("tracking", Map.of("carrier", "D".repeat(101), "trackingNumber", "JD0146000"),
                        "Versanddienstleister: Bitte kürzen Sie den Text auf höchstens 100 Zeichen"),
                new Case("note", Map.of("note", "n".repeat(2001)), "Nachricht: Bitte kürzen Sie den Text"),
                new Case("note", Map.of("note", " "), "Bitte schreiben Sie Ihre Nachricht"),
                new Case("note", Map.of("note", "bell\u0007"), "unsichtbare Steuerzeichen"),
                new Case("status", Map.of("status", "LOST"), "Bitte wählen Sie den neuen Status aus der Liste"));
        List<String> problems = new ArrayList<>();
        for (Case c : cases) {
            Response response = vendor.act(ref, c.action(), c.fields());
            String shown = response.statusCode() == 422 ? error(response) : "HTTP " + response.statusCode();
            if (!shown.contains(c.german()) || DEVELOPER_STYLE.matcher(shown).find()) {
                problems.add(c.action() + " " + c.fields().keySet() + " → " + shown);
            }
        }
        assertEquals(List.of(), problems);
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .body("status", equalTo("PENDING")).body("expectedDate", nullValue())
                .body("trackingNumber", nullValue()).body("vendorNote", nullValue());

        // a closed order and a step backwards name the status in German
        vendor.act(ref, "status", Map.of("status", "DISPATCHED")).then().statusCode(303);
        assertTrue(error(vendor.act(ref, "status", Map.of("status", "PREPARING")))
                .contains("bereits „Versandt“ und kann nicht zurück auf „In Vorbereitung“"));
        assertTrue(error(vendor.act(ref, "decline", Map.of("reason", "zu spät")))
                .contains("bereits „Versandt“ und kann hier nicht mehr abgelehnt werden"));
        vendor.act(ref, "status", Map.of("status", "DELIVERED")).then().statusCode(303);
        assertTrue(error(vendor.act(ref, "date", Map.of("date", far))).contains("ist „Geliefert“ und kann nicht mehr"));
        vendor.open("");
        Map<String, String> noNonce = vendor.hidden("note");
        noNonce.remove("nonce");
        assertTrue(error(vendor.submitWith(noNonce, ref, "note", Map.of("note", "hallo")))
                .contains("Dieses Formular konnte nicht angenommen werden"));
    }

    @Test
    void frenchAndSpanishPagesToo() {
        // numbers in a sentence as each language writes them: French groups with a narrow no-break space, Spanish
        // only from five digits
        for (String[] country : new String[][] { { "FR", "est à plus de deux ans", "2\u202F000 caractères au plus" },
                { "ES", "está a más de dos años", "a 2000 caracteres como máximo (tiene 2001)" } }) {
            Fixtures.Tenant tenant = fixtures.tenant(country[0]);
            String ref = uniqueReference();
            PortalClient vendor = new PortalClient(createOrderWithLink(tenant.apiKey(), ref, "far@vendor.example"));
            String far = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusYears(3).toString();
            assertTrue(error(vendor.act(ref, "date", Map.of("date", far))).contains(country[1]), country[0]);
            String tooLong = error(vendor.act(ref, "note", Map.of("note", "n".repeat(2001))));
            assertTrue(tooLong.contains(country[2]), country[0] + ": " + tooLong);
        }
    }

    /** Every vendor error and the reopen texts exist in every language, not only in English. */
    @Test
    void everyVendorErrorIsTranslatedIntoEverySupportedLanguage() throws Exception {
        VendorMessages english = VendorTexts.in("en");
        List<String> missing = new ArrayList<>();
        for (Method method : VendorMessages.class.getMethods()) {
            if (!method.getName().startsWith("error_") && !method.getName().startsWith("reopen_")) {
                continue;
            }
            Object[] args = new Object[method.getParameterCount()];
            for (int i = 0; i < args.length; i++) {
                args[i] = method.getParameterTypes()[i] == int.class ? (Object) 7 : "X";
            }
            String en = (String) method.invoke(english, args);
            assertFalse(en.isBlank(), method.getName());
            for (String language : Locales.LANGUAGES) {
                if (!language.equals("en") && en.equals(method.invoke(VendorTexts.in(language), args))) {
                    missing.add(language + ": " + method.getName());
                }
            }
        }
        assertEquals(List.of(), missing);
        assertNotEquals(0, VendorMessages.class.getMethods().length);
    }
}
