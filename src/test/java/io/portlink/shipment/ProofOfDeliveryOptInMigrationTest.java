package io.portlink.shipment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.testing.MigrationSchema;

/**
 * V35 on a fresh schema of the suite's database: the proof of delivery on the customer's page becomes opt-in. Every
 * organisation's setting from before is off (the feature was new, nobody had chosen it), and a settings row written
 * without it is off.
 */
class ProofOfDeliveryOptInMigrationTest {

    private MigrationSchema schema;

    @BeforeEach
    void freshSchema() {
        schema = new MigrationSchema("pod-opt-in");
    }

    @AfterEach
    void dropSchema() throws SQLException {
        schema.close();
    }

    private static void organization(Statement s, int id) throws SQLException {
        s.execute("insert into organization (id, name, country, time_zone, status, created_at, language) values (" + id
                + ", 'Org " + id + "', 'DE', 'Europe/Berlin', 'ACTIVE', current_timestamp, 'de')");
        s.execute("insert into shipment_pipeline (id, organization_id, name, created_at) values (" + id + ", " + id
                + ", 'Freight', current_timestamp)");
    }

    @Test
    void everyOrganisationStartsWithTheProofHiddenAndNewRowsToo() throws Exception {
        schema.flyway(MigrationSchema.lastBefore("35")).migrate();
        try (Connection db = schema.connect(); Statement s = db.createStatement()) {
            organization(s, 1);
            organization(s, 2);
            // one row as V29 defaulted it, one as an admin saved it
            s.execute("insert into shipment_settings (organization_id, pipeline_id) values (1, 1)");
            s.execute("insert into shipment_settings (organization_id, pipeline_id, show_proof_of_delivery)"
                    + " values (2, 2, true)");
        }
        schema.flyway("35").migrate();
        try (Connection db = schema.connect(); Statement s = db.createStatement()) {
            organization(s, 3);
            s.execute("insert into shipment_settings (organization_id, pipeline_id) values (3, 3)");
            List<Boolean> shown = new ArrayList<>();
            try (ResultSet rs = s
                    .executeQuery("select show_proof_of_delivery from shipment_settings order by organization_id")) {
                while (rs.next()) {
                    shown.add(rs.getBoolean(1));
                }
            }
            assertEquals(List.of(false, false, false), shown);
        }
    }
}
