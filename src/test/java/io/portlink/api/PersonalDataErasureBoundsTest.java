package io.portlink.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.shipment.Shipment;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentException;
import io.portlink.shipment.ShipmentExceptions;
import io.portlink.shipment.ShipmentNote;
import io.portlink.shipment.Shipments;
import io.portlink.testing.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Where an erasure stops: an e-mail address or a name is erased as a whole (another customer's longer address that ends
 * with the person's, or a word that contains their short name, stays), a text at its column's maximum length is still
 * erased (the marker is longer than a short name), addresses with LIKE and regex characters match only themselves, and
 * the other organisation keeps everything.
 */
@QuarkusTest
class PersonalDataErasureBoundsTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Shipments shipments;

    @Inject
    ShipmentExceptions problems;

    @Inject
    io.portlink.shipment.ShipmentPhotos photos;

    private static String id() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static io.restassured.response.ValidatableResponse erase(String key, Map<String, String> body) {
        return PersonalDataErasureMatchingTest.erase(key, body);
    }

    private long shipment(Fixtures.Tenant t, String name, String email, String phone) {
        return PersonalDataErasureMatchingTest.shipment(shipments, t, name, email, phone);
    }

    private long report(Fixtures.Tenant t, long shipment, String note) {
        return problems.report(t.id(), shipment, "OTHER", note, false, ShipmentActor.system()).orElseThrow().id();
    }

    private static String reportNote(long id) {
        return QuarkusTransaction.requiringNew().call(() -> ShipmentException.<ShipmentException> findById(id).note);
    }

    private static List<String> notes(long shipment) {
        return QuarkusTransaction.requiringNew().call(
                () -> ShipmentNote.<ShipmentNote> list("shipment.id", shipment).stream().map(n -> n.body).toList());
    }

    private static String customerEmail(long shipment) {
        return QuarkusTransaction.requiringNew().call(() -> Shipment.<Shipment> findById(shipment).customerEmail);
    }

    @Test
    void anotherCustomersAddressThatContainsThePersonsStays() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        String email = "ann-" + id() + "@shop.example";
        shipment(t, "Ann Person", email, null);
        long another = shipment(t, "Jo Ann", "jo" + email, null);
        String text = "Replied to jo" + email + " and " + email + ".au; " + email + " asked first.";
        long note = report(t, another, text);
        // a photo named by the person's address and its extension is theirs; one named by the other's stays
        photos.add(t.id(), another, io.portlink.testing.Images.of("png", 8, 8), email + ".png", ShipmentActor.system())
                .orElseThrow().photo();
        photos.add(t.id(), another, io.portlink.testing.Images.of("png", 9, 8), "jo" + email + ".png",
                ShipmentActor.system()).orElseThrow().photo();

        erase(t.apiKey(), Map.of("email", email)).statusCode(201).body("erased.problemNotes", equalTo(1))
                .body("erased.photoFileNames", equalTo(1));

        assertEquals("Replied to jo" + email + " and " + email + ".au; [erased] asked first.", reportNote(note));
        assertEquals("jo" + email, customerEmail(another));
        assertEquals(java.util.Arrays.asList(null, "jo" + email + ".png"),
                QuarkusTransaction.requiringNew()
                        .call(() -> io.portlink.shipment.ShipmentPhoto.<io.portlink.shipment.ShipmentPhoto> list(
                                "shipment.id = ?1 order by id", another).stream().map(x -> x.fileName).toList()));
    }

    @Test
    void aShortNameIsErasedAsAWordNotInsideOtherWords() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        String email = "ann-" + id() + "@shop.example";
        long theirs = shipment(t, "Ann", email, null);
        shipments.addNote(t.id(), theirs, "CUSTOMER", "Planned: the annual order for Ann (ANN at the gate), 12 pallets",
                ShipmentActor.system()).orElseThrow();

        erase(t.apiKey(), Map.of("email", email)).statusCode(201).body("erased.shipmentNotes", equalTo(1));

        assertEquals(List.of("Planned: the annual order for [erased] ([erased] at the gate), 12 pallets"),
                notes(theirs));

        // a name in a script without spaces between words is found with the honorific written onto it
        String other = "yamada-" + id() + "@shop.example";
        long japanese = shipment(t, "山田太郎", other, null);
        shipments.addNote(t.id(), japanese, "CUSTOMER", "山田太郎様に電話しました", ShipmentActor.system()).orElseThrow();
        erase(t.apiKey(), Map.of("email", other)).statusCode(201).body("erased.shipmentNotes", equalTo(1));
        assertEquals(List.of("[erased]様に電話しました"), notes(japanese));
    }

    @Test
    void aReportAtItsMaximumLengthIsStillErased() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        String email = "ann-" + id() + "@shop.example";
        long theirs = shipment(t, "Ann", email, null);
        // 2,000 characters, the most a report holds: "[erased]" is 5 longer than the name it replaces
        String text = "Ann refused the delivery. " + "x".repeat(2000 - 26);
        assertEquals(2000, text.length());
        long note = report(t, theirs, text);

        erase(t.apiKey(), Map.of("email", email)).statusCode(201).body("erased.shipmentCustomers", equalTo(1))
                .body("erased.problemNotes", equalTo(1));

        // the shorter marker where "[erased]" does not fit
        assertEquals("[…] refused the delivery. " + "x".repeat(2000 - 26), reportNote(note));
    }

    @Test
    void anAddressWithLikeAndRegexCharactersMatchesOnlyItselfAndOnlyInItsOrganisation() {
        Fixtures.Tenant a = fixtures.tenant("GB");
        Fixtures.Tenant b = fixtures.tenant("GB");
        String email = "o'brien+a_b%c!d." + id() + "@x.example";
        // what a LIKE "_" or "%" or a regex "." would also take
        String lookalike = email.replace("a_b", "aXb").replace("%c", "%zzc").replace("d.", "dQ");
        long theirsA = shipment(a, "Pat O'Brien", email, null);
        long noteA = report(a, theirsA, "Call " + email + " back, not " + lookalike);
        long theirsB = shipment(b, "Pat O'Brien", email, null);
        long noteB = report(b, theirsB, "Call " + email + " back");

        erase(a.apiKey(), Map.of("email", email)).statusCode(201).body("erased.shipmentCustomers", equalTo(1))
                .body("erased.problemNotes", equalTo(1));

        assertEquals("Call [erased] back, not " + lookalike, reportNote(noteA));
        assertEquals("Call " + email + " back", reportNote(noteB));
        assertEquals(email, customerEmail(theirsB));
        // a repeat finds nothing: every count is zero
        Map<String, Integer> again = erase(a.apiKey(), Map.of("email", email.toUpperCase(java.util.Locale.ROOT)))
                .statusCode(201).extract().jsonPath().getMap("erased", String.class, Integer.class);
        assertTrue(again.values().stream().allMatch(n -> n == 0), again.toString());
    }

    /** The public tracking page shows no name, address, e-mail or phone of the person afterwards. */
    @Test
    void theTrackingPageShowsNothingOfThePersonAfterwards() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        String ref = Fixtures.uniqueReference();
        String email = "alex-" + id() + "@customer.example";
        given().header("Authorization", "Bearer " + t.apiKey()).contentType(ContentType.JSON).body("""
                {"reference": "%s", "title": "Crate",
                 "customer": {"name": "Alexandra Buyer", "email": "%s", "phone": "+44 20 7946 0311", "language": "en"},
                 "shipTo": "12 Harbour Road\\nSouthampton"}""".formatted(ref, email)).post("/api/v1/shipments").then()
                .statusCode(201);
        String url = given().header("Authorization", "Bearer " + t.apiKey()).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/shipments/" + ref + "/tracking-link").then().statusCode(201).extract().path("url");
        given().header("Authorization", "Bearer " + t.apiKey()).contentType(ContentType.JSON)
                .body(Map.of("scope", "CUSTOMER", "text",
                        "Alexandra Buyer asked to call 020 7946 0311 or " + email + " before 12 Harbour Road"))
                .post("/api/v1/shipments/" + ref + "/notes").then().statusCode(201);
        String path = url.substring(url.indexOf("/t/"));
        String before = given().get(path).then().statusCode(200).extract().asString();
        assertTrue(before.contains("020 7946 0311"), "the note is on the page before");

        erase(t.apiKey(), Map.of("email", email)).statusCode(201).body("erased.shipmentCustomers", equalTo(1))
                .body("erased.shipmentNotes", equalTo(1));

        String page = given().get(path).then().statusCode(200).extract().asString();
        for (String gone : List.of("Alexandra", "7946 0311", email, "Harbour Road", "Southampton")) {
            assertFalse(page.contains(gone), gone + " is still on the tracking page");
        }
        assertTrue(page.contains("asked to call [erased] or [erased] before [erased]"), "the note stays, erased");
    }
}
