package io.portlink.purchasing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.Test;

import io.portlink.organization.Organization;
import io.portlink.testing.Databases;
import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;

/**
 * With 100,000 orders of 2 lines each from 500 vendors in one organisation on PostgreSQL, every search (part of a
 * reference, SKU, description, vendor name; date ranges; combined with buckets) is answered through its indexes: the
 * page, its count and an export batch. Asserts plans, not timings.
 */
@QuarkusTest
class OrderSearchPlanTest {

    static final int ORDERS = 100_000;

    @Inject
    Fixtures fixtures;

    @Inject
    OrderQueue queue;

    @Inject
    OrderExport export;

    @Inject
    DataSource dataSource;

    record View(String name, OrderQueue.Filter filter, String index) {
    }

    @Test
    void everySearchUsesItsIndexesWith100000Orders() throws Exception {
        Databases.assumePostgres(dataSource, "query plans are checked on PostgreSQL, the production database");
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        LocalDate today = seed(tenant.id());
        Organization org = organization(tenant.id());
        var all = new OrderQueue.Filter(null, null, null, null);
        assertEquals(ORDERS, queue.page(tenant.id(), all, 0, 1).total());

        var days = new OrderSearch.Range(today.plusDays(3), today.plusDays(4));
        List<View> views = new ArrayList<>();
        views.add(new View("part of a reference", filter("00040", null, null, null, null), "reference_trgm"));
        views.add(new View("only the reference", filter("ref:99123", null, null, null, null), "reference_trgm"));
        views.add(new View("part of a SKU", filter("sku:K-4711", null, null, null, null), "sku_trgm"));
        views.add(new View("part of a description", filter("desc:\"gear 123\"", null, null, null, null),
                "description_trgm"));
        views.add(new View("any field", filter("4711", null, null, null, null), "description_trgm"));
        views.add(new View("vendor", filter(null, "vendor 0042", null, null, null), "purchase_order_vendor_")); // (vendor_id)
                                                                                                                // or
                                                                                                                // (vendor_id,
                                                                                                                // notified_at):
                                                                                                                // either
                                                                                                                // index
                                                                                                                // of
                                                                                                                // the
                                                                                                                // vendor
        views.add(new View("created",
                filter(null, null, new OrderSearch.Range(today.minusDays(2), today.minusDays(2)), null, null),
                "org_created"));
        views.add(new View("requested", filter(null, null, null, days, null), "org_requested"));
        views.add(new View("expected", filter(null, null, null, null, days), "org_expected"));
        views.add(new View("words and dates", filter("\"gear 1234\" vendor:0042", null, null, days, null), "trgm"));
        // here the bucket may be the narrower index, and the SKU is checked on each of its orders' lines
        views.add(new View("bucket and search", new OrderQueue.Filter(OrderQueue.Bucket.OVERDUE, null, "sku:K-4711",
                OrderQueue.Sort.DUE, null, null, null, null), "Index"));
        for (View view : views) {
            String count = explain(queue.countSql(org, view.filter()));
            // the count reads what the search finds and nothing else: there its index shows
            assertTrue(count.contains(view.index()), view.name() + " does not use " + view.index() + ":\n" + count);
            for (String plan : List.of(count, explain(queue.pageSql(org, view.filter(), 0, 50)),
                    explain(export.batchSql(org, view.filter(), 0)))) {
                // a page or a batch may rather walk the index of its order (created, id) and filter
                assertFalse(plan.contains("Seq Scan on purchase_order"), view.name() + " reads every order:\n" + plan);
                assertFalse(plan.contains("Seq Scan on order_line"), view.name() + " reads every line:\n" + plan);
                assertTrue(plan.contains("Index"), view.name() + " uses no index:\n" + plan);
            }
        }
        // the export's keyset read of a whole organisation: from the last id on, by (organisation, id) or, where the
        // organisation holds most orders (as here when this class runs alone), by the primary key; never the table
        String plan = explain(export.batchSql(org, all, 50_000));
        assertFalse(plan.contains("Seq Scan on purchase_order"), plan);
        assertTrue(
                plan.contains("purchase_order_org_id_ix") || plan.matches("(?s).*Index Scan using purchase_order_pkey"
                        + " on purchase_order o[^\\n]*\\n\\s+Index Cond: \\(id > .*"),
                plan);
    }

    private static OrderQueue.Filter filter(String q, String vendor, OrderSearch.Range created,
            OrderSearch.Range requested, OrderSearch.Range expected) {
        return new OrderQueue.Filter(null, null, q, null, vendor, created, requested, expected);
    }

    @Transactional
    Organization organization(long id) {
        return Organization.findById(id);
    }

    /** 500 vendors, 100,000 orders and 200,000 lines straight in SQL; answers the database's today. */
    private LocalDate seed(long org) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("insert into vendor (id, organization_id, name, email, name_key, match_key, created_at)"
                    + " select nextval('vendor_seq'), " + org + ", 'Seed vendor ' || lpad(v::text, 4, '0'),"
                    + " 'v' || v || '-" + org + "@vendor.example', 'seed vendor ' || v, 'e:v' || v || '-" + org
                    + "@vendor.example', now() from generate_series(1, 500) v");
            s.execute("create temporary table seed_vendor as select id, row_number() over (order by id) - 1 as n"
                    + " from vendor where organization_id = " + org);
            s.execute("insert into purchase_order (id, organization_id, vendor_id, reference, status, content_hash,"
                    + " created_at, updated_at, version, requested_date, expected_date, due_date, notified_at, closed_at,"
                    + " mail_dead) select nextval('purchase_order_seq'), " + org
                    + ", (select id from seed_vendor where n = i % 500), 'SEED-' || lpad(i::text, 6, '0'),"
                    + " (array['PENDING','NOTIFIED','ACKNOWLEDGED','PREPARING','DISPATCHED','DELIVERED'])[i % 6 + 1],"
                    + " md5(i::text), now() - (i || ' minutes')::interval, now() - (i || ' minutes')::interval, 0,"
                    + " current_date + (i % 365 - 180), current_date + ((i * 7) % 365 - 180),"
                    + " current_date + ((i * 7) % 365 - 180), now() - (i % 500 || ' hours')::interval,"
                    + " case when i % 6 = 5 then now() end, false from generate_series(1, " + ORDERS + ") as i");
            s.execute("insert into order_line (id, order_id, line_no, sku, description, quantity, unit, unit_price,"
                    + " currency) select nextval('order_line_seq'), o.id, k, 'SK-' || ((o.id * 2 + k) % 50000),"
                    + " (array['Gear ','Bracket ','Hex bolt ','Washer '])[k + (o.id % 3)] || (o.id % 10007) || ' '"
                    + " || substr(md5(o.id::text || k), 1, 8), 10 * k, 'pcs', 1.25, 'GBP'"
                    + " from purchase_order o cross join generate_series(1, 2) k where o.organization_id = " + org);
            s.execute("drop table seed_vendor");
            // what autovacuum does after a bulk load (it is off on the CI machine)
            s.execute("analyze purchase_order");
            s.execute("analyze order_line");
            s.execute("analyze vendor");
            try (ResultSet rs = s.executeQuery("select current_date")) {
                rs.next();
                return rs.getDate(1).toLocalDate();
            }
        }
    }

    private String explain(OrderQueue.Sql sql) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // a parallel seq scan's cost on a freshly sampled table sometimes undercuts the index on this small
                // machine: the plans are compared as one backend would run them (for this transaction only)
                s.execute("set local max_parallel_workers_per_gather = 0");
            }
            try {
                return plan(c, sql);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    private static String plan(Connection c, OrderQueue.Sql sql) throws Exception {
        try (PreparedStatement p = c.prepareStatement("explain " + sql.text())) {
            for (int i = 0; i < sql.parameters().size(); i++) {
                Object value = sql.parameters().get(i);
                if (value instanceof java.time.Instant instant) {
                    p.setObject(i + 1, java.time.OffsetDateTime.ofInstant(instant, java.time.ZoneOffset.UTC));
                } else {
                    p.setObject(i + 1, value);
                }
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
