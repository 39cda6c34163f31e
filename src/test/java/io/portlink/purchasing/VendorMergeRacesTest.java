package io.portlink.purchasing;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.portlink.platform.ConflictException;
import io.portlink.testing.Databases;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Races;
import io.portlink.timeline.Actor;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Merging vendors while others write, on PostgreSQL with real threads released together: a merge and an import of the
 * same vendors, and two merges of the same vendors, never fail with a database error or a deadlock, and leave every
 * order and link with one existing vendor (a link's vendor is always its order's).
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VendorMergeRacesTest {

    private static final int ROUNDS = 4;

    @Inject
    Fixtures fixtures;

    @Inject
    VendorRecords records;

    @Inject
    DataSource dataSource;

    @Inject
    EntityManager em;

    ExecutorService pool;
    Fixtures.Tenant tenant;

    @BeforeAll
    void start() {
        pool = Executors.newFixedThreadPool(3);
    }

    @AfterAll
    void stop() {
        pool.shutdownNow();
    }

    @BeforeEach
    void postgresOnly() throws Exception {
        Databases.assumePostgres(dataSource,
                "races are run on PostgreSQL, the production database (H2 locks whole tables differently)");
        tenant = fixtures.tenant("GB");
    }

    @Transactional
    long vendorOf(String reference) {
        return PurchaseOrder.findByReference(tenant.id(), reference).orElseThrow().vendor.id;
    }

    /** The vendor's version; null once another thread's merge removed it. */
    @Transactional
    Long version(long vendorId) {
        Vendor vendor = Vendor.findById(vendorId);
        return vendor == null ? null : vendor.version;
    }

    @Transactional
    boolean exists(long vendorId) {
        return Vendor.findById(vendorId) != null;
    }

    /** Links whose vendor is not their order's, in this organisation: none, whatever ran first. */
    @Transactional
    long strayLinks() {
        return ((Number) em
                .createNativeQuery("select count(*) from access_link l join purchase_order o"
                        + " on o.id = l.purchase_order_id where o.organization_id = ?1 and l.vendor_id <> o.vendor_id")
                .setParameter(1, tenant.id()).getSingleResult()).longValue();
    }

    @Transactional
    long orders() {
        return PurchaseOrder.count("organization.id", tenant.id());
    }

    /** A merge as a thread sees it: the vendor kept, or why not. */
    Object merge(long gone, long kept) {
        try {
            // the other merge may have removed one of the two already (before this thread read its version)
            Long goneVersion = version(gone);
            Long keptVersion = version(kept);
            if (goneVersion == null || keptVersion == null) {
                return "not found";
            }
            Optional<VendorRecords.Merged> merged = records.merge(tenant.id(), gone, kept, goneVersion, keptVersion,
                    Actor.system());
            return merged.<Object> map(VendorRecords.Merged::keptId).orElse("not found");
        } catch (ConflictException e) {
            return "conflict";
        }
    }

    @Test
    void aMergeAndAnImportOfTheSameVendorsAtOnceBothSucceed() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String a = uniqueReference();
            String b = uniqueReference();
            String gone = "gone-" + round + "-" + tenant.id() + "@vendor.example";
            String kept = "kept-" + round + "-" + tenant.id() + "@vendor.example";
            createOrderWithLink(tenant.apiKey(), a, gone);
            createOrderWithLink(tenant.apiKey(), b, kept);
            long goneId = vendorOf(a);
            long keptId = vendorOf(b);
            long before = orders();
            String importedGone = uniqueReference();
            String csv = "reference,vendor_name,vendor_email,sku,quantity\n" + importedGone + ",Gone," + gone
                    + ",S1,1\n" + uniqueReference() + ",Kept," + kept + ",S1,1\n" + uniqueReference() + ",New,new-"
                    + round + "-" + tenant.id() + "@vendor.example,S1,1\n";
            List<Object> results = Races.together(pool, () -> merge(goneId, keptId),
                    () -> given().header("Authorization", "Bearer " + tenant.apiKey())
                            .contentType("text/csv; charset=UTF-8").body(csv).post("/api/v1/purchase-orders/import")
                            .statusCode());
            // the merge read the versions before the import may have given the gone vendor a phone: a conflict is
            // then the honest answer; a database error or a deadlock never is
            assertTrue(results.get(0).equals(keptId) || results.get(0).equals("conflict"), "merge: " + results);
            assertEquals(200, results.get(1), "import: " + results);
            assertEquals(before + 3, orders());
            assertEquals(0, strayLinks());
            assertEquals(keptId, vendorOf(b));
            if (results.get(0).equals(keptId)) {
                assertEquals(keptId, vendorOf(a));
                assertTrue(!exists(goneId));
                // before the merge, the order moved with its vendor; after it, the merged address found the vendor kept
                assertEquals(keptId, vendorOf(importedGone), "the import's row for the merged address");
            }
        }
    }

    @Test
    void twoMergesOfTheSameTwoVendorsAtOnceMergeThemOnce() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String a = uniqueReference();
            String b = uniqueReference();
            createOrderWithLink(tenant.apiKey(), a, "one-" + round + "-" + tenant.id() + "@vendor.example");
            createOrderWithLink(tenant.apiKey(), b, "two-" + round + "-" + tenant.id() + "@vendor.example");
            long one = vendorOf(a);
            long two = vendorOf(b);
            List<Object> results = Races.together(pool, () -> merge(one, two), () -> merge(two, one));
            long succeeded = results.stream().filter(r -> r instanceof Long).count();
            assertEquals(1, succeeded, "one merge wins, the other is told: " + results);
            assertTrue(results.contains("conflict") || results.contains("not found"), "" + results);
            long survivor = (Long) results.stream().filter(r -> r instanceof Long).findFirst().orElseThrow();
            assertEquals(survivor, vendorOf(a));
            assertEquals(survivor, vendorOf(b));
            assertEquals(0, strayLinks());
        }
    }

    @Test
    void twoVendorsMergedIntoAThirdAtOnceBothArrive() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String a = uniqueReference();
            String b = uniqueReference();
            String c = uniqueReference();
            createOrderWithLink(tenant.apiKey(), a, "x-" + round + "-" + tenant.id() + "@vendor.example");
            createOrderWithLink(tenant.apiKey(), b, "y-" + round + "-" + tenant.id() + "@vendor.example");
            createOrderWithLink(tenant.apiKey(), c, "z-" + round + "-" + tenant.id() + "@vendor.example");
            long x = vendorOf(a);
            long y = vendorOf(b);
            long z = vendorOf(c);
            // the kept vendor's version moves with the first merge (it takes a contact); the second merge reads it
            // after the first one committed only if it waits: both are retried once, as a clerk would reload
            List<Object> results = Races.together(pool, () -> mergeRetrying(x, z), () -> mergeRetrying(y, z));
            assertEquals(List.of(z, z), results);
            assertEquals(z, vendorOf(a));
            assertEquals(z, vendorOf(b));
            assertEquals(0, strayLinks());
        }
    }

    Object mergeRetrying(long gone, long kept) {
        Object first = merge(gone, kept);
        return "conflict".equals(first) ? merge(gone, kept) : first;
    }
}
