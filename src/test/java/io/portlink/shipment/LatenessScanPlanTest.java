package io.portlink.shipment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
            Databases.cloneRows(c, "shipment", template, SHIPMENTS, java.util.Map.of( //
                    "id", "nextval('shipment_seq')", //
                    "reference", "'LS-' || i || '-" + template + "'", //
                    "live_reference", "'LS-' || i || '-" + template + "'", //
                    "reference_key", "'ls-' || i || '-" + template + "'",
                    // open, one window ending every minute from 2030 on
                    "delivered_at", "null", "deleted_at", "null", "late_level", "0", //
                    "delivery_due_at", "timestamptz '2030-01-01 00:00:00+00' + i * interval '1 minute'"));
            s.execute("insert into shipment_stop (id, shipment_id, position, kind, zone, window_to)"
                    + " select nextval('shipment_stop_seq'), s.id, 1, 'DELIVERY', 'UTC', s.delivery_due_at"
                    + " from shipment s where s.reference like 'LS-%-" + template + "'");
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
        // ?1 now, ?2 ?2 ?3: the keyset start
        return Databases.explain(dataSource,
                LatenessScan.CANDIDATES_SQL + " fetch first " + LatenessScan.BATCH + " rows only", now, after, after,
                0L);
    }
}
