package io.portlink.staff;

import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentInput;
import io.portlink.shipment.ShipmentStops;
import io.portlink.shipment.Shipments;
import io.portlink.testing.Fixtures;
import io.portlink.testing.StaffClient;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.response.ValidatableResponse;

/**
 * Stops and ETA on the staff's shipment page, without JavaScript: a form of rows (spare blank ones, "add a row" that
 * saves nothing, "remove" ticks), all or nothing with the row and field named, windows shown in each stop's zone;
 * arrival and departure buttons; a manual ETA with an optional time shown with its source.
 */
@QuarkusTest
class StaffStopsTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Shipments shipments;

    @Inject
    ShipmentStops stops;

    @Inject
    TestClock clock;

    Fixtures.Tenant tenant;
    CookieFilter staff;
    long id;

    @BeforeEach
    void signedIn() {
        clock.set(Instant.parse("2026-12-01T09:00:00Z"));
        tenant = fixtures.tenant("DE");
        staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        id = shipments.create(tenant.id(),
                new ShipmentInput(Fixtures.uniqueReference(), "Pallets",
                        new ShipmentInput.CustomerInput("Jane", null, null, "de"), null, null, null),
                ShipmentActor.staff(1, "a@example.com")).id();
    }

    private ValidatableResponse post(String path, Object... fields) {
        return StaffClient.postForm(staff, "/app/shipments/" + id, path, fields);
    }

    private String page() {
        return given().filter(staff).get("/app/shipments/" + id).then().statusCode(200).extract().asString();
    }

    private static Object[] rows(String secondZone, String remove) {
        return new Object[] { "kind", "", "name", "Hamburg depot", "address", "Kai 1", "latitude", "53.55", "longitude",
                "9.99", "zone", "Europe/Berlin", "windowFrom", "2026-12-01T08:00", "windowTo", "2026-12-01T10:00", //
                "kind", "", "name", "Wien Lager", "address", "", "latitude", "48.21", "longitude", "16.37", "zone",
                secondZone, "windowFrom", "2026-12-02T08:00", "windowTo", "2026-12-02T17:00", //
                "kind", "", "name", "", "address", "", "latitude", "", "longitude", "", "zone", "Europe/Berlin",
                "windowFrom", "", "windowTo", "", //
                "remove", remove };
    }

    @Test
    void stopsAreSavedFromRowsAndShownInTheirZone() {
        String blank = page();
        assertEquals(2, blank.split("name=\"windowFrom\"", -1).length - 1,
                "two spare rows on a shipment without stops");
        post("/app/shipments/" + id + "/stops", rows("Europe/Vienna", "")).statusCode(303);
        assertEquals(2, stops.list(tenant.id(), id).orElseThrow().size());
        String html = page();
        org.junit.jupiter.api.Assertions.assertTrue(html.contains("(Europe/Vienna)") && html.contains("Wien Lager"),
                html);
        // stored rows and two spare ones
        assertEquals(4, html.split("name=\"windowFrom\"", -1).length - 1);
        org.junit.jupiter.api.Assertions.assertTrue(html.contains("value=\"2026-12-02T17:00\""));

        // "add a row" saves nothing and keeps what was typed
        post("/app/shipments/" + id + "/stops", append(rows("Europe/Paris", ""), "more", "1")).statusCode(200)
                .body(containsString("value=\"Europe/Paris\"")).body(containsString("Add a row"));
        assertEquals("Europe/Vienna", stops.list(tenant.id(), id).orElseThrow().get(1).zone());
    }

    @Test
    void savingTheFormUnchangedKeepsAMultiLineAddress() {
        stops.replace(tenant.id(), id,
                java.util.List.of(
                        new ShipmentStops.StopInput("PICKUP", "Depot", "2 Quay Street\nLeeds", null, null,
                                "Europe/London", null, null),
                        new ShipmentStops.StopInput("DELIVERY", "Shop", "Hauptstraße 1\n10115 Berlin", null, null,
                                "Europe/Berlin", null, null)),
                ShipmentActor.staff(1, "a@example.com"));
        // the stops form sent back as a browser sends it, nothing changed
        post("/app/shipments/" + id + "/stops", browserFields(page(), "stops-form")).statusCode(303);
        var saved = stops.list(tenant.id(), id).orElseThrow();
        assertEquals("2 Quay Street\nLeeds", saved.get(0).address());
        assertEquals("Hauptstraße 1\n10115 Berlin", saved.get(1).address());
    }

    /**
     * The fields a browser sends for a form, in order, as name, value pairs (the form token left out): a text input's
     * value loses its line breaks (the HTML value sanitization), a textarea keeps them as CRLF, an unticked checkbox
     * sends nothing, a select its selected option (else its first).
     */
    static Object[] browserFields(String html, String formId) {
        int from = html.indexOf("id=\"" + formId + "\"");
        String form = html.substring(from, html.indexOf("</form>", from));
        var out = new java.util.ArrayList<Object>();
        var m = java.util.regex.Pattern.compile(
                "(?s)<(textarea)\\b([^>]*)>(.*?)</textarea>|<(select)\\b([^>]*)>(.*?)</select>|<(input)\\b([^>]*)>")
                .matcher(form);
        while (m.find()) {
            int g = m.group(1) != null ? 1 : m.group(4) != null ? 4 : 7;
            String tag = m.group(g);
            String attrs = m.group(g + 1);
            String body = tag.equals("input") ? null : m.group(g + 2);
            String name = attr(attrs, "name");
            if (name == null || name.equals(StaffClient.FORM_TOKEN)) {
                continue;
            }
            String value;
            switch (tag) {
            case "textarea" -> value = unescape(body).replaceFirst("^\n", "").replace("\n", "\r\n");
            case "select" -> {
                var opt = java.util.regex.Pattern.compile("<option value=\"([^\"]*)\"( selected)?").matcher(body);
                String first = null;
                String selected = null;
                while (opt.find()) {
                    first = first == null ? opt.group(1) : first;
                    selected = selected == null && opt.group(2) != null ? opt.group(1) : selected;
                }
                value = unescape(selected != null ? selected : first);
            }
            default -> {
                if ("checkbox".equals(attr(attrs, "type")) && !attrs.contains(" checked")) {
                    continue;
                }
                String v = attr(attrs, "value");
                value = v == null ? "" : unescape(v).replace("\r", "").replace("\n", "");
            }
            }
            out.add(name);
            out.add(value);
        }
        return out.toArray();
    }

    private static String attr(String attrs, String name) {
        var m = java.util.regex.Pattern.compile("\\s" + name + "=\"([^\"]*)\"").matcher(attrs);
        return m.find() ? m.group(1) : null;
    }

    private static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    @Test
    void aBadRowIsNamedAndNothingIsSaved() {
        // named as the form numbers its rows, inside the form (a long page: the top is screens away)
        String refused = post("/app/shipments/" + id + "/stops", rows("Vienna", "")).statusCode(422)
                .body(containsString("value=\"Vienna\"")).extract().asString();
        org.junit.jupiter.api.Assertions
                .assertTrue(
                        refused.contains("id=\"stops-error\"") && refused.contains("<li>Stop 2, zone: ")
                                && refused.indexOf("id=\"stops-error\"") > refused.indexOf("id=\"stops-form\""),
                        refused);
        org.junit.jupiter.api.Assertions.assertFalse(refused.contains("stops[1]"), refused);
        assertEquals(0, stops.list(tenant.id(), id).orElseThrow().size());
        // ticking remove on the delivery leaves one stop: refused too
        post("/app/shipments/" + id + "/stops", rows("Europe/Vienna", "1")).statusCode(422)
                .body(containsString("PICKUP"));
    }

    /**
     * A stops form saved after someone else changed the stops (another person, the API, an import) overwrites nothing:
     * 409, nothing saved, the stops as they are now listed and the rows as typed kept; saved again from that page, it
     * is meant, and saved.
     */
    @Test
    void aStopsFormSavedAfterTheStopsChangedMeanwhileOverwritesNothing() {
        post("/app/shipments/" + id + "/stops", rows("Europe/Vienna", "")).statusCode(303);
        Object[] form = browserFields(page(), "stops-form");
        // the API adds a stop between pickup and delivery meanwhile
        stops.replace(tenant.id(), id, java.util.List.of(
                new ShipmentStops.StopInput("PICKUP", "Hamburg depot", "Kai 1", "53.55", "9.99", "Europe/Berlin",
                        "2026-12-01T08:00", "2026-12-01T10:00"),
                new ShipmentStops.StopInput("STOP", "Customs hold", null, null, null, "Europe/Berlin", null, null),
                new ShipmentStops.StopInput("DELIVERY", "Wien Lager", null, "48.21", "16.37", "Europe/Vienna",
                        "2026-12-02T08:00", "2026-12-02T17:00")),
                ShipmentActor.staff(1, "b@example.com"));
        for (int i = 0; i < form.length; i += 2) {
            if ("name".equals(form[i]) && "Wien Lager".equals(form[i + 1])) {
                form[i + 1] = "Wien Lager, Tor 2";
            }
        }
        String refused = post("/app/shipments/" + id + "/stops", form).statusCode(409).extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(refused.contains("changed by someone else while this form was open")
                && refused.contains("value=\"Wien Lager, Tor 2\""), refused);
        org.junit.jupiter.api.Assertions.assertTrue(refused.contains("Customs hold"), "the stops as they are now");
        assertEquals(3, stops.list(tenant.id(), id).orElseThrow().size(), "nothing overwritten");

        // sent again from the refusal's page: now it is meant
        post("/app/shipments/" + id + "/stops", browserFields(refused, "stops-form")).statusCode(303);
        var saved = stops.list(tenant.id(), id).orElseThrow();
        assertEquals(2, saved.size());
        assertEquals("Wien Lager, Tor 2", saved.get(1).name());
    }

    /** A delivered shipment's page says when it was delivered, not an estimate of an arrival that has happened. */
    @Test
    void aDeliveredShipmentShowsItsDeliveryNotAnEstimatedArrival() {
        post("/app/shipments/" + id + "/stops", rows("Europe/Vienna", "")).statusCode(303);
        post("/app/shipments/" + id + "/eta", "estimatedArrival", "2026-12-02", "estimatedTime", "15:30")
                .statusCode(303);
        org.junit.jupiter.api.Assertions.assertTrue(page().contains("id=\"eta\""));
        clock.set(Instant.parse("2026-12-01T12:07:00Z"));
        shipments.changeStage(tenant.id(), id, "Delivered", ShipmentActor.staff(1, "a@example.com"));
        String html = page();
        org.junit.jupiter.api.Assertions
                .assertFalse(html.contains("id=\"eta\"") || html.contains("not moved by positions"), html);
        org.junit.jupiter.api.Assertions
                .assertTrue(html.contains("<dt>Delivered</dt><dd id=\"delivered-at\">01.12.2026, 13:07"), html);
    }

    @Test
    void aWindowOutsideTheYears2000To2099IsNamedAndNothingIsSaved() {
        for (String from : List.of("+999999999-12-31T23:59", "-4714-12-31T23:59", "0001-01-01T00:00")) {
            Object[] fields = rows("Europe/Vienna", "");
            fields[13] = from; // the first row's windowFrom
            post("/app/shipments/" + id + "/stops", fields).statusCode(422)
                    .body(containsString("Stop 1, window from: ")).body(containsString("years 2000 to 2099"));
        }
        assertEquals(0, stops.list(tenant.id(), id).orElseThrow().size());
    }

    @Test
    void arrivalButtonsAndAManualEtaWithATime() {
        post("/app/shipments/" + id + "/stops", rows("Europe/Vienna", "")).statusCode(303);
        post("/app/shipments/" + id + "/stops/0/arrival").statusCode(303);
        String html = page();
        org.junit.jupiter.api.Assertions.assertTrue(html.contains("arrived 01.12.2026, 10:00 (Europe/Berlin)"), html);
        // leaving the delivery stop, never marked arrived, arrives there at the same time
        clock.set(Instant.parse("2026-12-01T10:15:00Z"));
        post("/app/shipments/" + id + "/stops/1/departure").statusCode(303);
        html = page();
        org.junit.jupiter.api.Assertions.assertTrue(
                html.contains(
                        "arrived 01.12.2026, 11:15 (Europe/Vienna)</span> · left 01.12.2026, 11:15 (Europe/Vienna)"),
                html);
        post("/app/shipments/" + id + "/stops/1/leave").statusCode(404);
        post("/app/shipments/" + id + "/eta", "estimatedArrival", "2026-12-02", "estimatedTime", "15:30")
                .statusCode(303);
        given().filter(staff).get("/app/shipments/" + id).then()
                .body(containsString("02.12.2026, 15:30 (Europe/Vienna)"))
                .body(containsString("given, not moved by positions")).body(containsString("value=\"15:30\""));
        // the refusal keeps what was typed in both fields, not the ETA as stored (2 Dec, 15:30)
        post("/app/shipments/" + id + "/eta", "estimatedArrival", "2026-12-05", "estimatedTime", "25:99")
                .statusCode(422).body(containsString("estimatedTime"))
                .body(containsString("id=\"eta-input\" name=\"estimatedArrival\" value=\"2026-12-05\""))
                .body(containsString("id=\"eta-time\" name=\"estimatedTime\" value=\"25:99\""));
        post("/app/shipments/" + id + "/eta", "estimatedArrival", "").statusCode(303);
        given().filter(staff).get("/app/shipments/" + id).then()
                .body(not(containsString("given, not moved by positions")));
    }

    /** A date given alone (by the vendor, an import, staff) is shown as the date, planned or current: no 23:59. */
    @Test
    void aPlannedArrivalGivenAsADateIsShownAsTheDate() {
        post("/app/shipments/" + id + "/stops", rows("Europe/Vienna", "")).statusCode(303);
        post("/app/shipments/" + id + "/eta", "estimatedArrival", "2026-12-03").statusCode(303);
        String html = page();
        org.junit.jupiter.api.Assertions.assertTrue(html.contains("<dd id=\"planned-eta\">03.12.2026 <span"), html);
        org.junit.jupiter.api.Assertions.assertFalse(html.contains("23:59"), html);
    }

    @Inject
    io.portlink.shipment.LiveSettings live;

    @Test
    void organisationLiveTrackingSettings() {
        given().filter(staff).get("/app/admin/pipelines").then().statusCode(200).body(containsString("id=\"no-tiles\""))
                .body(containsString("value=\"120\""))
                // no routing engine configured here: the page says the estimate is in use
                .body(containsString("ETA from a position: <strong>an estimate</strong>"))
                .body(not(containsString("routing engine (OSRM)")));
        StaffClient.postForm(staff, "/app/admin/pipelines", "/app/admin/pipelines/live-tracking", "map", "yes",
                "positionFreshMinutes", "45", "detourFactor", "1,25", "averageSpeedKmh", "70").statusCode(303);
        var v = live.of(tenant.id());
        assertEquals(true, v.mapEnabled());
        assertEquals(45, v.positionFreshMinutes());
        assertEquals(new java.math.BigDecimal("1.25"), v.detourFactor());
        assertEquals(70, v.averageSpeedKmh());
        StaffClient
                .postForm(staff, "/app/admin/pipelines", "/app/admin/pipelines/live-tracking", "positionFreshMinutes",
                        "0", "detourFactor", "9", "averageSpeedKmh", "fast")
                .statusCode(422).body(containsString("positionFreshMinutes")).body(containsString("detourFactor"))
                .body(containsString("averageSpeedKmh"));
        assertEquals(45, live.of(tenant.id()).positionFreshMinutes(), "nothing saved from a refused form");
    }

    private static Object[] append(Object[] a, Object... more) {
        Object[] out = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, out, a.length, more.length);
        return out;
    }
}
