package io.portlink.purchasing;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.portlink.organization.Organization;
import io.portlink.platform.Convention;
import io.portlink.platform.Sheets;
import io.portlink.platform.ValidationException;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The order list as a file: the orders of a filter ({@link OrderQueue.Filter}: bucket, status, search, dates), one row
 * per order or one row per line, as CSV or XLSX ({@link Sheets}). Written while read: orders in batches of
 * {@link #BATCH} by id (keyset: {@code id > last}, on the (organisation, id) index), each batch in a short read-only
 * transaction of its own, and a batch's lines likewise {@link #BATCH} at a time; memory holds one batch whatever the
 * size of the list. Rows are in the order the orders were created (by id), not the page's sort. Always within one
 * organisation: the filter's SQL starts with it.
 */
@ApplicationScoped
public class OrderExport {

    /** Orders (and lines) read per statement. */
    public static final int BATCH = 1_000;

    @Inject
    EntityManager em;

    @Inject
    OrderQueue queue;

    @Inject
    Clock clock;

    /** The file's format. */
    public enum Format {
        CSV("text/csv; charset=UTF-8"), XLSX("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

        public final String mediaType;

        Format(String mediaType) {
            this.mediaType = mediaType;
        }

        /**
         * @throws ValidationException
         *             ({@code format}) naming the formats
         */
        public static Format parse(String value) {
            try {
                return valueOf(value == null ? "" : value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ValidationException.of("format", "must be csv or xlsx", value);
            }
        }
    }

    /** One row per order, or one per order line. */
    public enum Rows {
        ORDERS, LINES;

        /**
         * {@code orders} (or absent) or {@code lines}.
         *
         * @throws ValidationException
         *             ({@code rows}) otherwise
         */
        public static Rows parse(String value) {
            if (value == null || value.isBlank()) {
                return ORDERS;
            }
            try {
                return valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ValidationException.of("rows", "must be orders or lines", value);
            }
        }
    }

    public static final List<String> ORDER_COLUMNS = List.of("reference", "status", "vendor_name", "vendor_email",
            "created_at", "requested_date", "expected_date", "carrier", "tracking_number", "delivery_address", "lines",
            "updated_at", "revision", "order_total", "cancel_reason");
    public static final List<String> LINE_COLUMNS = List.of("reference", "status", "vendor_name", "vendor_email",
            "created_at", "requested_date", "expected_date", "line_no", "sku", "description", "quantity", "unit",
            "unit_price", "currency");

    /**
     * An export ready to be written: checked (a bad search text is refused here, before the first byte), named, and
     * bound to its organisation.
     */
    public record Download(String fileName, Format format, Rows rows, long organizationId, OrderQueue.Filter filter,
            ZoneId zone, Convention.DecimalMark decimal) {
    }

    /**
     * Checks the filter and names the file {@code purchase-orders-<organisation>-<date>.csv} (or
     * {@code purchase-order-lines-…}), the date today in the organisation's zone. Empty when the organisation does not
     * exist.
     *
     * @throws ValidationException
     *             for a search text the list would refuse
     */
    public Optional<Download> prepare(long organizationId, OrderQueue.Filter filter, Format format, Rows rows) {
        filter.terms();
        return QuarkusTransaction.requiringNew().call(() -> {
            Organization org = Organization.findById(organizationId);
            if (org == null) {
                return Optional.empty();
            }
            var fmt = org.format();
            String name = (rows == Rows.LINES ? "purchase-order-lines-" : "purchase-orders-") + slug(org.name) + "-"
                    + fmt.today(clock) + "." + format.name().toLowerCase(Locale.ROOT);
            return Optional.of(new Download(name, format, rows, org.id, filter, fmt.zone(),
                    Convention.DecimalMark.of(org.country)));
        });
    }

    /** Writes the whole export onto {@code out} (left open), batch by batch. */
    public void write(Download download, OutputStream out) throws IOException {
        Sheets.Writer sheet = download.format() == Format.CSV ? Sheets.csv(out, download.decimal())
                : Sheets.xlsx(out, download.rows() == Rows.LINES ? "Lines" : "Orders");
        sheet.header(download.rows() == Rows.LINES ? LINE_COLUMNS : ORDER_COLUMNS);
        long after = 0;
        while (true) {
            long from = after;
            List<Object[]> orders = readOnly(() -> orders(download, from));
            if (orders.isEmpty()) {
                break;
            }
            if (download.rows() == Rows.ORDERS) {
                java.util.Map<Long, String> totals = readOnly(() -> totals(orders));
                for (Object[] o : orders) {
                    sheet.row(Arrays.asList(o[1], status(o[2]), o[3], o[4], moment(o[5], download.zone()), date(o[6]),
                            date(o[7]), o[8], o[9], o[10], ((Number) o[11]).longValue(), moment(o[12], download.zone()),
                            ((Number) o[13]).intValue(), totals.getOrDefault(((Number) o[0]).longValue(), null),
                            o[14]));
                }
            } else {
                lines(download, orders, sheet);
            }
            after = ((Number) orders.get(orders.size() - 1)[0]).longValue();
            if (orders.size() < BATCH) {
                break;
            }
        }
        sheet.finish();
    }

    /** The next batch of orders after id {@code after}: the list's own filter, keyset by id. */
    private List<Object[]> orders(Download download, long after) {
        Organization org = Organization.findById(download.organizationId());
        var where = queue.where(org, download.filter(), "select o.id, o.reference, o.status, v.name, v.email,"
                + " o.created_at, o.requested_date, o.expected_date, o.carrier, o.tracking_number, o.delivery_address,"
                + " (select count(*) from order_line c where c.order_id = o.id), o.updated_at, o.revision, o.cancel_reason"
                + " from purchase_order o join vendor v on v.id = o.vendor_id");
        List<Object> parameters = new ArrayList<>(where.parameters());
        parameters.add(after);
        parameters.add(BATCH);
        return rows(where.text() + " and o.id > ? order by o.id limit ?", parameters);
    }

    /** The statement of one batch of orders (public so tests can EXPLAIN exactly this). */
    public OrderQueue.Sql batchSql(Organization org, OrderQueue.Filter filter, long after) {
        var where = queue.where(org, filter, "select o.id from purchase_order o join vendor v on v.id = o.vendor_id");
        List<Object> parameters = new ArrayList<>(where.parameters());
        parameters.add(after);
        parameters.add(BATCH);
        return new OrderQueue.Sql(where.text() + " and o.id > ? order by o.id limit ?", parameters);
    }

    /** The lines of one batch of orders, {@link #BATCH} at a time, keyset by (order, line number, id). */
    private void lines(Download download, List<Object[]> orders, Sheets.Writer sheet) throws IOException {
        java.util.Map<Long, Object[]> byId = new java.util.HashMap<>();
        List<Object> ids = new ArrayList<>();
        for (Object[] o : orders) {
            long id = ((Number) o[0]).longValue();
            byId.put(id, o);
            ids.add(id);
        }
        String in = String.join(",", java.util.Collections.nCopies(ids.size(), "?"));
        long order = 0;
        int lineNo = 0;
        long lineId = 0;
        while (true) {
            List<Object> parameters = new ArrayList<>(ids);
            parameters.addAll(List.of(order, order, lineNo, lineNo, lineId, BATCH));
            List<Object[]> lines = readOnly(() -> rows("select l.order_id, l.line_no, l.id, l.sku, l.description,"
                    + " l.quantity, l.unit, l.unit_price, l.currency from order_line l where l.order_id in (" + in
                    + ") and (l.order_id > ? or (l.order_id = ? and (l.line_no > ? or (l.line_no = ? and l.id > ?))))"
                    + " order by l.order_id, l.line_no, l.id limit ?", parameters));
            for (Object[] l : lines) {
                Object[] o = byId.get(((Number) l[0]).longValue());
                sheet.row(Arrays.asList(o[1], status(o[2]), o[3], o[4], moment(o[5], download.zone()), date(o[6]),
                        date(o[7]), ((Number) l[1]).intValue(), l[3], l[4], decimal(l[5]), l[6], decimal(l[7]), l[8]));
            }
            if (lines.size() < BATCH) {
                return;
            }
            Object[] last = lines.get(lines.size() - 1);
            order = ((Number) last[0]).longValue();
            lineNo = ((Number) last[1]).intValue();
            lineId = ((Number) last[2]).longValue();
        }
    }

    /** The status as the pages name it ("Confirmed", not the stored ACKNOWLEDGED). */
    private static String status(Object stored) {
        return OrderStatus.valueOf(stored.toString()).label;
    }

    /**
     * Each order's total: quantity × unit price summed per currency ("GBP 12.00" or "EUR 3.50; GBP 12.00", currencies
     * in alphabetical order); no entry for an order whose lines have no prices. One grouped statement per batch.
     */
    private java.util.Map<Long, String> totals(List<Object[]> orders) {
        List<Object> ids = orders.stream().map(o -> (Object) ((Number) o[0]).longValue()).toList();
        String in = String.join(",", java.util.Collections.nCopies(ids.size(), "?"));
        java.util.Map<Long, String> totals = new java.util.HashMap<>();
        for (Object[] r : rows("select l.order_id, l.currency, sum(l.quantity * l.unit_price) from order_line l"
                + " where l.order_id in (" + in + ") and l.unit_price is not null and l.currency is not null"
                + " group by l.order_id, l.currency order by l.order_id, l.currency", ids)) {
            String amount = r[1] + " " + decimal(r[2]).setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
            totals.merge(((Number) r[0]).longValue(), amount, (a, b) -> a + "; " + b);
        }
        return totals;
    }

    /** A batch in a transaction of its own that writes nothing (the session reads without tracking). */
    private static <T> T readOnly(java.util.concurrent.Callable<T> read) {
        return QuarkusTransaction.requiringNew().call(read);
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> rows(String sql, List<Object> parameters) {
        var query = em.createNativeQuery(sql).setHint("org.hibernate.readOnly", true);
        for (int i = 0; i < parameters.size(); i++) {
            query.setParameter(i + 1, parameters.get(i));
        }
        return query.getResultList();
    }

    /** The organisation's name as a file name part: letters and digits, the rest one dash ("acme-trading-ltd"). */
    static String slug(String name) {
        String slug = java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFKD).replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        slug = slug.length() > 40 ? slug.substring(0, 40).replaceAll("-$", "") : slug;
        return slug.isEmpty() ? "organisation" : slug;
    }

    private static BigDecimal decimal(Object value) {
        return value == null ? null : value instanceof BigDecimal d ? d : new BigDecimal(value.toString());
    }

    private static LocalDate date(Object value) {
        return value == null ? null : value instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) value;
    }

    private static OffsetDateTime moment(Object value, ZoneId zone) {
        Instant at = value == null ? null : value instanceof Timestamp t ? t.toInstant()
                : value instanceof OffsetDateTime o ? o.toInstant() : (Instant) value;
        return at == null ? null : at.atZone(zone).toOffsetDateTime();
    }
}
