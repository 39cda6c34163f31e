package io.portlink.shipment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.portlink.testing.Databases;
import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;

/**
 * With 100,000 delivered shipments in one organisation on PostgreSQL, 95 % of them already done by the retention job,
 * its due query reads the partial index of the shipments still to do (V68), never the whole table. Asserts plans, not
 * timings (the buffers read are logged).
 */
@QuarkusTest
class ShipmentRetentionPlanTest {

    private static final Logger LOG = Logger.getLogger(ShipmentRetentionPlanTest.class);

    static final int SHIPMENTS = 100_000;

    @Inject
    Fixtures fixtures;

    @Inject
    DataSource dataSource;

    @Test
    void theDueQueryUsesThePartialIndexWith100000DeliveredShipments() throws Exception {
        Databases.assumePostgres(dataSource, "query plans are checked on PostgreSQL, the production database");
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        long template = fixtures.shipment(tenant.id());
        try (Connection c = dataSource.getConnection()) {
            Databases.cloneRows(c, "shipment", template, SHIPMENTS, java.util.Map.of( //
                    "id", "nextval('shipment_seq')", //
                    "reference", "'RS-' || i || '-" + template + "'", //
                    "live_reference", "'RS-' || i || '-" + template + "'", //
                    "reference_key", "'rs-' || i || '-" + template + "'",
                    // two years of deliveries, one every ~10 minutes; all but every 20th done long ago
                    "delivered_at", "timestamptz '2024-06-01 00:00:00+00' + i * interval '10 minutes'",
                    "images_removed_at", "case when i % 20 <> 0 then now() end", //
                    "positions_removed_at", "case when i % 20 <> 0 then now() end"));
        }
        for (ShipmentRetention.Kind kind : ShipmentRetention.Kind.values()) {
            String plan = explain(ShipmentRetention.dueSql(kind), tenant.id());
            assertFalse(plan.contains("Seq Scan on shipment"), kind + " reads the whole table:\n" + plan);
            assertTrue(plan.contains("shipment_" + kind.name().toLowerCase() + "_retention_ix"),
                    kind + " does not use its partial index:\n" + plan);
            LOG.infof("retention due query (%s), 100,000 shipments:%n%s", kind, plan);
        }
    }

    private String explain(String sql, long organizationId) throws Exception {
        // ?1 organisation, ?2 cutoff, ?3 ?3 ?4: the keyset start
        OffsetDateTime start = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        return Databases.explain(dataSource, sql + " limit 500", organizationId,
                OffsetDateTime.of(2026, 6, 1, 0, 0, 0, 0, ZoneOffset.UTC), start, start, 0L);
    }
}
