package io.portlink.shipment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.platform.DemoData;
import io.portlink.platform.Paging;
import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;

/** Dev mode's demo shipments are made through the real rules: photos pass the byte check, notes of both scopes. */
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
        }
        assertEquals("On vessel", shipments.viewByReference(tenant.id(), "VEH-1001").orElseThrow().stage().name());
        assertEquals("In transit", shipments.viewByReference(tenant.id(), "LOAD-4471").orElseThrow().stage().name());
        long car = shipments.idOf(tenant.id(), "VEH-1001").orElseThrow();
        var sheet = tracking.sheet(tenant.id(), car).orElseThrow();
        assertTrue(sheet.link() != null);
        assertEquals(1, sheet.pickedPhotoIds().size());
        assertFalse(sheet.options().customerNotes());
        assertTrue(tracking.sheet(tenant.id(), shipments.idOf(tenant.id(), "LOAD-4471").orElseThrow()).orElseThrow()
                .link() != null);
    }
}
