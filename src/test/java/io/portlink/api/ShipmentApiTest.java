package io.portlink.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.portlink.testing.Images;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** The shipments API: idempotent create, every field problem at once, PATCH with versions, notes, photos, delete. */
@QuarkusTest
class ShipmentApiTest {

    @Inject
    Fixtures fixtures;

    @Inject
    io.portlink.organization.ApiKeys keys;

    @Inject
    io.portlink.shipment.ShipmentPhotos photos;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
    }

    static String reference() {
        return "SH-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    static Map<String, Object> shipment(String reference) {
        Map<String, Object> body = new HashMap<>();
        body.put("reference", reference);
        body.put("title", "2019 Toyota Land Cruiser 300");
        body.put("customer", Map.of("name", "Alex Buyer", "email", "Alex@Customer.example", "phone", "+44 20 7946 0001",
                "language", "de"));
        body.put("shipFrom", "Yokohama port");
        body.put("shipTo", "12 Harbour Road\nSouthampton");
        body.put("internal", Map.of("stockNumber", "STK-1", "vinSerial", "JTMHV05J604123456", "currency", "GBP", "cost",
                41250.50, "salePrice", "48900.00", "notes", "deposit paid"));
        return body;
    }

    RequestSpecification api() {
        return api(tenant.apiKey());
    }

    static RequestSpecification api(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    ValidatableResponse create(Map<String, Object> body) {
        return api().contentType(ContentType.JSON).body(body).post("/api/v1/shipments").then();
    }

    @Test
    void createThenTheSameAgainIsTheSameShipmentAndOtherContentConflicts() {
        String ref = reference();
        create(shipment(ref)).statusCode(201).header("Location", endsWith("/api/v1/shipments/" + ref))
                .body("reference", equalTo(ref)).body("stage.name", equalTo("Booked"))
                .body("stage.milestone", equalTo("BOOKED")).body("customer.email", equalTo("alex@customer.example"))
                .body("internal.cost", equalTo("41250.5")).body("internal.salePrice", equalTo("48900"));
        int version = create(shipment(ref)).statusCode(200).body("reference", equalTo(ref))
                .body("title", equalTo("2019 Toyota Land Cruiser 300")).extract().path("version");

        Map<String, Object> other = shipment(ref);
        other.put("title", "2020 Toyota Hilux");
        other.put("shipTo", "Somewhere else");
        create(other).statusCode(409).contentType("application/problem+json").body("detail", containsString(ref))
                .body("errors.field", hasItems("title", "shipTo"))
                .body("errors.find { it.field == 'title' }.message", containsString("2020 Toyota Hilux"))
                .body("errors.find { it.field == 'title' }.message", containsString("2019 Toyota Land Cruiser 300"));

        api().get("/api/v1/shipments/" + ref).then().statusCode(200)
                .body("title", equalTo("2019 Toyota Land Cruiser 300")).body("version", equalTo(version))
                .header("ETag", equalTo("\"" + version + "\""));
    }

    @Test
    void everyFieldProblemIsListedAtOnce() {
        Map<String, Object> body = new HashMap<>();
        body.put("reference", "SH 1");
        body.put("customer", Map.of("email", "not-mail", "language", "xx"));
        body.put("internal", Map.of("cost", "12,50"));
        body.put("stage", "Teleported");
        body.put("estimatedArrival", "31/02/2027");
        create(body).statusCode(422).contentType("application/problem+json")
                .body("errors.field",
                        hasItems("reference", "title", "customer.email", "customer.language", "internal.cost", "stage",
                                "estimatedArrival"))
                .body("errors.find { it.field == 'stage' }.message", containsString("Booked"))
                .body("errors.find { it.field == 'reference' }.message", containsString("SH 1"));
        api().get("/api/v1/shipments?q=SH").then().statusCode(200);
        // a time after the date, or a five-digit year: how to write a date, not a length
        for (String written : new String[] { "2027-01-01T10:00:00Z", "99999-01-01" }) {
            Map<String, Object> timed = shipment(reference());
            timed.put("estimatedArrival", written);
            create(timed).statusCode(422).body("errors[0].field", equalTo("estimatedArrival"))
                    .body("errors[0].message", containsString("must be a date written YYYY-MM-DD"))
                    .body("errors[0].message", containsString(written));
        }
    }

    @Test
    void anotherOrganisationsKeySeesNotFound() {
        String ref = reference();
        create(shipment(ref)).statusCode(201);
        String other = fixtures.tenant("GB").apiKey();
        api(other).get("/api/v1/shipments/" + ref).then().statusCode(404).contentType("application/problem+json");
        api(other).contentType(ContentType.JSON).body(Map.of("title", "Taken")).patch("/api/v1/shipments/" + ref).then()
                .statusCode(404);
        api(other).contentType(ContentType.JSON).body(Map.of("scope", "CUSTOMER", "text", "hello"))
                .post("/api/v1/shipments/" + ref + "/notes").then().statusCode(404);
        api(other).delete("/api/v1/shipments/" + ref).then().statusCode(404);
        api(other).get("/api/v1/shipments").then().statusCode(200).body("items", hasSize(0));
        api().get("/api/v1/shipments/" + ref).then().statusCode(200).body("title",
                equalTo("2019 Toyota Land Cruiser 300"));
    }

    @Test
    void patchMovesTheStageByNameOrMilestoneAndSetsTheEstimatedArrival() {
        String ref = reference();
        int version = create(shipment(ref)).statusCode(201).extract().path("version");
        int next = api().contentType(ContentType.JSON).header("If-Match", "\"" + version + "\"")
                .body(Map.of("stage", "in transit", "estimatedArrival", "2030-01-15")).patch("/api/v1/shipments/" + ref)
                .then().statusCode(200).body("stage.name", equalTo("In transit"))
                .body("stage.milestone", equalTo("IN_TRANSIT")).body("estimatedArrival", equalTo("2030-01-15"))
                .extract().path("version");
        // a client holding the old version is told, and nothing changes
        api().contentType(ContentType.JSON).header("If-Match", "\"" + version + "\"").body(Map.of("stage", "Delivered"))
                .patch("/api/v1/shipments/" + ref).then().statusCode(412).contentType("application/problem+json");
        api().contentType(ContentType.JSON).header("If-Match", "\"" + next + "\"")
                .body(Map.of("stage", "DELIVERED", "title", "Land Cruiser (delivered)"))
                .patch("/api/v1/shipments/" + ref).then().statusCode(200).body("stage.name", equalTo("Delivered"))
                .body("title", equalTo("Land Cruiser (delivered)")).body("customer.name", equalTo("Alex Buyer"))
                .body("stageHistory.to", hasItems("In transit", "Delivered"));
        // null clears the estimated arrival; a bad value is named and changes nothing
        Map<String, Object> clear = new HashMap<>();
        clear.put("estimatedArrival", null);
        api().contentType(ContentType.JSON).body(clear).patch("/api/v1/shipments/" + ref).then().statusCode(200)
                .body("estimatedArrival", nullValue());
        api().contentType(ContentType.JSON)
                .body(Map.of("customer", Map.of("email", "broken"), "estimatedArrival", "soon"))
                .patch("/api/v1/shipments/" + ref).then().statusCode(422)
                .body("errors.field", hasItems("customer.email", "estimatedArrival"));
        // an unknown field and a value of the wrong type are named beside the values' own problems
        api().contentType(ContentType.JSON)
                .body(Map.of("stage", "Flying", "estimatedArrival", "2026-13-01", "customer",
                        Map.of("email", "nope", "language", "it"), "titel", "x", "shipTo", 5))
                .patch("/api/v1/shipments/" + ref).then().statusCode(422).body("errors.field", hasItems("titel",
                        "shipTo", "stage", "estimatedArrival", "customer.email", "customer.language"));
        // an unknown shipment is still a 422 on the body's own problems, and a 404 without them
        api().contentType(ContentType.JSON).body(Map.of("titel", "x", "title", "y"))
                .patch("/api/v1/shipments/NO-SUCH-" + ref).then().statusCode(422)
                .body("errors.field", hasItems("titel"));
        api().get("/api/v1/shipments/" + ref).then().body("customer.email", equalTo("alex@customer.example"));
        api().get("/api/v1/shipments?stage=DELIVERED").then().statusCode(200).body("items.reference", hasItem(ref));
        api().get("/api/v1/shipments?stage=Booked").then().statusCode(200).body("items.reference", not(hasItem(ref)));
    }

    @Test
    void notesCarryTheirScope() {
        String ref = reference();
        create(shipment(ref)).statusCode(201);
        api().contentType(ContentType.JSON).body(Map.of("scope", "CUSTOMER", "text", "Your car is on the vessel."))
                .post("/api/v1/shipments/" + ref + "/notes").then().statusCode(201);
        api().contentType(ContentType.JSON).body(Map.of("scope", "internal", "text", "Customs broker called."))
                .post("/api/v1/shipments/" + ref + "/notes").then().statusCode(201);
        api().contentType(ContentType.JSON).body(Map.of("scope", "PUBLIC", "text", " "))
                .post("/api/v1/shipments/" + ref + "/notes").then().statusCode(422)
                .body("errors.field", hasItems("scope", "text"));
        api().get("/api/v1/shipments/" + ref).then().body("notes", hasSize(2))
                .body("notes.find { it.scope == 'CUSTOMER' }.text", equalTo("Your car is on the vessel."))
                .body("notes.find { it.scope == 'INTERNAL' }.text", equalTo("Customs broker called."))
                .body("notes[0].by", containsString("API key"));
    }

    @Inject
    io.portlink.testing.TestClock clock;

    @Test
    void theSameNoteSentAgainIsTheFirstOneNotASecondOnTheCustomersPage() {
        String ref = reference();
        create(shipment(ref)).statusCode(201);
        Map<String, String> note = Map.of("scope", "CUSTOMER", "text", "Your car is on the vessel.");
        String at = api().contentType(ContentType.JSON).body(note).post("/api/v1/shipments/" + ref + "/notes").then()
                .statusCode(201).extract().path("at");
        // a retry after a lost answer
        clock.advance(java.time.Duration.ofMinutes(9));
        api().contentType(ContentType.JSON).body(note).post("/api/v1/shipments/" + ref + "/notes").then()
                .statusCode(200).body("at", equalTo(at)).body("text", equalTo("Your car is on the vessel."));
        // the same words for staff only, or from another key, are other notes
        api().contentType(ContentType.JSON).body(Map.of("scope", "INTERNAL", "text", "Your car is on the vessel."))
                .post("/api/v1/shipments/" + ref + "/notes").then().statusCode(201);
        String otherKey = keys.create(tenant.id(), "second system", "tests", true, null).key();
        given().auth().oauth2(otherKey).contentType(ContentType.JSON).body(note)
                .post("/api/v1/shipments/" + ref + "/notes").then().statusCode(201);
        api().get("/api/v1/shipments/" + ref).then().body("notes", hasSize(3));
        // later, the same words are a new note
        clock.advance(java.time.Duration.ofMinutes(11));
        api().contentType(ContentType.JSON).body(note).post("/api/v1/shipments/" + ref + "/notes").then()
                .statusCode(201);
        api().get("/api/v1/shipments/" + ref).then().body("notes", hasSize(4));
    }

    @Test
    void photosAreCheckedOnTheirBytes() {
        String ref = reference();
        create(shipment(ref)).statusCode(201);
        api().multiPart("file", "car.png", Images.of("png", 40, 30), "image/png").multiPart("hero", "true")
                .post("/api/v1/shipments/" + ref + "/photos").then().statusCode(201)
                .body("contentType", equalTo("image/png")).body("width", equalTo(40)).body("hero", equalTo(true));
        api().contentType("image/jpeg").body(Images.of("jpg", 20, 20)).post("/api/v1/shipments/" + ref + "/photos")
                .then().statusCode(201).body("contentType", equalTo("image/jpeg")).body("hero", equalTo(false));
        // a named file of no bytes was sent, and is empty
        api().multiPart("file", "empty.png", new byte[0], "image/png").post("/api/v1/shipments/" + ref + "/photos")
                .then().statusCode(422).body("errors[0].field", equalTo("file")).body("errors[0].message",
                        equalTo("the file \"empty.png\" is empty (0 bytes): send one with its content"));
        // ... and so is an empty part beside a file: which was meant cannot be told, neither is stored
        api().multiPart("file", "empty.png", new byte[0], "image/png")
                .multiPart("file", "real.png", Images.of("png", 42, 30), "image/png")
                .post("/api/v1/shipments/" + ref + "/photos").then().statusCode(422)
                .body("errors[0].message", org.hamcrest.Matchers.startsWith("send one file at a time"));
        // hero twice in the form: refused as in the query, nothing stored
        api().multiPart("file", "both.png", Images.of("png", 41, 30), "image/png").multiPart("hero", "true")
                .multiPart("hero", "false").post("/api/v1/shipments/" + ref + "/photos").then().statusCode(422)
                .body("errors[0].field", equalTo("hero")).body("errors[0].message", containsString("is given 2 times"));
        // another image type sent as itself: which types the address takes
        api().contentType("image/gif").body(Images.of("gif", 10, 10)).post("/api/v1/shipments/" + ref + "/photos")
                .then().statusCode(415).contentType("application/problem+json")
                .body("detail", containsString("image/jpeg or image/png"))
                .body("detail", containsString("multipart/form-data in the part \"file\""));
        // two files in one request: refused, neither stored (two photos are two requests)
        api().multiPart("file", "a.png", Images.of("png", 40, 30), "image/png")
                .multiPart("file", "b.png", Images.of("png", 40, 30), "image/png")
                .post("/api/v1/shipments/" + ref + "/photos").then().statusCode(422)
                .body("errors[0].field", equalTo("file"))
                .body("errors[0].message", org.hamcrest.Matchers.startsWith("send one file at a time"));
        api().get("/api/v1/shipments/" + ref).then().body("photos.size()", equalTo(2));
        // a text file that says it is a PNG
        api().multiPart("file", "car.png", "<svg onload=alert(1)>".getBytes(StandardCharsets.UTF_8), "image/png")
                .post("/api/v1/shipments/" + ref + "/photos").then().statusCode(422)
                .contentType("application/problem+json").body("errors[0].field", equalTo("photo"));
        // larger than the limit
        byte[] huge = new byte[(int) photos.maxBytes() + 1];
        byte[] png = Images.of("png", 10, 10);
        System.arraycopy(png, 0, huge, 0, png.length);
        api().contentType("image/png").body(huge).post("/api/v1/shipments/" + ref + "/photos").then().statusCode(413)
                .contentType("application/problem+json");
        api().get("/api/v1/shipments/" + ref).then().body("photos", hasSize(2))
                .body("photos.find { it.hero }.contentType", equalTo("image/png"));
    }

    /**
     * A photo sent again (a retry after a lost answer, or the same file chosen twice) is the one in the gallery: 200
     * with it, also when the gallery is full; other bytes are another photo.
     */
    @Test
    void theSamePhotoSentAgainIsTheOneInTheGallery() {
        String ref = reference();
        create(shipment(ref)).statusCode(201);
        byte[] first = Images.of("png", 40, 30);
        // a clock with nanoseconds, as a real one has: the answer's time is the one stored (microseconds)
        clock.advance(java.time.Duration.ofNanos(123_456_789));
        io.restassured.response.ExtractableResponse<?> created;
        try {
            created = api().contentType("image/png").body(first).post("/api/v1/shipments/" + ref + "/photos").then()
                    .statusCode(201).body("hero", equalTo(true)).extract();
        } finally {
            clock.advance(java.time.Duration.ofNanos(-123_456_789)); // the other tests' whole seconds
        }
        int id = created.path("id");
        String uploadedAt = created.path("uploadedAt");
        byte[] second = Images.of("jpg", 20, 20);
        int other = api().multiPart("file", "side.jpg", second, "image/jpeg")
                .post("/api/v1/shipments/" + ref + "/photos").then().statusCode(201).extract().path("id");
        // the same bytes as multipart, under another name, asking to be the hero: the first photo, still the hero
        api().multiPart("file", "again.png", first, "image/png").multiPart("hero", "true")
                .post("/api/v1/shipments/" + ref + "/photos").then().statusCode(200).body("id", equalTo(id))
                .body("hero", equalTo(true)).body("uploadedAt", equalTo(uploadedAt));
        // a repeat that asks for the hero makes the photo it is the hero
        api().contentType("image/jpeg").body(second).queryParam("hero", "true")
                .post("/api/v1/shipments/" + ref + "/photos").then().statusCode(200).body("id", equalTo(other))
                .body("hero", equalTo(true)).body("fileName", equalTo("side.jpg"));
        api().get("/api/v1/shipments/" + ref).then().body("photos", hasSize(2)).body("photos.find { it.hero }.id",
                equalTo(other));
        // multipart asking in the query, as the raw body does: heard too
        api().multiPart("file", "again.png", first, "image/png").queryParam("hero", "true")
                .post("/api/v1/shipments/" + ref + "/photos").then().statusCode(200).body("id", equalTo(id))
                .body("hero", equalTo(true));
        api().get("/api/v1/shipments/" + ref).then().body("photos.find { it.hero }.id", equalTo(id));
        // a full gallery still answers a repeat with its photo, and refuses a new one
        for (int side = 1; side <= 28; side++) {
            api().contentType("image/png").body(Images.of("png", 5, side)).post("/api/v1/shipments/" + ref + "/photos")
                    .then().statusCode(201);
        }
        api().contentType("image/png").body(first).post("/api/v1/shipments/" + ref + "/photos").then().statusCode(200)
                .body("id", equalTo(id));
        api().contentType("image/png").body(Images.of("png", 6, 6)).post("/api/v1/shipments/" + ref + "/photos").then()
                .statusCode(422);
        api().get("/api/v1/shipments/" + ref).then().body("photos", hasSize(30));
    }

    @Test
    void aDeletedShipmentIsGone() {
        String ref = reference();
        create(shipment(ref)).statusCode(201);
        api().delete("/api/v1/shipments/" + ref).then().statusCode(204);
        api().get("/api/v1/shipments/" + ref).then().statusCode(404);
        api().delete("/api/v1/shipments/" + ref).then().statusCode(404);
        api().get("/api/v1/shipments").then().body("items.reference", not(hasItem(ref)));
    }

    @Test
    void theListIsPagedAndFiltersByUpdatedSince() {
        String a = reference();
        String b = reference();
        create(shipment(a)).statusCode(201);
        create(shipment(b)).statusCode(201);
        api().get("/api/v1/shipments?size=1").then().statusCode(200).body("items", hasSize(1)).body("total",
                equalTo(2));
        api().get("/api/v1/shipments?size=1&page=1").then().statusCode(200).body("items", hasSize(1));
        api().get("/api/v1/shipments?updatedSince=2999-01-01T00:00:00Z").then().statusCode(200).body("items",
                hasSize(0));
        api().get("/api/v1/shipments?updatedSince=yesterday").then().statusCode(422).body("errors[0].field",
                equalTo("updatedSince"));
        api().get("/api/v1/shipments?size=500").then().statusCode(422);
        // a stage no pipeline has is a mistake to name, not an empty list; every wrong parameter at once
        api().get("/api/v1/shipments?stage=Shipped&size=500").then().statusCode(422)
                .body("errors.field", containsInAnyOrder("stage", "size"))
                .body("errors.find { it.field == 'stage' }.message", containsString("a milestone (BOOKED"));
        api().queryParam("stage", "in transit").get("/api/v1/shipments").then().statusCode(200);
    }

    @Test
    void aReadOnlyKeyCannotChangeShipments() {
        String ref = reference();
        create(shipment(ref)).statusCode(201);
        String readOnly = keys.create(tenant.id(), "read only", "test", false, null).key();
        api(readOnly).get("/api/v1/shipments/" + ref).then().statusCode(200);
        api(readOnly).delete("/api/v1/shipments/" + ref).then().statusCode(403);
        api(readOnly).contentType(ContentType.JSON).body(shipment(reference())).post("/api/v1/shipments").then()
                .statusCode(403);
    }

    @Test
    void csvImportIsAllOrNothingAndSafeToRepeat() {
        String a = reference();
        String b = reference();
        String csv = "Reference,Title,Customer_Email,Stage,Estimated_Arrival,Currency,Cost\r\n" + a
                + ",Load 4471: 18 pallets,ops@customer.example,In transit,20/12/2030,GBP,\"1,250.50\"\r\n" + b
                + ",\"Sofa, blue\",,,,,\r\n";
        api().contentType("text/csv; charset=UTF-8").body(csv).post("/api/v1/shipments/import").then().statusCode(200)
                .body("created", equalTo(2)).body("unchanged", equalTo(0));
        api().get("/api/v1/shipments/" + a).then().body("stage.name", equalTo("In transit"))
                .body("estimatedArrival", equalTo("2030-12-20")).body("internal.cost", equalTo("1250.5"));
        api().get("/api/v1/shipments/" + b).then().body("title", equalTo("Sofa, blue")).body("stage.name",
                equalTo("Booked"));
        api().contentType("text/csv; charset=UTF-8").body(csv).post("/api/v1/shipments/import").then().statusCode(200)
                .body("created", equalTo(0)).body("unchanged", equalTo(2));

        String c = reference();
        String bad = "reference,title,customer_email,stage,cost\n" + c + ",Fine,,,\n" + a + ",Changed title,,,\n"
                + "SH 9,,not-mail,Nowhere,12x\n";
        api().contentType("text/csv; charset=UTF-8").body(bad).post("/api/v1/shipments/import").then().statusCode(422)
                .body("created", equalTo(0))
                // row 3 names each of its columns that differs from what is stored (not currency: the file has
                // no such column), row 4 every problem of its own
                .body("errors.findAll { it.row == 3 }.column", hasItems("title", "customer_email", "cost"))
                .body("errors.findAll { it.row == 3 }.column", org.hamcrest.Matchers.not(hasItems("currency")))
                .body("errors.find { it.row == 3 && it.column == 'title' }.message",
                        containsString("Load 4471: 18 pallets"))
                .body("errors.findAll { it.row == 4 }.column",
                        hasItems("reference", "title", "customer_email", "stage", "cost"))
                .body("errors.findAll { it.row == 2 }", hasSize(0));
        api().get("/api/v1/shipments/" + c).then().statusCode(404);
        api().get("/api/v1/shipments/" + a).then().body("title", equalTo("Load 4471: 18 pallets"));
        // an arrival already gone by for a shipment on its way: named by row and column, nothing imported
        String d = reference();
        api().contentType("text/csv; charset=UTF-8")
                .body("reference,title,estimated_arrival\n" + reference() + ",Fine,\n" + d + ",Late,2020-01-10\n")
                .post("/api/v1/shipments/import").then().statusCode(422).body("errors[0].row", equalTo(3))
                .body("errors[0].column", equalTo("estimated_arrival"))
                .body("errors[0].message", containsString("is before today"));
        api().get("/api/v1/shipments/" + d).then().statusCode(404);
        // named with the file's other problems, each row's: a past arrival, an e-mail, a missing title, another past
        // arrival (a delivered one may have its past arrival: it is history)
        api().contentType("text/csv; charset=UTF-8")
                .body("reference,title,customer_email,stage,estimated_arrival\n" + reference() + ",Late,x,,2020-01-10\n"
                        + reference() + ",,,,\n" + reference() + ",Later,,,2020-02-02\n" + reference()
                        + ",Came,,Delivered,2020-03-03\n")
                .post("/api/v1/shipments/import").then().statusCode(422)
                .body("errors.findAll { it.row == 2 }.column", hasItems("customer_email", "estimated_arrival"))
                .body("errors.findAll { it.row == 3 }.column", hasItems("title"))
                .body("errors.findAll { it.row == 4 }.column", hasItems("estimated_arrival"))
                .body("errors.findAll { it.row == 5 }", hasSize(0));
        // one shipment through the API: the past arrival with the body's other problems
        api().contentType("application/json")
                .body(Map.of("reference", reference(), "title", "Late", "customer", Map.of("email", "x"),
                        "estimatedArrival", "2020-01-10"))
                .post("/api/v1/shipments").then().statusCode(422)
                .body("errors.field", hasItems("customer.email", "estimatedArrival"));
    }

    @Test
    void theCsvTemplateImportsAsItIs() {
        byte[] template = api().get("/api/v1/shipments/import/template").then().statusCode(200)
                .header("Content-Disposition", containsString("shipments-template.csv")).extract().asByteArray();
        api().contentType("text/csv; charset=UTF-8").body(template).post("/api/v1/shipments/import").then()
                .statusCode(200).body("created", equalTo(1));
        api().get("/api/v1/shipments/SH-EXAMPLE-1").then().statusCode(200).body("internal.cost", equalTo("41250.5"));
    }

    @Inject
    io.portlink.shipment.ShipmentExceptions exceptions;

    @Inject
    io.portlink.shipment.Shipments shipments;

    @Test
    void oneShipmentCarriesItsOpenProblemsNewestFirstAndNoResolvedOne() {
        String ref = reference();
        create(shipment(ref)).statusCode(201);
        api().get("/api/v1/shipments/" + ref).then().statusCode(200).body("openExceptions", hasSize(0));
        api().contentType(ContentType.JSON).body(Map.of("kind", "DELAY", "note", "Ferry cancelled"))
                .post("/api/v1/shipments/" + ref + "/exceptions").then().statusCode(201);
        int resolved = api().contentType(ContentType.JSON).body(Map.of("kind", "OTHER", "note", "Wrong gate"))
                .post("/api/v1/shipments/" + ref + "/exceptions").then().statusCode(201).extract().path("id");
        api().post("/api/v1/shipments/" + ref + "/exceptions/" + resolved + "/resolve").then().statusCode(200);
        long id = shipments.idOf(tenant.id(), ref).orElseThrow();
        exceptions.report(tenant.id(), id, "DAMAGE", "Dented door", false,
                io.portlink.shipment.ShipmentActor.staff(1, "anna@example.com"));

        api().get("/api/v1/shipments/" + ref).then().statusCode(200).body("openExceptions", hasSize(2))
                .body("openExceptions[0].kind", equalTo("DAMAGE"))
                .body("openExceptions[0].note", equalTo("Dented door"))
                .body("openExceptions[0].reportedBy", equalTo("anna@example.com"))
                .body("openExceptions[0].reportedByKind", equalTo("STAFF"))
                .body("openExceptions[0].reportedAt", not(nullValue()))
                .body("openExceptions[0].resolvedAt", nullValue()).body("openExceptions[1].kind", equalTo("DELAY"))
                .body("openExceptions[1].reportedByKind", equalTo("API_KEY"))
                .body("openExceptions.note", not(hasItem("Wrong gate")));
        // the list of shipments carries none
        api().get("/api/v1/shipments?size=200").then().statusCode(200)
                .body("items.find { it.reference == '" + ref + "' }.openExceptions", nullValue());

        // bounded: the newest 20 open ones
        for (int i = 0; i < 20; i++) {
            exceptions.report(tenant.id(), id, "DELAY", "Queue at the port, day " + i, false,
                    io.portlink.shipment.ShipmentActor.system());
        }
        api().get("/api/v1/shipments/" + ref).then().statusCode(200).body("openExceptions", hasSize(20))
                .body("openExceptions[0].note", equalTo("Queue at the port, day 19"))
                .body("openExceptions[0].reportedByKind", equalTo("SYSTEM"))
                .body("openExceptions.note", not(hasItem("Dented door")));
    }

    @Test
    void theSameProblemReportedAgainIsTheOpenOneNotASecond() {
        String ref = reference();
        create(shipment(ref)).statusCode(201);
        Map<String, Object> delay = Map.of("kind", "DELAY", "note", "Ferry cancelled", "shareNote", true);
        int first = api().contentType(ContentType.JSON).body(delay).post("/api/v1/shipments/" + ref + "/exceptions")
                .then().statusCode(201).extract().path("id");
        // a retry after a lost answer: the open problem, no second one, no second milestone on the customer's page
        clock.advance(java.time.Duration.ofMinutes(5));
        api().contentType(ContentType.JSON).body(delay).post("/api/v1/shipments/" + ref + "/exceptions").then()
                .statusCode(200).body("id", equalTo(first));
        api().get("/api/v1/shipments/" + ref).then().body("openExceptions", hasSize(1));
        long id = shipments.idOf(tenant.id(), ref).orElseThrow();
        assertEquals(1, shipments.detail(tenant.id(), id).orElseThrow().timeline().stream()
                .filter(e -> e.detail() != null && e.detail().contains("Ferry cancelled")).count());
        // another note, another key, or once resolved: a new problem
        api().contentType(ContentType.JSON).body(Map.of("kind", "DELAY", "note", "Second ferry cancelled"))
                .post("/api/v1/shipments/" + ref + "/exceptions").then().statusCode(201);
        String otherKey = keys.create(tenant.id(), "second system", "tests", true, null).key();
        given().auth().oauth2(otherKey).contentType(ContentType.JSON).body(delay)
                .post("/api/v1/shipments/" + ref + "/exceptions").then().statusCode(201);
        api().post("/api/v1/shipments/" + ref + "/exceptions/" + first + "/resolve").then().statusCode(200);
        api().contentType(ContentType.JSON).body(delay).post("/api/v1/shipments/" + ref + "/exceptions").then()
                .statusCode(201).body("id", not(equalTo(first)));
    }

    @Test
    void aDeliveryEndsTheDelaysAndLeavesADamageOpen() {
        String ref = reference();
        create(shipment(ref)).statusCode(201);
        api().contentType(ContentType.JSON).body(Map.of("kind", "DELAY", "note", "Ferry cancelled"))
                .post("/api/v1/shipments/" + ref + "/exceptions").then().statusCode(201);
        api().contentType(ContentType.JSON).body(Map.of("kind", "DAMAGE", "note", "Dented door"))
                .post("/api/v1/shipments/" + ref + "/exceptions").then().statusCode(201);
        long id = shipments.idOf(tenant.id(), ref).orElseThrow();
        shipments.changeStage(tenant.id(), id, "Delivered",
                io.portlink.shipment.ShipmentActor.staff(1, "anna@example.com"));

        // the delay is over once the goods are there; the damage is still staff's to settle
        api().get("/api/v1/shipments/" + ref).then().statusCode(200).body("openExceptions", hasSize(1))
                .body("openExceptions[0].kind", equalTo("DAMAGE"));
        var all = exceptions.list(tenant.id(), id);
        var delay = all.stream().filter(e -> e.kind() == io.portlink.shipment.ShipmentException.Kind.DELAY).findFirst()
                .orElseThrow();
        assertEquals("anna@example.com", delay.resolvedBy());
    }

    @Test
    void theOpenApiDescriptionCoversShipments() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/shipments/{reference}/photos"))
                .body(containsString("/api/v1/shipments/import")).body(containsString("openExceptions"))
                .body(containsString("reportedByKind"))
                .body(containsString("/api/v1/shipments/{reference}/stops/{position}/{event}"));
    }
}
