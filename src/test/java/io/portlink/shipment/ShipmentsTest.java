package io.portlink.shipment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.platform.ConflictException;
import io.portlink.platform.Paging;
import io.portlink.platform.ValidationException;
import io.portlink.testing.Fixtures;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;

/** The shipment rules as staff and integrations meet them through the service. */
@QuarkusTest
class ShipmentsTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Shipments shipments;

    @Inject
    Pipelines pipelines;

    @Inject
    TestClock clock;

    @Inject
    ShipmentPhotos photos;

    @Inject
    io.portlink.timeline.Timeline timeline;

    Fixtures.Tenant tenant;
    ShipmentActor anna;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
        anna = ShipmentActor.staff(1, "anna@example.com");
    }

    static ShipmentInput input(String reference) {
        return new ShipmentInput(reference, "2019 Toyota Land Cruiser 300",
                new ShipmentInput.CustomerInput("Jane Doe", "Jane@Customer.example", "+44 20 7946 0001", "de"),
                "Yokohama port", "12 High Street\nLeeds", new ShipmentInput.InternalInput("STK-77", "JTMHV05J604123456",
                        "gbp", "18500.00", "24,000", "5000", "Paid deposit by wire"));
    }

    @Test
    void createKeepsEveryFieldAndStartsInTheFirstFreightStage() {
        var s = shipments.create(tenant.id(), input("SH-1"), anna);
        assertEquals("SH-1", s.reference());
        assertEquals("jane@customer.example", s.customer().email());
        assertEquals("de", s.customer().language());
        assertEquals("12 High Street\nLeeds", s.shipTo());
        assertEquals("GBP", s.internal().currency());
        assertEquals(new BigDecimal("18500"), s.internal().cost());
        assertEquals(new BigDecimal("24000"), s.internal().salePrice());
        assertEquals("Freight", s.pipelineName());
        assertEquals("Booked", s.stage().name());
        assertEquals(Milestone.BOOKED, s.stage().milestone());
        var detail = shipments.detail(tenant.id(), s.id()).orElseThrow();
        assertEquals(List.of("Booked", "Dispatched", "In transit", "Out for delivery", "Delivered"),
                detail.stages().stream().map(Pipelines.StageView::name).toList());
        assertEquals(1, detail.history().size());
        assertNull(detail.history().get(0).fromName());
        assertEquals("anna@example.com", detail.history().get(0).actor());
    }

    @Test
    void validationListsEveryProblemWithFieldAndValue() {
        var bad = new ShipmentInput("bad ref!", " ",
                new ShipmentInput.CustomerInput("Jane", "not-an-email", "call me", "it"), null, null,
                new ShipmentInput.InternalInput(null, null, "euro", "12,5x", "-3", null, null));
        var e = assertThrows(ValidationException.class, () -> shipments.create(tenant.id(), bad, anna));
        var fields = e.errors().stream().map(ValidationException.FieldError::field).toList();
        assertEquals(List.of("reference", "title", "customer.email", "customer.phone", "customer.language",
                "internal.currency", "internal.cost", "internal.salePrice"), fields);
        var described = e.errors().stream().map(ValidationException.FieldError::describe).toList();
        assertTrue(described.get(0).contains("(got \"bad ref!\")"), described.get(0));
        assertTrue(described.get(2).contains("must be an e-mail address"), described.get(2));
        assertTrue(described.get(4).contains("must be one of en, de, fr, es"), described.get(4));
        assertTrue(described.get(7).contains("must not be negative"), described.get(7));
        // nothing was written
        assertEquals(0, shipments.page(tenant.id(), new Shipments.Filter(null, null, null), new Paging(0, 10)).total());
    }

    @Test
    void anAmountNeedsACurrency() {
        var noCurrency = new ShipmentInput("SH-2", "Load 4471", null, null, null,
                new ShipmentInput.InternalInput(null, null, null, "100", null, null, null));
        var e = assertThrows(ValidationException.class, () -> shipments.create(tenant.id(), noCurrency, anna));
        assertEquals("internal.currency", e.errors().get(0).field());
    }

    @Test
    void referenceIsUniquePerOrganisationAmongLiveShipments() {
        var first = shipments.create(tenant.id(), input("SH-3"), anna);
        assertThrows(ConflictException.class, () -> shipments.create(tenant.id(), input("SH-3"), anna));
        // another organisation may use it
        var other = fixtures.tenant("DE");
        shipments.create(other.id(), input("SH-3"), anna);
        // once deleted, the reference is free again, and the deleted one is gone for every reader
        assertTrue(shipments.delete(tenant.id(), first.id(), null, anna));
        assertTrue(shipments.view(tenant.id(), first.id()).isEmpty());
        assertTrue(shipments.detail(tenant.id(), first.id()).isEmpty());
        assertFalse(shipments.delete(tenant.id(), first.id(), null, anna));
        assertTrue(shipments.changeStage(tenant.id(), first.id(), "Delivered", anna).isEmpty());
        assertTrue(shipments.addNote(tenant.id(), first.id(), NoteScope.CUSTOMER, "hi", anna).isEmpty());
        var again = shipments.create(tenant.id(), input("SH-3"), anna);
        assertEquals(again.id(), shipments.idOf(tenant.id(), "SH-3").orElseThrow());
    }

    @Test
    void anotherOrganisationsShipmentIsNotFound() {
        var s = shipments.create(tenant.id(), input("SH-4"), anna);
        var other = fixtures.tenant("GB");
        assertTrue(shipments.view(other.id(), s.id()).isEmpty());
        assertTrue(shipments.update(other.id(), s.id(), null, input("SH-4"), anna).isEmpty());
        assertTrue(shipments.changeStage(other.id(), s.id(), "Delivered", anna).isEmpty());
        assertTrue(shipments.setEstimatedArrival(other.id(), s.id(), LocalDate.of(2026, 7, 1), anna).isEmpty());
        assertTrue(shipments.addNote(other.id(), s.id(), NoteScope.INTERNAL, "x", anna).isEmpty());
        assertFalse(shipments.delete(other.id(), s.id(), null, anna));
        assertTrue(shipments.view(tenant.id(), s.id()).isPresent());
    }

    @Test
    void editIsGuardedByTheVersionTheEditorRead() {
        var s = shipments.create(tenant.id(), input("SH-5"), anna);
        var changed = new ShipmentInput("SH-5", "Load 4471: 18 pallets", null, null, null, null);
        var updated = shipments.update(tenant.id(), s.id(), s.version(), changed, anna).orElseThrow();
        assertEquals("Load 4471: 18 pallets", updated.title());
        assertNull(updated.internal().cost());
        assertTrue(updated.version() > s.version());
        // a second editor who read the old version is told, and changes nothing
        var stale = new ShipmentInput("SH-5", "Something else", null, null, null, null);
        assertThrows(ConflictException.class, () -> shipments.update(tenant.id(), s.id(), s.version(), stale, anna));
        assertEquals("Load 4471: 18 pallets", shipments.view(tenant.id(), s.id()).orElseThrow().title());
    }

    @Test
    void stageChangesKeepATimestampedHistory() {
        var s = shipments.create(tenant.id(), input("SH-6"), anna);
        clock.advance(Duration.ofHours(2));
        var bob = ShipmentActor.apiKey(9, "ERP");
        shipments.changeStage(tenant.id(), s.id(), "in transit", bob);
        clock.advance(Duration.ofHours(3));
        shipments.changeStage(tenant.id(), s.id(), "IN_TRANSIT", bob); // same stage: no entry
        long delivered = shipments.detail(tenant.id(), s.id()).orElseThrow().stages().get(4).id();
        shipments.changeStage(tenant.id(), s.id(), delivered, anna);
        var history = shipments.detail(tenant.id(), s.id()).orElseThrow().history();
        assertEquals(3, history.size());
        assertEquals("In transit", history.get(0).fromName());
        assertEquals("Delivered", history.get(0).toName());
        assertEquals(Milestone.DELIVERED, history.get(0).toMilestone());
        assertEquals(clock.instant(), history.get(0).at());
        assertEquals("Booked", history.get(1).fromName());
        assertEquals("In transit", history.get(1).toName());
        assertEquals("API key ERP", history.get(1).actor());
        assertEquals(ShipmentActor.Type.API_KEY, history.get(1).actorType());
        assertEquals(clock.instant().minus(Duration.ofHours(3)), history.get(1).at());
        var e = assertThrows(ValidationException.class,
                () -> shipments.changeStage(tenant.id(), s.id(), "On vessel", anna));
        assertTrue(e.getMessage().contains("Booked, Dispatched, In transit, Out for delivery, Delivered"),
                e.getMessage());
    }

    @Test
    void customPipelineWithMilestonesIsUsedForNewShipments() {
        var before = shipments.create(tenant.id(), input("SH-7"), anna);
        var vehicle = pipelines.create(tenant.id(), "Vehicle import",
                List.of(new Pipelines.StageInput("Purchased", "BOOKED"),
                        new Pipelines.StageInput("At origin port", "DISPATCHED"),
                        new Pipelines.StageInput("On vessel", "IN_TRANSIT"),
                        new Pipelines.StageInput("Arrived", "ARRIVED"),
                        new Pipelines.StageInput("Customs cleared", "ARRIVED"),
                        new Pipelines.StageInput("Ready for collection", "READY_FOR_COLLECTION"),
                        new Pipelines.StageInput("Delivered", "DELIVERED")));
        pipelines.setDefault(tenant.id(), vehicle.id()).orElseThrow();
        var after = shipments.create(tenant.id(), input("SH-8"), anna);
        assertEquals("Vehicle import", after.pipelineName());
        assertEquals("Purchased", after.stage().name());
        var moved = shipments.changeStage(tenant.id(), after.id(), "Customs cleared", anna).orElseThrow();
        assertEquals(Milestone.ARRIVED, moved.stage().milestone());
        // by milestone, the first stage with it
        assertEquals("Ready for collection", shipments
                .changeStage(tenant.id(), after.id(), "ready_for_collection", anna).orElseThrow().stage().name());
        // the earlier shipment stays on its pipeline
        assertEquals("Freight", shipments.view(tenant.id(), before.id()).orElseThrow().pipelineName());
        assertThrows(ValidationException.class,
                () -> shipments.changeStage(tenant.id(), before.id(), "On vessel", anna));
        // another organisation cannot use it
        var other = fixtures.tenant("GB");
        assertTrue(pipelines.setDefault(other.id(), vehicle.id()).isEmpty());
        assertEquals("Freight", pipelines.list(other.id()).get(0).name());
    }

    @Test
    void aPipelineThatCannotTrackIsRefusedWithEveryProblem() {
        pipelines.create(tenant.id(), "Vehicle import",
                List.of(new Pipelines.StageInput("A", "BOOKED"), new Pipelines.StageInput("B", "DELIVERED")));
        var e = assertThrows(ValidationException.class,
                () -> pipelines.create(tenant.id(), "vehicle IMPORT", List.of(
                        new Pipelines.StageInput("Arrived", "ARRIVED"), new Pipelines.StageInput("arrived", "BOOKED"),
                        new Pipelines.StageInput("Done", "FINISHED"), new Pipelines.StageInput("", "IN_TRANSIT"))));
        var described = e.errors().stream().map(ValidationException.FieldError::describe).toList();
        assertEquals(6, described.size(), described.toString());
        assertTrue(described.get(0).startsWith("name: is already the name of a pipeline"), described.get(0));
        assertTrue(described.get(1).startsWith("stages[1].name: is the name of an earlier stage"), described.get(1));
        assertTrue(described.get(2).startsWith("stages[1].milestone: comes before ARRIVED"), described.get(2));
        assertTrue(described.get(3).startsWith("stages[2].milestone: must be one of BOOKED"), described.get(3));
        assertTrue(described.get(4).startsWith("stages[3].name: is required"), described.get(4));
        assertTrue(described.get(5).startsWith("stages[3].milestone: the last stage must have the milestone DELIVERED"),
                described.get(5));
        assertEquals(2, pipelines.list(tenant.id()).size());
    }

    @Test
    void notesCarryTheirScopeAndAreValidated() {
        var s = shipments.create(tenant.id(), input("SH-9"), anna);
        shipments.addNote(tenant.id(), s.id(), NoteScope.CUSTOMER, "Your car is on the vessel.", anna);
        clock.advance(Duration.ofMinutes(1));
        shipments.addNote(tenant.id(), s.id(), "internal", "Customer still owes 19,000", anna);
        assertEquals(List.of("Your car is on the vessel."), shipments.notes(tenant.id(), s.id(), NoteScope.CUSTOMER)
                .stream().map(Shipments.NoteView::text).toList());
        assertEquals(List.of("Customer still owes 19,000"), shipments.notes(tenant.id(), s.id(), NoteScope.INTERNAL)
                .stream().map(Shipments.NoteView::text).toList());
        assertEquals(2, shipments.notes(tenant.id(), s.id(), null).size());
        var e = assertThrows(ValidationException.class,
                () -> shipments.addNote(tenant.id(), s.id(), "public", "x".repeat(Shipments.NOTE_MAX + 1), anna));
        assertEquals(List.of("scope", "text"), e.errors().stream().map(ValidationException.FieldError::field).toList());
        assertThrows(ValidationException.class,
                () -> shipments.addNote(tenant.id(), s.id(), NoteScope.CUSTOMER, "  ", anna));
        assertEquals(2, shipments.notes(tenant.id(), s.id(), null).size());
    }

    @Test
    void estimatedArrivalIsADateInRange() {
        var s = shipments.create(tenant.id(), input("SH-10"), anna);
        var gb = io.portlink.platform.Convention.of("GB", null);
        // a day to come, whatever day the suite's clock has reached: past days are refused for a shipment on its way
        LocalDate ahead = LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).plusDays(30);
        assertEquals(ahead,
                shipments
                        .setEstimatedArrival(tenant.id(), s.id(),
                                ahead.format(java.time.format.DateTimeFormatter.ofPattern("dd/MM/yyyy")), gb, anna)
                        .orElseThrow().estimatedArrival());
        var e = assertThrows(ValidationException.class,
                () -> shipments.setEstimatedArrival(tenant.id(), s.id(), "31/02/2026", gb, anna));
        assertEquals("estimatedArrival", e.errors().get(0).field());
        assertNull(shipments.setEstimatedArrival(tenant.id(), s.id(), "", gb, anna).orElseThrow().estimatedArrival());
    }

    @Test
    void listIsPagedAndSearchedByReferenceOrCustomer() {
        for (int i = 0; i < 25; i++) {
            clock.advance(Duration.ofMinutes(1));
            var in = input("LIST-" + (100 + i));
            shipments.create(tenant.id(),
                    new ShipmentInput(in.reference(), in.title(),
                            new ShipmentInput.CustomerInput(i % 5 == 0 ? "Zoe Quinn" : "Max Power", null, null, null),
                            null, null, null),
                    anna);
        }
        var all = new Shipments.Filter(null, null, null);
        var first = shipments.page(tenant.id(), all, new Paging(0, 10));
        assertEquals(25, first.total());
        assertEquals(10, first.rows().size());
        assertEquals("LIST-124", first.rows().get(0).reference());
        assertTrue(first.hasNext());
        var last = shipments.page(tenant.id(), all, new Paging(2, 10));
        assertEquals(5, last.rows().size());
        assertFalse(last.hasNext());
        assertEquals(5,
                shipments.page(tenant.id(), new Shipments.Filter("zoe", null, null), new Paging(0, 50)).total());
        assertEquals(List.of("LIST-110"),
                shipments.page(tenant.id(), new Shipments.Filter("list-110", null, null), new Paging(0, 50)).rows()
                        .stream().map(Shipments.Row::reference).toList());
        assertEquals(10,
                shipments.page(tenant.id(), new Shipments.Filter("LIST-11", null, null), new Paging(0, 50)).total());
        // % and _ are no wildcards
        assertEquals(0,
                shipments.page(tenant.id(), new Shipments.Filter("LIST_11", null, null), new Paging(0, 50)).total());
        var moved = shipments.page(tenant.id(), all, new Paging(0, 1)).rows().get(0);
        shipments.changeStage(tenant.id(), moved.id(), "Dispatched", anna);
        assertEquals(1, shipments
                .page(tenant.id(), new Shipments.Filter(null, null, Milestone.DISPATCHED), new Paging(0, 50)).total());
        // another organisation sees none of them
        assertEquals(0, shipments.page(fixtures.tenant("GB").id(), all, new Paging(0, 50)).total());
    }

    @Test
    void everyEventIsOnTheSharedTimelineWithItsVisibility() {
        var s = shipments.create(tenant.id(), input("TL-1"), anna);
        shipments.update(tenant.id(), s.id(), null,
                new ShipmentInput("TL-1", "2019 Toyota Land Cruiser 300",
                        new ShipmentInput.CustomerInput("Jane Doe", "jane@customer.example", "+44 20 7946 0001", "de"),
                        "Yokohama port", "12 High Street\nLeeds", new ShipmentInput.InternalInput("STK-77",
                                "JTMHV05J604123456", "GBP", "99999", "24000", "5000", "Paid deposit by wire")),
                anna);
        shipments.changeStage(tenant.id(), s.id(), "Dispatched", anna);
        LocalDate ahead = LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).plusDays(30);
        shipments.setEstimatedArrival(tenant.id(), s.id(), ahead, anna);
        shipments.addNote(tenant.id(), s.id(), NoteScope.CUSTOMER, "On its way", anna);
        shipments.addNote(tenant.id(), s.id(), NoteScope.INTERNAL, "Owes 19,000", anna);
        var photo = photos.add(tenant.id(), s.id(), io.portlink.testing.Images.of("png", 4, 4), "car.png", anna)
                .orElseThrow().photo();
        photos.remove(tenant.id(), s.id(), photo.id(), anna);
        var subject = io.portlink.timeline.Subject.shipment(tenant.id(), s.id());
        var staffView = shipments.detail(tenant.id(), s.id()).orElseThrow().timeline();
        assertEquals(List.of("PHOTO_REMOVED", "PHOTO_ADDED", "NOTE_ADDED", "NOTE_ADDED", "ETA_CHANGED", "STAGE_CHANGED",
                "UPDATED", "CREATED"), staffView.stream().map(Shipments.TimelineView::kind).toList());
        assertEquals("changed: internal.cost", staffView.get(6).detail(), "field names, never values");
        assertEquals("anna@example.com", staffView.get(0).actor());
        // the customer's part: stage, ETA and the customer note, nothing internal
        var customer = timeline.latest(subject, true, 50);
        assertEquals(List.of("NOTE_ADDED", "ETA_CHANGED", "STAGE_CHANGED"),
                customer.stream().map(io.portlink.timeline.Timeline.Entry::kind).toList());
        assertEquals(List.of("On its way", ahead.toString(), "Booked → Dispatched"),
                customer.stream().map(io.portlink.timeline.Timeline.Entry::detail).toList());
        shipments.delete(tenant.id(), s.id(), null, anna);
        assertEquals("DELETED", timeline.latest(subject, false, 1).get(0).kind());
        assertEquals(io.portlink.timeline.Visibility.INTERNAL, timeline.latest(subject, false, 1).get(0).visibility());
    }
}
