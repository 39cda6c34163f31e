package io.portlink.shipment;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.portlink.link.AccessLink;
import io.portlink.platform.OneTrip;
import io.portlink.platform.SqlTimestamps;
import io.portlink.timeline.Visibility;

/**
 * The customer's tracking page read in few statements, into records (no managed entity, no HQL), on a connection the
 * caller holds: {@link #read} (the link by its token's hash with whether it opens, its organisation, the shipment with
 * its current stage and the pipeline's stages, the organisation's settings, the link's options and its count of picked
 * photos: one statement, one row per pipeline stage; with it, in the same round trip on PostgreSQL, the stops, the
 * customer-visible timeline entries and customer notes, by the same token's hash: one), and {@link #proof} after
 * delivery only (one). Plain SQL that PostgreSQL and H2 both read; every statement is served by an index on the token's
 * hash or the shipment's or link's id (no statement grows with the number of shipments). Values are read as stored: the
 * rules that decide what the customer sees stay in {@link TrackingPages}. Errors are the driver's
 * {@link SQLException}s.
 */
final class TrackingPageReads {

    private TrackingPageReads() {
    }

    /** One stage of the shipment's pipeline, in order: its id, place (from 0), name and standard milestone. */
    record Stage(long id, int position, String name, Milestone milestone) {
    }

    /**
     * What the page reads of a link (its id, whether it opens, its organisation's name, logo digest, country, zone and
     * language), its shipment, the organisation's settings and the link's options, in one row set. Settings are the
     * defaults of {@link ShipmentSettings} when the organisation has no row; the options {@link TrackingLinks.Options}
     * DEFAULTS when the link has none. Instants are UTC; {@code stages} is the pipeline's, ordered by position.
     */
    record Page(long linkId, boolean linkUsable, String organizationName, String logoDigest, String country,
            String timeZone, String language, long shipmentId, long organizationId, String title,
            String customerLanguage, Instant deletedAt, Instant deliveredAt, int openExceptions, Long heroPhotoId,
            Instant lastPositionAt, BigDecimal lastLatitude, BigDecimal lastLongitude, Instant currentEta,
            boolean etaDateOnly, LocalDate estimatedArrival, String carrier, String trackingNumber, String senderName,
            long stageId, int stagePosition, Milestone stageMilestone, String stageName, boolean mapEnabled,
            int positionFreshMinutes, int linkDaysAfterDelivery, boolean showVendorName, boolean showProofOfDelivery,
            TrackingLinks.Options options, int pickedPhotos, List<Stage> stages) {
    }

    /** A stop as the page reads it (see {@link ShipmentStop}): instants UTC, coordinates WGS 84 degrees or null. */
    record Stop(int position, ShipmentStop.Kind kind, String name, String address, BigDecimal latitude,
            BigDecimal longitude, String zone, Instant windowFrom, Instant windowTo, Instant arrivedAt,
            Instant departedAt) {
    }

    /** A customer-visible timeline entry, newest first: its time (UTC), kind (a ShipmentEvent name) and detail. */
    record Entry(Instant at, String kind, String detail) {
    }

    /** A customer note, newest first: its time (UTC) and text. */
    record Note(Instant at, String body) {
    }

    /** The timeline entries ({@code limitEntries} newest) and customer notes ({@code limitNotes} newest) of a page. */
    record Updates(List<Entry> entries, List<Note> notes) {
    }

    /** A page's stops in order, and its updates. */
    record Details(List<Stop> stops, Updates updates) {
    }

    /**
     * The proof of delivery's parts the page names: when, who received it, how many photos, whether it is signed.
     */
    record Proof(Instant deliveredAt, String receiverName, int photos, boolean signed) {
    }

    // The link by its token's hash and scope (AccessLink.isUsable: not revoked, not expired, organisation active), its
    // organisation, its shipment with the current stage, settings, the link's options and picked photos, one row per
    // pipeline stage (the left join keeps the row without stages). By the token's unique index, primary keys and the
    // (pipeline_id, position) and (access_link_id, position) unique indexes.
    private static final String PAGE = "select l.id, " + AccessLink.USABLE_SQL + ", g.name, g.logo_digest, g.country,"
            + " g.time_zone, g.language, s.id, s.organization_id, s.title, s.customer_language, s.deleted_at,"
            + " s.delivered_at, s.open_exceptions, s.hero_photo_id, s.last_position_at, s.last_latitude,"
            + " s.last_longitude, s.current_eta, s.eta_date_only, s.estimated_arrival, s.carrier, s.tracking_number,"
            + " s.sender_name, cur.id, cur.position, cur.milestone, cur.name,"
            + " ss.organization_id, ss.map_enabled, ss.position_fresh_minutes, ss.link_days_after_delivery,"
            + " ss.show_vendor_name, ss.show_proof_of_delivery,"
            + " o.access_link_id, o.show_hero_photo, o.show_estimated_arrival, o.show_progress, o.show_customer_notes,"
            + " (select count(*) from tracking_link_photo p where p.access_link_id = l.id),"
            + " st.id, st.position, st.name, st.milestone" //
            + " from access_link l join organization g on g.id = l.organization_id"
            + " left join shipment s on s.id = l.shipment_id left join shipment_stage cur on cur.id = s.stage_id"
            + " left join shipment_settings ss on ss.organization_id = s.organization_id"
            + " left join tracking_link_options o on o.access_link_id = l.id"
            + " left join shipment_stage st on st.pipeline_id = s.pipeline_id" //
            + " where l.token_hash = ? and l.scope = ? order by st.position";

    // The link's shipment and organisation by the token's hash and scope (its unique index), found once for the three
    // sources below (a common table expression referred to more than once is computed once): the details are keyed by
    // the token, as the page's row is, so that both go to the database in one round trip (OneTrip). A link of another
    // scope or none reads no rows.
    private static final String LINK = "with link as (select l.shipment_id, l.organization_id from access_link l"
            + " where l.token_hash = ? and l.scope = ?) ";
    private static final String LINKED_SHIPMENT = "(select shipment_id from link)";
    private static final String LINKED_ORGANIZATION = "(select organization_id from link)";

    // The stops (by the (shipment_id, position) unique index), the newest customer-visible timeline entries and the
    // newest customer notes (each by its (shipment_id, ...) index) in one statement: a union of three sources told
    // apart by the first column, in thirteen columns (source, stop position, row id, kind, name or text, address,
    // latitude, longitude, zone, and four instants: a stop's window, arrival and departure, or an entry's or note's
    // time). The notes are
    // read whatever the link's options (at most NOTES_SHOWN rows): the view drops them when the options hide them.
    // A union's rows come in no promised order: each source's order is set after reading.
    private static final String NO_INT = "cast(null as integer)";
    private static final String NO_TEXT = "cast(null as varchar(1))";
    private static final String NO_NUMBER = "cast(null as numeric(9,6))";
    private static final String NO_TIME = "cast(null as timestamp(6) with time zone)";
    private static final String STOP_ROWS = "(select 0, position, cast(null as bigint), kind, name, address, latitude,"
            + " longitude, zone, window_from, window_to, arrived_at, departed_at from shipment_stop where shipment_id = "
            + LINKED_SHIPMENT + ")";
    private static final String ENTRY_ROWS = "(select 1, " + NO_INT + ", id, kind, detail, " + NO_TEXT + ", "
            + NO_NUMBER + ", " + NO_NUMBER + ", " + NO_TEXT + ", at, " + NO_TIME + ", " + NO_TIME + ", " + NO_TIME
            + " from timeline_entry where shipment_id = " + LINKED_SHIPMENT + " and organization_id = "
            + LINKED_ORGANIZATION + " and visibility = ?" + " order by at desc, id desc fetch first "
            + TrackingPages.HISTORY_SHOWN * 2 + " rows only)";
    private static final String NOTE_ROWS = "(select 2, " + NO_INT + ", id, " + NO_TEXT + ", body, " + NO_TEXT + ", "
            + NO_NUMBER + ", " + NO_NUMBER + ", " + NO_TEXT + ", at, " + NO_TIME + ", " + NO_TIME + ", " + NO_TIME
            + " from shipment_note where shipment_id = " + LINKED_SHIPMENT + " and scope = ?"
            + " order by at desc, id desc fetch first " + TrackingPages.NOTES_SHOWN + " rows only)";
    private static final String DETAILS = LINK + STOP_ROWS + " union all " + ENTRY_ROWS + " union all " + NOTE_ROWS;

    // By the shipment_id unique index and the (proof_id, kind, position) one.
    private static final String PROOF = "select p.delivered_at, p.receiver_name,"
            + " (select count(*) from proof_of_delivery_image i where i.proof_id = p.id and i.kind = 'PHOTO'),"
            + " (select count(*) from proof_of_delivery_image i where i.proof_id = p.id and i.kind = 'SIGNATURE')"
            + " from proof_of_delivery p where p.shipment_id = ?";

    /** A link's page row set, and its shipment's details ({@link #read}). */
    record Read(Page page, Details details) {
    }

    /**
     * The page's row set of a tracking link by its token's hash, and its shipment's details, on {@code c} (any
     * transaction or none), in one round trip on PostgreSQL ({@link OneTrip}); null for no link of that hash and scope.
     * {@code now} decides whether the link is usable; the shipment's fields are null-ish ({@code shipmentId} 0) and the
     * details empty when the link names no shipment. The details are those of {@link #details}.
     */
    static Read read(Connection c, String tokenHash, Instant now) throws SQLException {
        String scope = TrackingPages.SCOPE.name();
        OneTrip.Both<Page, Details> both = OneTrip.read(c, new OneTrip.Select<>(PAGE, (ps, first) -> {
            SqlTimestamps.bind(ps, first, now);
            ps.setString(first + 1, tokenHash);
            ps.setString(first + 2, scope);
            return first + 3;
        }, TrackingPageReads::page), new OneTrip.Select<>(DETAILS, (ps, first) -> {
            ps.setString(first, tokenHash);
            ps.setString(first + 1, scope);
            ps.setString(first + 2, Visibility.CUSTOMER.name());
            ps.setString(first + 3, NoteScope.CUSTOMER.name());
            return first + 4;
        }, TrackingPageReads::details));
        return both.first() == null ? null : new Read(both.first(), both.second());
    }

    private static Page page(ResultSet rs) throws SQLException {
        if (!rs.next()) {
            return null;
        }
        long linkId = rs.getLong(1);
        boolean usable = rs.getInt(2) == 1;
        String organizationName = rs.getString(3);
        String logoDigest = rs.getString(4);
        String country = rs.getString(5);
        String timeZone = rs.getString(6);
        String language = rs.getString(7);
        final int o = 7;
        long id = rs.getLong(o + 1);
        long organizationId = rs.getLong(o + 2);
        String title = rs.getString(o + 3);
        String customerLanguage = rs.getString(o + 4);
        Instant deletedAt = SqlTimestamps.instant(rs, o + 5);
        Instant deliveredAt = SqlTimestamps.instant(rs, o + 6);
        int openExceptions = rs.getInt(o + 7);
        long hero = rs.getLong(o + 8);
        Long heroPhotoId = rs.wasNull() ? null : hero;
        Instant lastPositionAt = SqlTimestamps.instant(rs, o + 9);
        BigDecimal lastLatitude = rs.getBigDecimal(o + 10);
        BigDecimal lastLongitude = rs.getBigDecimal(o + 11);
        Instant currentEta = SqlTimestamps.instant(rs, o + 12);
        boolean etaDateOnly = rs.getBoolean(o + 13);
        LocalDate estimatedArrival = rs.getObject(o + 14, LocalDate.class);
        String carrier = rs.getString(o + 15);
        String trackingNumber = rs.getString(o + 16);
        String senderName = rs.getString(o + 17);
        long stageId = rs.getLong(o + 18);
        int stagePosition = rs.getInt(o + 19);
        String milestone = rs.getString(o + 20);
        Milestone stageMilestone = milestone == null ? null : Milestone.valueOf(milestone);
        String stageName = rs.getString(o + 21);
        rs.getLong(o + 22);
        boolean hasSettings = !rs.wasNull();
        ShipmentSettings defaults = hasSettings ? null : new ShipmentSettings();
        boolean mapEnabled = hasSettings ? rs.getBoolean(o + 23) : defaults.mapEnabled;
        int positionFreshMinutes = hasSettings ? rs.getInt(o + 24) : defaults.positionFreshMinutes;
        int linkDaysAfterDelivery = hasSettings ? rs.getInt(o + 25) : defaults.linkDaysAfterDelivery;
        boolean showVendorName = hasSettings ? rs.getBoolean(o + 26) : defaults.showVendorName;
        boolean showProofOfDelivery = hasSettings ? rs.getBoolean(o + 27) : defaults.showProofOfDelivery;
        rs.getLong(o + 28);
        TrackingLinks.Options options = rs.wasNull() ? TrackingLinks.Options.DEFAULTS : new TrackingLinks.Options(
                rs.getBoolean(o + 29), rs.getBoolean(o + 30), rs.getBoolean(o + 31), rs.getBoolean(o + 32));
        int picked = rs.getInt(o + 33);
        List<Stage> stages = new ArrayList<>();
        do {
            long stage = rs.getLong(o + 34);
            if (!rs.wasNull()) {
                stages.add(new Stage(stage, rs.getInt(o + 35), rs.getString(o + 36),
                        Milestone.valueOf(rs.getString(o + 37))));
            }
        } while (rs.next());
        return new Page(linkId, usable, organizationName, logoDigest, country, timeZone, language, id, organizationId,
                title, customerLanguage, deletedAt, deliveredAt, openExceptions, heroPhotoId, lastPositionAt,
                lastLatitude, lastLongitude, currentEta, etaDateOnly, estimatedArrival, carrier, trackingNumber,
                senderName, stageId, stagePosition, stageMilestone, stageName, mapEnabled, positionFreshMinutes,
                linkDaysAfterDelivery, showVendorName, showProofOfDelivery, options, picked, List.copyOf(stages));
    }

    /**
     * A shipment's stops in order (pickup first, delivery last), its newest {@code 2 × HISTORY_SHOWN} customer-visible
     * timeline entries and its newest {@link TrackingPages#NOTES_SHOWN} customer notes, each newest first (by time,
     * then id), from {@link #DETAILS}' rows.
     */
    private static Details details(ResultSet rs) throws SQLException {
        record Row(int source, Instant at, long id, String kind, String text) {
        }
        List<Stop> stops = new ArrayList<>(2);
        List<Row> rows = new ArrayList<>();
        while (rs.next()) {
            int source = rs.getInt(1);
            if (source == 0) {
                stops.add(new Stop(rs.getInt(2), ShipmentStop.Kind.valueOf(rs.getString(4)), rs.getString(5),
                        rs.getString(6), rs.getBigDecimal(7), rs.getBigDecimal(8), rs.getString(9),
                        SqlTimestamps.instant(rs, 10), SqlTimestamps.instant(rs, 11), SqlTimestamps.instant(rs, 12),
                        SqlTimestamps.instant(rs, 13)));
            } else {
                rows.add(new Row(source, SqlTimestamps.instant(rs, 10), rs.getLong(3), rs.getString(4),
                        rs.getString(5)));
            }
        }
        stops.sort(Comparator.comparingInt(Stop::position));
        rows.sort(Comparator.comparingInt(Row::source).thenComparing(Row::at, Comparator.reverseOrder())
                .thenComparing(Row::id, Comparator.reverseOrder()));
        List<Entry> entries = new ArrayList<>();
        List<Note> customerNotes = new ArrayList<>();
        for (Row r : rows) {
            if (r.source() == 1) {
                entries.add(new Entry(r.at(), r.kind(), r.text()));
            } else {
                customerNotes.add(new Note(r.at(), r.text()));
            }
        }
        return new Details(stops, new Updates(entries, customerNotes));
    }

    /** The proof of delivery of a shipment, or null without one. */
    static Proof proof(Connection c, long shipmentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(PROOF)) {
            ps.setLong(1, shipmentId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? new Proof(SqlTimestamps.instant(rs, 1), rs.getString(2), rs.getInt(3), rs.getInt(4) > 0)
                        : null;
            }
        }
    }
}
