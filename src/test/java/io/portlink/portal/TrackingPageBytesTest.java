package io.portlink.portal;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.shipment.NoteScope;
import io.portlink.shipment.Pipelines;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentEvent;
import io.portlink.shipment.ShipmentExceptions;
import io.portlink.shipment.ShipmentPhotos;
import io.portlink.shipment.ShipmentPositions;
import io.portlink.shipment.ShipmentSettings;
import io.portlink.shipment.ShipmentStops;
import io.portlink.shipment.Shipments;
import io.portlink.shipment.TrackingLinks;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Images;
import io.portlink.testing.PortalClient;
import io.portlink.testing.RoutingEngineStub;
import io.portlink.testing.TestClock;
import io.portlink.testing.TestProfiles;
import io.portlink.timeline.Subject;
import io.portlink.timeline.Timeline;
import io.portlink.timeline.Visibility;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The tracking page byte for byte: shipments of every kind the page words differently (languages, stages of the freight
 * default and of a pipeline in the organisation's own words, the last stage reached, an ETA, an open delay, stops with
 * windows, a fresh position with and without the map, notes, photos, carriage) are rendered over HTTP and compared,
 * after the token, the render's nonce and the organisation's generated name are replaced by placeholders, with the
 * pages kept in {@code src/test/resources/tracking-pages/}. Any change to what a customer receives fails here, so a
 * change made for speed shows it changed nothing. {@code -Dtracking.pages.write=true} writes the files anew (only when
 * the page is meant to change; review the diff).
 */
@QuarkusTest
@TestProfile(TestProfiles.Integrations.class)
class TrackingPageBytesTest {

    private static final Path DIR = Path.of("src/test/resources/tracking-pages");

    @Inject
    Fixtures fixtures;

    @Inject
    Shipments shipments;

    @Inject
    Pipelines pipelines;

    @Inject
    ShipmentStops stops;

    @Inject
    ShipmentPositions positions;

    @Inject
    ShipmentExceptions exceptions;

    @Inject
    ShipmentPhotos photos;

    @Inject
    TrackingLinks tracking;

    @Inject
    TestClock clock;

    @Inject
    Timeline timeline;

    final ShipmentActor anna = ShipmentActor.staff(1, "anna@example.com");

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        RoutingEngineStub.routeSeconds = 3600;
        RoutingEngineStub.whileAnswering = null;
        clock.set(Instant.parse("2026-12-01T09:00:00Z"));
        tenant = fixtures.tenant("DE");
    }

    @Test
    void aNewShipmentInEachLanguage() throws IOException {
        for (String language : List.of("en", "de", "fr", "es")) {
            long id = create("Pallets for " + language, language);
            same("new-" + language, link(id));
        }
    }

    @Test
    void inTransitWithEtaNotesPhotosAndCarriageInEachLanguage() throws IOException {
        for (String language : List.of("en", "de", "fr", "es")) {
            long id = create("2019 Toyota Land Cruiser 300", language);
            shipments.changeStage(tenant.id(), id, "Dispatched", anna);
            clock.advance(java.time.Duration.ofMinutes(7));
            shipments.changeStage(tenant.id(), id, "In transit", anna);
            shipments.setEstimatedArrival(tenant.id(), id, LocalDate.parse("2026-12-24"), anna);
            shipments.setCarriage(tenant.id(), id, "Maersk & Sons <Line>", "MSKU 123'456", null, "Kobe Motors", null,
                    anna);
            shipments.addNote(tenant.id(), id, NoteScope.CUSTOMER, "Loaded onto the vessel today", anna);
            clock.advance(java.time.Duration.ofMinutes(3));
            shipments.addNote(tenant.id(), id, NoteScope.CUSTOMER, "Customs: \"cleared\" <b>soon</b>\nline two", anna);
            shipments.addNote(tenant.id(), id, NoteScope.INTERNAL, "Staff only: check the invoice", anna);
            long hero = photos.add(tenant.id(), id, Images.of("png", 64, 48), "hero.png", anna).orElseThrow().photo()
                    .id();
            photos.add(tenant.id(), id, Images.of("png", 32, 32), "a.png", anna).orElseThrow().photo();
            photos.setHero(tenant.id(), id, hero, anna);
            String path = link(id);
            same("transit-" + language, path);
        }
    }

    @Test
    void aDelayOpenStopsWithWindowsAndAFreshPositionWithAndWithoutTheMap() throws IOException {
        for (String language : List.of("en", "fr")) {
            long id = create("Load 4471: 18 pallets", language);
            stops.replace(tenant.id(), id,
                    List.of(new ShipmentStops.StopInput("PICKUP", "Hamburg depot", "Kai 7\nHamburg", "53.55", "9.99",
                            "Europe/Berlin", "2026-12-01T08:00", "2026-12-01T17:00"),
                            new ShipmentStops.StopInput("DELIVERY", "Berlin shop", "Hauptstraße 1\n10115 Berlin",
                                    "52.6", "13.5", "Europe/Berlin", null, "2026-12-03T12:00")),
                    anna);
            shipments.changeStage(tenant.id(), id, "In transit", anna);
            shipments.setEstimatedArrival(tenant.id(), id, LocalDate.parse("2026-12-03"), anna);
            positions.add(tenant.id(), id, List.of(new ShipmentPositions.PositionInput(new BigDecimal("52.52"), "52.52",
                    new BigDecimal("13.405"), "13.405", "2026-12-01T08:30:00Z", "gps")));
            String path = link(id);
            map(true);
            same("position-map-" + language, path);
            map(false);
            same("position-nomap-" + language, path);
            map(true);
            clock.advance(java.time.Duration.ofMinutes(30));
            exceptions.report(tenant.id(), id, "DELAY", "Ferry cancelled, next sailing tomorrow", true, anna);
            clock.advance(java.time.Duration.ofMinutes(1));
            exceptions.report(tenant.id(), id, "DAMAGE", "forklift", false, anna);
            same("delayed-" + language, path);
            // every stop event the history words (the French ones carry an apostrophe, escaped as any text)
            for (String detail : List.of("PICKUP 0", "STOP 1", "DELIVERY 2")) {
                clock.advance(java.time.Duration.ofMinutes(1));
                QuarkusTransaction.requiringNew().run(() -> {
                    timeline.record(Subject.shipment(tenant.id(), id), anna.timeline(), ShipmentEvent.STOP_ARRIVED,
                            detail, Visibility.CUSTOMER);
                    timeline.record(Subject.shipment(tenant.id(), id), anna.timeline(), ShipmentEvent.STOP_DEPARTED,
                            detail, Visibility.CUSTOMER);
                });
            }
            same("stop-events-" + language, path);
        }
    }

    @Test
    void aPipelineInOwnWordsAndTheLastStageReached() throws IOException {
        var vehicle = pipelines.create(tenant.id(), "Vehicle import", List.of(
                new Pipelines.StageInput("Purchased", "BOOKED"), new Pipelines.StageInput("On vessel", "IN_TRANSIT"),
                new Pipelines.StageInput("Arrived", "ARRIVED"), new Pipelines.StageInput("Delivered", "DELIVERED")));
        pipelines.setDefault(tenant.id(), vehicle.id());
        long id = create("Land Cruiser", "de");
        shipments.changeStage(tenant.id(), id, "On vessel", anna);
        String path = link(id);
        same("own-words-de", path);
        shipments.changeStage(tenant.id(), id, "Delivered", anna);
        same("own-words-delivered-de", path);
    }

    @Test
    void theFreightDefaultDeliveredAndOptionsOff() throws IOException {
        long id = create("Pallets", "es");
        shipments.changeStage(tenant.id(), id, "Out for delivery", anna);
        shipments.addNote(tenant.id(), id, NoteScope.CUSTOMER, "Almost there", anna);
        String path = link(id);
        same("out-for-delivery-es", path);
        assertTrue(tracking.setOptions(tenant.id(), id, new TrackingLinks.Options(false, false, false, false),
                List.of(), anna));
        same("out-for-delivery-options-off-es", path);
        assertTrue(tracking.setOptions(tenant.id(), id, TrackingLinks.Options.DEFAULTS, List.of(), anna));
        clock.advance(java.time.Duration.ofHours(2));
        shipments.changeStage(tenant.id(), id, "Delivered", anna);
        same("delivered-es", path);
    }

    private long create(String title, String language) {
        return shipments
                .create(tenant.id(), TrackingPortalTest.input(Fixtures.uniqueReference(), title, language), anna).id();
    }

    private String link(long id) {
        String url = tracking.create(tenant.id(), id, null, anna).orElseThrow().url();
        return url.substring(url.indexOf("/t/"));
    }

    private void map(boolean on) {
        QuarkusTransaction.requiringNew()
                .run(() -> ShipmentSettings.update("mapEnabled = ?1 where organizationId = ?2", on, tenant.id()));
    }

    /** The page of {@code path}, its variable parts replaced, equals the stored page {@code name}. */
    private void same(String name, String path) throws IOException {
        String body = given().header("User-Agent", PortalClient.BROWSER).get(path).then().statusCode(200).extract()
                .asString();
        String token = path.substring("/t/".length());
        String page = body.replace(token, "{token}").replace(tenant.name(), "{organization}")
                .replaceAll("/seen/[A-Za-z0-9_-]{22}\\.css", "/seen/{nonce}.css");
        assertTrue(page.contains("/seen/{nonce}.css"), page);
        Path file = DIR.resolve(name + ".html");
        if (Boolean.getBoolean("tracking.pages.write")) {
            Files.createDirectories(DIR);
            Files.writeString(file, page, StandardCharsets.UTF_8);
            return;
        }
        try (InputStream in = getClass().getResourceAsStream("/tracking-pages/" + name + ".html")) {
            assertTrue(in != null, "no stored page " + file + " (write it with -Dtracking.pages.write=true)");
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), page, name);
        }
    }
}
