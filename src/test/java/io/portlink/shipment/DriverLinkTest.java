package io.portlink.shipment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.apache.commons.imaging.Imaging;
import org.apache.commons.imaging.formats.jpeg.JpegImageMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.portlink.testing.Images;
import io.portlink.testing.PortalClient;
import io.portlink.testing.Races;
import io.portlink.testing.TestClock;
import io.portlink.timeline.Subject;
import io.portlink.timeline.Timeline;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The driver link ({@code /d/}) over HTTP: lifecycle and scopes, GET never acts, every button with its nonce, proof of
 * delivery, positions, the delivered tracking page and the links' end after delivery; problems through the API (H2 and
 * PostgreSQL; the race on PostgreSQL only).
 */
@QuarkusTest
class DriverLinkTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Shipments shipments;

    @Inject
    TrackingLinks tracking;

    @Inject
    Timeline timeline;

    @Inject
    TestClock clock;

    @Inject
    javax.sql.DataSource dataSource;

    @Inject
    ProofsOfDelivery proofs;

    final ShipmentActor anna = ShipmentActor.staff(1, "anna@example.com");

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        clock.set(Instant.parse("2026-06-01T09:00:00Z"));
        tenant = fixtures.tenant("DE");
    }

    /** A booked freight shipment with a pickup, a stop and a delivery stop; its reference. */
    private String shipmentWithStops() {
        String reference = Fixtures.uniqueReference();
        long id = shipments.create(tenant.id(),
                new ShipmentInput(reference, "Pallets for Berlin",
                        new ShipmentInput.CustomerInput("Jane Doe", "jane@customer.example", null, "en"), "Hamburg",
                        "Berlin", null),
                anna).id();
        QuarkusTransaction.requiringNew().run(() -> {
            Shipment s = Shipment.findById(id);
            stop(s, 0, ShipmentStop.Kind.PICKUP, "Hamburg depot");
            stop(s, 1, ShipmentStop.Kind.STOP, "Hanover");
            stop(s, 2, ShipmentStop.Kind.DELIVERY, "Berlin warehouse");
        });
        return reference;
    }

    private static void stop(Shipment s, int position, ShipmentStop.Kind kind, String name) {
        ShipmentStop st = new ShipmentStop();
        st.shipment = s;
        st.position = position;
        st.kind = kind;
        st.name = name;
        st.address = name + " street 1";
        st.zone = "Europe/Berlin";
        st.windowFrom = Instant.parse("2026-06-02T06:00:00Z");
        st.windowTo = Instant.parse("2026-06-02T10:00:00Z");
        st.persist();
    }

    private long id(String reference) {
        return shipments.idOf(tenant.id(), reference).orElseThrow();
    }

    private io.restassured.specification.RequestSpecification api() {
        return given().header("Authorization", "Bearer " + tenant.apiKey());
    }

    /** Creates the driver link through the API; its path. */
    private String driverLink(String reference) {
        String url = api().post("/api/v1/shipments/" + reference + "/driver-link").then().statusCode(201).extract()
                .path("url");
        assertTrue(url.contains("/d/pd_"), url);
        return url.substring(url.indexOf("/d/"));
    }

    private static Response get(String path) {
        return given().header("User-Agent", PortalClient.BROWSER).header("Accept-Language", "en").redirects()
                .follow(false).get(path);
    }

    private static String nonce(String html, String form) {
        Matcher m = Pattern
                .compile("id=\"" + form + "\"[^>]*>\\s*<input type=\"hidden\" name=\"nonce\" value=\"([^\"]+)\"")
                .matcher(html);
        assertTrue(m.find(), "the page has the form " + form + ": " + html);
        return m.group(1);
    }

    private static Response post(String path, String nonce, Object... fields) {
        var request = given().header("User-Agent", PortalClient.BROWSER).header("Accept-Language", "en").redirects()
                .follow(false).contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("nonce", nonce);
        for (int i = 0; i < fields.length; i += 2) {
            request = request.formParam((String) fields[i], fields[i + 1]);
        }
        return request.post(path);
    }

    private Shipment shipment(String reference) {
        long id = id(reference);
        return QuarkusTransaction.requiringNew().call(() -> {
            Shipment s = Shipment.findById(id);
            s.stage.milestone.name(); // loaded inside
            return s;
        });
    }

    private Milestone milestone(String reference) {
        long id = id(reference);
        return QuarkusTransaction.requiringNew().call(() -> Shipment.<Shipment> findById(id).stage.milestone);
    }

    private List<ShipmentStop> stops(String reference) {
        long id = id(reference);
        return QuarkusTransaction.requiringNew()
                .call(() -> ShipmentStop.<ShipmentStop> list("shipment.id = ?1 order by position", id));
    }

    @Test
    void lifecycleAndScopes() {
        String reference = shipmentWithStops();
        String path = driverLink(reference);
        // at most one active
        api().post("/api/v1/shipments/" + reference + "/driver-link").then().statusCode(409);

        Response page = get(path);
        assertEquals(200, page.statusCode());
        String html = page.asString();
        assertTrue(html.contains("Pallets for Berlin"), html);
        assertTrue(html.contains("Hamburg depot street 1"), html);
        assertTrue(html.contains("(Europe/Berlin)"), "windows in the stop's zone: " + html);
        assertFalse(html.contains("jane@customer.example"), "no customer contact on the driver's page");
        assertTrue(page.header("Content-Security-Policy").contains("script-src 'self'"));
        assertTrue(html.contains("src=\"/js/driver.js\""));

        // a driver token is unknown under /t/ and /v/, a tracking token under /d/
        String token = path.substring(3);
        assertEquals(404, get("/t/" + token).statusCode());
        assertEquals(404, get("/v/" + token).statusCode());
        String trackingUrl = tracking.create(tenant.id(), id(reference), null, anna).orElseThrow().url();
        String trackingToken = trackingUrl.substring(trackingUrl.indexOf("/t/") + 3);
        assertEquals(404, get("/d/" + trackingToken).statusCode());
        Response customer = get("/t/" + trackingToken);
        assertEquals(200, customer.statusCode());
        assertTrue(customer.header("Content-Security-Policy").contains("script-src 'none'"),
                "the customer's page runs no script");

        // regenerate: the old one is gone, the new one opens
        String url = api().post("/api/v1/shipments/" + reference + "/driver-link/regenerate").then().statusCode(201)
                .extract().path("url");
        String fresh = url.substring(url.indexOf("/d/"));
        assertEquals(410, get(path).statusCode());
        assertEquals(200, get(fresh).statusCode());
        // revoke: gone; revoking twice is safe
        api().delete("/api/v1/shipments/" + reference + "/driver-link").then().statusCode(204);
        api().delete("/api/v1/shipments/" + reference + "/driver-link").then().statusCode(204);
        assertEquals(410, get(fresh).statusCode());
        assertEquals(404, get("/d/pd_notatokenatall0000000000000000000000000").statusCode());
    }

    private static String stopId(String html) {
        Matcher m = Pattern.compile("<input type=\"hidden\" name=\"stopId\" value=\"(\\d+)\">").matcher(html);
        assertTrue(m.find(), "the arrive form names its stop's id: " + html);
        return m.group(1);
    }

    /**
     * Staff take a stop out while the driver's page shows it as next: the page's "Arrived" button, which names the stop
     * by position and id, marks nothing (the delivery stop now has that position), and the page drawn again offers the
     * delivery stop.
     */
    @Test
    void anArriveButtonFromBeforeTheStopsChangedMarksNothing() {
        String reference = shipmentWithStops();
        String path = driverLink(reference);
        String first = get(path).asString();
        assertTrue(post(path + "/arrived", nonce(first, "arrive-form"), "stop", "0", "stopId", stopId(first)).asString()
                .contains("Saved: arrived at pickup"));
        String drawn = get(path).asString();
        assertTrue(drawn.contains("Hanover"), drawn);
        long id = id(reference);
        QuarkusTransaction.requiringNew().run(() -> {
            ShipmentStop.delete("shipment.id = ?1 and position = 1", id);
            ShipmentStop.update("position = 1 where shipment.id = ?1 and position = 2", id);
        });

        Response stale = post(path + "/arrived", nonce(drawn, "arrive-form"), "stop", "1", "stopId", stopId(drawn));
        assertEquals(422, stale.statusCode());
        assertTrue(stale.asString().contains("The stops were changed since this page was shown: nothing was saved."),
                stale.asString());
        assertNull(stops(reference).get(1).arrivedAt, "the delivery stop is not marked by the old button");

        String now = get(path).asString();
        assertTrue(post(path + "/arrived", nonce(now, "arrive-form"), "stop", "1", "stopId", stopId(now), "leftPickup",
                "yes").asString().contains("Saved: arrived at"));
        assertNotNull(stops(reference).get(1).arrivedAt);
    }

    /**
     * Two tabs both say "Arrived at pickup": the second marks nothing further (never the next stop); tapping "Arrived"
     * on the next stop then leaves the pickup, which is picking up: in transit.
     */
    @Test
    void anArriveButtonMarksOnlyTheStopItNames() {
        String reference = shipmentWithStops();
        String path = driverLink(reference);
        String first = get(path).asString();
        String second = get(path).asString();
        assertTrue(first.contains("Arrived at pickup"), first);
        assertTrue(first.contains("name=\"stop\" value=\"0\""), "the form names the stop");
        // in the order the driver does things: arrive at the pickup, then pick up
        assertTrue(first.indexOf("id=\"arrive-form\"") < first.indexOf("id=\"pickup-form\""), first);
        assertTrue(post(path + "/arrived", nonce(first, "arrive-form"), "stop", "0").asString()
                .contains("Saved: arrived at pickup"));
        assertTrue(post(path + "/arrived", nonce(second, "arrive-form"), "stop", "0").asString()
                .contains("Already saved."), "the second tab");
        assertNotNull(stops(reference).get(0).arrivedAt);
        assertNull(stops(reference).get(1).arrivedAt, "the stop after the pickup is not marked by the second tab");
        assertEquals(Milestone.BOOKED, milestone(reference));

        String next = get(path).asString();
        // then pick up, then arrive further on
        assertTrue(next.indexOf("id=\"pickup-form\"") < next.indexOf("id=\"arrive-form\""), next);
        // at the pickup, not picked up: the next "Arrived" takes the place of the one just tapped, so a tap there alone
        // (again, after Back) saves nothing; the form asks for a tick
        assertTrue(next.contains("name=\"leftPickup\" value=\"yes\" required"), next);
        Response untickered = post(path + "/arrived", nonce(next, "arrive-form"), "stop", "1");
        assertEquals(422, untickered.statusCode());
        assertTrue(untickered.asString().contains("You are still at the pickup: nothing was saved."),
                untickered.asString());
        assertNull(stops(reference).get(1).arrivedAt, "no arrival further on without the tick");
        assertNull(stops(reference).get(0).departedAt);
        assertEquals(Milestone.BOOKED, milestone(reference));
        // the same form, ticked: its nonce was not used by the refusal
        assertTrue(post(path + "/arrived", nonce(next, "arrive-form"), "stop", "1", "leftPickup", "yes").asString()
                .contains("Saved: arrived at stop 1 (Hanover)"));
        assertNotNull(stops(reference).get(0).departedAt, "arriving further on leaves the pickup");
        assertEquals(Milestone.IN_TRANSIT, milestone(reference), "leaving the pickup is picking up");
    }

    @Test
    void getNeverActsAndEveryButtonWorksOnce() {
        String reference = shipmentWithStops();
        String path = driverLink(reference);
        for (int i = 0; i < 3; i++) {
            given().header("User-Agent", PortalClient.BROWSER).header("Accept-Language", "en").head(path).then()
                    .statusCode(200);
            get(path).then().statusCode(200);
        }
        assertEquals(Milestone.BOOKED, milestone(reference));
        assertTrue(stops(reference).stream().allMatch(st -> st.arrivedAt == null && st.departedAt == null));

        // picked up: the pickup stop left, in transit
        String html = get(path).asString();
        String pickup = nonce(html, "pickup-form");
        Response done = post(path + "/picked-up", pickup);
        assertEquals(200, done.statusCode());
        assertTrue(done.asString().contains("Saved: picked up."), done.asString());
        assertEquals(Milestone.IN_TRANSIT, milestone(reference));
        assertNotNull(stops(reference).get(0).departedAt);
        // the answer's address opened again (a reload, a restored tab): back to the page, nothing done twice
        for (String action : List.of("/picked-up", "/arrived", "/problem", "/delivered")) {
            Response reopened = get(path + action);
            assertEquals(303, reopened.statusCode(), action);
            assertTrue(reopened.header("Location").endsWith(path), reopened.header("Location"));
        }
        assertNull(stops(reference).get(1).arrivedAt, "a GET never acts");
        // the same form again: "already saved", nothing twice
        Response again = post(path + "/picked-up", pickup);
        assertEquals(200, again.statusCode());
        assertTrue(again.asString().contains("Already saved."));
        // a nonce that is not this page's: refused, nothing done
        Response forged = post(path + "/arrived", "1.AAAAAAAAAAAAAAAA.forged");
        assertEquals(403, forged.statusCode());
        assertNull(stops(reference).get(1).arrivedAt);
        // a nonce of another form does not work here
        assertEquals(403, post(path + "/arrived", pickup).statusCode());

        // arrived: the stop between, then the delivery stop (out for delivery)
        String arrive = nonce(get(path).asString(), "arrive-form");
        assertTrue(post(path + "/arrived", arrive).asString().contains("Saved: arrived at stop 1 (Hanover)"));
        assertTrue(post(path + "/arrived", arrive).asString().contains("Already saved."));
        assertNotNull(stops(reference).get(1).arrivedAt);
        assertNull(stops(reference).get(2).arrivedAt, "one tap, one stop");
        post(path + "/arrived", nonce(get(path).asString(), "arrive-form")).then().statusCode(200);
        assertNotNull(stops(reference).get(2).arrivedAt);
        assertNotNull(stops(reference).get(1).departedAt);
        assertEquals(Milestone.OUT_FOR_DELIVERY, milestone(reference));

        // report a problem: an open exception, the customer sees only the neutral word
        String problem = nonce(get(path).asString(), "problem-form");
        Response bad = post(path + "/problem", problem, "kind", "OTHER", "note", "");
        assertEquals(422, bad.statusCode());
        assertTrue(bad.asString().contains("note"), bad.asString());
        assertTrue(bad.asString().contains("<option value=\"OTHER\" selected>"), "the choice made stays chosen");
        post(path + "/problem", problem, "kind", "DELAY", "note", "Traffic jam on the A2").then().statusCode(200);
        assertTrue(post(path + "/problem", problem, "kind", "DELAY", "note", "Traffic jam on the A2 ").asString()
                .contains("Already saved."), "the same report again (a double tap, a retry; spaces around count not)");
        // the same form, changed and sent again (the browser's Back): not "already saved" over a report not saved
        Response other = post(path + "/problem", problem, "kind", "DAMAGE", "note", "Pallet wrap torn");
        assertEquals(422, other.statusCode());
        assertTrue(other.asString().contains("This form was already sent once, with another report."),
                other.asString());
        assertTrue(
                other.asString().contains("Pallet wrap torn")
                        && other.asString().contains("<option value=\"DAMAGE\" selected>"),
                "what was typed stays, to send again");
        assertEquals(1, shipment(reference).openExceptions);
        var entries = QuarkusTransaction.requiringNew()
                .call(() -> timeline.latest(Subject.shipment(tenant.id(), id(reference)), true, 50));
        assertTrue(entries.stream().anyMatch(e -> "Delayed".equals(e.detail())), "neutral word for the customer");
        assertTrue(entries.stream().noneMatch(e -> e.detail() != null && e.detail().contains("Traffic jam")),
                "the driver's note stays internal");

        // "Delayed" again from a fresh form, with other words, while the delay is open: one problem, one "Delayed"
        // for the customer; staff read the new words
        post(path + "/problem", nonce(get(path).asString(), "problem-form"), "kind", "DELAY", "note",
                "Still stuck, 2 more hours").then().statusCode(200);
        assertEquals(1, shipment(reference).openExceptions);
        var customer = QuarkusTransaction.requiringNew()
                .call(() -> timeline.latest(Subject.shipment(tenant.id(), id(reference)), true, 50));
        assertEquals(1, customer.stream().filter(e -> "Delayed".equals(e.detail())).count(), "told once");
        var staffSees = QuarkusTransaction.requiringNew()
                .call(() -> timeline.latest(Subject.shipment(tenant.id(), id(reference)), false, 50));
        assertTrue(
                staffSees.stream()
                        .anyMatch(e -> e.detail() != null && e.detail().endsWith("delay: Still stuck, 2 more hours")),
                "staff read the new words");
        // another kind is another problem
        post(path + "/problem", nonce(get(path).asString(), "problem-form"), "kind", "DAMAGE", "note",
                "Pallet wrap torn").then().statusCode(200);
        assertEquals(2, shipment(reference).openExceptions);
    }

    @Test
    void proofOfDeliveryThenTheCompletedTrackingPageUntilRetentionEnds() throws Exception {
        String reference = shipmentWithStops();
        String path = driverLink(reference);
        String trackingUrl = tracking.create(tenant.id(), id(reference), null, anna).orElseThrow().url();
        String trackingPath = trackingUrl.substring(trackingUrl.indexOf("/t/"));
        proofs.setShownToCustomers(tenant.id(), true); // opt-in: off for a new organisation

        String deliver = nonce(get(path).asString(), "deliver-form");
        // not an image: refused with what to fix, nothing saved
        Response bad = deliverWith(path, deliver, "Max Receiver", "not a photo".getBytes(), "photo.jpg");
        assertEquals(422, bad.statusCode());
        assertTrue(bad.asString().contains("Photo 1:"), bad.asString());
        assertNull(shipment(reference).deliveredAt);
        // without a name: refused
        assertEquals(422, deliverWith(path, deliver, " ", Images.of("png", 20, 20), "p.png").statusCode());

        // a second phone has the page open too
        String otherPhone = nonce(get(path).asString(), "deliver-form");
        byte[] withGps = ShipmentPhotosTest.jpegWithGps();
        Response ok = deliverWith(path, deliver, "Max Receiver", withGps, "IMG_0001.JPG");
        assertEquals(200, ok.statusCode(), ok.asString());
        assertTrue(ok.asString().contains("Saved: delivered to Max Receiver."), ok.asString());
        Shipment s = shipment(reference);
        assertNotNull(s.deliveredAt);
        assertEquals(Milestone.DELIVERED, milestone(reference));
        assertNotNull(stops(reference).get(2).departedAt);
        // a retry with the same form: already saved, one proof
        assertTrue(deliverWith(path, deliver, "Max Receiver", withGps, "IMG_0001.JPG").asString()
                .contains("Already saved."));
        // the second phone's proof is refused as such, naming whom the first one recorded, never "already saved"
        String second = deliverWith(path, otherPhone, "Other Person", withGps, "IMG_0002.JPG").asString();
        assertTrue(second.contains(
                "This delivery was already recorded (received by Max Receiver); what you entered" + " was not saved."),
                second);
        assertFalse(second.contains("Already saved."), second);
        long id = id(reference);
        assertEquals(1L, QuarkusTransaction.requiringNew().call(() -> ProofOfDelivery.count("shipment.id", id)));

        // the customer's page: delivery time, receiver, the photo without its GPS position
        String page = get(trackingPath).asString();
        assertTrue(page.contains("id=\"delivered-at\""), page);
        assertTrue(page.contains("Max Receiver"), page);
        byte[] stored = get(trackingPath + "/delivery/photos/1").then().statusCode(200).extract().asByteArray();
        var meta = (JpegImageMetadata) Imaging.getMetadata(stored);
        assertTrue(meta == null || meta.getExif() == null || meta.getExif().getGpsInfo() == null,
                "no GPS position reaches the customer");
        assertEquals(404, get(trackingPath + "/delivery/photos/2").statusCode());
        // the organisation hides the proof: the time stays, the proof goes
        QuarkusTransaction.requiringNew().run(() -> {
            ShipmentSettings settings = ShipmentSettings.findById(tenant.id());
            settings.showProofOfDelivery = false;
        });
        String hidden = get(trackingPath).asString();
        assertTrue(hidden.contains("id=\"delivered-at\""));
        assertFalse(hidden.contains("Max Receiver"));
        assertEquals(404, get(trackingPath + "/delivery/photos/1").statusCode());

        // positions after delivery are not stored
        // the links end after the organisation's days after delivery (30 by default)
        clock.advance(Duration.ofDays(29));
        assertEquals(200, get(trackingPath).statusCode());
        assertEquals(200, get(path).statusCode());
        clock.advance(Duration.ofDays(1));
        assertEquals(410, get(trackingPath).statusCode());
        assertEquals(410, get(path).statusCode());
        // a new link then could never open: refused, saying why and what would give the shipment links again
        tracking.revoke(tenant.id(), id, anna);
        for (String kind : List.of("tracking", "driver")) {
            String answer = given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("application/json")
                    .body("{}").post("/api/v1/shipments/" + reference + "/" + kind + "-link").then().statusCode(409)
                    .extract().asString();
            assertTrue(answer.contains("its " + kind + " links end 30 days after delivery"), answer);
        }
        assertEquals(409, given().header("Authorization", "Bearer " + tenant.apiKey())
                .post("/api/v1/shipments/" + reference + "/driver-link/regenerate").statusCode());
    }

    /** A refused proof of delivery keeps the receiver's name and the note typed on the doorstep. */
    @Test
    void aRefusedProofOfDeliveryKeepsWhatTheDriverTyped() {
        String reference = shipmentWithStops();
        String path = driverLink(reference);
        Response refused = given().header("User-Agent", PortalClient.BROWSER).header("Accept-Language", "en")
                .redirects().follow(false).multiPart("nonce", nonce(get(path).asString(), "deliver-form"))
                .multiPart("receiverName", "Ann <Keep>").multiPart("note", "Left with the neighbour, no. 12")
                .multiPart("signature", "data:image/png;base64,AAAA")
                .multiPart("photos", "door.png", Images.of("png", 40, 40), "image/png").post(path + "/delivered");
        assertEquals(422, refused.statusCode());
        String page = refused.asString();
        assertTrue(page.contains("Signature"), page);
        assertTrue(page.contains("value=\"Ann &lt;Keep&gt;\""), "the name stays, escaped: " + page);
        assertTrue(page.contains(">Left with the neighbour, no. 12</textarea>"), "the note stays: " + page);
        assertEquals(0L,
                QuarkusTransaction.requiringNew().call(() -> ProofOfDelivery.count("shipment.id", id(reference))),
                "nothing saved");
    }

    @Test
    void aNewOrganisationsPageShowsNoProofOfDeliveryUntilStaffTurnItOn() throws Exception {
        String reference = shipmentWithStops();
        String path = driverLink(reference);
        String trackingUrl = tracking.create(tenant.id(), id(reference), null, anna).orElseThrow().url();
        String trackingPath = trackingUrl.substring(trackingUrl.indexOf("/t/"));
        String signature = "data:image/png;base64,"
                + java.util.Base64.getEncoder().encodeToString(Images.of("png", 60, 30));
        given().header("User-Agent", PortalClient.BROWSER).header("Accept-Language", "en").redirects().follow(false)
                .multiPart("nonce", nonce(get(path).asString(), "deliver-form"))
                .multiPart("receiverName", "Rita Receiver").multiPart("signature", signature)
                .multiPart("photos", "door.png", Images.of("png", 40, 40), "image/png").post(path + "/delivered").then()
                .statusCode(200);

        // delivered: the customer sees when, and nothing of the proof (no name, no photo, no signature)
        String page = get(trackingPath).asString();
        assertTrue(page.contains("id=\"delivered-at\""), page);
        assertFalse(page.contains("Rita Receiver"), page);
        assertFalse(page.contains("/delivery/photos/") || page.contains("/delivery/signature"), page);
        assertEquals(404, get(trackingPath + "/delivery/photos/1").statusCode());
        assertEquals(404, get(trackingPath + "/delivery/signature").statusCode());

        // the admin page offers it unticked; ticking it shows the proof on the next load
        var admin = io.portlink.testing.StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String settings = given().filter(admin).get("/app/admin/pipelines").asString();
        assertTrue(settings.contains("id=\"show-proof-of-delivery\">"), "unticked: " + settings);
        io.portlink.testing.StaffClient
                .postForm(admin, "/app/admin/pipelines", "/app/admin/pipelines/proof-of-delivery", "on", "yes")
                .statusCode(303);
        String shown = get(trackingPath).asString();
        assertTrue(shown.contains("Rita Receiver"), shown);
        assertEquals(200, get(trackingPath + "/delivery/photos/1").statusCode());
        assertEquals(200, get(trackingPath + "/delivery/signature").statusCode());
    }

    @Test
    void aStageMoveKeepsTheDeliveryTheProofDates() {
        String reference = shipmentWithStops();
        long id = id(reference);
        String path = driverLink(reference);
        Instant proven = clock.instant();
        deliverWith(path, nonce(get(path).asString(), "deliver-form"), "Max Receiver", Images.of("png", 20, 20),
                "p.png").then().statusCode(200);
        assertEquals(proven, shipment(reference).deliveredAt);

        // staff correct the tracker back and forward again later: the proof still dates the delivery
        clock.advance(Duration.ofHours(3));
        shipments.changeStage(tenant.id(), id, "In transit", anna);
        assertEquals(Milestone.IN_TRANSIT, milestone(reference));
        assertEquals(proven, shipment(reference).deliveredAt, "a recorded proof is never unsaid by a stage");
        clock.advance(Duration.ofHours(1));
        shipments.changeStage(tenant.id(), id, "Delivered", anna);
        assertEquals(proven, shipment(reference).deliveredAt, "delivered when the driver recorded it, not now");

        // without a proof, the Delivered stage dates the delivery and leaving it takes it back
        String other = shipmentWithStops();
        shipments.changeStage(tenant.id(), id(other), "Delivered", anna);
        assertEquals(clock.instant(), shipment(other).deliveredAt);
        shipments.changeStage(tenant.id(), id(other), "In transit", anna);
        assertNull(shipment(other).deliveredAt);
    }

    /** A refused photo is named as the page counts them, "Photo 2", never as a program's list path. */
    @Test
    void aRefusedPhotoIsNamedAsTheDriverCountsThem() {
        String reference = shipmentWithStops();
        String path = driverLink(reference);
        String deliver = nonce(get(path).asString(), "deliver-form");
        Response bad = given().header("User-Agent", PortalClient.BROWSER).header("Accept-Language", "en").redirects()
                .follow(false).multiPart("nonce", deliver).multiPart("receiverName", "Max Receiver")
                .multiPart("photos", "good.png", Images.of("png", 20, 20), "image/png")
                .multiPart("photos", "bad.jpg", "not a photo".getBytes(), "image/jpeg").post(path + "/delivered");
        assertEquals(422, bad.statusCode());
        String page = bad.asString();
        assertTrue(page.contains("<li>Photo 2: must be a "), page);
        assertFalse(page.contains("photos["), page);
        assertFalse(page.contains("Photo 1:"), "the good photo is no problem: " + page);
        assertNull(shipment(reference).deliveredAt);
    }

    private static Response deliverWith(String path, String nonce, String receiver, byte[] photo, String name) {
        return given().header("User-Agent", PortalClient.BROWSER).header("Accept-Language", "en").redirects()
                .follow(false).multiPart("nonce", nonce).multiPart("receiverName", receiver)
                .multiPart("note", "Left at the gate")
                .multiPart("photos", name, photo, name.endsWith("png") ? "image/png" : "image/jpeg")
                .post(path + "/delivered");
    }

    /** The API's answer names the latest position's source as the list does: a point the driver shared is "driver". */
    @Test
    void theApiNamesTheDriversPointAsTheLatestWithItsSource() {
        String reference = shipmentWithStops();
        String path = driverLink(reference);
        Matcher m = Pattern.compile("data-nonce=\"([^\"]+)\"").matcher(get(path).asString());
        assertTrue(m.find());
        java.time.Instant at = clock.instant().minusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        post(path + "/positions", m.group(1), "latitude", "52.52", "longitude", "13.405", "recordedAt",
                Long.toString(at.toEpochMilli())).then().statusCode(204);
        // an older point from an integration: the driver's stays the latest
        api().contentType("application/json")
                .body(List.of(java.util.Map.of("latitude", 52.4, "longitude", 13.3, "recordedAt",
                        at.minusSeconds(60).toString(), "source", "gps")))
                .post("/api/v1/shipments/" + reference + "/positions").then().statusCode(200)
                .body("latest.source", org.hamcrest.Matchers.equalTo("driver"))
                .body("latest.recordedAt", org.hamcrest.Matchers.equalTo(at.toString()));
        api().get("/api/v1/shipments/" + reference + "/positions").then().statusCode(200).body("items[0].source",
                org.hamcrest.Matchers.equalTo("driver"));
    }

    @Test
    void positionsFromTheDriversPhone() {
        String reference = shipmentWithStops();
        String path = driverLink(reference);
        String html = get(path).asString();
        Matcher m = Pattern.compile("data-nonce=\"([^\"]+)\"").matcher(html);
        assertTrue(m.find());
        String nonce = m.group(1);
        long at = clock.instant().minusSeconds(30).toEpochMilli();
        post(path + "/positions", nonce, "latitude", "52.52", "longitude", "13.405", "recordedAt", Long.toString(at))
                .then().statusCode(204);
        // a repeat is ignored, a forged nonce refused, a point out of range refused
        post(path + "/positions", nonce, "latitude", "52.52", "longitude", "13.405", "recordedAt", Long.toString(at))
                .then().statusCode(204);
        post(path + "/positions", "1.AAAAAAAAAAAAAAAA.x", "latitude", "52.5", "longitude", "13.4").then()
                .statusCode(403);
        post(path + "/positions", nonce, "latitude", "95", "longitude", "13.4").then().statusCode(422);
        // a refusal quoting what was sent names its charset: Arabic-Indic digits come back as sent
        Response arabic = post(path + "/positions", nonce, "latitude", "\u0665\u0661", "longitude", "13.4");
        assertEquals(422, arabic.statusCode());
        assertTrue(arabic.contentType().contains("charset=UTF-8"), arabic.contentType());
        assertTrue(new String(arabic.asByteArray(), java.nio.charset.StandardCharsets.UTF_8).contains("\u0665\u0661"),
                arabic.asString());
        // coordinates are read strictly, times the database cannot hold are refused: a 422 naming the field
        for (String odd : List.of("1e-2147483647", "1e999", "52.5200000000000000000000000000001", "0x1p3")) {
            Response r = post(path + "/positions", nonce, "latitude", odd, "longitude", "13.4");
            assertEquals(422, r.statusCode(), odd);
            assertTrue(r.asString().contains("latitude"), r.asString());
            assertFalse(r.asString().contains("[0]"), "named as the form names it: " + r.asString());
        }
        for (String odd : List.of("-4714-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z",
                "+999999999-12-31T23:59:59Z")) {
            Response r = post(path + "/positions", nonce, "latitude", "52.5", "longitude", "13.4", "recordedAt", odd);
            assertEquals(422, r.statusCode(), odd);
            assertTrue(r.asString().contains("recordedAt"), r.asString());
        }
        post(path + "/positions", nonce, "latitude", "1e-7", "longitude", "13.4").then().statusCode(204);
        long id = id(reference);
        List<ShipmentPosition> stored = QuarkusTransaction.requiringNew()
                .call(() -> ShipmentPosition.<ShipmentPosition> list("shipment.id", id));
        assertEquals(2, stored.size());
        stored.sort(java.util.Comparator.comparing(p -> p.recordedAt));
        assertEquals("driver", stored.get(0).source);
        assertEquals(0, new BigDecimal("52.52").compareTo(stored.get(0).latitude));
        assertEquals(0, BigDecimal.ZERO.compareTo(stored.get(1).latitude), "1e-7 (a phone's script) is 0.000000");
    }

    @Test
    void problemsThroughTheApi() {
        String reference = shipmentWithStops();
        api().contentType(ContentType.JSON).body(Map.of("kind", "LOST"))
                .post("/api/v1/shipments/" + reference + "/exceptions").then().statusCode(422);
        int problem = api().contentType(ContentType.JSON)
                .body(Map.of("kind", "damage", "note", "Crate 3 crushed", "shareNote", true))
                .post("/api/v1/shipments/" + reference + "/exceptions").then().statusCode(201).extract().path("id");
        assertEquals(1, shipment(reference).openExceptions);
        api().get("/api/v1/shipments/" + reference + "/exceptions").then().statusCode(200)
                .body("[0].kind", org.hamcrest.Matchers.equalTo("DAMAGE"))
                .body("[0].note", org.hamcrest.Matchers.equalTo("Crate 3 crushed"));
        api().post("/api/v1/shipments/" + reference + "/exceptions/" + problem + "/resolve").then().statusCode(200)
                .body("resolvedBy", org.hamcrest.Matchers.startsWith("API key"));
        api().post("/api/v1/shipments/" + reference + "/exceptions/" + problem + "/resolve").then().statusCode(200);
        assertEquals(0, shipment(reference).openExceptions);
        api().post("/api/v1/shipments/" + reference + "/exceptions/999999999/resolve").then().statusCode(404);
        api().post("/api/v1/shipments/NO-SUCH/exceptions/1/resolve").then().statusCode(404);
        // shared with the customer: the note is on the customer's timeline
        var entries = QuarkusTransaction.requiringNew()
                .call(() -> timeline.latest(Subject.shipment(tenant.id(), id(reference)), true, 50));
        assertTrue(entries.stream().anyMatch(e -> "Damage reported: Crate 3 crushed".equals(e.detail())));
    }

    @Test
    void twoDeliveriesAtOnceStoreOneProofAndNoErrorPage() throws Exception {
        io.portlink.testing.Databases.assumePostgres(dataSource, "two transactions racing on one row");
        String reference = shipmentWithStops();
        String path = driverLink(reference);
        String first = nonce(get(path).asString(), "deliver-form");
        String second = nonce(get(path).asString(), "deliver-form");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Response> answers = Races.together(pool,
                    () -> deliverWith(path, first, "Ann", Images.of("png", 30, 30), "a.png"),
                    () -> deliverWith(path, second, "Bob", Images.of("png", 30, 30), "b.png"));
            for (Response r : answers) {
                assertEquals(200, r.statusCode(), r.asString());
            }
            // the second in turn is told whose proof stands, never "already saved" over a name it did not save
            assertEquals(1, answers.stream().filter(r -> r.asString().contains("Saved: delivered to")).count());
            assertEquals(1, answers.stream()
                    .filter(r -> r.asString().contains("This delivery was already recorded (received by ")).count());
        } finally {
            pool.shutdownNow();
        }
        long id = id(reference);
        assertEquals(1L, QuarkusTransaction.requiringNew().call(() -> ProofOfDelivery.count("shipment.id", id)));
    }

    @Test
    void staffCreateTheDriverLinkAndReportAndResolveProblems() {
        String reference = shipmentWithStops();
        long id = id(reference);
        var cookies = io.portlink.testing.StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String page = "/app/shipments/" + id;
        String shown = io.portlink.testing.StaffClient.postForm(cookies, page, page + "/driver-link").statusCode(201)
                .extract().asString();
        assertTrue(shown.contains("/d/pd_"), "the URL is shown once");
        assertTrue(shown.contains("QR code"));
        String again = given().filter(cookies).get(page).asString();
        assertFalse(again.contains("/d/pd_"), "never again");
        assertTrue(again.contains("id=\"driver-link-hint\""));
        // the same person's second click (a double click: the browser shows only the second answer) gets an address
        // too; the first one, never seen, stops
        String second = io.portlink.testing.StaffClient.postForm(cookies, page, page + "/driver-link").statusCode(201)
                .extract().asString();
        String firstUrl = driverPath(shown);
        String secondUrl = driverPath(second);
        assertNotEquals(firstUrl, secondUrl);
        assertEquals(410, get(firstUrl).statusCode(), "the unseen first link stopped");
        assertEquals(200, new PortalClient(secondUrl).open("").statusCode(),
                "the shown one works; the driver opens it");
        // once opened, a create is refused: that link may be with the driver
        io.portlink.testing.StaffClient.postForm(cookies, page, page + "/driver-link").statusCode(409);
        // without the form token: refused, nothing created
        given().filter(cookies).redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .post(page + "/driver-link/revoke").then().statusCode(403);

        io.portlink.testing.StaffClient.postForm(cookies, page, page + "/exceptions", "kind", "OTHER", "note", "")
                .statusCode(422);
        io.portlink.testing.StaffClient
                .postForm(cookies, page, page + "/exceptions", "kind", "DELAY", "note", "Ferry cancelled")
                .statusCode(303);
        assertEquals(1, shipment(reference).openExceptions);
        String withProblem = given().filter(cookies).get(page).asString();
        Matcher m = Pattern.compile("data-exception-id=\"([0-9]+)\"").matcher(withProblem);
        assertTrue(m.find(), withProblem);
        assertTrue(withProblem.contains("Ferry cancelled"));
        io.portlink.testing.StaffClient.postForm(cookies, page, page + "/exceptions/" + m.group(1) + "/resolve")
                .statusCode(303);
        assertEquals(0, shipment(reference).openExceptions);
        io.portlink.testing.StaffClient.postForm(cookies, page, page + "/driver-link/revoke").statusCode(303);
        assertFalse(given().filter(cookies).get(page).asString().contains("id=\"driver-link-hint\""));
    }

    private static String driverPath(String html) {
        Matcher url = Pattern.compile("/d/pd_[A-Za-z0-9_-]+").matcher(html);
        assertTrue(url.find(), "a driver link is shown: " + html);
        return url.group();
    }

    /**
     * A double click on "Create driver link", on PostgreSQL with real threads: both posts answer with an address, and
     * exactly one of the two works (the one the browser shows is the later answer; the other was never seen).
     */
    @Test
    void aDoubleClickOnCreateLeavesTheShownAddressWorking() throws Exception {
        io.portlink.testing.Databases.assumePostgres(dataSource, "two transactions racing on one row");
        String reference = shipmentWithStops();
        String page = "/app/shipments/" + id(reference);
        var cookies = io.portlink.testing.StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String token = io.portlink.testing.StaffClient.csrf(cookies, page);
        java.util.concurrent.Callable<Response> click = () -> given().filter(cookies).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam(io.portlink.testing.StaffClient.FORM_TOKEN, token).post(page + "/driver-link");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<Response> answers = Races.together(pool, click, click);
            assertEquals(List.of(201, 201), answers.stream().map(Response::statusCode).toList());
            long working = answers.stream().map(a -> driverPath(a.asString()))
                    .filter(path -> get(path).statusCode() == 200).count();
            assertEquals(1, working, "one active link, and it is one of the two shown");
        } finally {
            pool.shutdownNow();
        }
    }

    /** A second create replaces only a link nobody opened, made by the same person a moment before. */
    @Test
    void aSecondCreateReplacesOnlyTheSamePersonsUnopenedLinkOfAMomentAgo() {
        String reference = shipmentWithStops();
        String page = "/app/shipments/" + id(reference);
        var cookies = io.portlink.testing.StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        io.portlink.testing.StaffClient.postForm(cookies, page, page + "/driver-link").statusCode(201)
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("is replaced by this one")));
        // the same again within the minute (a double click, or the answer reloaded): replaced, and the page says so
        io.portlink.testing.StaffClient.postForm(cookies, page, page + "/driver-link").statusCode(201)
                .body(org.hamcrest.Matchers.containsString("The driver link your click made a moment ago is replaced"));
        clock.advance(Duration.ofSeconds(61));
        io.portlink.testing.StaffClient.postForm(cookies, page, page + "/driver-link").statusCode(409)
                .body(org.hamcrest.Matchers.containsString("revoke or regenerate"));
        // the API keeps its rule: 409 while one is active, whoever asks
        String other = shipmentWithStops();
        api().post("/api/v1/shipments/" + other + "/driver-link").then().statusCode(201);
        api().post("/api/v1/shipments/" + other + "/driver-link").then().statusCode(409);
    }

    @Test
    void staffRevokeAndRegenerateTheDriverLinkOnlyAfterAConfirmationStep() {
        String reference = shipmentWithStops();
        long id = id(reference);
        var cookies = io.portlink.testing.StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String page = "/app/shipments/" + id;
        String shown = io.portlink.testing.StaffClient.postForm(cookies, page, page + "/driver-link").statusCode(201)
                .extract().asString();
        Matcher url = Pattern.compile("/d/pd_[A-Za-z0-9_-]+").matcher(shown);
        assertTrue(url.find(), shown);
        String driver = url.group();

        // the shipment page has no form that acts in one click: the buttons lead to the confirmation pages
        String html = given().filter(cookies).get(page).asString();
        assertFalse(html.contains("action=\"" + page + "/driver-link/revoke\""), "no one-click revoke");
        assertFalse(html.contains("action=\"" + page + "/driver-link/regenerate\""), "no one-click regenerate");
        assertTrue(html.contains("href=\"" + page + "/driver-link/revoke\""));
        assertTrue(html.contains("href=\"" + page + "/driver-link/regenerate\""));
        for (String action : List.of("revoke", "regenerate")) {
            String confirm = given().filter(cookies).get(page + "/driver-link/" + action).then().statusCode(200)
                    .extract().asString();
            assertTrue(confirm.contains("action=\"" + page + "/driver-link/" + action + "\""), confirm);
            assertTrue(confirm.contains("Keep the current link"));
        }
        // asking changed nothing: the driver's link still opens
        given().get(driver).then().statusCode(200);

        // confirmed: the regenerate page's form issues a new link, the revoke page's form stops it
        io.portlink.testing.StaffClient
                .postForm(cookies, page + "/driver-link/regenerate", page + "/driver-link/regenerate").statusCode(201);
        given().get(driver).then().statusCode(410);
        io.portlink.testing.StaffClient.postForm(cookies, page + "/driver-link/revoke", page + "/driver-link/revoke")
                .statusCode(303);
        assertFalse(given().filter(cookies).get(page).asString().contains("id=\"driver-link-hint\""));
        given().filter(cookies).get("/app/shipments/999999999/driver-link/revoke").then().statusCode(404);
    }

    private static String positionsNonce(String html) {
        Matcher m = Pattern.compile("data-nonce=\"([^\"]+)\"").matcher(html);
        assertTrue(m.find(), html);
        return m.group(1);
    }

    private long positionCount(long shipmentId) {
        return QuarkusTransaction.requiringNew().call(() -> ShipmentPosition.count("shipment.id", shipmentId));
    }

    @Test
    void aSharedPositionIsLiveStrictlyTimedAndOnePerTwentySecondsOfRecordedTime() {
        String reference = shipmentWithStops();
        String path = driverLink(reference);
        String nonce = positionsNonce(get(path).asString());
        long id = id(reference);
        Instant now = clock.instant();

        // a number is epoch milliseconds of 13 digits only: seconds (10 digits) or 11, 12, 14 digits are refused,
        // never read as milliseconds of 1970
        for (String number : List.of(Long.toString(now.getEpochSecond()), "17803044000", "178030440000",
                now.toEpochMilli() + "0")) {
            Response r = post(path + "/positions", nonce, "latitude", "52.5", "longitude", "13.4", "recordedAt",
                    number);
            assertEquals(422, r.statusCode(), number);
            assertTrue(r.asString().contains("13 digits"), r.asString());
        }
        // live sharing: more than 10 minutes old is refused (milliseconds or ISO), so is the future
        String old = Long.toString(now.minus(Duration.ofMinutes(11)).toEpochMilli());
        Response tooOld = post(path + "/positions", nonce, "latitude", "52.5", "longitude", "13.4", "recordedAt", old);
        assertEquals(422, tooOld.statusCode());
        assertTrue(tooOld.asString().contains("more than 10 minutes old"), tooOld.asString());
        post(path + "/positions", nonce, "latitude", "52.5", "longitude", "13.4", "recordedAt",
                now.minus(Duration.ofMinutes(11)).toString()).then().statusCode(422);
        post(path + "/positions", nonce, "latitude", "52.5", "longitude", "13.4", "recordedAt",
                Long.toString(now.plus(Duration.ofMinutes(5)).toEpochMilli())).then().statusCode(422);
        assertEquals(0, positionCount(id));

        // one position per 20 s of recorded time per link: closer ones (or older ones) are ignored, answered 204
        Instant first = now.minus(Duration.ofMinutes(9));
        post(path + "/positions", nonce, "latitude", "52.50", "longitude", "13.40", "recordedAt",
                Long.toString(first.toEpochMilli())).then().statusCode(204);
        post(path + "/positions", nonce, "latitude", "52.51", "longitude", "13.41", "recordedAt",
                first.plusSeconds(19).toString()).then().statusCode(204);
        post(path + "/positions", nonce, "latitude", "52.49", "longitude", "13.39", "recordedAt",
                Long.toString(first.minusSeconds(30).toEpochMilli())).then().statusCode(204);
        assertEquals(1, positionCount(id), "19 s after the last one, and one before it: ignored");
        post(path + "/positions", nonce, "latitude", "52.52", "longitude", "13.42", "recordedAt",
                Long.toString(first.plusSeconds(20).toEpochMilli())).then().statusCode(204);
        assertEquals(2, positionCount(id));
        assertEquals(first.plusSeconds(20), shipment(reference).lastPositionAt);
    }

    /** A proof-of-delivery file that counts how often its content is opened. */
    private static org.jboss.resteasy.reactive.multipart.FileUpload countingUpload(
            java.util.concurrent.atomic.AtomicInteger opened) {
        return new org.jboss.resteasy.reactive.multipart.FileUpload() {
            @Override
            public String name() {
                return "photos";
            }

            @Override
            public java.nio.file.Path filePath() {
                opened.incrementAndGet();
                return java.nio.file.Path.of("/nonexistent/upload");
            }

            @Override
            public java.nio.file.Path uploadedFile() {
                return filePath();
            }

            @Override
            public String fileName() {
                return "photo.png";
            }

            @Override
            public long size() {
                return 100;
            }

            @Override
            public String contentType() {
                return "image/png";
            }

            @Override
            public String charSet() {
                return null;
            }

            @Override
            public jakarta.ws.rs.core.MultivaluedMap<String, String> getHeaders() {
                return new jakarta.ws.rs.core.MultivaluedHashMap<>();
            }
        };
    }

    @Inject
    io.portlink.portal.DriverPortal portal;

    @Test
    void proofOfDeliveryFilesAreReadOnlyAfterTheLinkTheNonceAndTheirNumberAreChecked() {
        String reference = shipmentWithStops();
        String path = driverLink(reference);
        String token = path.substring(3);
        String deliver = nonce(get(path).asString(), "deliver-form");

        // too many files: the page with its usual error, and not one file looked at (the first is no image at all)
        var request = given().header("User-Agent", PortalClient.BROWSER).header("Accept-Language", "en").redirects()
                .follow(false).multiPart("nonce", deliver).multiPart("receiverName", "Max Receiver")
                .multiPart("photos", "bad.jpg", "not a photo".getBytes(), "image/jpeg");
        for (int i = 0; i < DriverPages.MAX_PHOTOS; i++) {
            request = request.multiPart("photos", "p" + i + ".png", Images.of("png", 10, 10), "image/png");
        }
        Response tooMany = request.post(path + "/delivered");
        assertEquals(422, tooMany.statusCode());
        assertTrue(tooMany.asString().contains("at most 10 photos"), tooMany.asString());
        assertTrue(tooMany.asString().contains("id=\"deliver-form\""), "the driver's page: " + tooMany.asString());
        assertFalse(tooMany.asString().contains("Photo 1:"), "no file was read: " + tooMany.asString());
        assertNull(shipment(reference).deliveredAt);

        // a stranger's upload (a forged nonce, a revoked link) is never opened
        var opened = new java.util.concurrent.atomic.AtomicInteger();
        var files = List.of(countingUpload(opened));
        assertEquals(403,
                portal.delivered(token, "1.AAAAAAAAAAAAAAAA.forged", "Max", null, null, files, null).getStatus());
        String manyFiles = nonce(get(path).asString(), "deliver-form");
        var eleven = java.util.Collections.nCopies(DriverPages.MAX_PHOTOS + 1, countingUpload(opened));
        assertEquals(422, portal.delivered(token, manyFiles, "Max", null, null, eleven, null).getStatus());
        api().delete("/api/v1/shipments/" + reference + "/driver-link").then().statusCode(204);
        assertEquals(410, portal.delivered(token, deliver, "Max", null, null, files, null).getStatus());
        assertEquals(0, opened.get(), "no upload opened before the link, the nonce and the count were checked");
    }

    @Test
    void deletingTheShipmentRevokesItsDriverLink() {
        String reference = shipmentWithStops();
        String path = driverLink(reference);
        long id = id(reference);
        api().delete("/api/v1/shipments/" + reference).then().statusCode(204);
        assertEquals(410, get(path).statusCode());
        long active = QuarkusTransaction.requiringNew()
                .call(() -> io.portlink.link.AccessLink.count("scope = ?1 and shipmentId = ?2 and revokedAt is null",
                        io.portlink.link.AccessLink.Scope.DRIVER, id));
        assertEquals(0, active, "the link row is revoked: no restore of the shipment brings it back");
    }

    /**
     * A driver's tap that waited for the shipment while staff deleted it (PostgreSQL): the tap finds the link gone
     * (410) and records nothing on the deleted shipment.
     */
    @Test
    void aTapThatWaitedForADeletionFindsTheLinkGone() throws Exception {
        io.portlink.testing.Databases.assumePostgres(dataSource, "a tap waiting on the shipment's row lock");
        String reference = shipmentWithStops();
        String path = driverLink(reference);
        long id = id(reference);
        String pickup = nonce(get(path).asString(), "pickup-form");
        String stage = QuarkusTransaction.requiringNew().call(() -> Shipment.<Shipment> findById(id).stage.name);
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            Response tap = io.portlink.testing.Databases.afterWaitingOn(dataSource, pool,
                    () -> shipments.delete(tenant.id(), id, null, ShipmentActor.system()),
                    () -> post(path + "/picked-up", pickup));

            assertEquals(410, tap.statusCode());
            assertEquals(stage,
                    QuarkusTransaction.requiringNew().call(() -> Shipment.<Shipment> findById(id).stage.name),
                    "nothing was recorded on the deleted shipment");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Two tabs tap "Arrived at pickup" at once (PostgreSQL): the second, which read the stops before it waited for the
     * shipment, finds the arrival the first committed meanwhile and records nothing ("Already saved."), never a second
     * arrival the customer would read twice.
     */
    @Test
    void anArrivalThatWaitedForAnotherTabsArrivalRecordsNothing() throws Exception {
        io.portlink.testing.Databases.assumePostgres(dataSource, "a tap waiting on the shipment's row lock");
        String reference = shipmentWithStops();
        String path = driverLink(reference);
        long id = id(reference);
        String arrive = nonce(get(path).asString(), "arrive-form");
        Instant first = Instant.parse("2026-06-02T07:00:00Z");
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            Response tap = io.portlink.testing.Databases.afterWaitingOn(dataSource, pool, () -> {
                Shipment s = Shipment.findById(id);
                Shipment.getEntityManager().refresh(s, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
                ShipmentStop.update("arrivedAt = ?1 where shipment.id = ?2 and position = 0", first, id);
            }, () -> post(path + "/arrived", arrive, "stop", "0"));

            assertEquals(200, tap.statusCode());
            assertTrue(tap.asString().contains("Already saved."), tap.asString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(first, stops(reference).get(0).arrivedAt, "the first tab's arrival stands");
        var entries = QuarkusTransaction.requiringNew()
                .call(() -> timeline.latest(Subject.shipment(tenant.id(), id), false, 50));
        assertTrue(entries.stream().noneMatch(e -> "STOP_ARRIVED".equals(e.kind())), "nothing recorded twice");
    }

    /**
     * A position the phone sent while staff marked the shipment delivered (PostgreSQL): admitted before the delivery
     * committed, it waits for the shipment and is then ignored, so the map never moves after delivery.
     */
    @Test
    void aPositionThatWaitedForTheDeliveryIsIgnored() throws Exception {
        io.portlink.testing.Databases.assumePostgres(dataSource, "a position waiting on the shipment's row lock");
        String reference = shipmentWithStops();
        String path = driverLink(reference);
        long id = id(reference);
        Matcher m = Pattern.compile("data-nonce=\"([^\"]+)\"").matcher(get(path).asString());
        assertTrue(m.find());
        String nonce = m.group(1);
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            Response position = io.portlink.testing.Databases.afterWaitingOn(dataSource, pool,
                    () -> shipments.changeStage(tenant.id(), id, "Delivered", ShipmentActor.system()),
                    () -> post(path + "/positions", nonce, "latitude", "52.52", "longitude", "13.405", "recordedAt",
                            Long.toString(clock.instant().minusSeconds(30).toEpochMilli())));

            assertEquals(204, position.statusCode());
            assertNull(QuarkusTransaction.requiringNew().call(() -> Shipment.<Shipment> findById(id).lastPositionAt),
                    "no position after delivery");
        } finally {
            pool.shutdownNow();
        }
    }

    @Inject
    Pipelines pipelines;

    /**
     * Leaving the pickup by "Arrived" at the next stop moves a pipeline without an In transit stage to Dispatched, as
     * "Picked up" does: leaving the pickup is picking up, whichever button said so.
     */
    @Test
    void arrivingFurtherOnDispatchesWhereThePipelineHasNoInTransitStage() {
        String reference = shipmentWithStops();
        long id = id(reference);
        long parcel = pipelines.create(tenant.id(), "Parcel " + reference,
                List.of(new Pipelines.StageInput("Preparing", "BOOKED"),
                        new Pipelines.StageInput("Dispatched", "DISPATCHED"),
                        new Pipelines.StageInput("Delivered", "DELIVERED")))
                .id();
        QuarkusTransaction.requiringNew().run(() -> {
            Shipment s = Shipment.findById(id);
            s.pipeline = ShipmentPipeline.findById(parcel);
            s.stage = s.pipeline.stages.get(0);
        });
        String path = driverLink(reference);
        post(path + "/arrived", nonce(get(path).asString(), "arrive-form"), "stop", "0").then().statusCode(200);
        post(path + "/arrived", nonce(get(path).asString(), "arrive-form"), "stop", "1", "leftPickup", "yes").then()
                .statusCode(200);
        assertEquals(Milestone.DISPATCHED, milestone(reference));
    }

    @Inject
    DriverLinks driverLinks;

    @Inject
    io.portlink.link.Links links;

    @Test
    void twoCreatesAtOnceGiveOneLinkAndAClean409() throws Exception {
        io.portlink.testing.Databases.assumePostgres(dataSource, "two transactions racing on one shipment");
        String reference = shipmentWithStops();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Integer> answers = Races.together(pool,
                    () -> api().post("/api/v1/shipments/" + reference + "/driver-link").statusCode(),
                    () -> api().post("/api/v1/shipments/" + reference + "/driver-link").statusCode());
            assertEquals(List.of(201, 409), answers.stream().sorted().toList());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A driver link inserted by a writer that does not take the shipment's lock (another code path, an older replica):
     * the unique index alone stops the second create, and its caller still gets a clean conflict, not a failed commit.
     */
    @Test
    void aSecondDriverLinkOnlyTheUniqueIndexStopsIsACleanConflict() throws Exception {
        io.portlink.testing.Databases.assumePostgres(dataSource,
                "a writer blocked on another transaction's index entry is a PostgreSQL race");
        long shipment = id(shipmentWithStops());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        var inserted = new java.util.concurrent.CountDownLatch(1);
        var release = new java.util.concurrent.CountDownLatch(1);
        try {
            var first = pool.submit(() -> QuarkusTransaction.requiringNew().run(() -> {
                links.issue(io.portlink.link.AccessLink.Scope.DRIVER, tenant.id(),
                        io.portlink.link.Target.shipment(shipment), null, null, "other writer", null);
                io.portlink.link.AccessLink.getEntityManager().flush();
                inserted.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            inserted.await();
            var second = pool.submit(() -> driverLinks.create(tenant.id(), shipment, anna));
            // the second create waits on the first's uncommitted index entry; then the first commits
            io.portlink.testing.Databases.awaitLockWait(dataSource);
            release.countDown();
            first.get();
            var failure = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                    second::get);
            org.junit.jupiter.api.Assertions.assertInstanceOf(io.portlink.platform.ConflictException.class,
                    failure.getCause());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        long active = QuarkusTransaction.requiringNew()
                .call(() -> io.portlink.link.AccessLink.count("scope = ?1 and shipmentId = ?2 and revokedAt is null",
                        io.portlink.link.AccessLink.Scope.DRIVER, shipment));
        assertEquals(1, active);
    }
}
