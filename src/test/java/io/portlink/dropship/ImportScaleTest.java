package io.portlink.dropship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.portlink.platform.Convention;
import io.portlink.platform.PortlinkConfig;
import io.portlink.testing.Fixtures;
import io.portlink.testing.SqlStatements;
import io.portlink.testing.TestClock;
import io.portlink.timeline.Actor;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The supplier's shipments file and the merchant's sales-order file cost a few statements per batch of rows, not some
 * per row: a file ten times longer may add statements for its extra batches (sequences, JDBC batches, IN queries of
 * 500), never one per row. Counted, not timed, so a slow machine cannot make it pass or fail.
 */
@QuarkusTest
class ImportScaleTest {

    private static final Logger LOG = Logger.getLogger(ImportScaleTest.class);

    @Inject
    SupplierFixtures fx;

    @Inject
    Fixtures fixtures;

    @Inject
    ShippingImport shipping;

    @Inject
    SalesOrders salesOrders;

    @Inject
    PortlinkConfig config;

    @Inject
    TestClock clock;

    private static final Actor SUPPLIER = Actor.api();
    private static final io.portlink.platform.Convention GB = io.portlink.platform.Convention.of("GB", null);

    @Test
    void aShipmentsFileAndTheSameFileAgainCostStatementsPerBatchNotPerRow() {
        int[] small = shipEach(50);
        int[] large = shipEach(500);
        // one statement per row would add at least 450; every batch of rows adds a handful
        assertTrue(large[0] - small[0] < 150, "import: 50 rows " + small[0] + " statements, 500 rows " + large[0]);
        assertTrue(large[1] - small[1] < 20, "again: 50 rows " + small[1] + " statements, 500 rows " + large[1]);
    }

    @Test
    void theSameSalesOrdersFileAgainIsComparedInBatches() {
        int small = reimportOrders(50);
        int large = reimportOrders(500);
        assertTrue(large - small < 20, "50 orders " + small + " statements, 500 orders " + large);
    }

    /**
     * Times files of the sizes in {@code -Dimport.scale=1000,3000,10000} (shipments, then sales orders imported and
     * imported again); skipped without it.
     */
    @Test
    void timesForTheReadme() {
        String sizes = System.getProperty("import.scale");
        Assumptions.assumeTrue(sizes != null && !sizes.isBlank(), "-Dimport.scale=1000,3000 times the imports");
        for (String size : sizes.split(",")) {
            int n = Integer.parseInt(size.strip());
            var pair = fx.pair(false, false);
            String csv = shipmentsCsv(fx.standard(pair, n));
            long t0 = System.nanoTime();
            var report = shipping.importAll(pair.supplier().id(), stream(csv), GB, SUPPLIER);
            long t1 = System.nanoTime();
            shipping.importAll(pair.supplier().id(), stream(csv), GB, SUPPLIER);
            long t2 = System.nanoTime();
            assertEquals(n, report.shipped());
            var merchant = fixtures.tenant("GB");
            String orders = salesOrdersCsv(n);
            long t3 = System.nanoTime();
            salesOrders.importAll(merchant.id(), drafts(orders), Actor.api());
            long t4 = System.nanoTime();
            var again = salesOrders.importAll(merchant.id(), drafts(orders), Actor.api());
            long t5 = System.nanoTime();
            assertEquals(n, again.unchanged());
            LOG.infof("import scale %d rows: shipments %d ms, again %d ms; sales orders %d ms, again %d ms", n,
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t4 - t3) / 1_000_000, (t5 - t4) / 1_000_000);
        }
    }

    /** Statements of a file shipping {@code n} dropshipments, then of the same file again; checks what they did. */
    private int[] shipEach(int n) {
        var pair = fx.pair(false, false);
        List<SupplierFixtures.Made> made = fx.standard(pair, n);
        String csv = shipmentsCsv(made);
        var first = SqlStatements.count(() -> shipping.importAll(pair.supplier().id(), stream(csv), GB, SUPPLIER));
        assertEquals(n, first.result().shipped());
        var again = SqlStatements.count(() -> shipping.importAll(pair.supplier().id(), stream(csv), GB, SUPPLIER));
        assertEquals(0, again.result().shipped());
        assertEquals(n, again.result().unchanged());
        SupplierFixtures.Made last = made.get(n - 1);
        assertEquals(Dropshipment.Status.PARTIALLY_SHIPPED, fx.reload(last.id()).status);
        assertEquals(List.of(3, 1), fx.salesOrderShipped(last.salesOrderId()));
        assertEquals(1, fx.shipments(last.id()));
        return new int[] { first.statements(), again.statements() };
    }

    /** Statements of importing again an unchanged file of {@code n} sales orders (two lines each). */
    private int reimportOrders(int n) {
        var merchant = fixtures.tenant("GB");
        String csv = salesOrdersCsv(n);
        assertEquals(n, salesOrders.importAll(merchant.id(), drafts(csv), Actor.api()).created());
        var again = SqlStatements.count(() -> salesOrders.importAll(merchant.id(), drafts(csv), Actor.api()));
        assertEquals(0, again.result().created());
        assertEquals(n, again.result().unchanged());
        return again.statements();
    }

    /** Each dropshipment: all of its first line, and one of the two units of its second (two rows of a shipment). */
    private String shipmentsCsv(List<SupplierFixtures.Made> made) {
        String day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
        StringBuilder csv = new StringBuilder(String.join(",", ShippingImport.COLUMNS)).append('\n');
        for (var m : made) {
            csv.append(m.reference()).append(",DHL,JD-").append(m.id()).append(',').append(day).append(",,SUP-RED,,\n");
            csv.append(m.reference()).append(",DHL,JD-").append(m.id()).append(',').append(day)
                    .append(",,SUP-BLUE,1,\n");
        }
        return csv.toString();
    }

    private static String salesOrdersCsv(int n) {
        StringBuilder csv = new StringBuilder(String.join(",", SalesOrderCsv.COLUMNS)).append('\n');
        for (int i = 1; i <= n; i++) {
            String ref = "SO-SCALE-" + i;
            csv.append(ref).append(",Cara Customer,,\"1 High Street, London\",,Ground,,RED,Red widget,2,19.99\n");
            csv.append(ref).append(",,,,,,,BLUE,Blue widget,1,\n");
        }
        return csv.toString();
    }

    private List<SalesOrderDraft> drafts(String csv) {
        return SalesOrderCsv.parse(stream(csv), config.importLimits(), Convention.of("GB", null));
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
