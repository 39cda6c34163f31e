package io.portlink.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import db.migration.V14_1__merge_duplicate_vendors;
import db.migration.V20_1__timeline_entry_sequence;
import io.portlink.testing.Fixtures;
import io.portlink.testing.MigrationSchema;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The shared timeline: one entry shape for purchase orders and shipments, customer-visible or internal; and the
 * migration that turned the order timeline into it.
 */
@QuarkusTest
class TimelineTest {

    enum Kind {
        CREATED, STAGE, NOTE
    }

    @Inject
    Timeline timeline;

    @Inject
    Fixtures fixtures;

    @Inject
    EntityManager em;

    @Test
    void aCustomerReadsOnlyCustomerVisibleEntriesOfItsOwnSubjectNewestFirst() {
        long org = fixtures.tenant("GB").id();
        long other = fixtures.tenant("GB").id();
        long shipmentId = fixtures.shipment(org);
        Subject shipment = Subject.shipment(org, shipmentId);
        int before = timeline.latest(shipment, false, 100).size(); // what creating the shipment wrote
        QuarkusTransaction.requiringNew().run(() -> {
            timeline.record(shipment, Actor.staff(1, "clerk@example.com"), Kind.CREATED, "booked", Visibility.CUSTOMER);
            timeline.record(shipment, Actor.staff(1, "clerk@example.com"), Kind.NOTE, "margin 12 %",
                    Visibility.INTERNAL);
            timeline.record(shipment, Actor.system(), Kind.STAGE, "In transit", Visibility.CUSTOMER);
            // the same shipment id under another organisation is another subject
            timeline.record(Subject.shipment(other, shipmentId), Actor.system(), Kind.NOTE, "not ours",
                    Visibility.CUSTOMER);
        });

        List<Timeline.Entry> customer = timeline.latest(shipment, true, 2);
        assertEquals(List.of("In transit", "booked"), customer.stream().map(Timeline.Entry::detail).toList());
        assertEquals(List.of("STAGE", "CREATED"), customer.stream().map(Timeline.Entry::kind).toList());
        assertTrue(timeline.latest(shipment, true, 100).stream().noneMatch(
                e -> e.visibility() != Visibility.CUSTOMER || e.detail() != null && e.detail().contains("not ours")));

        List<Timeline.Entry> staff = timeline.latest(shipment, false, 100);
        assertEquals(before + 3, staff.size());
        assertTrue(staff.stream().anyMatch(e -> e.visibility() == Visibility.INTERNAL
                && e.detail().equals("margin 12 %") && e.actorType() == Actor.Type.STAFF));
        assertEquals(1, timeline.latest(shipment, false, 1).size(), "the page size is kept");
    }

    @Test
    void anEntryBelongsToExactlyOneSubject() {
        assertThrows(IllegalArgumentException.class, () -> new Subject(1, 2L, 3L, null, null));
        assertThrows(IllegalArgumentException.class, () -> new Subject(1, null, null, 4L, 5L));
        assertThrows(IllegalArgumentException.class, () -> new Subject(1, null, null, null, null));
        long org = fixtures.tenant("GB").id();
        // the database holds the same rule, whatever code writes the row
        for (String subject : List.of("null, null, null, null", "1, 2, null, null", "null, null, 3, 4")) {
            assertThrows(Exception.class, () -> QuarkusTransaction.requiringNew()
                    .run(() -> em.createNativeQuery("insert into timeline_entry (id, organization_id,"
                            + " purchase_order_id, shipment_id, sales_order_id, dropshipment_id, at, actor_type, actor_label, kind, visibility)"
                            + " values (-1, " + org + ", " + subject + ", current_timestamp, 'SYSTEM', 'x', 'X',"
                            + " 'INTERNAL')").executeUpdate()),
                    subject);
        }
    }

    @Test
    void theOrderTimelineMovesIntoTheSharedOneWithItsOrganisationAndActors() throws Exception {
        try (MigrationSchema schema = new MigrationSchema("timeline")) {
            schema.flyway(MigrationSchema.lastBefore("20"), new V14_1__merge_duplicate_vendors()).migrate();
            try (Connection db = schema.connect(); Statement s = db.createStatement()) {
                var at = OffsetDateTime.of(2026, 3, 1, 9, 0, 0, 0, ZoneOffset.UTC);
                s.execute("insert into organization (id, name, country, time_zone, status, created_at, language)"
                        + " values (7, 'Org', 'GB', 'Europe/London', 'ACTIVE', '" + at + "', 'en')");
                s.execute("insert into vendor (id, organization_id, name, email, created_at, match_key, name_key)"
                        + " values (70, 7, 'V', 'v@example.com', '" + at + "', 'v@example.com', 'v')");
                s.execute("insert into purchase_order (id, organization_id, vendor_id, reference, status,"
                        + " content_hash, created_at, updated_at, version)"
                        + " values (700, 7, 70, 'PO-1', 'NOTIFIED', 'x', '" + at + "', '" + at + "', 0)");
                String[][] rows = { { "101", "API", "IMPORTED" }, { "102", "VENDOR_LINK", "CONFIRMED" },
                        { "103", "STAFF", "NOTE" } };
                for (String[] row : rows) {
                    s.execute("insert into order_event (id, order_id, at, actor_type, actor_id, actor_label, type,"
                            + " detail) values (" + row[0] + ", 700, '" + at + "', '" + row[1] + "', null, 'who', '"
                            + row[2] + "', 'd')");
                }
            }
            schema.flyway("20.1", new V14_1__merge_duplicate_vendors(), new V20_1__timeline_entry_sequence()).migrate();
            try (Connection db = schema.connect(); Statement s = db.createStatement()) {
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("select id, organization_id, purchase_order_id, shipment_id,"
                        + " actor_type, kind, visibility from timeline_entry order by id")) {
                    while (rs.next()) {
                        rows.add(rs.getLong(1) + " " + rs.getLong(2) + " " + rs.getLong(3) + " " + rs.getObject(4) + " "
                                + rs.getString(5) + " " + rs.getString(6) + " " + rs.getString(7));
                    }
                }
                assertEquals(List.of("101 7 700 null API_KEY IMPORTED INTERNAL",
                        "102 7 700 null LINK CONFIRMED INTERNAL", "103 7 700 null STAFF NOTE INTERNAL"), rows);
                // new entries never take an id already given out
                try (ResultSet rs = s.executeQuery(schema.postgres() ? "select nextval('timeline_entry_seq')"
                        : "select next value for timeline_entry_seq")) {
                    rs.next();
                    assertTrue(rs.getLong(1) - 49 > 103, "next id block starts above the existing entries");
                }
                assertThrows(SQLException.class, () -> s.executeQuery("select count(*) from order_event"));
            }
        }
    }
}
