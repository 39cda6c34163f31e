package io.portlink.purchasing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
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
 * With 100,000 orders in one organisation on PostgreSQL, every queue page statement is answered through an index, never
 * by reading the whole table. Asserts plans, not timings.
 */
@QuarkusTest
class OrderQueuePlanTest {

    static final int ORDERS = 100_000;

    @Inject
    Fixtures fixtures;

    @Inject
    OrderQueue queue;

    @Inject
    DataSource dataSource;

    @Test
    void everyQueueViewUsesAnIndexWith100000Orders() throws Exception {
        Databases.assumePostgres(dataSource, "query plans are checked on PostgreSQL, the production database");
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        seed(tenant.id());
        Organization org = organization(tenant.id());
        assertEquals(ORDERS, queue.page(tenant.id(), new OrderQueue.Filter(null, null, null, null), 0, 1).total());

        List<OrderQueue.Filter> views = new ArrayList<>();
        views.add(new OrderQueue.Filter(null, null, null, null));
        for (OrderQueue.Bucket bucket : OrderQueue.Bucket.values()) {
            views.add(new OrderQueue.Filter(bucket, null, null, null));
        }
        views.add(new OrderQueue.Filter(null, OrderStatus.DISPATCHED, null, OrderQueue.Sort.UPDATED));
        views.add(new OrderQueue.Filter(OrderQueue.Bucket.OVERDUE, null, null, OrderQueue.Sort.DUE));
        views.add(new OrderQueue.Filter(null, null, "SEED-000400", OrderQueue.Sort.REFERENCE));
        // a phrase: every word must match, and every reference holds "SEED" (a search for all orders may read them all)
        views.add(new OrderQueue.Filter(OrderQueue.Bucket.STALE, null, "\"Seed vendor 42\"", null));
        for (OrderQueue.Filter view : views) {
            String plan = explain(queue.pageSql(org, view, 0, 50));
            assertFalse(plan.contains("Seq Scan on purchase_order"), view + " reads the whole table:\n" + plan);
            assertTrue(plan.contains("Index"), view + " uses no index:\n" + plan);
        }
    }

    @Transactional
    Organization organization(long id) {
        return Organization.findById(id);
    }

    /** 100,000 orders straight in SQL (seconds, not minutes): mixed statuses, dates, sends and opens. */
    private void seed(long organizationId) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            // 100 vendors, as an organisation has: with one vendor for every order, any vendor search looks to the
            // planner like "all orders"
            s.execute("insert into vendor (id, organization_id, name, email, name_key, match_key, created_at)"
                    + " select nextval('vendor_seq'), " + organizationId + ", 'Seed vendor ' || v, 'seed-' || v || '-"
                    + organizationId + "@vendor.example', 'seed vendor ' || v, 'e:seed-' || v || '-" + organizationId
                    + "@vendor.example', now() from generate_series(1, 100) v");
            s.execute("create temporary table seed_vendor as select id, row_number() over (order by id) - 1 as n"
                    + " from vendor where organization_id = " + organizationId);
            s.execute("insert into purchase_order (id, organization_id, vendor_id, reference, status, content_hash,"
                    + " created_at, updated_at, version, requested_date, due_date, notified_at, first_opened_at,"
                    + " last_vendor_activity_at, closed_at, tracking_number, mail_dead)"
                    + " select nextval('purchase_order_seq'), " + organizationId
                    + ", (select id from seed_vendor where n = i % 100)," + " 'SEED-' || lpad(i::text, 6, '0'),"
                    + " (array['PENDING','NOTIFIED','ACKNOWLEDGED','PREPARING','DISPATCHED','DELIVERED','DECLINED','CANCELLED'])[i % 8 + 1],"
                    + " md5(i::text), now() - (i || ' minutes')::interval, now() - (i || ' minutes')::interval, 0,"
                    + " current_date + (i % 60 - 30), current_date + (i % 60 - 30),"
                    + " case when i % 8 > 0 then now() - (i % 500 || ' hours')::interval end,"
                    + " case when i % 3 = 0 then now() - (i % 400 || ' hours')::interval end,"
                    + " case when i % 8 > 1 then now() - (i % 300 || ' hours')::interval end,"
                    + " case when i % 8 >= 5 then now() - (i % 200 || ' hours')::interval end,"
                    + " case when i % 8 = 4 then 'TRK' || i end, i % 997 = 0" + " from generate_series(1, " + ORDERS
                    + ") as i");
            s.execute("drop table seed_vendor");
            // what autovacuum does after a bulk load (it is off on the CI machine)
            s.execute("analyze purchase_order");
            s.execute("analyze vendor");
        }
    }

    private String explain(OrderQueue.Sql sql) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement p = c.prepareStatement("explain " + sql.text())) {
            for (int i = 0; i < sql.parameters().size(); i++) {
                Object value = sql.parameters().get(i);
                if (value instanceof java.time.LocalDate date) {
                    p.setObject(i + 1, date);
                } else if (value instanceof java.time.Instant instant) {
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
