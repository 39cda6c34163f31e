package io.portlink.shipment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.testing.MigrationSchema;

/**
 * V78 on a fresh schema of the suite's database (H2 and PostgreSQL): an open shipment gets its delivery stop's window
 * end as {@code delivery_due_at}; a shipment without a window, a delivered one and a deleted one get none (neither can
 * be late again), and a pickup's window is never taken for the delivery's.
 */
class DeliveryDueMigrationTest {

    static final Instant DUE = Instant.parse("2026-03-02T16:00:00Z");

    private MigrationSchema schema;

    @BeforeEach
    void freshSchema() {
        schema = new MigrationSchema("delivery-due");
    }

    @AfterEach
    void dropSchema() throws SQLException {
        schema.close();
    }

    private static void shipment(Statement s, long id, String delivered, String deleted) throws SQLException {
        s.execute("insert into shipment (id, organization_id, reference, live_reference, reference_key, title,"
                + " pipeline_id, stage_id, stage_changed_at, created_at, updated_at, version, delivered_at, deleted_at)"
                + " values (" + id + ", 1, 'S-" + id + "', " + (deleted == null ? "'S-" + id + "'" : "null") + ", 's-"
                + id + "', 'Load', 1, 1, current_timestamp, current_timestamp, current_timestamp, 0, " + delivered
                + ", " + deleted + ")");
    }

    private static void stop(Statement s, long id, long shipment, int position, String kind, String windowTo)
            throws SQLException {
        s.execute("insert into shipment_stop (id, shipment_id, position, kind, zone, window_to) values (" + id + ", "
                + shipment + ", " + position + ", '" + kind + "', 'UTC', " + windowTo + ")");
    }

    @Test
    void openShipmentsGetTheirDeliveryWindowsEnd() throws Exception {
        schema.flyway(MigrationSchema.lastBefore("78")).migrate();
        String due = "timestamp with time zone '2026-03-02 16:00:00+00'";
        String earlier = "timestamp with time zone '2026-03-01 08:00:00+00'";
        try (Connection db = schema.connect(); Statement s = db.createStatement()) {
            s.execute("insert into organization (id, name, country, time_zone, status, created_at, language)"
                    + " values (1, 'Org', 'DE', 'Europe/Berlin', 'ACTIVE', current_timestamp, 'de')");
            s.execute("insert into shipment_pipeline (id, organization_id, name, created_at)"
                    + " values (1, 1, 'Freight', current_timestamp)");
            s.execute("insert into shipment_stage (id, pipeline_id, position, name, milestone)"
                    + " values (1, 1, 0, 'Booked', 'BOOKED')");
            shipment(s, 1, "null", "null"); // open, a pickup window and a delivery window
            stop(s, 10, 1, 0, "PICKUP", earlier);
            stop(s, 11, 1, 1, "DELIVERY", due);
            shipment(s, 2, "null", "null"); // open, its delivery stop without a window end
            stop(s, 20, 2, 0, "PICKUP", earlier);
            stop(s, 21, 2, 1, "DELIVERY", "null");
            shipment(s, 3, "current_timestamp", "null"); // delivered
            stop(s, 31, 3, 1, "DELIVERY", due);
            shipment(s, 4, "null", "current_timestamp"); // deleted
            stop(s, 41, 4, 1, "DELIVERY", due);
            shipment(s, 5, "null", "null"); // open, no stops at all
        }
        schema.flyway("78").migrate();
        Map<Long, Instant> dues = new HashMap<>();
        try (Connection db = schema.connect(); Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("select id, delivery_due_at from shipment order by id")) {
            while (rs.next()) {
                java.time.OffsetDateTime at = rs.getObject(2, java.time.OffsetDateTime.class);
                dues.put(rs.getLong(1), at == null ? null : at.toInstant());
            }
        }
        Map<Long, Instant> expected = new HashMap<>();
        expected.put(1L, DUE);
        expected.put(2L, null);
        expected.put(3L, null);
        expected.put(4L, null);
        expected.put(5L, null);
        assertEquals(expected, dues);
    }
}
