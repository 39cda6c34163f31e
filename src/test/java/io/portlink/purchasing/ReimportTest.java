package io.portlink.purchasing;

import static io.portlink.testing.Fixtures.uniqueReference;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.platform.Convention;
import io.portlink.platform.PortlinkConfig;
import io.portlink.testing.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * The same order imported again is unchanged however its vendor's name is spelled (composed or decomposed accents,
 * capitals), and orders stored with the hash of before (raw vendor name) stay unchanged on a re-import too.
 */
@QuarkusTest
class ReimportTest {

    static final String COMPOSED = "Caf\u00e9 Supplies";
    static final String DECOMPOSED = "Cafe\u0301 Supplies";

    @Inject
    Fixtures fixtures;

    @Inject
    PortlinkConfig config;

    static String csv(String reference, String vendor, String email, String quantity) {
        return "reference,vendor_name,vendor_email,sku,quantity\n" + reference + "," + vendor + "," + email + ",S1,"
                + quantity + "\n";
    }

    static ValidatableResponse importCsv(Fixtures.Tenant tenant, String csv) {
        return given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv; charset=UTF-8")
                .body(csv.getBytes(StandardCharsets.UTF_8)).post("/api/v1/purchase-orders/import").then();
    }

    @Test
    void theVendorsSpellingDoesNotMakeAnotherOrder() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        for (String email : new String[] { "", "orders@cafe.example" }) {
            String ref = uniqueReference();
            importCsv(tenant, csv(ref, COMPOSED, email, "2")).statusCode(200).body("created", equalTo(1));
            for (String spelling : List.of(DECOMPOSED, "CAF\u00c9 SUPPLIES", "caf\u00e9  supplies", COMPOSED)) {
                importCsv(tenant, csv(ref, spelling, email, "2")).statusCode(200).body("created", equalTo(0))
                        .body("unchanged", equalTo(1));
            }
            importCsv(tenant, csv(ref, DECOMPOSED, email, "3")).statusCode(422).body("errors[0].message",
                    startsWith("order " + ref + " already exists with different content"));
        }
    }

    @Test
    void anOrderStoredWithTheOldHashIsStillUnchanged() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String ref = uniqueReference();
        String csv = csv(ref, COMPOSED, "orders@cafe.example", "2");
        importCsv(tenant, csv).statusCode(200).body("created", equalTo(1));
        // as an order imported before this change was stored
        String legacy = OrderCsv.parse(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                config.importLimits(), Convention.of("GB", null)).get(0).legacyContentHash();
        QuarkusTransaction.requiringNew()
                .run(() -> assertEquals(1, PurchaseOrder.update("contentHash = ?1 where reference = ?2", legacy, ref)));
        importCsv(tenant, csv).statusCode(200).body("unchanged", equalTo(1));
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("application/json")
                .body(java.util.Map.of("reference", ref, "vendor",
                        java.util.Map.of("name", COMPOSED, "email", "orders@cafe.example"), "lines",
                        List.of(java.util.Map.of("sku", "S1", "quantity", 2))))
                .post("/api/v1/purchase-orders").then().statusCode(200);
        importCsv(tenant, csv(ref, COMPOSED, "orders@cafe.example", "5")).statusCode(422);
    }

    /** The old hash is exactly what orders were stored with (a value computed before the change). */
    @Test
    void theLegacyHashIsTheOneOrdersWereStoredWith() {
        var draft = new OrderDraft("PO-1",
                new Vendors.Contact(COMPOSED, "Orders@Cafe.example", "+44 20 7946 0000", "fr"), "1 High St",
                LocalDate.of(2026, 12, 20), List.of(new OrderDraft.Line("S1", "Beans", new BigDecimal("2.500"), "kg",
                        new BigDecimal("3.10"), "GBP")),
                2);
        assertEquals("9a7c5a9a93b3c0b57fb9e57358a89d2acbf335a29984fb37767e104a542cdf0e", draft.legacyContentHash());
        assertNotEquals(draft.legacyContentHash(), draft.contentHash());
        assertTrue(draft.sameContent(draft.legacyContentHash()) && draft.sameContent(draft.contentHash()));
    }
}
