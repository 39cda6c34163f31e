package io.portlink.staff;

import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.shipment.TrackingLinks;
import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

/** The staff's shipment import: a signed-in user uploads a file, sees every problem, and may upload it again. */
@QuarkusTest
class StaffShipmentImportTest {

    @Inject
    Fixtures fixtures;

    @Inject
    TrackingLinks trackingLinks;

    static String reference() {
        return "SH-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    static String upload(CookieFilter staff, String decimal, byte[] csv, int status) {
        var request = given().filter(staff).multiPart("form-token", csrf(staff, "/app/shipments/import"))
                .multiPart("file", "shipments.csv", csv, "text/csv");
        if (decimal != null) {
            request = request.multiPart("decimal", decimal);
        }
        return request.post("/app/shipments/import").then().statusCode(status).extract().asString();
    }

    @Test
    void aGoodFileImportsAndTheSameFileAgainChangesNothing() {
        Fixtures.Tenant de = fixtures.tenant("DE");
        CookieFilter staff = signIn(de.adminEmail(), Fixtures.PASSWORD);
        String form = given().filter(staff).get("/app/shipments/import").then().statusCode(200)
                .header("Content-Security-Policy", org.hamcrest.Matchers.notNullValue()).extract().asString();
        assertTrue(form.contains("<option value=\"COMMA\" selected>Decimal comma: 1.234,56 (default for DE)</option>"),
                form);
        assertTrue(form.contains("name=\"form-token\""), form);
        String a = reference();
        String b = reference();
        byte[] csv = ("reference;title;customer_name;stage;estimated_arrival;currency;cost\r\n" + a
                + ";Load 4471: 18 pallets;Müller GmbH;Dispatched;20.12.2030;EUR;1.250,5\r\n" + b + ";Sofa;;;;;\r\n")
                        .getBytes(StandardCharsets.UTF_8);
        String page = upload(staff, null, csv, 200);
        assertTrue(page.contains("2 shipments created, 0 unchanged"), page);
        assertTrue(page.contains("data-reference=\"" + a + "\""), page);
        given().header("Authorization", "Bearer " + de.apiKey()).get("/api/v1/shipments/" + a).then().statusCode(200)
                .body("internal.cost", equalTo("1250.5")).body("stage.name", equalTo("Dispatched"))
                .body("estimatedArrival", equalTo("2030-12-20")).body("customer.name", equalTo("Müller GmbH"))
                .body("stageHistory[0].by", equalTo(de.adminEmail()));

        String again = upload(staff, null, csv, 200);
        assertTrue(again.contains("0 shipments created, 2 unchanged"), again);
    }

    /** A re-import compares only the columns the file has: a shorter file is no difference, another title is one. */
    @Test
    void aReimportComparesOnlyTheColumnsOfTheFile() {
        Fixtures.Tenant gb = fixtures.tenant("GB");
        String a = reference();
        var api = given().header("Authorization", "Bearer " + gb.apiKey()).contentType("text/csv");
        api.body("reference,title,ship_from,vin_serial,internal_notes\n" + a + ",Load A,Leeds,VIN123,careful\n")
                .post("/api/v1/shipments/import").then().statusCode(200).body("created", equalTo(1));
        given().header("Authorization", "Bearer " + gb.apiKey()).contentType("text/csv")
                .body("reference,title\n" + a + ",Load A\n").post("/api/v1/shipments/import").then().statusCode(200)
                .body("unchanged", equalTo(1));
        given().header("Authorization", "Bearer " + gb.apiKey()).contentType("text/csv")
                .body("reference,title,customer_name\n" + a + ",Load B,\n").post("/api/v1/shipments/import").then()
                .statusCode(422).body("errors.size()", equalTo(1)).body("errors[0].column", equalTo("title"));
    }

    /** With a link for every new shipment, the import shows each new shipment's link once, and each one works. */
    @Test
    void anOrganisationThatLinksEveryShipmentSeesTheNewLinksOnce() {
        Fixtures.Tenant gb = fixtures.tenant("GB");
        trackingLinks.setLinkForEveryNewShipment(gb.id(), true);
        CookieFilter staff = signIn(gb.adminEmail(), Fixtures.PASSWORD);
        String a = reference();
        String b = reference();
        byte[] csv = ("reference,title\n" + a + ",Load A\n" + b + ",Load B\n").getBytes(StandardCharsets.UTF_8);
        String page = upload(staff, null, csv, 200);
        assertTrue(page.contains("id=\"import-links-note\""), page);
        var urls = java.util.regex.Pattern.compile("data-link-url>([^<]+)<").matcher(page).results()
                .map(m -> m.group(1)).toList();
        assertEquals(2, urls.size(), page);
        for (String url : urls) {
            given().header("User-Agent", io.portlink.testing.PortalClient.BROWSER)
                    .get(url.substring(url.indexOf("/t/"))).then().statusCode(200)
                    .body(org.hamcrest.Matchers.containsString("Load "));
        }
        // the same file again: nothing new, so no link to show
        String again = upload(staff, null, csv, 200);
        assertTrue(again.contains("0 shipments created, 2 unchanged"), again);
        assertFalse(again.contains("data-link-url"), again);
        // through the API, the answer carries the new shipment's link once
        String c = reference();
        given().header("Authorization", "Bearer " + gb.apiKey()).contentType("text/csv")
                .body("reference,title\n" + c + ",Load C\n").post("/api/v1/shipments/import").then().statusCode(200)
                .body("shipments[0].trackingLinkUrl", org.hamcrest.Matchers.startsWith(Fixtures.BASE_URL + "/t/pt_"));
        given().header("Authorization", "Bearer " + gb.apiKey()).contentType("text/csv")
                .body("reference,title\n" + c + ",Load C\n").post("/api/v1/shipments/import").then().statusCode(200)
                .body("shipments[0]", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("trackingLinkUrl")));
    }

    @Test
    void aFileWithProblemsInSeveralRowsImportsNothingAndListsEveryOne() {
        Fixtures.Tenant gb = fixtures.tenant("GB");
        CookieFilter staff = signIn(gb.adminEmail(), Fixtures.PASSWORD);
        String good = reference();
        byte[] csv = ("reference,title,customer_email,estimated_arrival,cost\n" + good + ",Fine,,,\n"
                + "SH 2,,mail@,12/20/2027,\n" + reference() + ",Car,,,\"1,5\"\n").getBytes(StandardCharsets.UTF_8);
        String page = upload(staff, null, csv, 422);
        assertTrue(page.contains("Nothing was imported. Fix these 5 problems"), page);
        for (String expected : new String[] { "row 3, reference:", "row 3, title: is required",
                "row 3, customer_email:", "row 3, estimated_arrival: is not a date when read DD/MM/YYYY",
                "row 4, cost:" }) {
            assertTrue(page.contains(expected), expected + " in " + page);
        }
        given().header("Authorization", "Bearer " + gb.apiKey()).get("/api/v1/shipments/" + good).then()
                .statusCode(404);
    }

    /**
     * A date the organisation's way ({@code 01/01/2020} in GB) refused after it was read, as a past arrival or as one
     * that differs from the stored shipment, is quoted as typed, never as the date it was read as.
     */
    @Test
    void aDateRefusedAfterReadingIsQuotedAsTyped() {
        Fixtures.Tenant gb = fixtures.tenant("GB");
        CookieFilter staff = signIn(gb.adminEmail(), Fixtures.PASSWORD);
        String late = reference();
        String page = upload(staff, null,
                ("reference,title,estimated_arrival\n" + late + ",Late,01/01/2020\n").getBytes(StandardCharsets.UTF_8),
                422);
        assertTrue(page.contains("row 2, estimated_arrival: is before today"), page);
        assertTrue(page.contains("(got &quot;01/01/2020&quot;)") || page.contains("(got \"01/01/2020\")"), page);
        assertFalse(page.contains("2020-01-01&quot;") || page.contains("2020-01-01\""), page);
        given().header("Authorization", "Bearer " + gb.apiKey()).contentType("text/csv; charset=UTF-8")
                .body("reference,title,estimated_arrival\n" + late + ",Late,01/01/2020\n")
                .post("/api/v1/shipments/import").then().statusCode(422)
                .body("errors[0].message", org.hamcrest.Matchers.endsWith(", got \"01/01/2020\""));

        // a shipment stored with its arrival, imported again with another date: the difference quotes the file
        String stored = reference();
        upload(staff, null, ("reference,title,estimated_arrival\n" + stored + ",Load,20/12/2030\n")
                .getBytes(StandardCharsets.UTF_8), 200);
        String differs = upload(staff, null, ("reference,title,estimated_arrival\n" + stored + ",Load,21/12/2030\n")
                .getBytes(StandardCharsets.UTF_8), 422);
        assertTrue(differs.contains("row 2, estimated_arrival: differs from shipment " + stored), differs);
        assertTrue(differs.contains("(got &quot;21/12/2030&quot;)") || differs.contains("(got \"21/12/2030\")"),
                differs);
    }

    @Test
    void theTemplateDownloadsAndImportsAsItIs() {
        Fixtures.Tenant gb = fixtures.tenant("GB");
        CookieFilter staff = signIn(gb.adminEmail(), Fixtures.PASSWORD);
        byte[] template = given().filter(staff).get("/app/shipments/import/template").then().statusCode(200)
                .contentType(startsWith("text/csv"))
                .header("Content-Disposition", equalTo("attachment; filename=\"shipments-template.csv\"")).extract()
                .asByteArray();
        String text = new String(template, StandardCharsets.UTF_8);
        assertTrue(text.contains(",20/12/"), "GB dates, day first: " + text);
        assertTrue(text.contains(",Booked,"), "the pipeline's first stage: " + text);
        String page = upload(staff, null, template, 200);
        assertTrue(page.contains("1 shipment created"), page);
        given().header("Authorization", "Bearer " + gb.apiKey()).get("/api/v1/shipments/SH-EXAMPLE-1").then()
                .statusCode(200).body("internal.cost", equalTo("41250.5")).body("internal.currency", equalTo("GBP"))
                .body("stops.kind", equalTo(java.util.List.of("PICKUP", "DELIVERY")))
                .body("stops[0].zone", equalTo("Asia/Tokyo")).body("stops[1].zone", equalTo("Europe/London"))
                .body("stops[1].windowFrom", org.hamcrest.Matchers.endsWith("-12-20T09:00"));
    }

    /** Stop columns through the form: problems by row and column, then the stops, then a re-import that moves one. */
    @Test
    void stopColumnsAreCheckedAndAReimportThatMovesAWindowSaysSo() {
        Fixtures.Tenant de = fixtures.tenant("DE");
        CookieFilter staff = signIn(de.adminEmail(), Fixtures.PASSWORD);
        String a = reference();
        String header = "reference;title;pickup_name;pickup_zone;delivery_name;delivery_latitude;delivery_longitude;"
                + "delivery_window_from;delivery_window_to\r\n";
        String bad = header + a + ";Load A;Hamburg Hafen;Europe/Hamburg;Lager Wien;48,2;;20.12.2027 10:00;"
                + "20.12.2027 08:00\r\n";
        String page = upload(staff, null, bad.getBytes(StandardCharsets.UTF_8), 422);
        assertTrue(page.contains("Nothing was imported. Fix these 3 problems"), page);
        for (String expected : new String[] { "row 2, pickup_zone: must be a time zone name like Europe/Berlin",
                "row 2, delivery_longitude: give both latitude and longitude, or neither",
                "row 2, delivery_window_to: must not be before the window&#39;s start" }) {
            assertTrue(page.contains(expected), expected + " in " + page);
        }
        given().header("Authorization", "Bearer " + de.apiKey()).get("/api/v1/shipments/" + a).then().statusCode(404);

        String good = header + a + ";Load A;Hamburg Hafen;Europe/Berlin;Lager Wien;48,2;16,37;20.12.2027 10:00;"
                + "20.12.2027 12:00\r\n";
        assertTrue(upload(staff, null, good.getBytes(StandardCharsets.UTF_8), 200).contains("1 shipment created"));
        given().header("Authorization", "Bearer " + de.apiKey()).get("/api/v1/shipments/" + a).then().statusCode(200)
                .body("stops[1].zone", equalTo("Europe/Berlin"))
                .body("stops[1].windowToUtc", equalTo("2027-12-20T11:00:00Z"))
                .body("stops[1].longitude", org.hamcrest.Matchers.hasToString("16.37"));

        String moved = upload(staff, null, good.replace("12:00", "14:00").getBytes(StandardCharsets.UTF_8), 200);
        assertTrue(moved.contains("0 shipments created, 0 unchanged, 1 with new stops"), moved);
        assertTrue(moved.contains("new stops</td>"), moved);
        given().header("Authorization", "Bearer " + de.apiKey()).get("/api/v1/shipments/" + a).then()
                .body("stops[1].windowTo", equalTo("2027-12-20T14:00"));
    }

    @Test
    void anUploadWithoutTheFormTokenIsRefused() {
        Fixtures.Tenant gb = fixtures.tenant("GB");
        CookieFilter staff = signIn(gb.adminEmail(), Fixtures.PASSWORD);
        String ref = reference();
        given().filter(staff).multiPart("file", "s.csv", ("reference,title\n" + ref + ",X\n").getBytes(), "text/csv")
                .post("/app/shipments/import").then().statusCode(403);
        given().header("Authorization", "Bearer " + gb.apiKey()).get("/api/v1/shipments/" + ref).then().statusCode(404);
        assertFalse(given().get("/app/shipments/import").asString().contains("Import shipments"),
                "signed out, the page is not shown");
    }
}
