package io.portlink.shipment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.testing.MigrationSchema;

/**
 * V34 on a fresh schema of the suite's database: a deleted shipment's driver links are revoked, of two active driver
 * links of one shipment the newest stays, tracking links are left alone, and then the database refuses a second active
 * driver link (PostgreSQL).
 */
class DriverLinkMigrationTest {

    private MigrationSchema schema;

    @BeforeEach
    void freshSchema() {
        schema = new MigrationSchema("driver-links");
    }

    @AfterEach
    void dropSchema() throws SQLException {
        schema.close();
    }

    private static void link(Statement s, long id, String scope, long shipment) throws SQLException {
        s.execute("insert into access_link (id, organization_id, scope, shipment_id, token_hash, token_hint,"
                + " created_at, open_count, bot_open_count) values (" + id + ", 1, '" + scope + "', " + shipment
                + ", 'h" + id + "', 'x', current_timestamp, 0, 0)");
    }

    @Test
    void deletedShipmentsLoseTheirDriverLinksAndOnlyTheNewestActiveOneStays() throws Exception {
        // H2 refuses rows in access_link of a schema Flyway built on a connection it has closed ("check constraint
        // invalid", the database closed): the data step runs on PostgreSQL; H2's index is proven by LinkScopesTest
        org.junit.jupiter.api.Assumptions.assumeTrue(schema.postgres(), "access_link rows in a fresh Flyway schema");
        schema.flyway("33.1").migrate();
        try (Connection db = schema.connect(); Statement s = db.createStatement()) {
            s.execute("insert into organization (id, name, country, time_zone, status, created_at, language)"
                    + " values (1, 'Org', 'DE', 'Europe/Berlin', 'ACTIVE', current_timestamp, 'de')");
            s.execute("insert into shipment_pipeline (id, organization_id, name, created_at)"
                    + " values (1, 1, 'Freight', current_timestamp)");
            s.execute("insert into shipment_stage (id, pipeline_id, position, name, milestone)"
                    + " values (1, 1, 0, 'Booked', 'BOOKED')");
            for (int id = 1; id <= 2; id++) {
                s.execute("insert into shipment (id, organization_id, reference, live_reference, reference_key, title,"
                        + " pipeline_id, stage_id, stage_changed_at, created_at, updated_at, version, deleted_at)"
                        + " values (" + id + ", 1, 'S-" + id + "', " + (id == 1 ? "'S-1'" : "null") + ", 's-" + id
                        + "', 'Load', 1, 1, current_timestamp, current_timestamp, current_timestamp, 0, "
                        + (id == 2 ? "current_timestamp" : "null") + ")");
            }
            link(s, 10, "DRIVER", 1);
            link(s, 11, "DRIVER", 1);
            link(s, 12, "CUSTOMER_SHIPMENT", 1);
            link(s, 20, "DRIVER", 2);
        }
        schema.flyway("34").migrate();
        try (Connection db = schema.connect(); Statement s = db.createStatement()) {
            Map<Long, Boolean> active = new LinkedHashMap<>();
            try (ResultSet rs = s.executeQuery("select id, revoked_at is null from access_link order by id")) {
                while (rs.next()) {
                    active.put(rs.getLong(1), rs.getBoolean(2));
                }
            }
            assertEquals(Map.of(10L, false, 11L, true, 12L, true, 20L, false), active);
            assertThrows(SQLException.class, () -> link(s, 13, "DRIVER", 1), "a second active driver link");
        }
    }
}
