package io.portlink.demo;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.platform.Paging;
import io.portlink.shipment.NoteScope;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentStop;
import io.portlink.shipment.ShipmentStops;
import io.portlink.shipment.Shipments;
import io.portlink.shipment.TrackingLinks;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Dev mode's demo shipments are made through the real rules: photos pass the byte check, notes of both scopes, a pickup
 * and a delivery stop with windows that the tracking page shows.
 */
@QuarkusTest
class ShipmentDemoTest {

    @Inject
    Fixtures fixtures;

    @Inject
    ShipmentDemo demo;

    @Inject
    Shipments shipments;

    @Inject
    TrackingLinks tracking;

    @Inject
    ShipmentStops stops;

    @Inject
    io.portlink.shipment.Pipelines pipelines;

    @Test
    void theDemoOrganisationGetsShipmentsWithPhotosAndNotes() {
        var tenant = fixtures.tenant("GB");
        demo.onSeeded(new DemoData.Seeded(tenant.id()));
        var page = shipments.page(tenant.id(), new Shipments.Filter(null, null, null), new Paging(0, 50));
        assertEquals(4, page.total());
        for (var row : page.rows()) {
            var detail = shipments.detail(tenant.id(), row.id()).orElseThrow();
            assertFalse(detail.photos().isEmpty(), row.reference() + " has photos");
            assertTrue(detail.photos().get(0).hero());
            assertEquals(2, detail.notes().size());
            assertTrue(detail.notes().stream().anyMatch(n -> n.scope() == NoteScope.CUSTOMER));
            var route = stops.list(tenant.id(), row.id()).orElseThrow();
            assertEquals(2, route.size(), row.reference() + " has a pickup and a delivery");
            assertEquals(ShipmentStop.Kind.PICKUP, route.get(0).kind());
            assertEquals(ShipmentStop.Kind.DELIVERY, route.get(1).kind());
            assertTrue(route.stream().allMatch(st -> st.address() != null && st.windowFrom() != null
                    && st.windowTo() != null && st.latitude() != null), row.reference() + ": " + route);
        }
        assertEquals("On vessel", shipments.viewByReference(tenant.id(), "VEH-1001").orElseThrow().stage().name());
        assertEquals("In transit", shipments.viewByReference(tenant.id(), "LOAD-4471").orElseThrow().stage().name());
        // vendors' shipments of the demo's purchase orders follow the freight stages, not the cars' default
        assertEquals(List.of("Freight"),
                pipelines.vendorChoice(tenant.id()).stream().map(
                        p -> p.stages().stream().anyMatch(st -> st.name().equals("On vessel")) ? "Vehicle" : "Freight")
                        .toList());
        long car = shipments.idOf(tenant.id(), "VEH-1001").orElseThrow();
        var sheet = tracking.sheet(tenant.id(), car).orElseThrow();
        assertTrue(sheet.link() != null);
        assertEquals(1, sheet.pickedPhotoIds().size());
        assertFalse(sheet.options().customerNotes());
        assertTrue(tracking.sheet(tenant.id(), shipments.idOf(tenant.id(), "LOAD-4471").orElseThrow()).orElseThrow()
                .link() != null);

        // a newcomer sharing a car's link sees where it comes from, where it goes and when, each in its own zone
        long patrol = shipments.idOf(tenant.id(), "VEH-1002").orElseThrow();
        String url = tracking.create(tenant.id(), patrol, null, ShipmentActor.system()).orElseThrow().url();
        given().header("User-Agent", PortalClient.BROWSER).get(url.substring(url.indexOf("/t/"))).then().statusCode(200)
                .body(containsString("id=\"origin\"")).body(containsString("Port of Yokohama, Daikoku pier"))
                .body(containsString("id=\"destination\""))
                .body(containsString("Southampton Eastern Docks, vehicle collection"))
                .body(containsString("Asia/Tokyo")).body(containsString("Europe/London"));
    }
}
