package io.portlink.purchasing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
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
import io.portlink.platform.SqlTimestamps;

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

    /**
     * Orders that need someone to act. Thresholds come from the organisation's settings. Each bucket says, where it is
     * shown, what puts an order in it and what to do ({@link #explanation}), and what it means that it is empty
     * ({@link #empty}).
     */
    public enum Bucket {
        OVERDUE("Overdue", "o.closed_at is null and o.due_date < ?",
                "the expected date (or, without one, the requested date) has passed and the order is not delivered yet."
                        + " Ask the vendor for a new date, or chase the delivery.",
                "nothing is late: every open order is still within its expected or requested date."),
        PENDING_RESPONSE("Pending response", "o.status = 'NOTIFIED' and o.notified_at < ?",
                "sent more than %s ago and the vendor has neither confirmed nor declined."
                        + " Send a reminder, or call the vendor.",
                "every vendor answered within %s of being sent its order."),
        // an answer from the vendor (confirmed by its link, by e-mail) means it saw the order, opened or not
        NEVER_OPENED("Never opened",
                "o.closed_at is null and o.first_opened_at is null and o.notified_at is not null"
                        + " and o.last_vendor_activity_at is null",
                "the order was sent, but no person has opened its link yet (mail scanners do not count) and the vendor"
                        + " has not answered."
                        + " Check the vendor's e-mail address, or share the link by WhatsApp or SMS.",
                "someone has opened the link of every order that was sent."),
        STALE("Stale",
                "o.closed_at is null and o.notified_at is not null"
                        + " and coalesce(o.last_vendor_activity_at, o.notified_at) < ?",
                "sent, not yet delivered or closed, and nothing from the vendor for more than %2$s."
                        + " Send a reminder to ask for an update.",
                "every vendor did something on its open orders within the last %2$s."),
        DECLINED("Declined", "o.status = 'DECLINED' and o.decline_handled_at is null",
                "the vendor said it cannot supply the order. Re-source it to another vendor, cancel it, or mark it"
                        + " handled: each takes it out of this list.",
                "no declined order needs you: every decline was re-sourced, cancelled or marked handled."),
        DEAD_MAIL("Dead mail", "o.mail_dead = true",
                "an e-mail to the vendor about the order could not be delivered. Correct the vendor's address and"
                        + " e-mail a new link, or share the link by WhatsApp, SMS or copy.",
                "every e-mail to a vendor was delivered."),
        /** The vendor declined, then said it can supply it after all; until staff mark it noted. */
        REOPENED("Reopened by vendor", "o.reopened_at is not null and o.closed_at is null",
                "the vendor had declined, then said it can supply the order after all. Mark it noted to keep the"
                        + " order, or cancel or re-source it if you no longer need it from this vendor.",
                "no vendor has withdrawn a decline that you have not seen yet."),
        /** Amended, and the vendor has not acknowledged the revision yet. */
        UNACKNOWLEDGED("Change not yet acknowledged", "o.closed_at is null and o.acknowledged_revision < o.revision",
                "the order was amended and the vendor has not acknowledged the new revision yet."
                        + " Send a reminder, or call the vendor to make sure it works from the new revision.",
                "the vendor acknowledged every amendment of an open order.");

        public final String label;
        final String condition;
        private final String explanation;
        private final String empty;

        Bucket(String label, String condition, String explanation, String empty) {
            this.label = label;
            this.condition = condition;
            this.explanation = explanation;
            this.empty = empty;
        }

        /**
         * One sentence for the top of the bucket: what puts an order in it and what to do, e.g. "Pending response: sent
         * more than 2 days ago and the vendor has neither confirmed nor declined. …", with the organisation's
         * thresholds (hours and days).
         */
        public String explanation(int pendingResponseHours, int staleDays) {
            return label + ": " + explanation.formatted(hours(pendingResponseHours), days(staleDays));
        }

        /** What it means that the bucket is empty, e.g. "No declined order needs you: …"; thresholds as above. */
        public String empty(int pendingResponseHours, int staleDays) {
            String text = empty.formatted(hours(pendingResponseHours), days(staleDays));
            return Character.toUpperCase(text.charAt(0)) + text.substring(1);
        }

        /** "48 hours" as "2 days" when it is whole days, "1 hour", "5 hours". */
        private static String hours(int hours) {
            return hours % 24 == 0 ? days(hours / 24) : hours + (hours == 1 ? " hour" : " hours");
        }

        private static String days(int days) {
            return days + (days == 1 ? " day" : " days");
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
     * {@code vendorHasEmail}, {@code sent} (the vendor was told, by mail or by hand), {@code declineHandled} and
     * {@code version} decide which actions the row offers (see {@link #actions}); {@code id} the order's, for what
     * features above purchasing add to the row.
     */
    public record Row(String reference, String vendorName, OrderStatus status, LocalDate requestedDate,
            LocalDate expectedDate, String trackingNumber, Instant updatedAt, boolean reopened, int revision,
            boolean changeUnacknowledged, boolean vendorHasEmail, boolean sent, boolean declineHandled, long version,
            long id) {

        /** What staff can do with this order from the queue; the server refuses the rest with a reason. */
        public QueueActions actions() {
            return QueueActions.of(status, sent, vendorHasEmail, reopened, declineHandled);
        }
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

        /** An address asked for a page after the last (the list shrank, or the number was typed): say so. */
        public boolean pastEnd() {
            return page + 1 > pages();
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
            rows.add(new Row((String) c[0], (String) c[1], status, date(c[3]), date(c[4]), (String) c[5],
                    SqlTimestamps.instant(c[6]), c[7] != null && !status.isClosed(), revision,
                    !status.isClosed() && ((Number) c[9]).intValue() < revision, c[10] != null,
                    QueueActions.sent(status, SqlTimestamps.instant(c[11]), SqlTimestamps.instant(c[14])),
                    c[12] != null, ((Number) c[13]).longValue(), ((Number) c[15]).longValue()));
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
        Sql where = where(org, filter, "select o.reference, v.name, o.status, o.requested_date, o.expected_date,"
                + " o.tracking_number, o.updated_at, o.reopened_at, o.revision, o.acknowledged_revision, v.email,"
                + " o.notified_at, o.decline_handled_at, o.version, o.first_opened_at, o.id"
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
}
