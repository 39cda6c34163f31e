package io.portlink.platform;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.quarkus.test.junit.QuarkusTest;

/** SECURITY.md: the raw token is stored nowhere and logged nowhere. */
@QuarkusTest
class TokenHygieneTest {

    @Inject
    Fixtures fixtures;

    @Inject
    DataSource dataSource;

    @Test
    void aLinkTokenIsInNoTableAndInNoLogLine() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String ref = uniqueReference();
        String path = createOrderWithLink(tenant.apiKey(), ref, "hygiene@vendor.example");
        String token = path.substring("/v/".length());
        PortalClient vendor = new PortalClient(path);
        vendor.open("").then().statusCode(200);
        vendor.submit(ref, "confirm", Map.of()).then().statusCode(303);
        vendor.open("/orders");
        // an application log line that carries the token must be masked too
        Logger.getLogger(TokenHygieneTest.class).infof("vendor used %s", token);

        List<String> hits = tablesContaining(token);
        assertTrue(hits.isEmpty(), "raw token stored in " + hits);
        assertFalse(tablesContaining(Tokens.sha256(token)).isEmpty(), "the hash is what is stored (the scan works)");

        String log = Files.readString(Path.of("target/portlink-test.log"));
        assertFalse(log.contains(token), "a log line contains the raw token");
        assertTrue(log.contains("GET /v/" + Tokens.hint(token)), "the access log shows the masked link");
        assertTrue(log.contains("vendor used " + Tokens.hint(token)));
    }

    @Test
    void tokensAreLongRandomAndUnique() {
        String token = Tokens.generate(Tokens.VENDOR);
        assertTrue(token.startsWith("pv_"));
        assertEquals(32, java.util.Base64.getUrlDecoder().decode(token.substring(3)).length, "256 bits");
        var seen = new java.util.HashSet<String>(2_000_000);
        for (int i = 0; i < 1_000_000; i++) {
            assertTrue(seen.add(Tokens.generate(Tokens.VENDOR)), "collision after " + i + " tokens");
        }
        assertTrue(Tokens.wellFormed(token, Tokens.VENDOR));
        assertFalse(Tokens.wellFormed(token, Tokens.TRACKING));
        assertEquals("see pv_abc… now", Tokens.mask("see pv_abc" + "x".repeat(40) + " now"));
    }

    private static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private List<String> tablesContaining(String value) throws Exception {
        List<String> hits = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] { "TABLE" })) {
                while (rs.next()) {
                    String schema = rs.getString("TABLE_SCHEM");
                    if (schema == null || !schema.toLowerCase().matches("information_schema|pg_catalog")) {
                        tables.add((schema == null ? "" : quote(schema) + ".") + quote(rs.getString("TABLE_NAME")));
                    }
                }
            }
            for (String table : tables) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select * from " + table)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            Object cell = rs.getObject(i);
                            if (cell != null && cell.toString().contains(value)) {
                                hits.add(table + "." + rs.getMetaData().getColumnName(i));
                            }
                        }
                    }
                }
            }
        }
        return hits;
    }
}
