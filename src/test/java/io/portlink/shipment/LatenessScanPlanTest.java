package io.portlink.shipment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.portlink.testing.Databases;
import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;

/**
 * With 50,000 open shipments on PostgreSQL, each with its delivery stop, the lateness scan's batch reads the range of
 * its index (V78) that holds the shipments past their window, never the shipments' or the stops' tables whole (it used
 * to read every stop at each run once many shipments were open). Asserts plans, not timings (the plan is logged).
 */
@QuarkusTest
class LatenessScanPlanTest {

    private static final Logger LOG = Logger.getLogger(LatenessScanPlanTest.class);

    static final int SHIPMENTS = 50_000;

    /** Far beyond the tests' clock: no other test's scan ever finds these shipments past their window. */
    static final OffsetDateTime FIRST_DUE = OffsetDateTime.of(2030, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    @Inject
    Fixtures fixtures;

    @Inject
    DataSource dataSource;

    @Test
    void aBatchReadsOnlyTheIndexRangeOfShipmentsPastTheirWindow() throws Exception {
        Databases.assumePostgres(dataSource, "query plans are checked on PostgreSQL, the production database");
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        long template = fixtures.shipment(tenant.id());
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            List<String> columns = new ArrayList<>();
            try (ResultSet r = s.executeQuery("select * from shipment where id = " + template)) {
                ResultSetMetaData m = r.getMetaData();
                for (int i = 1; i <= m.getColumnCount(); i++) {
                    columns.add(m.getColumnName(i).toLowerCase());
                }
            }
            List<String> values = columns.stream().map(col -> switch (col) {
            case "id" -> "nextval('shipment_seq')";
            case "reference", "live_reference" -> "'LS-' || i || '-" + template + "'";
            case "reference_key" -> "'ls-' || i || '-" + template + "'";
            // open, one window ending every minute from 2030 on
            case "delivered_at", "deleted_at" -> "null";
            case "late_level" -> "0";
            case "delivery_due_at" -> "timestamptz '2030-01-01 00:00:00+00' + i * interval '1 minute'";
            default -> "t." + col;
            }).toList();
            s.execute("insert into shipment (" + String.join(", ", columns) + ") select " + String.join(", ", values)
                    + " from shipment t, generate_series(1, " + SHIPMENTS + ") i where t.id = " + template);
            s.execute("insert into shipment_stop (id, shipment_id, position, kind, zone, window_to)"
                    + " select nextval('shipment_stop_seq'), s.id, 1, 'DELIVERY', 'UTC', s.delivery_due_at"
                    + " from shipment s where s.reference like 'LS-%-" + template + "'");
            s.execute("analyze shipment");
            s.execute("analyze shipment_stop");
        }
        // 500 shipments past their window (the first 500 minutes), one batch of them from the start and from a middle
        OffsetDateTime now = FIRST_DUE.plusMinutes(500);
        for (OffsetDateTime after : List.of(OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                FIRST_DUE.plusMinutes(250))) {
            String plan = explain(now, after);
            assertTrue(plan.contains("shipment_lateness_due_ix"), "the scan does not use its index:\n" + plan);
            assertFalse(plan.contains("Seq Scan"), "the scan reads a whole table:\n" + plan);
            assertFalse(plan.contains("shipment_stop"), "the scan reads the stops:\n" + plan);
            assertTrue(plan.contains("rows=100 "), "one batch of 100:\n" + plan);
            LOG.infof("lateness scan batch, %d open shipments:%n%s", SHIPMENTS, plan);
        }
    }

    private String explain(OffsetDateTime now, OffsetDateTime after) throws Exception {
        String sql = LatenessScan.CANDIDATES_SQL.replaceAll("\\?[0-9]", "?");
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(
                "explain (analyze, buffers) " + sql + " fetch first " + LatenessScan.BATCH + " rows only")) {
            // ?1 now, ?2 ?2 ?3: the keyset start
            p.setObject(1, now);
            p.setObject(2, after);
            p.setObject(3, after);
            p.setLong(4, 0);
            StringBuilder plan = new StringBuilder();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    plan.append(r.getString(1)).append('\n');
                }
            }
            return plan.toString();
        }
    }
}
