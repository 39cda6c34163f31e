package io.portlink.shipment;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.platform.Fields;
import io.portlink.platform.Paging;
import io.portlink.platform.ValidationException;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * A shipment's positions: batches in (API, later the driver's page), the latest kept on the shipment, the history out
 * by page. A batch is all or nothing: every problem is listed with its index ({@code [3].latitude}) and nothing is
 * stored. A point reported again with the same recorded time is ignored (counted as a duplicate), so a retried batch is
 * harmless. Coordinates are degrees (WGS 84), kept to six decimals; times are instants (UTC). A batch that brings a
 * newer latest position recomputes a computed ETA from that one point ({@link ShipmentEtas#afterPosition}) after it is
 * committed, so no lock is held while a routing engine answers.
 */
@ApplicationScoped
public class ShipmentPositions {

    /** The most positions one batch may carry. */
    public static final int MAX_BATCH = 1000;
    /** How far ahead of our clock a device's time may be (clock skew) before a position counts as "in the future". */
    public static final Duration FUTURE_SKEW = Duration.ofMinutes(2);
    /**
     * How far back a position may have been recorded: older points say nothing about where the goods are now (and a
     * year like 0001 would be taken as the latest when it is the first).
     */
    public static final Duration MAX_AGE = Duration.ofDays(30);
    /** The source of a position that names none. */
    public static final String DEFAULT_SOURCE = "api";
    /** The source of a position a driver shared from a driver link; no other sender may claim it. */
    public static final String DRIVER_SOURCE = "driver";
    /** The least recorded time between two positions kept from one driver link. */
    public static final Duration LINK_SPACING = Duration.ofSeconds(20);

    private static final Pattern SOURCE = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,31}");
    private static final BigDecimal LAT_MAX = BigDecimal.valueOf(90);
    private static final BigDecimal LON_MAX = BigDecimal.valueOf(180);

    @Inject
    Clock clock;

    @Inject
    ShipmentEtas etas;

    /**
     * One position as sent: numbers as the JSON carried them (null when missing or not a number, then {@code raw*} says
     * what was sent), the recorded time as text (ISO-8601 with an offset), an optional source.
     */
    public record PositionInput(BigDecimal latitude, String rawLatitude, BigDecimal longitude, String rawLongitude,
            String recordedAt, String source) {
    }

    /** A stored position. */
    public record Position(BigDecimal latitude, BigDecimal longitude, Instant recordedAt, String source) {
    }

    /**
     * What a batch did: positions stored, repeats ignored, and the shipment's latest position now with its source (null
     * before the first): the first of {@link #page}'s order, newest recorded and, among points of one time, the last
     * stored.
     */
    public record Ingested(int accepted, int duplicates, Position latest) {
    }

    /** One page of a shipment's positions, newest recorded first. */
    public record Page(List<Position> items, long total, int page, int size) {
    }

    private record Point(Instant at, BigDecimal latitude, BigDecimal longitude) {
    }

    /**
     * Stores a batch for a live shipment of the organisation; empty for no such shipment. Writers of one shipment take
     * turns (its row lock), so two copies of one batch store it once. The batch is committed first; a batch that
     * brought a newer latest position then recomputes the ETA from it ({@link ShipmentEtas#afterPosition}), with no
     * lock held while the routing engine answers. Never inside a caller's transaction (a lock held there would be held
     * over that call).
     *
     * @throws ValidationException
     *             listing every problem: an empty or too large batch, a missing or out-of-range coordinate (latitude
     *             −90…90, longitude −180…180), a time that is missing, unreadable, more than {@link #FUTURE_SKEW} ahead
     *             or more than {@link #MAX_AGE} back, a source that is not a short lower-case word or that is
     *             {@link #DRIVER_SOURCE} from anything but a driver link
     */
    @Transactional(Transactional.TxType.NEVER)
    public Optional<Ingested> add(long organizationId, long shipmentId, List<PositionInput> batch) {
        return ingest(organizationId, shipmentId, batch, null);
    }

    /**
     * One position from a driver link ({@link DriverPages}), as {@link #add}, remembered with the link: a link keeps at
     * most one position per {@link #LINK_SPACING} of recorded time, so a point less than that after the link's latest
     * (or before it) is ignored and counted as a duplicate.
     */
    @Transactional(Transactional.TxType.NEVER)
    Optional<Ingested> addFromLink(long organizationId, long shipmentId, PositionInput position, long linkId) {
        return ingest(organizationId, shipmentId, List.of(position), linkId);
    }

    /** What a stored batch did, and the position it made the latest (null when it brought no newer one). */
    private record Stored(Ingested ingested, Position newer) {
    }

    private Optional<Ingested> ingest(long organizationId, long shipmentId, List<PositionInput> batch, Long linkId) {
        Stored stored = QuarkusTransaction.requiringNew().call(() -> store(organizationId, shipmentId, batch, linkId));
        if (stored == null) {
            return Optional.empty(); // an unknown shipment is the problem, whatever the batch holds
        }
        if (stored.newer() != null) {
            // committed: the row lock is released before the routing engine is asked
            Position p = stored.newer();
            etas.afterPosition(organizationId, shipmentId, p.latitude(), p.longitude(), p.recordedAt());
        }
        return Optional.of(stored.ingested());
    }

    private Stored store(long organizationId, long shipmentId, List<PositionInput> batch, Long linkId) {
        Optional<Shipment> found = Shipments.locked(organizationId, shipmentId);
        if (found.isEmpty()) {
            return null;
        }
        Shipment s = found.get();
        Instant now = Instant.now(clock);
        List<ShipmentPosition> valid = validate(batch, now, linkId != null);
        if (linkId != null && s.deliveredAt != null) {
            // never a driver's position after delivery: the link admitted it before a delivery committed meanwhile
            return new Stored(new Ingested(0, valid.size(), null), null);
        }
        Set<Point> seen = new HashSet<>();
        List<Instant> times = valid.stream().map(p -> p.recordedAt).distinct().toList();
        for (int from = 0; from < times.size(); from += 500) {
            List<Object[]> stored = ShipmentPosition.getEntityManager()
                    .createQuery("select p.recordedAt, p.latitude, p.longitude from ShipmentPosition p"
                            + " where p.shipment.id = ?1 and p.recordedAt in ?2", Object[].class)
                    .setParameter(1, s.id).setParameter(2, times.subList(from, Math.min(times.size(), from + 500)))
                    .getResultList();
            for (Object[] row : stored) {
                seen.add(point((Instant) row[0], (BigDecimal) row[1], (BigDecimal) row[2]));
            }
        }
        // the link's latest recorded time: read under the shipment's lock, so two posts of one link take turns
        Instant linkLatest = linkId == null ? null
                : ShipmentPosition.getEntityManager()
                        .createQuery("select max(p.recordedAt) from ShipmentPosition p where p.accessLinkId = ?1",
                                Instant.class)
                        .setParameter(1, linkId).getSingleResult();
        int accepted = 0;
        Set<ShipmentPosition> added = new HashSet<>();
        for (ShipmentPosition p : valid) {
            if (linkId != null && linkLatest != null && p.recordedAt.isBefore(linkLatest.plus(LINK_SPACING))) {
                continue;
            }
            if (!seen.add(point(p.recordedAt, p.latitude, p.longitude))) {
                continue;
            }
            p.shipment = s;
            p.receivedAt = now;
            p.accessLinkId = linkId;
            p.persist();
            added.add(p);
            accepted++;
            if (linkId != null) {
                linkLatest = p.recordedAt;
            }
        }
        if (added.isEmpty() && s.lastPositionAt == null) {
            return new Stored(new Ingested(0, valid.size(), null), null);
        }
        ShipmentPosition.getEntityManager().flush();
        // the latest is the first of the list's order (recordedAt, then id): points sharing a time agree everywhere
        ShipmentPosition top = ShipmentPosition
                .<ShipmentPosition> find("shipment.id = ?1 order by recordedAt desc, id desc", s.id).firstResult();
        Position latest = new Position(top.latitude, top.longitude, top.recordedAt, top.source);
        if (added.contains(top)) {
            // a bulk update: a position is no edit, so the shipment's version (the edit form's check) stays
            Shipment.update("lastPositionAt = ?1, lastLatitude = ?2, lastLongitude = ?3 where id = ?4", top.recordedAt,
                    top.latitude, top.longitude, s.id);
            return new Stored(new Ingested(accepted, valid.size() - accepted, latest), latest);
        }
        return new Stored(new Ingested(accepted, valid.size() - accepted, latest), null);
    }

    /**
     * A live shipment's positions, newest recorded first and, among points of one time, the last stored first (the
     * order that also picks the shipment's latest position); empty for no such shipment.
     */
    @Transactional
    public Optional<Page> page(long organizationId, long shipmentId, Paging paging) {
        return Shipments.live(organizationId, shipmentId).map(s -> {
            var query = ShipmentPosition.<ShipmentPosition> find("shipment.id = ?1 order by recordedAt desc, id desc",
                    s.id);
            List<Position> items = query.page(paging.page(), paging.size()).list().stream()
                    .map(p -> new Position(p.latitude, p.longitude, p.recordedAt, p.source)).toList();
            return new Page(items, query.count(), paging.page(), paging.size());
        });
    }

    /**
     * What {@link #add} would refuse in this batch, without storing anything (for a body whose other problems, an
     * unknown field, are named in the same answer); empty when it would take it.
     */
    public List<ValidationException.FieldError> problems(List<PositionInput> batch) {
        try {
            validate(batch, Instant.now(clock), false);
            return List.of();
        } catch (ValidationException e) {
            return e.errors();
        }
    }

    private static List<ShipmentPosition> validate(List<PositionInput> batch, Instant now, boolean fromLink) {
        var errors = new ValidationException.Builder();
        if (batch == null || batch.isEmpty()) {
            errors.add("positions", "send at least one position: a JSON array of {latitude, longitude, recordedAt}",
                    null);
            errors.throwIfAny();
        }
        if (batch.size() > MAX_BATCH) {
            errors.add("positions", "at most " + MAX_BATCH + " positions a request; send the rest in another one",
                    Integer.toString(batch.size()));
            errors.throwIfAny();
        }
        List<ShipmentPosition> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            PositionInput in = batch.get(i);
            String at = "[" + i + "].";
            if (in == null) {
                errors.add("[" + i + "]", "must be an object {latitude, longitude, recordedAt}", null);
                continue;
            }
            BigDecimal lat = coordinate(in.latitude(), in.rawLatitude(), LAT_MAX, at + "latitude", errors);
            BigDecimal lon = coordinate(in.longitude(), in.rawLongitude(), LON_MAX, at + "longitude", errors);
            Instant recorded = null;
            if (in.recordedAt() == null || in.recordedAt().isBlank()) {
                errors.add(at + "recordedAt", "is required: when the position was recorded, like 2026-12-01T09:30:00Z",
                        null);
            } else {
                try {
                    // the database keeps microseconds: a retry must meet the stored point, not a finer one
                    recorded = OffsetDateTime.parse(in.recordedAt().strip()).toInstant()
                            .truncatedTo(java.time.temporal.ChronoUnit.MICROS);
                    if (recorded.isAfter(now.plus(FUTURE_SKEW))) {
                        errors.add(at + "recordedAt", "is in the future; send the time the device recorded it",
                                in.recordedAt());
                        recorded = null;
                    } else if (recorded.isBefore(now.minus(MAX_AGE))) {
                        errors.add(at + "recordedAt", "must be within the last " + MAX_AGE.toDays() + " days",
                                in.recordedAt());
                        recorded = null;
                    }
                } catch (DateTimeException e) {
                    errors.add(at + "recordedAt",
                            Fields.isoDateTimeProblem(in.recordedAt(),
                                    "must be an ISO-8601 date and time with its offset, like 2026-12-01T09:30:00Z"),
                            in.recordedAt());
                }
            }
            String source = in.source() == null || in.source().isBlank() ? DEFAULT_SOURCE
                    : in.source().strip().toLowerCase(java.util.Locale.ROOT);
            if (!SOURCE.matcher(source).matches()) {
                errors.add(at + "source", "must be a short word of letters, digits, '.', '_' or '-' (e.g. gps)",
                        in.source());
            } else if (!fromLink && DRIVER_SOURCE.equals(source)) {
                // the tracking page and the API trust "driver" as the driver's own phone through their link
                errors.add(at + "source", "\"driver\" names positions a driver shared from a driver link; name your"
                        + " device or system instead (e.g. gps, telematics)", in.source());
            }
            if (lat != null && lon != null && recorded != null) {
                ShipmentPosition p = new ShipmentPosition();
                p.latitude = lat;
                p.longitude = lon;
                p.recordedAt = recorded;
                p.source = source;
                out.add(p);
            }
        }
        errors.throwIfAny();
        return out;
    }

    private static BigDecimal coordinate(BigDecimal value, String raw, BigDecimal max, String field,
            ValidationException.Builder errors) {
        if (value == null) {
            errors.add(field, raw == null ? "is required (degrees, a number)" : "must be a number of degrees", raw);
            return null;
        }
        if (value.abs().compareTo(max) > 0) {
            errors.add(field, "must be between -" + max + " and " + max + " degrees",
                    raw != null ? raw : value.toString());
            return null;
        }
        return micro(value);
    }

    /**
     * Degrees as a form writes them: a plain decimal of at most 32 characters, an exponent of at most two digits
     * allowed (a phone's script writes 1e-7); never {@code 1e-2147483647}, whose rounding would not end.
     */
    private static final Pattern DEGREES = Pattern
            .compile("[+-]?([0-9]{1,3}(\\.[0-9]{0,24})?|\\.[0-9]{1,24})([eE][+-]?[0-9]{1,2})?");

    /** Typed degrees ({@link #DEGREES}), or null for anything else (then the text is reported as not a number). */
    static BigDecimal degrees(String text) {
        if (text == null) {
            return null;
        }
        String v = text.strip();
        return v.length() <= 32 && DEGREES.matcher(v).matches() ? new BigDecimal(v) : null;
    }

    /**
     * Below half a millionth of a degree: 0 at six decimals, without rounding a number of any scale (1E-2147483647).
     */
    private static final BigDecimal HALF_MICRO = new BigDecimal("0.0000005");

    /** Degrees at six decimals, half up. */
    static BigDecimal micro(BigDecimal value) {
        return value.abs().compareTo(HALF_MICRO) < 0 ? BigDecimal.ZERO.setScale(6)
                : value.setScale(6, RoundingMode.HALF_UP);
    }

    private static Point point(Instant at, BigDecimal latitude, BigDecimal longitude) {
        // stored values come back with scale 6, as new ones are rounded: compare them as equal numbers
        return new Point(at, latitude.setScale(6, RoundingMode.HALF_UP), longitude.setScale(6, RoundingMode.HALF_UP));
    }
}
