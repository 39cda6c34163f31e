package io.portlink.shipment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.organization.Organization;
import io.portlink.platform.ValidationException;
import io.portlink.testing.Fixtures;
import io.portlink.testing.StaffClient;
import io.portlink.testing.TestClock;
import io.portlink.timeline.TimelineEntry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

/**
 * The retention job ({@link ShipmentRetention}): a delivered shipment's photos, proof-of-delivery images and positions
 * go exactly on the first run of the day after delivery day + N in the organisation's time zone; the proof keeps who
 * received it and when and says why its images went; undelivered shipments and an organisation that keeps its data are
 * left alone; a second run changes nothing; many shipments go in batches; admins set the days on their page.
 */
@QuarkusTest
class ShipmentRetentionTest {

    @Inject
    Fixtures fixtures;

    @Inject
    ShipmentRetention retention;

    @Inject
    RetentionPolicy policy;

    @Inject
    PhotoStore store;

    @Inject
    ProofsOfDelivery proofs;

    @Inject
    TestClock clock;

    @Inject
    DataSource dataSource;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        clock.set(Instant.parse("2026-06-01T09:00:00Z"));
        tenant = fixtures.tenant("US");
        QuarkusTransaction.requiringNew()
                .run(() -> Organization.<Organization> findById(tenant.id()).timeZone = "America/New_York");
        // images 10 days after delivery, positions 11; a link day count the job does not use
        policy.set(tenant.id(), 30, 10, 11);
    }

    /** A shipment with a gallery photo, a proof of delivery (a photo and a signature) and two positions. */
    private long shipmentWithData(long organizationId, Instant deliveredAt) {
        long id = fixtures.shipment(organizationId);
        QuarkusTransaction.requiringNew().run(() -> {
            Shipment s = Shipment.findById(id);
            s.deliveredAt = deliveredAt;
            ShipmentPhoto photo = new ShipmentPhoto();
            image(photo);
            photo.shipment = s;
            photo.position = 0;
            photo.uploadedAt = Instant.parse("2026-05-30T10:00:00Z");
            photo.persist();
            store.put(photo.id, new byte[] { 1, 2, 3 });
            s.heroPhotoId = photo.id;
            for (int i = 0; i < 2; i++) {
                ShipmentPosition p = new ShipmentPosition();
                p.shipment = s;
                p.recordedAt = Instant.parse("2026-05-31T10:00:00Z").plusSeconds(i);
                p.receivedAt = p.recordedAt;
                p.latitude = new BigDecimal("51.500000");
                p.longitude = new BigDecimal("-0.120000");
                p.source = "driver";
                p.persist();
            }
            s.lastPositionAt = Instant.parse("2026-05-31T10:00:01Z");
            s.lastLatitude = new BigDecimal("51.500000");
            s.lastLongitude = new BigDecimal("-0.120000");
            if (deliveredAt != null) {
                ProofOfDelivery pod = new ProofOfDelivery();
                pod.shipment = s;
                pod.receiverName = "Rhea Receiver";
                pod.deliveredAt = deliveredAt;
                pod.persist();
                for (ProofOfDeliveryImage.Kind kind : ProofOfDeliveryImage.Kind.values()) {
                    ProofOfDeliveryImage i = new ProofOfDeliveryImage();
                    image(i);
                    i.proof = pod;
                    i.kind = kind;
                    i.content = new byte[] { 4, 5, 6 };
                    i.persist();
                }
            }
        });
        return id;
    }

    private static void image(StoredImage i) {
        i.contentType = "image/png";
        i.byteSize = 3;
        i.width = 1;
        i.height = 1;
        i.digest = "0".repeat(64);
    }

    /** What is left of a shipment: gallery photos, their bytes, proof images, positions, last latitude. */
    record Left(long photos, boolean bytes, long proofImages, long positions, BigDecimal lastLatitude,
            Instant imagesRemovedAt, Instant positionsRemovedAt) {
    }

    private Left left(long id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Shipment s = Shipment.findById(id);
            List<ShipmentPhoto> photos = ShipmentPhoto.list("shipment.id", id);
            return new Left(photos.size(), !photos.isEmpty() && store.get(photos.get(0).id).isPresent(),
                    ProofOfDeliveryImage.count("proof.shipment.id", id), ShipmentPosition.count("shipment.id", id),
                    s.lastLatitude, s.imagesRemovedAt, s.positionsRemovedAt);
        });
    }

    private static long entries(long shipmentId, ShipmentEvent kind) {
        return QuarkusTransaction.requiringNew()
                .call(() -> TimelineEntry.count("shipmentId = ?1 and kind = ?2", shipmentId, kind.name()));
    }

    @Test
    void imagesAndPositionsGoOnTheFirstRunOfTheDayAfterDeliveryDayPlusTheDaysInTheOrganisationsZone() {
        // 23:30 on 31 May in New York (already 1 June in UTC): images kept through 10 June, gone from 11 June 00:00
        long early = shipmentWithData(tenant.id(), Instant.parse("2026-06-01T03:30:00Z"));
        // 00:30 on 1 June in New York: one day later
        long late = shipmentWithData(tenant.id(), Instant.parse("2026-06-01T04:30:00Z"));
        long open = shipmentWithData(tenant.id(), null);
        // another organisation keeps its images and positions (empty days)
        Fixtures.Tenant keeper = fixtures.tenant("GB");
        policy.set(keeper.id(), 30, null, null);
        long kept = shipmentWithData(keeper.id(), Instant.parse("2026-01-01T12:00:00Z"));

        clock.set(Instant.parse("2026-06-11T03:59:59Z")); // 10 June, 23:59:59 in New York
        retention.runOnce();
        assertEquals(new Left(1, true, 2, 2, new BigDecimal("51.500000"), null, null), left(early));

        clock.set(Instant.parse("2026-06-11T04:00:00Z")); // 11 June, 00:00 in New York
        retention.runOnce();
        Left e = left(early);
        assertEquals(0, e.photos());
        assertEquals(0, e.proofImages());
        assertEquals(2, e.positions(), "positions are kept one day longer (11 days)");
        assertNotNull(e.imagesRemovedAt());
        assertEquals(1, entries(early, ShipmentEvent.RETENTION_IMAGES_REMOVED));
        assertEquals(new Left(1, true, 2, 2, new BigDecimal("51.500000"), null, null), left(late),
                "delivered a day later in New York: not yet");
        // the proof stays: who received it, when, and why its images are gone
        ProofsOfDelivery.ProofView proof = proofs.proof(tenant.id(), early).orElseThrow();
        assertEquals("Rhea Receiver", proof.receiverName());
        assertEquals(Instant.parse("2026-06-01T03:30:00Z"), proof.deliveredAt());
        assertEquals(0, proof.photos());
        assertEquals(Instant.parse("2026-06-11T04:00:00Z"), proof.imagesRemovedAt());
        assertEquals(10, proof.imagesRemovedAfterDays());
        Long hero = QuarkusTransaction.requiringNew().call(() -> Shipment.<Shipment> findById(early).heroPhotoId);
        assertNull(hero, "the removed photo is no longer the hero");

        clock.set(Instant.parse("2026-06-12T04:00:00Z"));
        retention.runOnce();
        Left e2 = left(early);
        assertEquals(0, e2.positions());
        assertNull(e2.lastLatitude(), "the last position is forgotten too");
        assertEquals(1, entries(early, ShipmentEvent.RETENTION_POSITIONS_REMOVED));
        assertEquals(0, left(late).photos());
        assertEquals(2, left(late).positions());

        assertEquals(e.imagesRemovedAt(), e2.imagesRemovedAt(), "the early one's images were done before");
        assertEquals(Instant.parse("2026-06-12T04:00:00Z"), e2.positionsRemovedAt());

        // idempotent: a second run at the same moment changes nothing and writes no entry
        retention.runOnce();
        assertEquals(e2, left(early));
        assertEquals(1, entries(early, ShipmentEvent.RETENTION_IMAGES_REMOVED));
        assertEquals(1, entries(late, ShipmentEvent.RETENTION_IMAGES_REMOVED));
        assertEquals(1, entries(early, ShipmentEvent.RETENTION_POSITIONS_REMOVED));

        // never delivered, or kept by its organisation's policy: untouched, however late
        clock.set(Instant.parse("2027-06-12T04:00:00Z"));
        retention.runOnce();
        assertEquals(new Left(1, true, 0, 2, new BigDecimal("51.500000"), null, null), left(open));
        assertEquals(new Left(1, true, 2, 2, new BigDecimal("51.500000"), null, null), left(kept));
    }

    @Inject
    TrackingLinks trackingLinks;

    @Inject
    Shipments shipments;

    @Inject
    io.portlink.link.LinkExpiry linkExpiry;

    @Test
    void aTrackingLinkEndsTheOrganisationsDaysAfterDeliveryAndShowsTheEndedPageInTheVisitorsLanguage() {
        policy.set(tenant.id(), 3, 10, 11);
        long id = fixtures.shipment(tenant.id());
        var link = trackingLinks.create(tenant.id(), id, null, ShipmentActor.system()).orElseThrow();
        String path = link.url().substring(link.url().indexOf("/t/"));
        shipments.changeStage(tenant.id(), id, "DELIVERED", ShipmentActor.system()).orElseThrow();
        clock.set(Instant.parse("2026-06-04T08:59:00Z"));
        linkExpiry.runOnce();
        given().header("User-Agent", io.portlink.testing.PortalClient.BROWSER).get(path).then().statusCode(200);
        clock.set(Instant.parse("2026-06-04T09:00:00Z"));
        linkExpiry.runOnce();
        given().header("User-Agent", io.portlink.testing.PortalClient.BROWSER).header("Accept-Language", "de").get(path)
                .then().statusCode(410).body(containsString("Dieser Link ist nicht verfügbar"))
                .body(org.hamcrest.Matchers.not(containsString("Load for tests")));
        assertEquals(1, entries(id, ShipmentEvent.TRACKING_LINK_EXPIRED));
    }

    @Test
    void manyDueShipmentsGoInBatchesAndEachIsDoneOnce() throws Exception {
        long template = fixtures.shipment(tenant.id());
        int count = ShipmentRetention.BATCH * 2 + 7;
        List<Long> ids = copies(template, count, Instant.parse("2026-05-01T12:00:00Z"));
        clock.set(Instant.parse("2026-06-01T09:00:00Z"));
        ShipmentRetention.Run run = retention.runOnce();
        // other tests' shipments may be due too: at least ours, and ours all marked
        assertTrue(run.imageShipments() >= count, run.toString());
        assertTrue(run.positionShipments() >= count, run.toString());
        try (Connection db = dataSource.getConnection(); PreparedStatement q = db.prepareStatement(
                "select count(*) from shipment where organization_id = ? and images_removed_at is not null")) {
            q.setLong(1, tenant.id());
            try (ResultSet r = q.executeQuery()) {
                r.next();
                assertEquals(count, r.getLong(1));
            }
        }
        assertEquals(0, retention.runOnce().imageShipments(), "a second run finds nothing left to do");
        assertEquals(count, ids.size());
    }

    /** {@code n} copies of a shipment's row (new ids, references), delivered at {@code deliveredAt}; their ids. */
    private List<Long> copies(long template, int n, Instant deliveredAt) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Connection db = dataSource.getConnection()) {
            db.setAutoCommit(false);
            List<String> columns = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            try (Statement s = db.createStatement();
                    ResultSet r = s.executeQuery("select * from shipment where id = " + template)) {
                r.next();
                ResultSetMetaData m = r.getMetaData();
                for (int i = 1; i <= m.getColumnCount(); i++) {
                    columns.add(m.getColumnName(i).toLowerCase());
                    values.add(r.getObject(i));
                }
            }
            long base = 900_000_000L + (template % 1000) * 10_000;
            String sql = "insert into shipment (" + String.join(", ", columns) + ") values ("
                    + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
            try (PreparedStatement insert = db.prepareStatement(sql)) {
                for (int k = 0; k < n; k++) {
                    long id = base + k;
                    for (int i = 0; i < columns.size(); i++) {
                        Object v = switch (columns.get(i)) {
                        case "id" -> id;
                        case "reference", "live_reference" -> "RET-" + id;
                        case "reference_key" -> "ret-" + id;
                        case "delivered_at" -> java.sql.Timestamp.from(deliveredAt);
                        default -> values.get(i);
                        };
                        insert.setObject(i + 1, v);
                    }
                    insert.addBatch();
                    ids.add(id);
                }
                insert.executeBatch();
            }
            db.commit();
        }
        return ids;
    }

    @Test
    void adminsSetTheDaysOnTheirPageWithClearErrorsAndEmptyKeeps() {
        CookieFilter admin = StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        given().filter(admin).get("/app/admin").then().statusCode(200).body(containsString("Data retention"))
                .body(containsString("name=\"imageDays\" value=\"10\""));
        StaffClient
                .postForm(admin, "/app/admin", "/app/admin/retention", "linkDays", "0", "imageDays", "ten",
                        "positionDays", "4000")
                .statusCode(422).body(containsString("Tracking and driver links end after delivery"))
                .body(containsString("must be whole days from 1 to 3650"))
                .body(containsString("must be a whole number of days, or empty to keep"));
        assertEquals(new RetentionPolicy.View(30, 10, 11), policy.view(tenant.id()), "nothing saved");
        StaffClient.postForm(admin, "/app/admin", "/app/admin/retention", "linkDays", "14", "imageDays", "",
                "positionDays", "7").statusCode(303);
        assertEquals(new RetentionPolicy.View(14, null, 7), policy.view(tenant.id()));
        try {
            policy.set(tenant.id(), null, 1, 1);
        } catch (ValidationException expected) {
            assertEquals("linkDays", expected.errors().get(0).field());
        }
    }
}
