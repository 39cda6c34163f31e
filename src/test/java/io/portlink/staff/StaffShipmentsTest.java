package io.portlink.staff;

import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.shipment.NoteScope;
import io.portlink.shipment.Pipelines;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentInput;
import io.portlink.shipment.ShipmentPhotos;
import io.portlink.shipment.Shipments;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Images;
import io.portlink.testing.StaffClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.response.ValidatableResponse;

/** The shipment pages as a signed-in staff member uses them, through HTTP with real form tokens. */
@QuarkusTest
class StaffShipmentsTest {

    private static final Pattern CREATED = Pattern.compile("/app/shipments/(\\d+)\\?done=created");

    @Inject
    Fixtures fixtures;

    @Inject
    Shipments shipments;

    @Inject
    ShipmentPhotos photos;

    @Inject
    io.portlink.shipment.Pipelines pipelines;

    Fixtures.Tenant tenant;
    CookieFilter staff;

    @BeforeEach
    void signedIn() {
        tenant = fixtures.tenant("DE");
        staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
    }

    private ValidatableResponse post(String path, Object... fields) {
        return StaffClient.postForm(staff, "/app/shipments", path, fields);
    }

    private long createThroughForm(String reference) {
        String location = post("/app/shipments", "reference", reference, "title", "2019 Toyota Land Cruiser 300",
                "customerName", "Jonas Weber", "customerEmail", "jonas@example.de", "customerPhone", "+49 30 901820",
                "customerLanguage", "de", "shipFrom", "Yokohama", "shipTo", "Hamburg", "stockNumber", "STK-77",
                "vinSerial", "JTMHV05J604123456", "currency", "EUR", "cost", "18.500,50", "salePrice", "24000",
                "paymentsReceived", "5000", "internalNotes", "Deposit by wire").statusCode(303).extract()
                        .header("Location");
        Matcher m = CREATED.matcher(location);
        assertTrue(m.find(), location);
        return Long.parseLong(m.group(1));
    }

    @Test
    void createShowsEveryFieldWithTheInternalOnesMarked() {
        long id = createThroughForm("VEH-1");
        String page = given().filter(staff).get("/app/shipments/" + id + "?done=created").then().statusCode(200)
                .extract().asString();
        assertTrue(page.contains("The shipment is created."));
        assertTrue(page.contains("2019 Toyota Land Cruiser 300"));
        assertTrue(page.contains("jonas@example.de"));
        // read under the organisation's convention (DE: decimal comma)
        var view = shipments.view(tenant.id(), id).orElseThrow();
        assertEquals(new java.math.BigDecimal("18500.5"), view.internal().cost());
        String internal = page.substring(page.indexOf("id=\"internal\""),
                page.indexOf("</section>", page.indexOf("id=\"internal\"")));
        assertTrue(internal.contains("never shown to the customer"));
        assertTrue(internal.contains("JTMHV05J604123456"));
        assertTrue(internal.contains("Deposit by wire"));
        String customerFacing = page.substring(page.indexOf("id=\"customer-facing\""),
                page.indexOf("</section>", page.indexOf("id=\"customer-facing\"")));
        assertFalse(customerFacing.contains("JTMHV05J604123456"));
        assertFalse(customerFacing.contains("STK-77"));
        // the list shows it
        given().filter(staff).get("/app/shipments").then().statusCode(200).body(containsString("VEH-1"))
                .body(containsString("Booked")).body(containsString("href=\"/app/shipments\">Shipments</a>"))
                .body(containsString("href=\"/app/shipments/import\""));
    }

    @Test
    void aRefusedFormListsEveryProblemAndKeepsWhatWasTyped() {
        String page = post("/app/shipments", "reference", "bad ref", "title", "", "customerEmail", "jonas(at)example",
                "currency", "EUR", "cost", "12.5x", "shipTo", "Hafenstraße 1\nHamburg").statusCode(422).extract()
                        .asString();
        assertTrue(page.contains("Please fix 4 problems; nothing was saved"), page);
        assertTrue(page.contains("Reference: must be 1 to 64 letters"));
        assertTrue(page.contains("Title: is required"));
        assertTrue(page.contains("Customer email: must be an e-mail address"));
        assertTrue(page.contains("Internal cost: must be a number, like 12, 12.5 or 12,5"), page);
        assertTrue(page.contains("value=\"bad ref\""));
        assertTrue(page.contains("value=\"jonas(at)example\""));
        assertTrue(page.contains("Hafenstraße 1\nHamburg</textarea>"));
        assertEquals(0, shipments
                .page(tenant.id(), new Shipments.Filter(null, null, null), new io.portlink.platform.Paging(0, 10))
                .total());
        // a cost written with the other mark: how to write it in this form, not an import's parameter
        post("/app/shipments", "reference", "VEH-9", "title", "Car", "currency", "EUR", "cost", "1,234.50")
                .statusCode(422)
                .body(containsString(
                        "Internal cost: is written with a decimal point, but this form takes a decimal comma: write"
                                + " 1234,5"))
                .body(org.hamcrest.Matchers.not(containsString("decimal=")));
        // a taken reference: 409 and the form as typed
        createThroughForm("VEH-2");
        post("/app/shipments", "reference", "VEH-2", "title", "Another car").statusCode(409)
                .body(containsString("exists already")).body(containsString("value=\"Another car\""));
    }

    @Test
    void editKeepsFieldsAndRefusesAStaleVersion() {
        long id = createThroughForm("VEH-3");
        String form = given().filter(staff).get("/app/shipments/" + id + "/edit").then().statusCode(200).extract()
                .asString();
        assertTrue(form.contains("value=\"18500,5\""), "amounts as this organisation types them");
        Matcher v = Pattern.compile("name=\"version\" value=\"(\\d+)\"").matcher(form);
        assertTrue(v.find());
        post("/app/shipments/" + id, "version", v.group(1), "reference", "VEH-3", "title", "Land Cruiser, white",
                "currency", "EUR", "cost", "18500,5").statusCode(303);
        assertEquals("Land Cruiser, white", shipments.view(tenant.id(), id).orElseThrow().title());
        post("/app/shipments/" + id, "version", v.group(1), "reference", "VEH-3", "title", "Stale edit").statusCode(409)
                .body(containsString("changed by someone else"));
        assertEquals("Land Cruiser, white", shipments.view(tenant.id(), id).orElseThrow().title());
    }

    @Test
    void stageEtaNotesAndPhotosFromTheShipmentPage() {
        long id = createThroughForm("VEH-4");
        var detail = shipments.detail(tenant.id(), id).orElseThrow();
        long inTransit = detail.stages().get(2).id();
        post("/app/shipments/" + id + "/stage", "stage", inTransit).statusCode(303);
        post("/app/shipments/" + id + "/eta", "estimatedArrival", "2030-07-03").statusCode(303);
        post("/app/shipments/" + id + "/eta", "estimatedArrival", "31.02.2026").statusCode(422)
                .body(containsString("Estimated arrival: is not a date"))
                .body(containsString("name=\"estimatedArrival\" value=\"31.02.2026\""));
        post("/app/shipments/" + id + "/notes", "scope", "CUSTOMER", "text", "Your car is on the vessel.")
                .statusCode(303);
        post("/app/shipments/" + id + "/notes", "scope", "INTERNAL", "text", "Balance due on arrival.").statusCode(303);
        // a person writing the same words again (a fresh form) means it: two notes; only an API key's retry is one
        post("/app/shipments/" + id + "/notes", "scope", "INTERNAL", "text", "Balance due on arrival.").statusCode(303);
        assertEquals(2, shipments.detail(tenant.id(), id).orElseThrow().notes().stream()
                .filter(n -> n.text().equals("Balance due on arrival.")).count());
        post("/app/shipments/" + id + "/notes", "scope", "INTERNAL", "text", " ").statusCode(422)
                .body(containsString("Text: is required"));

        byte[] jpeg = Images.of("jpg", 30, 20);
        byte[] png = Images.of("png", 10, 10);
        String added = upload(id, "front.jpg", "image/jpeg", jpeg).statusCode(303).extract().header("Location");
        // a photo without a location is not said to have had one removed
        given().filter(staff).get(added).then().statusCode(200)
                .body(containsString("The photo is added, without any location data it carried."));
        upload(id, "side.png", "image/png", png).statusCode(303);
        // the same file chosen again: the page says so, and the gallery keeps one
        String again = upload(id, "side-again.png", "image/png", png).statusCode(303).extract().header("Location");
        given().filter(staff).get(again).then().statusCode(200)
                .body(containsString("This photo is in the gallery already: nothing was added."));
        upload(id, "notes.txt", "image/png", "not a picture".getBytes()).statusCode(422)
                .body(containsString("Photo: must be a PNG or JPEG image"));

        String page = given().filter(staff).get("/app/shipments/" + id).then().statusCode(200).extract().asString();
        assertTrue(page.contains("In transit</span>"), "the stage badge");
        assertTrue(page.contains("03.07.2030"), "the ETA in the organisation's format");
        assertTrue(page.contains("Booked → In transit"));
        assertTrue(page.contains("Your car is on the vessel."));
        assertTrue(page.contains("class=\"note-internal\""));
        var gallery = photos.list(tenant.id(), id);
        assertEquals(2, gallery.size());
        assertTrue(gallery.get(0).hero());
        assertTrue(page.contains("src=\"/app/shipments/" + id + "/photos/" + gallery.get(0).id() + "\""));
        byte[] served = given().filter(staff).get("/app/shipments/" + id + "/photos/" + gallery.get(1).id()).then()
                .statusCode(200).contentType("image/png").header("X-Content-Type-Options", "nosniff").extract()
                .asByteArray();
        assertArrayEquals(png, served);

        post("/app/shipments/" + id + "/photos/" + gallery.get(1).id() + "/hero").statusCode(303);
        post("/app/shipments/" + id + "/photos/" + gallery.get(1).id() + "/earlier").statusCode(303);
        var after = photos.list(tenant.id(), id);
        assertEquals(gallery.get(1).id(), after.get(0).id());
        assertTrue(after.get(0).hero());
        post("/app/shipments/" + id + "/photos/" + gallery.get(0).id() + "/remove").statusCode(303);
        assertEquals(1, photos.list(tenant.id(), id).size());
    }

    private ValidatableResponse upload(long id, String name, String type, byte[] content) {
        return given().filter(staff).redirects().follow(false).multiPart("form-token", csrf(staff, "/app/shipments"))
                .multiPart("photo", name, content, type).post("/app/shipments/" + id + "/photos").then();
    }

    @Inject
    io.portlink.shipment.ShipmentStops stops;

    @Test
    void theStopFormOffersCityZonesAndWordsAndKeepsAnAliasItHas() {
        long id = createThroughForm("VEH-Z1");
        // a zone the JDK knows by an alias, as a file or the API may set it
        stops.replace(tenant.id(), id,
                java.util.List.of(
                        new io.portlink.shipment.ShipmentStops.StopInput("PICKUP", "Yard", null, null, null,
                                "US/Pacific", null, null),
                        new io.portlink.shipment.ShipmentStops.StopInput("DELIVERY", "Port", null, null, null,
                                "Europe/Berlin", null, null)),
                io.portlink.shipment.ShipmentActor.staff(1, "anna@example.com"));
        String page = given().filter(staff).get("/app/shipments/" + id).then().statusCode(200).extract().asString();
        assertTrue(page.contains("<option value=\"US/Pacific\" selected>"), "the stored alias stays selected");
        assertTrue(page.contains(">Europe/Berlin<"));
        assertTrue(page.contains(">Pickup<") && page.contains(">Delivery<") && page.contains(">Stop on the way<"),
                "stop kinds in words");
        for (String alias : java.util.List.of("SystemV/PST8", "Zulu", "GB", "US/Eastern", "Etc/GMT+5",
                "Australia/NSW")) {
            assertTrue(!page.contains(">" + alias + "<"), alias + " is not offered");
        }
    }

    @Test
    void deleteAsksFirstThenIsPermanent() {
        long id = createThroughForm("VEH-5");
        String confirm = given().filter(staff).get("/app/shipments/" + id + "/delete").then().statusCode(200).extract()
                .asString();
        assertTrue(confirm.contains("Deleting is permanent"));
        // the GET changed nothing
        given().filter(staff).get("/app/shipments/" + id).then().statusCode(200);
        Matcher v = Pattern.compile("name=\"version\" value=\"(\\d+)\"").matcher(confirm);
        assertTrue(v.find());
        post("/app/shipments/" + id + "/delete", "version", v.group(1)).statusCode(303).header("Location",
                containsString("/app/shipments?done=deleted"));
        given().filter(staff).get("/app/shipments/" + id).then().statusCode(404);
        given().filter(staff).get("/app/shipments?done=deleted").then().statusCode(200)
                .body(containsString("gone for good")).body(not(containsString("VEH-5")));
    }

    @Test
    void anotherOrganisationsShipmentIsNotFound() {
        var other = fixtures.tenant("GB");
        var theirs = shipments.create(other.id(), new ShipmentInput("THEIRS-1", "Their load", null, null, null, null),
                ShipmentActor.system());
        var photo = photos.add(other.id(), theirs.id(), Images.of("png", 4, 4), "p.png", ShipmentActor.system())
                .orElseThrow().photo();
        shipments.addNote(other.id(), theirs.id(), NoteScope.INTERNAL, "secret", ShipmentActor.system());
        long id = theirs.id();
        for (String path : new String[] { "", "/edit", "/delete", "/photos/" + photo.id() }) {
            given().filter(staff).get("/app/shipments/" + id + path).then().statusCode(404)
                    .body(not(containsString("Their load")));
        }
        post("/app/shipments/" + id + "/notes", "scope", "CUSTOMER", "text", "hi").statusCode(404);
        post("/app/shipments/" + id + "/delete", "version", "0").statusCode(404);
        post("/app/shipments/" + id + "/photos/" + photo.id() + "/remove").statusCode(404);
        post("/app/shipments/" + id, "version", "0", "reference", "THEIRS-1", "title", "Mine now").statusCode(404);
        assertEquals("Their load", shipments.view(other.id(), id).orElseThrow().title());
        assertEquals(1, photos.list(other.id(), id).size());
        given().filter(staff).get("/app/shipments?q=THEIRS").then().statusCode(200)
                .body(not(containsString("THEIRS-1")));
    }

    @Test
    void theListIsPagedSearchedAndSaysWhatToTry() {
        given().filter(staff).get("/app/shipments").then().statusCode(200)
                .body(containsString("No shipments yet. <a href=\"/app/shipments/new\">Create the first one</a>"));
        for (int i = 0; i < 55; i++) {
            shipments.create(tenant.id(),
                    new ShipmentInput(String.format("L-%03d", i), "Load " + i,
                            new ShipmentInput.CustomerInput(i == 7 ? "Zoe Quinn" : "Max Power", null, null, null), null,
                            null, null),
                    ShipmentActor.system());
        }
        String first = given().filter(staff).get("/app/shipments").then().statusCode(200).extract().asString();
        assertTrue(first.contains("55 shipments"));
        assertEquals(50, count(first, "<tr data-reference="));
        assertTrue(first.contains("id=\"next\""));
        String second = given().filter(staff).get("/app/shipments?q=&stage=&page=1").then().statusCode(200).extract()
                .asString();
        assertEquals(5, count(second, "<tr data-reference="));
        given().filter(staff).get("/app/shipments?q=zoe").then().statusCode(200)
                .body(containsString("1 shipment · times in ")).body(containsString("L-007"));
        given().filter(staff).get("/app/shipments?q=l-05").then().statusCode(200).body(containsString("5 shipments"));
        long delivered = shipments.detail(tenant.id(), shipments.idOf(tenant.id(), "L-003").orElseThrow()).orElseThrow()
                .stages().get(4).id();
        given().filter(staff).get("/app/shipments?stage=" + delivered).then().statusCode(200)
                .body(containsString("No shipment matches in this stage")).body(containsString("show all shipments"));
        given().filter(staff).get("/app/shipments?q=nobody").then().statusCode(200)
                .body(containsString("No shipment matches \"nobody\""));
        given().filter(staff).get("/app/shipments?page=-1").then().statusCode(400);
    }

    @Test
    void adminsDefineAPipelineAndChooseItForNewShipments() {
        String page = given().filter(staff).get("/app/admin/pipelines").then().statusCode(200).extract().asString();
        assertTrue(page.contains("Freight"));
        assertTrue(page.contains("used for new shipments"));
        var form = given().filter(staff).redirects().follow(false)
                .formParam("form-token", csrf(staff, "/app/admin/pipelines")).formParam("name", "Vehicle import");
        String[][] stages = { { "Purchased", "BOOKED" }, { "On vessel", "IN_TRANSIT" }, { "", "" },
                { "Ready for collection", "READY_FOR_COLLECTION" }, { "Delivered", "DELIVERED" } };
        for (String[] s : stages) {
            form = form.formParam("stageName", s[0]).formParam("milestone", s[1]);
        }
        form.post("/app/admin/pipelines").then().statusCode(303);
        // a refused one comes back with every problem and what was typed
        given().filter(staff).redirects().follow(false).formParam("form-token", csrf(staff, "/app/admin/pipelines"))
                .formParam("name", "Broken").formParam("stageName", "Arrived").formParam("milestone", "ARRIVED")
                .formParam("stageName", "Loaded").formParam("milestone", "BOOKED").post("/app/admin/pipelines").then()
                .statusCode(422).body(containsString("stages[1].milestone: comes before ARRIVED"))
                .body(containsString("value=\"Loaded\"")).body(containsString("value=\"Broken\""));
        String after = given().filter(staff).get("/app/admin/pipelines").asString();
        Matcher use = Pattern.compile("action=\"/app/admin/pipelines/(\\d+)/default\"").matcher(after);
        assertTrue(use.find());
        post("/app/admin/pipelines/" + use.group(1) + "/default").statusCode(303);
        long id = createThroughForm("VEH-6");
        assertEquals("Purchased", shipments.view(tenant.id(), id).orElseThrow().stage().name());
        assertEquals("Vehicle import", shipments.view(tenant.id(), id).orElseThrow().pipelineName());
    }

    /**
     * The new-shipment form offers the organisation's pipelines (the default chosen); a chosen one is used, and the
     * admin page sets the pipeline of the shipments vendors ship.
     */
    @Test
    void theFormChoosesAPipelineAndAdminsChooseTheOneForVendorsShipments() {
        var vehicles = pipelines.create(tenant.id(), "Vehicles", List.of(
                new Pipelines.StageInput("Purchased", "BOOKED"), new Pipelines.StageInput("Handed over", "DELIVERED")));
        String form = given().filter(staff).get("/app/shipments/new").then().statusCode(200).extract().asString();
        assertTrue(form.matches("(?s).*<select id=\"pipeline\" name=\"pipeline\">.*"
                + "<option value=\"Freight\" selected>Freight \\(default\\)</option>.*"
                + "<option value=\"Vehicles\">Vehicles</option>.*"), form);
        post("/app/shipments", "reference", "VEH-P1", "title", "Land Cruiser", "pipeline", "Vehicles").statusCode(303);
        var made = shipments.viewByReference(tenant.id(), "VEH-P1").orElseThrow();
        assertEquals("Vehicles", made.pipelineName());
        assertEquals("Purchased", made.stage().name());
        post("/app/shipments", "reference", "VEH-P2", "title", "Land Cruiser", "pipeline", "Boats").statusCode(422)
                .body(containsString("pipelines: Freight, Vehicles")).body(containsString("value=\"VEH-P2\""));
        assertTrue(shipments.viewByReference(tenant.id(), "VEH-P2").isEmpty());

        String admin = given().filter(staff).get("/app/admin/pipelines").then().statusCode(200).extract().asString();
        assertTrue(admin.contains("<option value=\"\" selected>The default pipeline</option>"), admin);
        StaffClient.postForm(staff, "/app/admin/pipelines", "/app/admin/pipelines/vendor-pipeline", "pipeline",
                String.valueOf(vehicles.id())).statusCode(303);
        assertEquals("Vehicles", pipelines.vendorChoice(tenant.id()).orElseThrow().name());
        assertTrue(given().filter(staff).get("/app/admin/pipelines").asString()
                .contains("<option value=\"" + vehicles.id() + "\" selected>Vehicles</option>"));
        StaffClient.postForm(staff, "/app/admin/pipelines", "/app/admin/pipelines/vendor-pipeline", "pipeline", "")
                .statusCode(303);
        assertTrue(pipelines.vendorChoice(tenant.id()).isEmpty(), "back to the default pipeline");
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }
}
