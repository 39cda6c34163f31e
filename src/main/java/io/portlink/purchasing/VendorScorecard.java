package io.portlink.purchasing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * How a vendor did over the last {@value #DAYS} days (the organisation's clock), counted by the database for one vendor
 * at a time (three aggregate queries on the vendor's indexes; no order is loaded):
 * <ul>
 * <li>of the orders <em>sent</em> in the window ({@code notified_at}, the first time the link went out): how many the
 * vendor <em>answered</em> (a {@code CONFIRMED} or {@code DECLINED} timeline entry), how many it declined, and the time
 * from sending to its first confirmation (median and average);</li>
 * <li>of the orders <em>delivered</em> in the window ({@code closed_at} of a {@code DELIVERED} order): how many on
 * time, that is on or before the requested date (the expected date when none was requested), the delivery's day taken
 * in the organisation's time zone. Orders with neither date are not counted.</li>
 * </ul>
 */
@ApplicationScoped
public class VendorScorecard {

    /** The window, in days back from now. */
    public static final int DAYS = 90;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    /**
     * The counts; rates are whole percent, null when there is nothing to divide by, hours null when nothing was
     * confirmed.
     */
    public record Card(Instant from, Instant to, long sent, long answered, long declined, long confirmed,
            Double medianHours, Double averageHours, long delivered, long onTime) {

        /** The window in days. */
        public int window() {
            return DAYS;
        }

        public Integer responseRate() {
            return percent(answered, sent);
        }

        public Integer declineRate() {
            return percent(declined, sent);
        }

        public Integer onTimeRate() {
            return percent(onTime, delivered);
        }

        /**
         * "45 min" (whole minutes, "< 1 min") under an hour, "3.5 h", or "2.1 days" from 48 hours on; "–" when none.
         */
        public static String duration(Double hours) {
            if (hours == null) {
                return "–";
            }
            if (hours < 1) {
                long minutes = Math.round(hours * 60);
                return minutes < 1 ? "< 1 min" : minutes + " min";
            }
            return hours < 48 ? String.format(java.util.Locale.ROOT, "%.1f h", hours)
                    : String.format(java.util.Locale.ROOT, "%.1f days", hours / 24);
        }

        public String median() {
            return duration(medianHours);
        }

        public String average() {
            return duration(averageHours);
        }

        /** The rates as bars (0–100 %). */
        public Chart rates() {
            return new Chart("rates", "Rates over the last " + DAYS + " days",
                    List.of(Bar.percent("Response", responseRate(), answered + " of " + sent + " sent"),
                            Bar.percent("On time", onTimeRate(), onTime + " of " + delivered + " delivered"),
                            Bar.percent("Declined", declineRate(), declined + " of " + sent + " sent")));
        }

        /**
         * Median and average confirmation time, the longer one a full bar; the scale is at least an hour, so that
         * minutes draw as short bars (not two full ones) and no time draws none.
         */
        public Chart confirmation() {
            double max = Math.max(1,
                    Math.max(medianHours == null ? 0 : medianHours, averageHours == null ? 0 : averageHours));
            return new Chart("confirmation", "Time from sending to confirmation", List
                    .of(Bar.of("Median", medianHours, max, median()), Bar.of("Average", averageHours, max, average())));
        }

        private static Integer percent(long part, long whole) {
            return whole == 0 ? null : (int) Math.round(100.0 * part / whole);
        }
    }

    /** A small horizontal bar chart as the page draws it in SVG (geometry in SVG user units). */
    public record Chart(String id, String title, List<Bar> bars) {

        public static final int WIDTH = 360;
        public static final int LABEL = 80;
        public static final int TRACK = 170;
        public static final int ROW = 28;

        public int height() {
            return bars.size() * ROW + 4;
        }

        public int width() {
            return WIDTH;
        }

        public int barX() {
            return LABEL;
        }

        public int track() {
            return TRACK;
        }

        public int valueX() {
            return LABEL + TRACK + 8;
        }

        /** Top of bar {@code i} (0-based). */
        public int y(int i) {
            return i * ROW + 4;
        }

        /** Baseline of bar {@code i}'s texts. */
        public int textY(int i) {
            return i * ROW + 18;
        }
    }

    /**
     * One bar: {@code fraction} of the track filled (0–1), {@code value} as text beside it, {@code note} the counts
     * behind it.
     */
    public record Bar(String label, double fraction, String value, String note) {

        static Bar percent(String label, Integer percent, String note) {
            return new Bar(label, percent == null ? 0 : percent / 100.0, percent == null ? "–" : percent + " %", note);
        }

        static Bar of(String label, Double value, double max, String text) {
            return new Bar(label, value == null || max <= 0 ? 0 : value / max, text, null);
        }

        /** Filled width in SVG units for a track of {@code track} units; at least 1 when not zero, so it shows. */
        public long width(int track) {
            return fraction <= 0 ? 0 : Math.max(1, Math.round(fraction * track));
        }
    }

    /** The vendor's card as of now; empty when the organisation has no such vendor. */
    @Transactional
    public Optional<Card> of(long organizationId, long vendorId) {
        Vendor vendor = Vendor.<Vendor> find("id = ?1 and organization.id = ?2", vendorId, organizationId)
                .firstResult();
        if (vendor == null) {
            return Optional.empty();
        }
        Instant to = Instant.now(clock);
        // 90 days on the organisation's calendar, so the window reads the same time of day at both ends across a
        // daylight-saving change (90 × 24 hours would start an hour off)
        Instant from = to.atZone(vendor.organization.format().zone()).minusDays(DAYS).toInstant();
        Object[] answers = single(ANSWERS, vendorId, from, to);
        Object[] times = single(TIMES, vendorId, from, to);
        Object[] deliveries = single(deliveriesSql(vendor.organization.format().zone()), vendorId, from, to);
        return Optional.of(new Card(from, to, number(answers[0]), number(answers[1]), number(answers[2]),
                number(times[0]), hours(times[2]), hours(times[1]), number(deliveries[0]), number(deliveries[1])));
    }

    /**
     * Sent in the window ({@code ?2} to {@code ?3}), answered, declined: on {@code purchase_order_vendor_notified_ix}.
     */
    static final String ANSWERS = "select count(*),"
            + " coalesce(sum(case when exists (select 1 from timeline_entry t where t.purchase_order_id = o.id"
            + " and t.kind in ('CONFIRMED', 'DECLINED')) then 1 else 0 end), 0),"
            + " coalesce(sum(case when exists (select 1 from timeline_entry t where t.purchase_order_id = o.id"
            + " and t.kind = 'DECLINED') then 1 else 0 end), 0)"
            + " from purchase_order o where o.vendor_id = ?1 and o.notified_at >= ?2 and o.notified_at < ?3";

    /** Confirmed, average and median seconds from sending to the first confirmation, of the orders sent then. */
    static final String TIMES = "select count(x.secs), avg(x.secs),"
            + " percentile_cont(0.5) within group (order by x.secs) from ("
            + " select case when y.confirmed_at is null then null when y.confirmed_at < y.notified_at then 0"
            + " else extract(epoch from y.confirmed_at) - extract(epoch from y.notified_at) end as secs from ("
            + " select o.notified_at as notified_at, (select min(t.at) from timeline_entry t"
            + " where t.purchase_order_id = o.id and t.kind = 'CONFIRMED') as confirmed_at"
            + " from purchase_order o where o.vendor_id = ?1 and o.notified_at >= ?2 and o.notified_at < ?3) y) x";

    /**
     * Delivered in the window and of those on time, the day of delivery in {@code zone}: on purchase_order_vendor_ix.
     */
    static String deliveriesSql(ZoneId zone) {
        // a ZoneId's own id (letters, digits, / _ + -) is safe to write into the statement
        String id = zone.getId().matches("[A-Za-z0-9/_+-]+") ? zone.getId() : "UTC";
        return "select count(*), coalesce(sum(case when cast((o.closed_at at time zone '" + id + "') as date)"
                + " <= coalesce(o.requested_date, o.expected_date) then 1 else 0 end), 0)"
                + " from purchase_order o where o.vendor_id = ?1 and o.closed_at >= ?2 and o.closed_at < ?3"
                + " and o.status = 'DELIVERED' and coalesce(o.requested_date, o.expected_date) is not null";
    }

    private Object[] single(String sql, long vendorId, Instant from, Instant to) {
        return (Object[]) em.createNativeQuery(sql).setParameter(1, vendorId).setParameter(2, from).setParameter(3, to)
                .getSingleResult();
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static Double hours(Object seconds) {
        return seconds == null ? null : ((Number) seconds).doubleValue() / 3600;
    }
}
