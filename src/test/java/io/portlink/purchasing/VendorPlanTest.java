package io.portlink.purchasing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.testing.Databases;
import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;

/**
 * With 20,000 vendors in one organisation and 100,000 orders (each with a confirmation on its timeline) for one of
 * them, on PostgreSQL: the vendor list (plain, by name, by e-mail) and the three scorecard statements are answered
 * through indexes, never by reading a whole table. Asserts plans, not timings.
 */
@QuarkusTest
class VendorPlanTest {

    static final int VENDORS = 20_000;
    static final int ORDERS = 100_000;

    @Inject
    Fixtures fixtures;

    @Inject
    DataSource dataSource;

    @Test
    void theVendorListAndTheScorecardUseIndexes() throws Exception {
        Databases.assumePostgres(dataSource, "query plans are checked on PostgreSQL, the production database");
        long org = fixtures.tenant("GB").id();
        long vendor = seed(org);
        OffsetDateTime to = OffsetDateTime.now(ZoneOffset.UTC);
        OffsetDateTime from = to.minusDays(VendorScorecard.DAYS);
        List<String[]> tables = List.of(new String[] { "vendor" }, new String[] { "purchase_order", "timeline_entry" });

        check(VendorRecords.listSql(false), tables.get(0), org);
        check(VendorRecords.listSql(true), tables.get(0), org, "seed vendor 0123%", "seed-0123%");
        check(VendorRecords.listSql(true), tables.get(0), org, "zzz%", "seed-00042@%");
        check(VendorScorecard.ANSWERS, tables.get(1), vendor, from, to);
        check(VendorScorecard.TIMES, tables.get(1), vendor, from, to);
        check(VendorScorecard.deliveriesSql(ZoneId.of("Europe/London")), tables.get(1), vendor, from, to);
    }

    private void check(String sql, String[] tables, Object... parameters) throws Exception {
        String plan = explain(sql + (sql.startsWith("select v.") ? " limit 51" : ""), parameters);
        for (String table : tables) {
            assertFalse(plan.contains("Seq Scan on " + table), sql + "\nreads the whole " + table + ":\n" + plan);
        }
        assertTrue(plan.contains("Index"), sql + "\nuses no index:\n" + plan);
    }

    /** 20,000 vendors, and 100,000 orders for the first, sent and confirmed over 200 days, straight in SQL. */
    private long seed(long org) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("insert into vendor (id, organization_id, name, email, name_key, match_key, created_at, version)"
                    + " select nextval('vendor_seq'), " + org + ", 'Seed vendor ' || lpad(i::text, 5, '0'),"
                    + " 'seed-' || lpad(i::text, 5, '0') || '@vendor.example', 'seed vendor ' || lpad(i::text, 5, '0'),"
                    + " 'e:seed-' || lpad(i::text, 5, '0') || '@vendor.example', now(), 0" + " from generate_series(1, "
                    + VENDORS + ") as i");
            long vendor;
            try (ResultSet rs = s.executeQuery("select min(id) from vendor where organization_id = " + org)) {
                rs.next();
                vendor = rs.getLong(1);
            }
            s.execute("insert into purchase_order (id, organization_id, vendor_id, reference, status, content_hash,"
                    + " created_at, updated_at, version, requested_date, notified_at, closed_at)"
                    + " select nextval('purchase_order_seq'), " + org + ", " + vendor + ","
                    + " 'PLAN-' || lpad(i::text, 6, '0'), case when i % 4 = 0 then 'DELIVERED' else 'ACKNOWLEDGED' end,"
                    + " md5(i::text), now() - (i % 200 || ' days')::interval, now(), 0, current_date - (i % 200),"
                    + " now() - (i % 200 || ' days')::interval,"
                    + " case when i % 4 = 0 then now() - (i % 200 || ' days')::interval + interval '3 days' end"
                    + " from generate_series(1, " + ORDERS + ") as i");
            s.execute("insert into timeline_entry (id, organization_id, purchase_order_id, at, actor_type, actor_label,"
                    + " kind, visibility) select nextval('timeline_entry_seq'), " + org + ", o.id,"
                    + " o.notified_at + interval '5 hours', 'LINK', 'seed', 'CONFIRMED', 'INTERNAL'"
                    + " from purchase_order o where o.vendor_id = " + vendor);
            s.execute("analyze vendor");
            s.execute("analyze purchase_order");
            s.execute("analyze timeline_entry");
            return vendor;
        }
    }

    private String explain(String sql, Object... parameters) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement p = c.prepareStatement("explain " + sql.replaceAll("\\?\\d+", "?"))) {
            for (int i = 0; i < parameters.length; i++) {
                p.setObject(i + 1, parameters[i]);
            }
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            return plan.toString();
        }
    }
}
