package io.portlink.portal;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.outbox.OutboxMessage;
import io.portlink.shipment.DelayAlerts;
import io.portlink.shipment.DriverLinks;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentEtas;
import io.portlink.shipment.ShipmentPositions;
import io.portlink.shipment.ShipmentStops;
import io.portlink.shipment.Shipments;
import io.portlink.shipment.TrackingLinks;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.StaffClient;
import io.portlink.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

/**
 * One zone per shipment, named, on every page and mail (H2 and PostgreSQL): an organisation in London, a delivery stop
 * in Berlin. The customer's page, the driver's page, the staff's shipment page, the queue and the staff's late alert
 * all write the shipment's times (history, last position, arrival, delivery, ETA, window end) in Berlin time, labelled
 * Europe/Berlin; never the organisation's London time beside it.
 */
@QuarkusTest
class ShipmentTimesTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Shipments shipments;

    @Inject
    ShipmentStops stops;

    @Inject
    ShipmentEtas etas;

    @Inject
    ShipmentPositions positions;

    @Inject
    TrackingLinks tracking;

    @Inject
    DriverLinks drivers;

    @Inject
    TestClock clock;

    final ShipmentActor anna = ShipmentActor.staff(1, "anna@example.com");

    Fixtures.Tenant tenant;
    long id;
    String reference;
    String trackingPath;
    String driverPath;

    @BeforeEach
    void shipment() {
        clock.set(Instant.parse("2026-12-01T12:00:00Z"));
        tenant = fixtures.tenant("GB");
        reference = Fixtures.uniqueReference();
        id = shipments.create(tenant.id(), TrackingPortalTest.input(reference, "Pallets", "en"), anna).id();
        stops.replace(tenant.id(), id,
                List.of(new ShipmentStops.StopInput("PICKUP", "Tilbury depot", "Dock Road\nTilbury", "51.4623",
                        "0.3576", "Europe/London", "2026-12-01T08:00", "2026-12-01T10:00"),
                        new ShipmentStops.StopInput("DELIVERY", "Berlin warehouse", "Hauptstraße 1\nBerlin", "52.52",
                                "13.405", "Europe/Berlin", "2026-12-02T08:00", "2026-12-02T12:00")),
                anna);
        String url = tracking.create(tenant.id(), id, null, anna).orElseThrow().url();
        trackingPath = url.substring(url.indexOf("/t/"));
        String driver = drivers.create(tenant.id(), id, anna).orElseThrow().url();
        driverPath = driver.substring(driver.indexOf("/d/"));
    }

    private static String get(String path) {
        return given().header("User-Agent", PortalClient.BROWSER).get(path).then().statusCode(200).extract().asString();
    }

    @Test
    void theCustomersAndTheDriversPagesWriteEveryTimeInTheDeliveryStopsZone() {
        positions.add(tenant.id(), id, List.of(new ShipmentPositions.PositionInput(new BigDecimal("52.0"), "52.0",
                new BigDecimal("12.0"), "12.0", "2026-12-01T12:02:00Z", "gps")));
        shipments.changeStage(tenant.id(), id, "In transit", anna);
        String page = get(trackingPath);
        // 12:02 UTC is 13:02 in Berlin (12:02 in London: never shown)
        assertTrue(page.contains("id=\"position-time\">1 Dec 2026, 13:02 (Europe/Berlin)"), page);
        assertTrue(page.contains("1 Dec 2026, 13:00 (Europe/Berlin)"), "the history in Berlin time: " + page);
        assertFalse(page.contains("12:02") || page.contains("12:00<"), "no London time: " + page);

        clock.set(Instant.parse("2026-12-01T13:05:00Z"));
        stops.mark(tenant.id(), id, 1, ShipmentStops.StopEvent.ARRIVAL, anna);
        shipments.changeStage(tenant.id(), id, "Delivered", anna);
        page = get(trackingPath);
        assertTrue(page.contains("1 Dec 2026, 14:05 (Europe/Berlin)</span>"), "the stop's arrival: " + page);
        assertTrue(page.contains("id=\"delivered-at\">1 Dec 2026, 14:05 (Europe/Berlin)"), page);
        assertTrue(page.contains("<div class=\"muted small\">1 Dec 2026, 14:05 (Europe/Berlin)</div>"),
                "the history says the same time: " + page);
        assertFalse(page.contains("13:05"), "the London time of the same event: " + page);
        // the driver leaving the delivery stop after the delivery is no news to the customer
        stops.mark(tenant.id(), id, 1, ShipmentStops.StopEvent.DEPARTURE, anna);
        page = get(trackingPath);
        assertTrue(page.contains("Arrived at the destination"), page);
        assertFalse(page.contains("Left the destination"), page);

        String driver = get(driverPath);
        assertTrue(driver.contains("Arrived 1 Dec 2026, 14:05 (Europe/Berlin)"), driver);
        assertTrue(
                driver.contains("1 Dec 2026, 14:05 (Europe/Berlin) · received by")
                        || driver.contains("<p>1 Dec 2026, 14:05 (Europe/Berlin)</p>"),
                "delivered, same zone: " + driver);
        assertFalse(driver.contains("13:05"), driver);
    }

    @Test
    void theStaffsPageQueueAndLateAlertSayTheSameEta() {
        // 19:00 in Berlin, 18:00 in London; the window ends 12:00 Berlin: late
        etas.setManual(tenant.id(), id, LocalDate.parse("2026-12-02"), LocalTime.parse("19:00"), anna);
        CookieFilter staff = StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);

        String detail = given().filter(staff).get("/app/shipments/" + id).then().statusCode(200).extract().asString();
        assertTrue(detail.contains("2 Dec 2026, 19:00 (Europe/Berlin)"), detail);

        String queue = given().filter(staff).get("/app/shipments/queue?bucket=LATE").then().statusCode(200).extract()
                .asString();
        assertTrue(
                queue.contains("<td class=\"eta\" data-label=\"Current ETA\">2 Dec 2026, 19:00 (Europe/Berlin)</td>"),
                queue);
        assertFalse(queue.contains("18:00"), "never the organisation's London time: " + queue);

        String mail = QuarkusTransaction.requiringNew()
                .call(() -> OutboxMessage
                        .<OutboxMessage> find("shipmentId = ?1 and kind = ?2", id, DelayAlerts.ALERT_KIND)
                        .firstResult().bodyText);
        assertTrue(mail.contains("Current ETA: 2 Dec 2026, 19:00 (Europe/Berlin)"), mail);
        assertTrue(mail.contains("Delivery window ends: 2 Dec 2026, 12:00 (Europe/Berlin)"), mail);
        assertFalse(mail.contains("Europe/London"), mail);
        assertEquals(1, (long) QuarkusTransaction.requiringNew()
                .call(() -> OutboxMessage.count("shipmentId = ?1 and kind = ?2", id, DelayAlerts.ALERT_KIND)));
    }

    /** The staff timeline writes an ETA as the page does (zone named) and names stops, never raw values. */
    @Test
    void theStaffTimelineSaysTimesAndStopsAsPeopleDo() {
        etas.setManual(tenant.id(), id, LocalDate.parse("2026-12-02"), LocalTime.parse("19:00"), anna);
        stops.mark(tenant.id(), id, 0, ShipmentStops.StopEvent.DEPARTURE, anna);
        stops.mark(tenant.id(), id, 1, ShipmentStops.StopEvent.ARRIVAL, anna);
        CookieFilter staff = StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String detail = given().filter(staff).get("/app/shipments/" + id).then().statusCode(200).extract().asString();
        String timeline = detail.substring(detail.indexOf("id=\"timeline\""));
        assertTrue(timeline.contains("<strong>Estimated arrival</strong>: <span class=\"pre\">2 Dec 2026, 19:00"
                + " (Europe/Berlin)</span>"), timeline);
        assertTrue(
                timeline.contains("<strong>Arrived at stop</strong>: <span class=\"pre\">Pickup: Tilbury depot</span>"),
                timeline);
        assertTrue(
                timeline.contains(
                        "<strong>Departed from stop</strong>: <span class=\"pre\">Pickup: Tilbury depot</span>"),
                timeline);
        assertTrue(
                timeline.contains(
                        "<strong>Arrived at stop</strong>: <span class=\"pre\">Delivery: Berlin warehouse</span>"),
                timeline);
        assertFalse(timeline.contains("2026-12-02T19:00") || timeline.contains("PICKUP 0")
                || timeline.contains("DELIVERY 1"), timeline);
    }
}
