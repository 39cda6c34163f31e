package io.portlink.purchasing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * One vendor is one vendor: names written another way (Unicode form, case, spaces) across imports, CSV or JSON, find
 * the vendor that exists, so its "all my orders" page shows every order.
 */
@QuarkusTest
class VendorMatchingTest {

    static final String HEADER = "reference,vendor_name,vendor_email,sku,quantity\n";

    @Inject
    Fixtures fixtures;

    @Inject
    EntityManager em;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
    }

    /** Imports one single-line order and returns its vendor link path. */
    private String importOrder(String reference, String vendorName, String email) {
        String csv = HEADER + reference + ",\"" + vendorName + "\"," + (email == null ? "" : email) + ",S1,1\n";
        String url = given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv; charset=UTF-8")
                .body(csv).post("/api/v1/purchase-orders/import").then().statusCode(200).extract()
                .path("orders[0].vendorLink.url");
        return url.substring(url.indexOf("/v/"));
    }

    /** The references on a vendor's "all my orders" page, opened from the given link. */
    private static String ordersPage(String link) {
        return given().header("User-Agent", PortalClient.BROWSER).get(link + "/orders").then().statusCode(200).extract()
                .asString();
    }

    private List<String> vendors() {
        return QuarkusTransaction.requiringNew().call(() -> em
                .createQuery("select v.name from Vendor v where v.organization.id = ?1 order by v.id", String.class)
                .setParameter(1, tenant.id()).getResultList());
    }

    @Test
    void composedAndDecomposedAccentAcrossTwoImportsAreOneVendorAndItsPageListsBoth() {
        String first = Fixtures.uniqueReference();
        String second = Fixtures.uniqueReference();
        String link = importOrder(first, "Caf\u00E9 Supplies", null);
        String later = importOrder(second, "Cafe\u0301 Supplies", null);

        assertEquals(List.of("Caf\u00E9 Supplies"), vendors());
        String page = ordersPage(link);
        assertTrue(page.contains(first) && page.contains(second), "the first link's list shows both orders");
        String other = ordersPage(later);
        assertTrue(other.contains(first) && other.contains(second), "and so does the second's");
    }

    @Test
    void capitalsAndSpacesAcrossImportsAreOneVendor() {
        String a = Fixtures.uniqueReference();
        String b = Fixtures.uniqueReference();
        String c = Fixtures.uniqueReference();
        String link = importOrder(a, "ACME PARTS", null);
        importOrder(b, "Acme Parts", null);
        importOrder(c, " Acme\u00A0\u00A0 parts\u200B ", null);

        assertEquals(List.of("ACME PARTS"), vendors(), "the name as first written is kept");
        String page = ordersPage(link);
        assertTrue(page.contains(a) && page.contains(b) && page.contains(c), page);
    }

    @Test
    void aNewVendorIsStoredComposed() {
        importOrder(Fixtures.uniqueReference(), "Cafe\u0301 Supplies", null);
        assertEquals(List.of("Caf\u00E9 Supplies"), vendors());
    }

    @Test
    void aVendorKnownByNameGainsTheAddressAFileGivesLater() {
        String a = Fixtures.uniqueReference();
        String b = Fixtures.uniqueReference();
        String c = Fixtures.uniqueReference();
        String link = importOrder(a, "Stra\u00DFe Bau GmbH", null);
        importOrder(b, "STRASSE BAU GMBH", "Einkauf@Strasse-Bau.example");
        importOrder(c, "Strasse Bau GmbH", null);

        assertEquals(1, vendors().size());
        String email = QuarkusTransaction.requiringNew()
                .call(() -> em.createQuery("select v.email from Vendor v where v.organization.id = ?1", String.class)
                        .setParameter(1, tenant.id()).getSingleResult());
        assertEquals("einkauf@strasse-bau.example", email);
        String page = ordersPage(link);
        assertTrue(page.contains(a) && page.contains(b) && page.contains(c), page);
    }

    @Test
    void aRowWithoutAddressJoinsTheOneVendorOfThatNameThatHasOne() {
        String a = Fixtures.uniqueReference();
        String b = Fixtures.uniqueReference();
        String link = importOrder(a, "Acme Parts", "orders@acme.example");
        importOrder(b, "ACME\u00A0PARTS", null);
        assertEquals(List.of("Acme Parts"), vendors());
        String page = ordersPage(link);
        assertTrue(page.contains(a) && page.contains(b), page);
    }

    @Test
    void twoMailboxesUnderOneNameStayTwoVendorsAndANameAloneThenMakesAThird() {
        String a = Fixtures.uniqueReference();
        String b = Fixtures.uniqueReference();
        String c = Fixtures.uniqueReference();
        String linkA = importOrder(a, "Globex", "north@globex.example");
        importOrder(b, "GLOBEX", "south@globex.example");
        // which of the two would it be? Neither: a vendor known by name only
        importOrder(c, "globex", null);

        assertEquals(3, vendors().size());
        String page = ordersPage(linkA);
        assertTrue(page.contains(a), page);
        assertFalse(page.contains(b) || page.contains(c), "another mailbox's orders are not shown");
    }

    @Test
    void theSameAddressIsOneVendorWhateverTheName() {
        String a = Fixtures.uniqueReference();
        String b = Fixtures.uniqueReference();
        String link = importOrder(a, "Initech", "sales@initech.example");
        importOrder(b, "Initech Europe", "SALES@initech.example");
        assertEquals(List.of("Initech"), vendors());
        assertTrue(ordersPage(link).contains(b));
    }

    @Test
    void theJsonApiMatchesNamesTheSameWay() {
        String a = Fixtures.uniqueReference();
        String b = Fixtures.uniqueReference();
        String link = jsonOrder(a, "\u0130STANBUL BORU A.\u015E.");
        jsonOrder(b, "\u0130stanbul Boru A.\u015E.");
        assertEquals(1, vendors().size());
        String page = ordersPage(link);
        assertTrue(page.contains(a) && page.contains(b), page);
    }

    private String jsonOrder(String reference, String vendorName) {
        Map<String, Object> body = Map.of("reference", reference, "vendor", Map.of("name", vendorName), "lines",
                List.of(Map.of("sku", "S1", "quantity", "1")));
        String url = Fixtures.post(tenant.apiKey(), body).statusCode(201).extract().path("vendorLink.url");
        return url.substring(url.indexOf("/v/"));
    }

    @Test
    void rowsOfOneOrderMayWriteTheVendorsNameEitherWay() {
        String ref = Fixtures.uniqueReference();
        String csv = HEADER + ref + ",Caf\u00E9 Supplies,,S1,1\n" + ref + ",CAFE\u0301 SUPPLIES,,S2,2\n";
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv; charset=UTF-8").body(csv)
                .post("/api/v1/purchase-orders/import").then().statusCode(200);
        assertEquals(List.of("Caf\u00E9 Supplies"), vendors());
        String other = Fixtures.uniqueReference();
        String differs = HEADER + other + ",Caf\u00E9 Supplies,,S1,1\n" + other + ",Cafe Supplies,,S2,2\n";
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("text/csv; charset=UTF-8")
                .body(differs).post("/api/v1/purchase-orders/import").then().statusCode(422);
    }

    @Test
    void theDatabaseRefusesASecondRowForOneVendor() {
        importOrder(Fixtures.uniqueReference(), "Acme Parts", null);
        var failure = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "insert into vendor (id, organization_id, name, name_key, match_key, created_at)"
                                + " values (-7, ?1, 'ACME PARTS', 'acme parts', 'n:acme parts', current_timestamp)")
                        .setParameter(1, tenant.id()).executeUpdate()));
        boolean unique = false;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            unique |= t.getClass().getSimpleName().contains("ConstraintViolation")
                    || String.valueOf(t.getMessage()).toLowerCase().contains("unique");
        }
        assertTrue(unique, String.valueOf(failure));
    }

    @Test
    void twoImportsNamingOneNewVendorAtOnceMakeOneVendorAndBothSucceed() throws Exception {
        int rounds = 8;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < rounds; round++) {
                String name = "Race Vendor " + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> answers = new ArrayList<>();
                for (String spelling : List.of(name, name.toUpperCase())) {
                    String csv = HEADER + Fixtures.uniqueReference() + "," + spelling + ",,S1,1\n";
                    answers.add(pool.submit(() -> {
                        start.await();
                        return given().header("Authorization", "Bearer " + tenant.apiKey())
                                .contentType("text/csv; charset=UTF-8").body(csv).post("/api/v1/purchase-orders/import")
                                .then().extract().statusCode();
                    }));
                }
                start.countDown();
                for (Future<Integer> answer : answers) {
                    assertEquals(200, answer.get(60, TimeUnit.SECONDS), "round " + round);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(rounds, vendors().size(), vendors().toString());
    }

    @Test
    void theMergeMigrationRanAtStart() {
        Number applied = QuarkusTransaction.requiringNew().call(() -> (Number) em.createNativeQuery(
                "select count(*) from \"flyway_schema_history\" where \"version\" = '14.1' and \"success\" = true")
                .getSingleResult());
        assertEquals(1, applied.intValue(), "the Java migration was found and applied by Quarkus");
    }
}
