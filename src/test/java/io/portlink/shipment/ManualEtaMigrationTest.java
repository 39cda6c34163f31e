package io.portlink.shipment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.testing.MigrationSchema;

/**
 * V33_1 on a fresh schema of the suite's database: a date staff set before the ETA model becomes the manual ETA at the
 * end of that day in the organisation's zone (planned too); a shipment without a date keeps no ETA.
 */
class ManualEtaMigrationTest {

    private MigrationSchema schema;

    @BeforeEach
    void freshSchema() {
        schema = new MigrationSchema("manual-eta");
    }

    @AfterEach
    void dropSchema() throws SQLException {
        schema.close();
    }

    @Test
    void aDateBecomesTheManualEtaAtTheEndOfThatDayInTheOrganisationsZone() throws Exception {
        schema.flyway(MigrationSchema.lastBefore("33")).migrate();
        try (Connection db = schema.connect(); Statement s = db.createStatement()) {
            s.execute("insert into organization (id, name, country, time_zone, status, created_at, language)"
                    + " values (1, 'Org', 'DE', 'Europe/Berlin', 'ACTIVE', current_timestamp, 'de')");
            s.execute("insert into shipment_pipeline (id, organization_id, name, created_at)"
                    + " values (1, 1, 'Freight', current_timestamp)");
            s.execute("insert into shipment_stage (id, pipeline_id, position, name, milestone)"
                    + " values (1, 1, 0, 'Booked', 'BOOKED')");
            for (int id = 1; id <= 2; id++) {
                s.execute("insert into shipment (id, organization_id, reference, live_reference, reference_key, title,"
                        + " pipeline_id, stage_id, stage_changed_at, created_at, updated_at, version,"
                        + " estimated_arrival) values (" + id + ", 1, 'S-" + id + "', 'S-" + id + "', 's-" + id
                        + "', 'Load', 1, 1, current_timestamp, current_timestamp, current_timestamp, 0, "
                        + (id == 1 ? "date '2026-03-31'" : "null") + ")");
            }
        }
        schema.flyway("33.1").migrate();
        try (Connection db = schema.connect(); Statement s = db.createStatement(); ResultSet rs = s.executeQuery(
                "select id, current_eta, planned_eta, eta_source, eta_date_only" + " from shipment order by id")) {
            rs.next();
            OffsetDateTime expected = LocalDate.of(2026, 3, 31).atTime(23, 59, 59).atZone(ZoneId.of("Europe/Berlin"))
                    .toOffsetDateTime();
            assertEquals(expected.toInstant(), rs.getObject(2, OffsetDateTime.class).toInstant());
            assertEquals(expected.toInstant(), rs.getObject(3, OffsetDateTime.class).toInstant());
            assertEquals("MANUAL", rs.getString(4));
            assertEquals(true, rs.getBoolean(5));
            rs.next();
            assertNull(rs.getObject(2), "no date, no ETA");
            assertNull(rs.getString(4));
        }
    }
}
