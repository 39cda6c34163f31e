package io.portlink.purchasing;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.portlink.organization.Organization;
import io.portlink.platform.Paging;

/**
 * The staff's action queue: which orders need a nudge, counted per bucket, searched, sorted and paged in the database.
 * Native SQL, so the very statement the page runs can be EXPLAINed in tests.
 */
@ApplicationScoped
public class OrderQueue {

    public static final int MAX_PAGE_SIZE = Paging.MAX_SIZE;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    /** Orders that need someone to act. Thresholds come from the organisation's settings. */
    public enum Bucket {
        OVERDUE("Overdue", "o.closed_at is null and o.due_date < ?"),
        PENDING_RESPONSE("Pending response", "o.status = 'NOTIFIED' and o.notified_at < ?"),
        NEVER_OPENED("Never opened", "o.closed_at is null and o.first_opened_at is null and o.notified_at is not null"),
        STALE("Stale",
                "o.closed_at is null and o.notified_at is not null"
                        + " and coalesce(o.last_vendor_activity_at, o.notified_at) < ?"),
        DECLINED("Declined", "o.status = 'DECLINED'"), DEAD_MAIL("Dead mail", "o.mail_dead = true"),
        /** The vendor declined, then said it can supply it after all; until staff mark it noted. */
        REOPENED("Reopened by vendor", "o.reopened_at is not null and o.closed_at is null"),
        /** Amended, and the vendor has not acknowledged the revision yet. */
        UNACKNOWLEDGED("Change not yet acknowledged", "o.closed_at is null and o.acknowledged_revision < o.revision");

        public final String label;
        final String condition;

        Bucket(String label, String condition) {
            this.label = label;
            this.condition = condition;
        }
    }

    public enum Sort {
        NEWEST("Newest", "o.created_at desc, o.id desc"), DUE("Due date", "o.due_date asc nulls last, o.id asc"),
        REFERENCE("Reference", "o.reference asc"), UPDATED("Last change", "o.updated_at desc, o.id desc");

        public final String label;
        final String orderBy;

        Sort(String label, String orderBy) {
            this.label = label;
            this.orderBy = orderBy;
        }
    }

    /**
     * What the staff asked for; every part optional. {@code q} is a search text ({@link OrderSearch}: part of the
     * reference, a line's SKU or description, the vendor's name, or a whole tracking number); {@code vendor} part of
     * the vendor's name; the ranges are days in the organisation's time zone, both ends included.
     */
    public record Filter(Bucket bucket, OrderStatus status, String q, Sort sort, String vendor,
            OrderSearch.Range created, OrderSearch.Range requested, OrderSearch.Range expected) {

        public Filter {
            created = created == null ? OrderSearch.Range.ANY : created;
            requested = requested == null ? OrderSearch.Range.ANY : requested;
            expected = expected == null ? OrderSearch.Range.ANY : expected;
        }

        /** A bucket, status and text filter without vendor or dates. */
        public Filter(Bucket bucket, OrderStatus status, String q, Sort sort) {
            this(bucket, status, q, sort, null, null, null, null);
        }

        /** The search terms: those of {@code q}, and {@code vendor} as a vendor term. */
        public List<OrderSearch.Term> terms() {
            List<OrderSearch.Term> terms = new ArrayList<>(OrderSearch.terms(q));
            if (vendor != null && !vendor.isBlank()) {
                terms.add(new OrderSearch.Term(OrderSearch.Field.VENDOR, vendor.strip()));
            }
            return terms;
        }

        /** Whether anything beyond the bucket and status narrows the list (the empty state then says what to try). */
        public boolean searches() {
            return !terms().isEmpty() || !created.isAny() || !requested.isAny() || !expected.isAny();
        }
    }

    /**
     * One order of the queue; {@code reopened}: the vendor withdrew its decline and staff have not noted it yet;
     * {@code changeUnacknowledged}: the vendor has not acknowledged revision {@code revision} yet.
     */
    public record Row(String reference, String vendorName, OrderStatus status, LocalDate requestedDate,
            LocalDate expectedDate, String trackingNumber, Instant updatedAt, boolean reopened, int revision,
            boolean changeUnacknowledged) {
    }

    public record Page(List<Row> items, int page, int size, long total) {

        public int pages() {
            return (int) Math.max(1, (total + size - 1) / size);
        }

        public boolean hasPrevious() {
            return page > 0;
        }

        public boolean hasNext() {
            return page + 1 < pages();
        }
    }

    /** A statement and its parameters, as run against the database. */
    public record Sql(String text, List<Object> parameters) {
    }

    @Transactional
    public Page page(long organizationId, Filter filter, int page, int size) {
        Paging paging = new Paging(page, size);
        int pageSize = paging.size();
        int pageNo = paging.page();
        Organization org = Organization.findById(organizationId);
        Sql select = pageSql(org, filter, pageNo, pageSize);
        List<Row> rows = new ArrayList<>();
        for (Object r : run(select)) {
            Object[] c = (Object[]) r;
            OrderStatus status = OrderStatus.valueOf((String) c[2]);
            int revision = ((Number) c[8]).intValue();
            rows.add(new Row((String) c[0], (String) c[1], status, date(c[3]), date(c[4]), (String) c[5], instant(c[6]),
                    c[7] != null && !status.isClosed(), revision,
                    !status.isClosed() && ((Number) c[9]).intValue() < revision));
        }
        Sql count = countSql(org, filter);
        long total = ((Number) run(count).get(0)).longValue();
        return new Page(rows, pageNo, pageSize, total);
    }

    /** How many orders are in each bucket: one indexed count per bucket. */
    @Transactional
    public Map<Bucket, Long> counts(long organizationId) {
        Organization org = Organization.findById(organizationId);
        Map<Bucket, Long> counts = new EnumMap<>(Bucket.class);
        for (Bucket bucket : Bucket.values()) {
            Sql count = where(org, new Filter(bucket, null, null, null), "select count(*) from purchase_order o");
            counts.put(bucket, ((Number) run(count).get(0)).longValue());
        }
        return counts;
    }

    /** The statement counting the orders of a filter (public so tests can EXPLAIN exactly this). */
    public Sql countSql(Organization org, Filter filter) {
        return where(org, filter, "select count(*) from purchase_order o");
    }

    /** The statement behind one page of the queue (public so tests can EXPLAIN exactly this). */
    public Sql pageSql(Organization org, Filter filter, int page, int size) {
        Sql where = where(org, filter,
                "select o.reference, v.name, o.status, o.requested_date, o.expected_date,"
                        + " o.tracking_number, o.updated_at, o.reopened_at, o.revision, o.acknowledged_revision"
                        + " from purchase_order o join vendor v on v.id = o.vendor_id");
        Sort sort = filter.sort() == null ? Sort.NEWEST : filter.sort();
        List<Object> parameters = new ArrayList<>(where.parameters());
        parameters.add(size);
        parameters.add(new Paging(page, size).offset());
        return new Sql(where.text() + " order by " + sort.orderBy + " limit ? offset ?", parameters);
    }

    Sql where(Organization org, Filter filter, String select) {
        StringBuilder sql = new StringBuilder(select).append(" where o.organization_id = ?");
        List<Object> parameters = new ArrayList<>(List.of(org.id));
        if (filter.bucket() != null) {
            sql.append(" and ").append(filter.bucket().condition);
            switch (filter.bucket()) {
            case OVERDUE -> parameters.add(org.format().today(clock));
            case PENDING_RESPONSE -> parameters
                    .add(Instant.now(clock).minus(Duration.ofHours(org.pendingResponseHours)));
            case STALE -> parameters.add(Instant.now(clock).minus(Duration.ofDays(org.staleDays)));
            default -> {
            }
            }
        }
        if (filter.status() != null) {
            sql.append(" and o.status = ?");
            parameters.add(filter.status().name());
        }
        for (OrderSearch.Term term : filter.terms()) {
            term(org, term, sql, parameters);
        }
        ZoneId zone = org.format().zone();
        if (filter.created().from() != null) {
            sql.append(" and o.created_at >= ?");
            parameters.add(filter.created().from().atStartOfDay(zone).toInstant());
        }
        if (filter.created().to() != null) {
            sql.append(" and o.created_at < ?");
            parameters.add(filter.created().to().plusDays(1).atStartOfDay(zone).toInstant());
        }
        range("o.requested_date", filter.requested(), sql, parameters);
        range("o.expected_date", filter.expected(), sql, parameters);
        return new Sql(sql.toString(), parameters);
    }

    /**
     * One term as lookups that each have an index (trigram GIN on PostgreSQL), joined by id: an OR across the columns
     * would make PostgreSQL read every order of the organisation. Lines and vendors are scoped to the organisation
     * through their order, as the outer query is.
     */
    private static void term(Organization org, OrderSearch.Term term, StringBuilder sql, List<Object> parameters) {
        String like = term.contains();
        List<String> lookups = new ArrayList<>();
        var field = term.field();
        boolean any = field == OrderSearch.Field.ANY;
        if (any || field == OrderSearch.Field.REFERENCE) {
            lookups.add(
                    "select r.id from purchase_order r where r.organization_id = ? and r.reference ilike ? escape '!'");
            parameters.addAll(List.of(org.id, like));
        }
        if (any) {
            lookups.add("select t.id from purchase_order t where t.organization_id = ? and t.tracking_number = ?");
            parameters.addAll(List.of(org.id, term.text()));
        }
        if (any || field == OrderSearch.Field.VENDOR) {
            lookups.add("select n.id from purchase_order n join vendor w on w.id = n.vendor_id"
                    + " where w.organization_id = ? and n.organization_id = ? and w.name ilike ? escape '!'");
            parameters.addAll(List.of(org.id, org.id, like));
        }
        if (any) {
            lookups.add("select l.order_id from order_line l join purchase_order lo on lo.id = l.order_id"
                    + " where lo.organization_id = ? and (l.sku ilike ? escape '!' or l.description ilike ? escape '!')");
            parameters.addAll(List.of(org.id, like, like));
        } else if (field == OrderSearch.Field.SKU || field == OrderSearch.Field.DESCRIPTION) {
            lookups.add("select l.order_id from order_line l join purchase_order lo on lo.id = l.order_id"
                    + " where lo.organization_id = ? and l." + (field == OrderSearch.Field.SKU ? "sku" : "description")
                    + " ilike ? escape '!'");
            parameters.addAll(List.of(org.id, like));
        }
        sql.append(" and o.id in (").append(String.join(" union all ", lookups)).append(')');
    }

    private static void range(String column, OrderSearch.Range range, StringBuilder sql, List<Object> parameters) {
        if (range.from() != null) {
            sql.append(" and ").append(column).append(" >= ?");
            parameters.add(range.from());
        }
        if (range.to() != null) {
            sql.append(" and ").append(column).append(" <= ?");
            parameters.add(range.to());
        }
    }

    @SuppressWarnings("unchecked")
    private List<Object> run(Sql sql) {
        var query = em.createNativeQuery(sql.text());
        for (int i = 0; i < sql.parameters().size(); i++) {
            query.setParameter(i + 1, sql.parameters().get(i));
        }
        return query.getResultList();
    }

    private static LocalDate date(Object value) {
        return value == null ? null : value instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) value;
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        return (Instant) value;
    }
}
