package io.portlink.shipment;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.portlink.platform.Fields;
import io.portlink.platform.Locales;
import io.portlink.platform.ValidationException;
import io.portlink.timeline.Visibility;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * A shipment's ETA, one model: a MANUAL one set by staff or the API (a date, or a date and time; the API's, CSV's and
 * staff's {@code estimatedArrival} date is that date), else one computed from the latest position and the delivery
 * stop's coordinates: the routing engine's route duration (ROUTE, when {@code portlink.routing.osrm-url} is set and
 * answers) or great-circle km × the organisation's detour factor ÷ its average speed (ESTIMATE). The computed ETA is
 * the later of now (the injected clock) and the position's recorded time, plus that duration: a position recorded an
 * hour ago does not put the arrival an hour earlier; nor is it before the delivery stop's window opens (the goods come
 * in the window booked, not when a truck could first be at the door). A position older than the organisation's position
 * freshness ({@link ShipmentSettings#positionFreshMinutes}) computes no ETA: the ETA it had stays (none when it had
 * none), and the planned ETA is never taken from it. Positions never overwrite a MANUAL ETA; clearing it goes back to
 * the computed one. {@link Shipment#plannedEta} is the first ETA known and is kept; {@link Shipment#currentEta} moves.
 * Every change of the current ETA fires {@link ShipmentEtaChanged} in its transaction. The routing engine is never
 * asked while a shipment's row is locked: a position's route is asked after its batch committed, and a change made
 * under the lock (a moved delivery stop, a cleared manual ETA) takes the estimate at once and the route after commit.
 */
@ApplicationScoped
public class ShipmentEtas {

    private static final Logger LOG = Logger.getLogger(ShipmentEtas.class);

    /** The mean Earth radius (km) of the haversine formula. */
    static final double EARTH_KM = 6371.0088;

    @Inject
    Clock clock;

    @Inject
    Shipments shipments;

    @Inject
    Event<ShipmentEtaChanged> etaChanged;

    @Inject
    Event<RouteWanted> routeWanted;

    @Inject
    io.portlink.platform.PortlinkConfig config;

    private volatile OsrmClient osrm;

    /**
     * A shipment's ETA: planned and current (UTC instants, null when none), where the current one came from, when it
     * was last set, whether it is a date only (a MANUAL ETA without a time: current is the end of that day in
     * {@code zone}), the zone it reads in (the delivery stop's, else the organisation's), and when the shipment was
     * delivered (UTC, null before): once delivered the current ETA is the last estimate made, no longer a forecast.
     */
    public record EtaView(Instant planned, Instant current, Shipment.EtaSource source, Instant updatedAt,
            boolean dateOnly, String zone, Instant deliveredAt) {

        /** The current ETA as a local date-time in {@link #zone}, or null. */
        public LocalDateTime localCurrent() {
            return current == null ? null : LocalDateTime.ofInstant(current, ZoneId.of(zone));
        }

        /** The planned ETA as a local date-time in {@link #zone}, or null. */
        public LocalDateTime localPlanned() {
            return planned == null ? null : LocalDateTime.ofInstant(planned, ZoneId.of(zone));
        }

        /**
         * Whether the planned ETA was a date alone: it is kept as an instant, and a date alone is stored as its day's
         * last second ({@link ShipmentEtas#endOfDay}), a time no computed ETA is given at in practice.
         */
        public boolean plannedDateOnly() {
            return planned != null && localPlanned().toLocalTime().equals(END_OF_DAY);
        }
    }

    /** The ETA of a live shipment; empty for no such shipment. */
    @Transactional
    public Optional<EtaView> of(long organizationId, long shipmentId) {
        return Shipments.live(organizationId, shipmentId).map(ShipmentEtas::view);
    }

    /**
     * Sets a MANUAL ETA: {@code date} with an optional {@code time} (local, in the delivery stop's zone, else the
     * organisation's); a null date clears it and the ETA is computed again from the latest position (or none). Empty
     * for no such shipment.
     *
     * @throws ValidationException
     *             on {@code estimatedArrival} for a date outside the years {@link Fields#FIRST_YEAR} to
     *             {@link Fields#LAST_YEAR}, or, for a shipment not yet delivered, a new date before the earliest today
     *             on earth (UTC−12)
     */
    @Transactional
    public Optional<EtaView> setManual(long organizationId, long shipmentId, LocalDate date, LocalTime time,
            ShipmentActor actor) {
        return Shipments.locked(organizationId, shipmentId).map(s -> {
            applyManual(s, date, time, actor);
            return view(s);
        });
    }

    /**
     * The manual ETA on a locked shipment (see {@link #setManual}); records it on the customer-visible timeline (detail
     * {@code 2026-03-31}, {@code 2026-03-31T14:30} or {@code cleared}) when it changed.
     */
    void applyManual(Shipment s, LocalDate date, LocalTime time, ShipmentActor actor) {
        if (date != null && (date.getYear() < Fields.FIRST_YEAR || date.getYear() > Fields.LAST_YEAR)) {
            throw ValidationException.of("estimatedArrival", "must be a date in the years " + Fields.FIRST_YEAR + " to "
                    + Fields.LAST_YEAR + ", written YYYY-MM-DD like 2026-03-31", date.toString());
        }
        Instant now = Instant.now(clock);
        Instant before = s.currentEta;
        if (date == null) {
            if (s.etaSource != Shipment.EtaSource.MANUAL && s.estimatedArrival == null) {
                return;
            }
            s.estimatedArrival = null;
            s.etaDateOnly = false;
            s.etaSource = null;
            s.currentEta = null;
            ShipmentStop delivery = ShipmentStops.deliveryOf(s.id);
            Computed c = s.lastPositionAt == null ? null
                    : estimateUnderLock(s, delivery, s.lastLatitude, s.lastLongitude, s.lastPositionAt);
            if (c != null) {
                s.currentEta = c.eta();
                s.etaSource = c.source();
            }
            s.etaUpdatedAt = now;
            s.updatedAt = now;
            shipments.record(s, actor, ShipmentEvent.ETA_CHANGED, "cleared", Visibility.CUSTOMER);
        } else {
            ZoneId zone = zone(s);
            LocalDate today = LocalDate.ofInstant(now, zone);
            // the day the goods arrive is the delivery's, so its zone's today decides, wherever the sender is (as the
            // vendor's expected delivery is from the buyer's today)
            LocalTime at = time == null ? END_OF_DAY : time.truncatedTo(ChronoUnit.MINUTES);
            Instant eta = date.atTime(at).atZone(zone).toInstant();
            boolean same = s.etaSource == Shipment.EtaSource.MANUAL && eta.equals(s.currentEta)
                    && s.etaDateOnly == (time == null);
            // the stored date sent back alone (a PATCH repeating what it read) changes nothing; a time added to a
            // day gone by is a new ETA in the past
            boolean storedDate = time == null && date.equals(s.estimatedArrival);
            if (s.deliveredAt == null && date.isBefore(today) && !same && !storedDate) {
                // the customer reads it as when the goods come: a day gone by is a typing error, not an estimate
                throw ValidationException.of("estimatedArrival", beforeToday(today, zone), date.toString());
            }
            if (same) {
                return;
            }
            s.estimatedArrival = date;
            s.etaDateOnly = time == null;
            s.etaSource = Shipment.EtaSource.MANUAL;
            s.currentEta = eta;
            if (s.plannedEta == null) {
                s.plannedEta = eta;
            }
            s.etaUpdatedAt = now;
            s.updatedAt = now;
            // ISO: the tracking page formats it for the customer's country and language; a time with its offset, so
            // that it still names the same moment after the delivery stop moves to another zone
            shipments.record(s, actor, ShipmentEvent.ETA_CHANGED, time == null ? date.toString() : etaDetail(eta, zone),
                    Visibility.CUSTOMER);
        }
        if (!Objects.equals(before, s.currentEta)) {
            etaChanged.fire(new ShipmentEtaChanged(s.organization.id, s.id));
        }
    }

    /**
     * An ETA with a time as its timeline entry records it: ISO 8601 local time with the offset it had in {@code zone}
     * ({@code 2026-12-10T10:30Z}, {@code 2026-12-10T11:30+01:00}), to the minute; read back by {@link #etaOfDetail}.
     */
    static String etaDetail(Instant eta, ZoneId zone) {
        return eta.atZone(zone).toOffsetDateTime().truncatedTo(ChronoUnit.MINUTES)
                .format(java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mmXXX"));
    }

    /**
     * An ETA timeline entry's moment, written in {@code times}' zone (named): the entry's offset places it
     * ({@link #etaDetail}); an entry from before offsets were recorded ({@code 2026-12-10T10:30}) is local to the
     * delivery stop as it is now; a date alone is that date.
     *
     * @throws java.time.DateTimeException
     *             for a detail of neither shape
     */
    static String etaOfDetail(String detail, ShipmentTimes times) {
        if (detail.length() == 10) {
            return times.date(java.time.LocalDate.parse(detail));
        }
        if (detail.length() > 16) {
            return times.at(java.time.OffsetDateTime.parse(detail).toInstant());
        }
        return times.local(java.time.LocalDateTime.parse(detail));
    }

    /**
     * After a committed position batch brought a newer latest position: recomputes a computed ETA from it (never a
     * MANUAL one, nor once delivered or arrived at the delivery stop, nor without the delivery stop's coordinates), in
     * three steps so that no row lock is held while the routing engine answers: what to route is read without a lock;
     * the engine is asked (short timeout; any failure falls back to the estimate) outside any transaction; then a short
     * transaction locks the shipment and applies the ETA only when that position is still the latest, the ETA still
     * computed and the delivery stop where it was (else a newer batch or the change itself computed it), and fires
     * {@link ShipmentEtaChanged} when it moved. A bulk update: a position is no edit, so the shipment's version stays.
     * Never inside a caller's transaction.
     */
    @Transactional(Transactional.TxType.NEVER)
    public void afterPosition(long organizationId, long shipmentId, BigDecimal latitude, BigDecimal longitude,
            Instant recordedAt) {
        route(organizationId, shipmentId, latitude, longitude, recordedAt);
    }

    private void route(long organizationId, long shipmentId, BigDecimal latitude, BigDecimal longitude,
            Instant recordedAt) {
        Leg leg = QuarkusTransaction.requiringNew()
                .call(() -> leg(organizationId, shipmentId, latitude, longitude, recordedAt, Instant.now(clock)));
        if (leg == null) {
            return;
        }
        Computed c = compute(leg, latitude, longitude, recordedAt);
        QuarkusTransaction.requiringNew()
                .run(() -> apply(organizationId, shipmentId, leg, latitude, longitude, recordedAt, c));
    }

    /**
     * The way to the delivery stop from a position and the organisation's estimate settings, or null when the position
     * gives no ETA (see {@link #afterPosition}); {@code opens} is the delivery window's start (UTC), or null when the
     * stop has no window.
     */
    private record Leg(BigDecimal toLatitude, BigDecimal toLongitude, BigDecimal detourFactor, int averageSpeedKmh,
            Instant opens) {

        /**
         * A drive's arrival as the ETA: never before the delivery window opens, since the goods are delivered in the
         * window booked with the customer, not when a truck could first be at the door.
         */
        Computed arriving(Instant arrival, Shipment.EtaSource source) {
            return new Computed(opens != null && arrival.isBefore(opens) ? opens : arrival, source);
        }
    }

    private static Leg leg(long organizationId, long shipmentId, BigDecimal latitude, BigDecimal longitude,
            Instant recordedAt, Instant now) {
        Shipment s = Shipments.live(organizationId, shipmentId).orElse(null);
        if (s == null || !latestAndComputed(s, latitude, longitude, recordedAt)) {
            return null;
        }
        return leg(s, ShipmentStops.deliveryOf(s.id), recordedAt, now);
    }

    /**
     * The way from a position recorded at {@code recordedAt} to the delivery stop, or null when there is none to
     * compute: no delivery stop with coordinates, already arrived there, or a position older than the organisation's
     * freshness at {@code now} (a stale position says nothing about when the goods arrive).
     */
    private static Leg leg(Shipment s, ShipmentStop delivery, Instant recordedAt, Instant now) {
        if (delivery == null || delivery.latitude == null || delivery.longitude == null || delivery.arrivedAt != null) {
            return null;
        }
        if (!underway(s)) {
            return null;
        }
        ShipmentSettings settings = settings(s.organization.id);
        if (stale(recordedAt, now, settings)) {
            return null;
        }
        return new Leg(delivery.latitude, delivery.longitude, settings.detourFactor, settings.averageSpeedKmh,
                delivery.windowFrom);
    }

    /**
     * Whether the goods are on their way: the stage is past BOOKED, or the pickup stop was left. Before that a position
     * is where the driver or the truck happens to be (another job, the depot, home), and an ETA from it would tell the
     * customer a time days before the pickup, and fix the planned ETA ({@link Shipment#plannedEta}) on it for good.
     */
    static boolean underway(Shipment s) {
        return s.stage.milestone != Milestone.BOOKED || ShipmentStop
                .count("shipment.id = ?1 and kind = ?2 and departedAt is not null", s.id, ShipmentStop.Kind.PICKUP) > 0;
    }

    /** Whether a position recorded at {@code recordedAt} is older than the organisation's freshness at {@code now}. */
    static boolean stale(Instant recordedAt, Instant now, ShipmentSettings settings) {
        return recordedAt.plus(Duration.ofMinutes(settings.positionFreshMinutes)).isBefore(now);
    }

    private void apply(long organizationId, long shipmentId, Leg leg, BigDecimal latitude, BigDecimal longitude,
            Instant recordedAt, Computed c) {
        Shipment s = Shipments.locked(organizationId, shipmentId).orElse(null);
        if (s == null || !latestAndComputed(s, latitude, longitude, recordedAt)) {
            return; // a newer position computes its own ETA; a manual one stays
        }
        Leg now = leg(s, ShipmentStops.deliveryOf(s.id), recordedAt, Instant.now(clock));
        if (now == null || !same(now.toLatitude(), leg.toLatitude()) || !same(now.toLongitude(), leg.toLongitude())) {
            return; // the delivery stop moved or was reached meanwhile: that change set the ETA
        }
        if (c.eta().equals(s.currentEta) && c.source() == s.etaSource && s.plannedEta != null) {
            return;
        }
        Instant before = s.currentEta;
        Shipment.update(
                "currentEta = ?1, etaSource = ?2, etaUpdatedAt = ?3, plannedEta = coalesce(plannedEta, ?1) where id = ?4",
                c.eta(), c.source(), Instant.now(clock), s.id);
        if (!c.eta().equals(before)) {
            // the bulk update bypassed the loaded shipment: delay detection must read the new ETA
            Shipment.getEntityManager().refresh(s);
            etaChanged.fire(new ShipmentEtaChanged(organizationId, s.id));
        }
    }

    /** Whether the position is still the shipment's latest and its ETA computed (not MANUAL), before delivery. */
    private static boolean latestAndComputed(Shipment s, BigDecimal latitude, BigDecimal longitude,
            Instant recordedAt) {
        return s.etaSource != Shipment.EtaSource.MANUAL && s.deliveredAt == null && recordedAt.equals(s.lastPositionAt)
                && same(latitude, s.lastLatitude) && same(longitude, s.lastLongitude);
    }

    private static boolean same(BigDecimal a, BigDecimal b) {
        return a == null ? b == null : b != null && a.compareTo(b) == 0;
    }

    /**
     * Re-anchors a date-only MANUAL ETA on a locked shipment whose delivery stop changed: the date is that day where
     * the goods arrive, so its instant (the day's last second) follows the delivery stop's zone ({@code delivery} null:
     * the organisation's); the date itself stays. An ETA with a time keeps its instant (the same moment, now read in
     * the new zone). A planned ETA that was a date alone in the zone {@code before} had stays that date in the new one,
     * whatever the current ETA is. True when the current instant moved (the caller fires {@link ShipmentEtaChanged}).
     */
    boolean rezone(Shipment s, ShipmentStop before, ShipmentStop delivery) {
        ZoneId was = ZoneId.of(before != null && before.zone != null ? before.zone : s.organization.timeZone);
        ZoneId zone = ZoneId.of(delivery != null ? delivery.zone : s.organization.timeZone);
        if (s.plannedEta != null && s.deliveredAt == null && !was.equals(zone)) {
            // a planned date alone (its day's last second where the goods arrived) stays that day where they arrive
            // now, whatever the ETA became since (a file's stops come after its date)
            LocalDateTime planned = LocalDateTime.ofInstant(s.plannedEta, was);
            if (planned.toLocalTime().equals(END_OF_DAY)) {
                s.plannedEta = endOfDay(planned.toLocalDate(), zone);
            }
        }
        if (s.etaSource != Shipment.EtaSource.MANUAL || !s.etaDateOnly || s.estimatedArrival == null
                || s.deliveredAt != null) {
            return false;
        }
        Instant eta = endOfDay(s.estimatedArrival, zone);
        if (eta.equals(s.currentEta)) {
            return false;
        }
        s.currentEta = eta;
        s.etaUpdatedAt = Instant.now(clock);
        return true;
    }

    /** A date-only ETA's instant: the last second of {@code date} in {@code zone}. */
    static Instant endOfDay(LocalDate date, ZoneId zone) {
        return date.atTime(END_OF_DAY).atZone(zone).toInstant();
    }

    private static final LocalTime END_OF_DAY = LocalTime.of(23, 59, 59);

    /**
     * Recomputes a computed ETA on a locked shipment from its latest position after the delivery stop changed place
     * (the estimate; the route after commit, see {@link #estimateUnderLock}); a MANUAL ETA stays. The caller fires
     * {@link ShipmentEtaChanged}.
     */
    void recompute(Shipment s, ShipmentStop delivery) {
        recompute(s, delivery, false);
    }

    /**
     * As {@link #recompute(Shipment, ShipmentStop)}, after the delivery window alone changed (a computed ETA is never
     * before it opens): with no estimate to make (no fresh position) the ETA stays, as the place did, moved up to the
     * window's opening when it is before it.
     */
    void rewindow(Shipment s, ShipmentStop delivery) {
        recompute(s, delivery, true);
    }

    private void recompute(Shipment s, ShipmentStop delivery, boolean keepWhenNone) {
        if (s.etaSource == Shipment.EtaSource.MANUAL || s.deliveredAt != null) {
            return;
        }
        Computed c = s.lastPositionAt == null ? null
                : estimateUnderLock(s, delivery, s.lastLatitude, s.lastLongitude, s.lastPositionAt);
        if (c == null && keepWhenNone) {
            // no estimate to make (a stale position): the ETA stays, but never before the window's new opening
            if (s.currentEta != null && delivery != null && delivery.windowFrom != null
                    && s.currentEta.isBefore(delivery.windowFrom)) {
                s.currentEta = delivery.windowFrom;
                s.etaUpdatedAt = Instant.now(clock);
            }
            return;
        }
        s.currentEta = c == null ? null : c.eta();
        s.etaSource = c == null ? null : c.source();
        s.etaUpdatedAt = Instant.now(clock);
        if (c != null && s.plannedEta == null && engine() == null) {
            s.plannedEta = c.eta(); // with an engine, the route after commit is the first ETA known
        }
    }

    /** A computed ETA and where it came from. */
    record Computed(Instant eta, Shipment.EtaSource source) {
    }

    /**
     * The estimate from a position on a locked shipment: never the routing engine, whose call must not hold the lock.
     * With an engine configured, the route is asked once the transaction has committed ({@link #routeAfterCommit}).
     */
    private Computed estimateUnderLock(Shipment s, ShipmentStop delivery, BigDecimal latitude, BigDecimal longitude,
            Instant recordedAt) {
        Instant now = Instant.now(clock);
        Leg leg = leg(s, delivery, recordedAt, now);
        if (leg == null) {
            return null;
        }
        if (engine() != null) {
            routeWanted.fire(new RouteWanted(s.organization.id, s.id));
        }
        return estimate(leg, latitude, longitude, start(recordedAt, now));
    }

    /** Asks for the route of a shipment's latest position once the transaction that wanted it has committed. */
    record RouteWanted(long organizationId, long shipmentId) {
    }

    /**
     * After a commit that estimated the ETA under the lock (a moved delivery stop, a cleared manual ETA): the route
     * from the latest position, as {@link #afterPosition} applies it (the position and the delivery stop must be
     * unchanged). A failure is logged; the estimate stays.
     */
    void routeAfterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) RouteWanted wanted) {
        try {
            record Latest(BigDecimal latitude, BigDecimal longitude, Instant at) {
            }
            Latest latest = QuarkusTransaction.requiringNew()
                    .call(() -> Shipments.live(wanted.organizationId(), wanted.shipmentId())
                            .filter(s -> s.lastPositionAt != null)
                            .map(s -> new Latest(s.lastLatitude, s.lastLongitude, s.lastPositionAt)).orElse(null));
            if (latest != null) {
                route(wanted.organizationId(), wanted.shipmentId(), latest.latitude(), latest.longitude(), latest.at());
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "The route of shipment %d was not computed; its estimate stays", wanted.shipmentId());
        }
    }

    /**
     * The route's duration from the engine when it answers, else the estimate; added to the later of now and the
     * recorded time ({@link #start}).
     */
    private Computed compute(Leg leg, BigDecimal latitude, BigDecimal longitude, Instant recordedAt) {
        Instant from = start(recordedAt, Instant.now(clock));
        OsrmClient engine = engine();
        if (engine != null) {
            OptionalDouble seconds = engine.duration(latitude, longitude, leg.toLatitude(), leg.toLongitude());
            if (seconds.isPresent()) {
                return leg.arriving(from.plusSeconds(Math.round(seconds.getAsDouble())), Shipment.EtaSource.ROUTE);
            }
        }
        return estimate(leg, latitude, longitude, from);
    }

    /**
     * Where the travel time starts: now, or the recorded time when the device's clock is a little ahead of ours. The
     * driver is still on the way now, so the arrival is never before now plus the remaining drive.
     */
    static Instant start(Instant recordedAt, Instant now) {
        return recordedAt.isAfter(now) ? recordedAt : now;
    }

    private static Computed estimate(Leg leg, BigDecimal latitude, BigDecimal longitude, Instant from) {
        double km = haversineKm(latitude.doubleValue(), longitude.doubleValue(), leg.toLatitude().doubleValue(),
                leg.toLongitude().doubleValue());
        return leg.arriving(from.plus(estimate(km, leg.detourFactor(), leg.averageSpeedKmh())),
                Shipment.EtaSource.ESTIMATE);
    }

    /**
     * The estimated driving time for a great-circle distance: km × detour factor ÷ average speed (km/h), to the second.
     */
    public static Duration estimate(double km, BigDecimal detourFactor, int averageSpeedKmh) {
        double hours = km * detourFactor.doubleValue() / Math.max(1, averageSpeedKmh);
        return Duration.ofSeconds(Math.round(hours * 3600));
    }

    /** The great-circle distance in km between two points (degrees, WGS 84 on a sphere: the haversine formula). */
    public static double haversineKm(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(Math.toRadians(lat1))
                * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    /** The organisation's shipment settings, or one with the defaults when it has no settings row (not stored). */
    public static ShipmentSettings settings(long organizationId) {
        return ShipmentSettings.of(organizationId);
    }

    static EtaView view(Shipment s) {
        return new EtaView(s.plannedEta, s.currentEta, s.etaSource, s.etaUpdatedAt, s.etaDateOnly, zone(s).getId(),
                s.deliveredAt);
    }

    /**
     * Whether the customer is told an ETA at all: not while a problem is open (the ETA is a promise), not once the
     * delivery stop has an actual arrival (the goods are there: an estimate is moot), and not once delivered. One rule
     * for the tracking page and the customer's mails.
     */
    static boolean shownToCustomer(Shipment s) {
        if (s.openExceptions != 0 || s.deliveredAt != null) {
            return false;
        }
        ShipmentStop delivery = ShipmentStops.deliveryOf(s.id);
        return delivery == null || delivery.arrivedAt == null;
    }

    /**
     * The current ETA as the customer reads it, on the tracking page and in milestone and delay mails: a date-only
     * MANUAL ETA as the date alone (never its end-of-day time), else date and time in the delivery stop's zone (the
     * organisation's without one), the zone named; by the organisation's country in {@code format}'s language. Null
     * when none is known or it is not {@link #shownToCustomer shown}.
     */
    static String forCustomer(Shipment s, Locales.Format format) {
        if (!shownToCustomer(s)) {
            return null;
        }
        return ShipmentTimes.of(s, format).eta(s);
    }

    /** The zone an ETA reads in: the delivery stop's, else the organisation's. */
    static ZoneId zone(Shipment s) {
        ShipmentStop delivery = ShipmentStops.deliveryOf(s.id);
        return ZoneId.of(delivery != null ? delivery.zone : s.organization.timeZone);
    }

    private OsrmClient engine() {
        Optional<String> url = config.routing().osrmUrl().filter(u -> !u.isBlank());
        if (url.isEmpty()) {
            return null;
        }
        OsrmClient engine = osrm;
        if (engine == null) {
            engine = new OsrmClient(url.get().strip(), config.routing().timeout());
            osrm = engine;
        }
        return engine;
    }

    /** The refusal of such a date, naming {@code today} in {@code zone} (the delivery's, else the organisation's). */
    static String beforeToday(LocalDate today, ZoneId zone) {
        return "is before today (" + today + " in " + zone.getId()
                + "): a shipment not yet delivered arrives today or later; give the day it is now expected";
    }
}
