package io.portlink.purchasing;

import static io.portlink.purchasing.BulkImportTest.HEADER;
import static io.portlink.purchasing.BulkImportTest.count;
import static io.portlink.purchasing.BulkImportTest.importCsv;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.portlink.link.AccessLink;
import io.portlink.platform.Tokens;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The import of any size ({@link OrderImport}): rows staged and grouped by the database, so the lines of one order may
 * be anywhere in the file; problems found across rows (an order-level column that differs, a reference stored with
 * other content) leave nothing written; the answer, written after the commit, is whole JSON with every new order and a
 * working link.
 */
@QuarkusTest
class StreamedImportTest {

    @Inject
    Fixtures fixtures;

    static String prefix(String letter) {
        return letter + UUID.randomUUID().toString().substring(0, 6);
    }

    @Test
    void linesOfOneOrderAnywhereInTheFileAreOneOrderAndEveryLinkWorks() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String p = prefix("S");
        // A, B, A, C, B, A: three orders, their lines far apart, in the order of their first rows
        String csv = HEADER + p + "-A,Vendor A,,,SA1,,1,pcs,,\n" + p + "-B,Vendor B,b@streamed.example,,SB1,,2,pcs,,\n"
                + p + "-A,Vendor A,,,SA2,,3,pcs,,\n" + p + "-C,Vendor C,,\"Unit 1\nDock\",SC1,,4,pcs,2.5,EUR\n" + p
                + "-B,VENDOR B,b@streamed.example,,SB2,,5,pcs,,\n" + p + "-A,vendor  a,,,SA3,,6,pcs,,\n";
        String body = importCsv(tenant, csv).statusCode(200).contentType(startsWith("application/json")).extract()
                .asString();
        JsonNode answer = new ObjectMapper().readTree(body);
        assertEquals(3, answer.get("created").asInt());
        assertEquals(0, answer.get("unchanged").asInt());
        assertEquals(0, answer.get("errors").size());
        JsonNode orders = answer.get("orders");
        assertEquals(List.of(p + "-A", p + "-B", p + "-C"), List.of(orders.get(0).get("reference").asText(),
                orders.get(1).get("reference").asText(), orders.get(2).get("reference").asText()));
        var urls = new HashSet<String>();
        for (JsonNode order : orders) {
            assertEquals("PENDING", order.get("status").asText());
            String url = order.get("vendorLink").get("url").asText();
            assertTrue(url.contains("/v/" + Tokens.VENDOR), url);
            assertEquals(43, url.substring(url.indexOf("/v/") + 3 + Tokens.VENDOR.length()).length(), url);
            urls.add(url);
            long linkId = order.get("vendorLink").get("id").asLong();
            // only the token's hash is stored
            String token = url.substring(url.indexOf("/v/") + 3);
            QuarkusTransaction.requiringNew().run(() -> {
                AccessLink link = AccessLink.findById(linkId);
                assertEquals(Tokens.sha256(token), link.tokenHash);
            });
        }
        assertEquals(3, urls.size(), "three different links");
        QuarkusTransaction.requiringNew().run(() -> {
            PurchaseOrder a = PurchaseOrder.findByReference(tenant.id(), p + "-A").orElseThrow();
            assertEquals(List.of("SA1", "SA2", "SA3"), a.lines.stream().map(l -> l.sku).toList());
            PurchaseOrder b = PurchaseOrder.findByReference(tenant.id(), p + "-B").orElseThrow();
            assertEquals(List.of("SB1", "SB2"), b.lines.stream().map(l -> l.sku).toList());
            assertEquals("Unit 1\nDock",
                    PurchaseOrder.findByReference(tenant.id(), p + "-C").orElseThrow().deliveryAddress);
            assertEquals(3L, Vendor.count("organization.id = ?1", tenant.id()));
        });
        // the last order's link opens its page
        var vendor = new PortalClient(URI.create(orders.get(2).get("vendorLink").get("url").asText()).getPath());
        vendor.open("").then().statusCode(200);
        assertTrue(vendor.lastPage().contains(p + "-C"), "the order's page");

        // the same file with its rows in another order: the same orders, unchanged, no links
        String shuffled = HEADER + p + "-C,Vendor C,,\"Unit 1\nDock\",SC1,,4,pcs,2.5,EUR\n" + p
                + "-A,Vendor A,,,SA1,,1,pcs,,\n" + p + "-B,Vendor B,b@streamed.example,,SB1,,2,pcs,,\n" + p
                + "-A,Vendor A,,,SA2,,3,pcs,,\n" + p + "-B,Vendor B,b@streamed.example,,SB2,,5,pcs,,\n" + p
                + "-A,Vendor A,,,SA3,,6,pcs,,\n";
        importCsv(tenant, shuffled).statusCode(200).body("created", equalTo(0)).body("unchanged", equalTo(3))
                .body("orders", hasSize(0));
        assertEquals(3, count(AccessLink.class, "organization.id = ?1", tenant.id()));
    }

    @Test
    void anOrderLevelColumnThatDiffersFarBelowWritesNothing() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String p = prefix("F");
        StringBuilder csv = new StringBuilder(HEADER);
        for (int o = 1; o <= 30; o++) {
            csv.append(p).append('-').append(o).append(",Vendor ").append(o).append(",,,S1,,1,pcs,,\n");
        }
        // row 32: order 1 again, with another address than its row 2
        csv.append(p).append("-1,Vendor 1,,Elsewhere,S2,,1,pcs,,\n");
        importCsv(tenant, csv.toString()).statusCode(422).body("errors", hasSize(1)).body("errors[0].row", equalTo(32))
                .body("errors[0].column", equalTo("delivery_address"))
                .body("errors[0].message", startsWith("differs from row 2 of the same order " + p + "-1"))
                .body("errors[0].message", endsWith("got \"Elsewhere\""));
        assertEquals(0, count(PurchaseOrder.class, "organization.id = ?1", tenant.id()));
        assertEquals(0L,
                QuarkusTransaction.requiringNew().call(() -> Vendor.count("organization.id = ?1", tenant.id())));
        // the next import (maybe on the same connection) starts from an empty staging table
        importCsv(tenant, HEADER + p + "-1,Vendor 1,,,S1,,1,pcs,,\n").statusCode(200).body("created", equalTo(1));
    }

    @Test
    void aConflictWithAStoredOrderListsEveryConflictAndWritesNothing() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String p = prefix("K");
        importCsv(tenant, HEADER + p + "-1,Vendor,,,S1,,1,pcs,,\n" + p + "-2,Vendor,,,S1,,1,pcs,,\n").statusCode(200);
        // new orders first, then both stored ones with another quantity (the second one's lines apart)
        String csv = HEADER + p + "-3,Vendor,,,S1,,1,pcs,,\n" + p + "-2,Vendor,,,S1,,1,pcs,,\n" + p
                + "-1,Vendor,,,S1,,7,pcs,,\n" + p + "-4,Other,,,S1,,1,pcs,,\n" + p + "-2,Vendor,,,S2,,1,pcs,,\n";
        importCsv(tenant, csv).statusCode(422).body("errors", hasSize(2)).body("errors[0].row", equalTo(3))
                .body("errors[0].column", equalTo("reference"))
                .body("errors[0].message", startsWith("order " + p + "-2 already exists with different content"))
                .body("errors[1].row", equalTo(4))
                .body("errors[1].message", startsWith("order " + p + "-1 already exists with different content"));
        assertEquals(2, count(PurchaseOrder.class, "organization.id = ?1", tenant.id()));
        assertEquals(2, count(AccessLink.class, "organization.id = ?1", tenant.id()));
        assertEquals(1L,
                QuarkusTransaction.requiringNew().call(() -> Vendor.count("organization.id = ?1", tenant.id())));
    }

    @Test
    void rowProblemsAndDifferingRowsAreListedByRowUpToTheCapThenCounted() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String p = prefix("E");
        StringBuilder csv = new StringBuilder(HEADER);
        // rows 2..151: 150 orders; rows 152..301: each order again with another e-mail (150 problems, in reverse
        // order of their orders' first rows); rows 302..401: a bad quantity each (100 problems)
        for (int o = 1; o <= 150; o++) {
            csv.append(p).append('-').append(o).append(",Vendor,,,S1,,1,pcs,,\n");
        }
        for (int o = 150; o >= 1; o--) {
            csv.append(p).append('-').append(o).append(",Vendor,v").append(o).append("@e.example,,S2,,1,pcs,,\n");
        }
        for (int o = 1; o <= 100; o++) {
            csv.append(p).append("-X").append(o).append(",Vendor,,,S1,,x,pcs,,\n");
        }
        var answer = importCsv(tenant, csv.toString()).statusCode(422).body("errors", hasSize(201)).extract();
        // the first 150 are the differing e-mails, by row; then the first 50 bad quantities
        assertEquals(152, (int) answer.path("errors[0].row"));
        assertEquals("vendor_email", answer.path("errors[0].column"));
        assertTrue(((String) answer.path("errors[0].message")).endsWith("got \"v150@e.example\""),
                (String) answer.path("errors[0].message"));
        assertEquals(301, (int) answer.path("errors[149].row"));
        assertEquals(302, (int) answer.path("errors[150].row"));
        assertEquals("quantity", answer.path("errors[150].column"));
        assertEquals(351, (int) answer.path("errors[199].row"));
        Map<String, Object> last = answer.path("errors[200]");
        assertEquals("file", last.get("field"));
        assertTrue(((String) last.get("message")).startsWith("has 50 more problems not listed here (250 in all)"),
                last.toString());
        assertEquals(0, count(PurchaseOrder.class, "organization.id = ?1", tenant.id()));
    }

    @Test
    void idRunsHoldOneRangePerBlockAndAnswerMembership() {
        var runs = new OrderImport.IdRuns();
        for (long id : new long[] { 5, 6, 7, 9, 10, 100 }) {
            runs.add(id);
        }
        assertEquals(3, runs.runs());
        var cursor = runs.cursor();
        assertTrue(cursor.contains(5));
        assertFalse(cursor.contains(8));
        assertTrue(cursor.contains(10));
        assertFalse(cursor.contains(50));
        assertTrue(cursor.contains(100));
        assertFalse(cursor.contains(101));
    }

    @Test
    void linkTokensLookRandomAndDifferPerImport() {
        var one = OrderImport.LinkTokens.random(Tokens.VENDOR);
        var other = OrderImport.LinkTokens.random(Tokens.VENDOR);
        String token = one.apply(42);
        assertTrue(token.startsWith(Tokens.VENDOR));
        assertEquals(Tokens.VENDOR.length() + 43, token.length());
        assertEquals(token, one.copy().apply(42), "the same import rebuilds the same token");
        assertNotEquals(token, one.apply(43));
        assertNotEquals(token, other.apply(42), "another import's key gives another token");
    }
}
