package io.portlink.shipment;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.platform.ConflictException;
import io.portlink.platform.Fields;
import io.portlink.platform.ValidationException;
import io.portlink.timeline.Visibility;

/**
 * A shipment's stops ({@link ShipmentStop}): set or replace them all at once, record the actual arrival and departure
 * at one. A list is all or nothing: every problem is named by the stop's index and field ({@code stops[2].windowTo})
 * and nothing is stored. Rules: exactly one PICKUP, first; exactly one DELIVERY, last; STOPs between; at most
 * {@link #MAX_STOPS}. A window is entered as local date-times in the stop's own IANA zone ({@code 2026-12-01T09:00}),
 * in the years {@link Fields#FIRST_YEAR} to {@link Fields#LAST_YEAR}, stored as instants (UTC); from ≤ to. A change of
 * the delivery stop's window or place fires {@link ShipmentEtaChanged} (delay detection) and recomputes a computed ETA.
 */
@ApplicationScoped
public class ShipmentStops {

    /** The most stops (pickup and delivery included) one shipment may have. */
    public static final int MAX_STOPS = 10;

    private static final BigDecimal LAT_MAX = BigDecimal.valueOf(90);
    private static final BigDecimal LON_MAX = BigDecimal.valueOf(180);
    private static final int NAME_MAX = ShipmentStop.NAME_LENGTH;
    private static final int ADDRESS_MAX = ShipmentStop.ADDRESS_LENGTH;
    /** How staff and the API write a window's ends: ISO local date-time, a space allowed for the 'T'. */
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ISO_LOCAL_DATE_TIME;

    @Inject
    Clock clock;

    @Inject
    Shipments shipments;

    @Inject
    ShipmentEtas etas;

    @Inject
    Event<ShipmentEtaChanged> etaChanged;

    /**
     * One stop as entered: kind (PICKUP, STOP, DELIVERY, any case), name and address (optional), latitude and longitude
     * as text (degrees, optional, both or neither), zone (IANA, e.g. Europe/Berlin; required), window ends as local
     * date-times in that zone (optional each, like 2026-12-01T09:00).
     */
    public record StopInput(String kind, String name, String address, String latitude, String longitude, String zone,
            String windowFrom, String windowTo) {

        /** Whether nothing was entered (a spare row of the staff form). */
        public boolean blank() {
            return isBlank(kind) && isBlank(name) && isBlank(address) && isBlank(latitude) && isBlank(longitude)
                    && isBlank(windowFrom) && isBlank(windowTo);
        }
    }

    /**
     * A stored stop: window and actual times as instants (UTC), and the window also as the local date-times of the
     * stop's zone (how it was entered and is shown).
     */
    public record StopView(int position, ShipmentStop.Kind kind, String name, String address, BigDecimal latitude,
            BigDecimal longitude, String zone, Instant windowFrom, Instant windowTo, LocalDateTime localFrom,
            LocalDateTime localTo, Instant arrivedAt, Instant departedAt) {

        /** The arrival as a local date-time in the stop's zone, or null. */
        public LocalDateTime localArrived() {
            return arrivedAt == null ? null : LocalDateTime.ofInstant(arrivedAt, ZoneId.of(zone));
        }

        /** The departure as a local date-time in the stop's zone, or null. */
        public LocalDateTime localDeparted() {
            return departedAt == null ? null : LocalDateTime.ofInstant(departedAt, ZoneId.of(zone));
        }
    }

    /** A live shipment's stops in order; empty for no such shipment. */
    @Transactional
    public Optional<List<StopView>> list(long organizationId, long shipmentId) {
        return Shipments.live(organizationId, shipmentId).map(s -> of(s.id).stream().map(ShipmentStops::view).toList());
    }

    /**
     * Replaces a live shipment's stops with these (an empty list removes them all); empty for no such shipment. A stop
     * still there (the same kind at the same place, wherever it now stands: {@link #carried}) keeps its arrival and
     * departure; a stop at another place starts unvisited. Blank inputs (spare form rows) are skipped before
     * validation.
     *
     * @throws ValidationException
     *             listing every problem by {@code stops[i].field}
     */
    @Transactional
    public Optional<List<StopView>> replace(long organizationId, long shipmentId, List<StopInput> input,
            ShipmentActor actor) {
        return replace(organizationId, shipmentId, input, actor, null);
    }

    /**
     * {@link #replace(long, long, List, ShipmentActor)} from a form drawn from the stops whose {@link #digest} is
     * {@code drawnFrom} (null: whatever they are now). Stops changed meanwhile by someone else (another person's save,
     * the API, an import) are not overwritten: nothing is saved.
     *
     * @throws ConflictException
     *             when the stored stops' digest is no longer {@code drawnFrom}
     * @throws ValidationException
     *             listing every problem by {@code stops[i].field}
     */
    @Transactional
    public Optional<List<StopView>> replace(long organizationId, long shipmentId, List<StopInput> input,
            ShipmentActor actor, String drawnFrom) {
        List<StopInput> given = input == null ? List.of()
                : input.stream().filter(i -> i != null && !i.blank()).toList();
        List<ShipmentStop> wanted = validate(given);
        return Shipments.locked(organizationId, shipmentId).map(s -> {
            List<ShipmentStop> stored = of(s.id);
            if (drawnFrom != null && !drawnFrom.equals(digest(stored.stream().map(ShipmentStops::view).toList()))) {
                throw new ConflictException("The stops were changed by someone else while this form was open."
                        + " Nothing was saved: the stops as they are now are listed above, your rows are below;"
                        + " check them and save again.");
            }
            // a copy: the stored stops are edited in place below, and the old place and window must stay comparable
            ShipmentStop oldDelivery = placeAndWindow(delivery(stored));
            String before = describe(stored);
            List<StopView> was = stored.stream().map(ShipmentStops::view).toList();
            List<StopView> carried = carried(was, wanted);
            for (int i = 0; i < wanted.size(); i++) {
                ShipmentStop w = wanted.get(i);
                ShipmentStop t = i < stored.size() ? stored.get(i) : new ShipmentStop();
                StopView visited = carried.get(i);
                t.arrivedAt = visited == null ? null : visited.arrivedAt();
                t.departedAt = visited == null ? null : visited.departedAt();
                t.shipment = s;
                t.position = i;
                t.kind = w.kind;
                t.name = w.name;
                t.address = w.address;
                t.latitude = w.latitude;
                t.longitude = w.longitude;
                t.zone = w.zone;
                t.windowFrom = w.windowFrom;
                t.windowTo = w.windowTo;
                if (t.id == null) {
                    t.persist();
                }
            }
            for (int i = wanted.size(); i < stored.size(); i++) {
                stored.get(i).delete();
            }
            ShipmentStop.getEntityManager().flush();
            List<ShipmentStop> now = of(s.id);
            // the lateness scan finds the shipments past their window by this copy, on the shipment's own index (V78)
            ShipmentStop due = delivery(now);
            s.deliveryDueAt = due == null ? null : due.windowTo;
            if (!before.equals(describe(now))) {
                s.updatedAt = Instant.now(clock);
                shipments.record(s, actor, ShipmentEvent.STOPS_CHANGED, now.size() + " stops", Visibility.INTERNAL);
                ShipmentStop newDelivery = delivery(now);
                boolean rezoned = etas.rezone(s, oldDelivery, newDelivery);
                if (rezoned || !sameWindow(oldDelivery, newDelivery) || !samePlace(oldDelivery, newDelivery)) {
                    if (!samePlace(oldDelivery, newDelivery)) {
                        etas.recompute(s, newDelivery);
                    } else if (!sameWindow(oldDelivery, newDelivery)) {
                        etas.rewindow(s, newDelivery);
                    }
                    etaChanged.fire(new ShipmentEtaChanged(organizationId, s.id));
                }
                // written now, not left pending for the caller's next flush: inserts are batched and ordered by table
                // (hibernate.order_inserts), and a timeline entry names its shipment by a plain id, which that
                // ordering does not see. Left pending, these entries (a Late one for a shipment already past its
                // window) would go in one batch with those of a shipment the caller creates next (the CSV import's
                // next row), before that shipment's row, and fail its foreign key.
                ShipmentStop.getEntityManager().flush();
            }
            return now.stream().map(ShipmentStops::view).toList();
        });
    }

    /**
     * A short fingerprint of a shipment's stops as a form shows them (kind, name, address, coordinates, zone, window),
     * hex: a form carries the one it was drawn from, so that a save does not overwrite a change made meanwhile
     * ({@link #replace(long, long, List, ShipmentActor, String)}). Arrivals and departures are left out: they are not
     * what the form edits, and a replace keeps them.
     */
    public static String digest(List<StopView> stops) {
        List<Object> fields = new java.util.ArrayList<>();
        for (StopView v : stops) {
            fields.addAll(java.util.Arrays.asList(v.kind().name(), v.name(), v.address(),
                    v.latitude() == null ? null : v.latitude().stripTrailingZeros().toPlainString(),
                    v.longitude() == null ? null : v.longitude().stripTrailingZeros().toPlainString(), v.zone(),
                    String.valueOf(v.windowFrom()), String.valueOf(v.windowTo())));
        }
        return io.portlink.platform.Tokens.fieldsDigest(fields).substring(0, 32);
    }

    /** What is recorded at a stop: the arrival there or the departure from it. */
    public enum StopEvent {
        ARRIVAL, DEPARTURE;

        /**
         * The event the last segment of a stop's URL names ({@code …/arrival}, {@code …/departure}, any case).
         *
         * @throws IllegalArgumentException
         *             for any other word (the URLs' patterns let only these two through)
         */
        public static StopEvent ofPath(String word) {
            return valueOf(word.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * Records the arrival at (or departure from) the stop at {@code position} (from 0) now (the injected clock). A
     * second arrival or departure keeps the first time (a retried tap changes nothing); a stop never marked arrived is
     * arrived at when left. Empty for no such shipment.
     *
     * @throws ValidationException
     *             on {@code position} when the shipment has no such stop
     */
    @Transactional
    public Optional<StopView> mark(long organizationId, long shipmentId, int position, StopEvent event,
            ShipmentActor actor) {
        return Shipments.locked(organizationId, shipmentId).map(s -> {
            ShipmentStop stop = at(s, position);
            Instant now = Instant.now(clock);
            if (event == StopEvent.DEPARTURE) {
                departed(s, stop, actor, now);
            } else {
                arrived(s, stop, actor, now);
            }
            return view(stop);
        });
    }

    /** A shipment's stops in order (at most {@link #MAX_STOPS}, served by the (shipment, position) index). */
    static List<ShipmentStop> of(long shipmentId) {
        return ShipmentStop.list("shipment.id = ?1 order by position", shipmentId);
    }

    /**
     * A stop as staff read it on the timeline: "Pickup: Tilbury depot", "Stop 1: …", "Delivery: …" with the stop's
     * name, else its address's first line; the kind alone without either.
     */
    static String staffLabel(ShipmentStop.Kind kind, int position, ShipmentStop stop) {
        String word = switch (kind) {
        case PICKUP -> "Pickup";
        case DELIVERY -> "Delivery";
        case STOP -> "Stop " + position;
        };
        String what = stop == null ? null
                : stop.name != null && !stop.name.isBlank() ? stop.name.strip()
                        : stop.address != null && !stop.address.isBlank()
                                ? stop.address.strip().lines().findFirst().orElse("").strip() : null;
        return what == null || what.isEmpty() ? word : word + ": " + what;
    }

    /** The shipment's delivery stop, or null without stops. */
    static ShipmentStop deliveryOf(long shipmentId) {
        return ShipmentStop
                .<ShipmentStop> find("shipment.id = ?1 and kind = ?2", shipmentId, ShipmentStop.Kind.DELIVERY)
                .firstResult();
    }

    static StopView view(ShipmentStop t) {
        ZoneId zone = ZoneId.of(t.zone);
        return new StopView(t.position, t.kind, t.name, t.address, t.latitude, t.longitude, t.zone, t.windowFrom,
                t.windowTo, t.windowFrom == null ? null : LocalDateTime.ofInstant(t.windowFrom, zone),
                t.windowTo == null ? null : LocalDateTime.ofInstant(t.windowTo, zone), t.arrivedAt, t.departedAt);
    }

    private static ShipmentStop at(Shipment s, int position) {
        ShipmentStop stop = ShipmentStop.<ShipmentStop> find("shipment.id = ?1 and position = ?2", s.id, position)
                .firstResult();
        if (stop == null) {
            throw ValidationException.of("position", "the shipment has no stop at this position (stops count from 0)",
                    Integer.toString(position));
        }
        return stop;
    }

    private static ShipmentStop delivery(List<ShipmentStop> stops) {
        return stops.stream().filter(t -> t.kind == ShipmentStop.Kind.DELIVERY).findFirst().orElse(null);
    }

    /** A detached copy of a stop's place and window (null for none). */
    private static ShipmentStop placeAndWindow(ShipmentStop t) {
        if (t == null) {
            return null;
        }
        ShipmentStop copy = new ShipmentStop();
        copy.latitude = t.latitude;
        copy.longitude = t.longitude;
        copy.windowFrom = t.windowFrom;
        copy.windowTo = t.windowTo;
        copy.zone = t.zone;
        return copy;
    }

    /**
     * For each wanted stop, the stored stop whose recorded arrival and departure it keeps, or null (it starts
     * unvisited): a stored stop of the same kind at the same place ({@link #samePlaceAs}), the one at the same position
     * first, each stored stop given to one wanted stop at most. So a stop moved in the order, or with one inserted
     * before it, keeps its arrival, and a stop replaced by another place (a delivery redirected) does not take over the
     * old one's: the customer would read "arrived" at a place the goods never reached.
     */
    static List<StopView> carried(List<StopView> stored, List<ShipmentStop> wanted) {
        boolean[] taken = new boolean[stored.size()];
        List<StopView> out = new java.util.ArrayList<>(wanted.size());
        for (int i = 0; i < wanted.size(); i++) {
            ShipmentStop w = wanted.get(i);
            int match = -1;
            if (i < stored.size() && !taken[i] && samePlaceAs(stored.get(i), w, true)) {
                match = i;
            }
            for (int j = 0; match < 0 && j < stored.size(); j++) {
                if (!taken[j] && samePlaceAs(stored.get(j), w, false)) {
                    match = j;
                }
            }
            if (match >= 0) {
                taken[match] = true;
            }
            out.add(match < 0 ? null : stored.get(match));
        }
        return out;
    }

    /**
     * {@link #carried} for stops as sent (the API's check of arrivals sent back): which stored stop each would keep its
     * arrival and departure from; all null when the input is not valid (the replace names why).
     */
    public static List<StopView> carriedAsSent(List<StopView> stored, List<StopInput> input) {
        try {
            return carried(stored, validate(input));
        } catch (ValidationException e) {
            return java.util.Collections.nCopies(input.size(), null);
        }
    }

    /** How far a stop's coordinates may move and it still be the same place (a pin set more exactly), in km. */
    static final double SAME_PLACE_KM = 1.0;

    /**
     * Whether a wanted stop is the stored one: the same kind; with coordinates on both, within {@link #SAME_PLACE_KM};
     * and the same name or the same address (case and spacing aside, so one of the two may be corrected at a time), so
     * that two stops near each other (two warehouses of one estate) swapped in the order each keep their own. A stop
     * that names no place (neither name nor address on one side) is compared by its coordinates alone, and without
     * those too it is the same only at the same position, as before places were compared.
     */
    private static boolean samePlaceAs(StopView a, ShipmentStop w, boolean samePosition) {
        if (a.kind() != w.kind) {
            return false;
        }
        boolean located = a.latitude() != null && a.longitude() != null && w.latitude != null && w.longitude != null;
        if (located && ShipmentEtas.haversineKm(a.latitude().doubleValue(), a.longitude().doubleValue(),
                w.latitude.doubleValue(), w.longitude.doubleValue()) > SAME_PLACE_KM) {
            return false;
        }
        String an = key(a.name()), aa = key(a.address()), wn = key(w.name), wa = key(w.address);
        if (an == null && aa == null || wn == null && wa == null) {
            return located || samePosition;
        }
        return an != null && an.equals(wn) || aa != null && aa.equals(wa);
    }

    private static String key(String text) {
        String key = text == null ? "" : io.portlink.platform.Unicode.comparisonKey(text);
        return key.isEmpty() ? null : key;
    }

    private static boolean sameWindow(ShipmentStop a, ShipmentStop b) {
        return a == null ? b == null
                : b != null && Objects.equals(a.windowFrom, b.windowFrom) && Objects.equals(a.windowTo, b.windowTo);
    }

    private static boolean samePlace(ShipmentStop a, ShipmentStop b) {
        return a == null ? b == null
                : b != null && Objects.equals(a.latitude, b.latitude) && Objects.equals(a.longitude, b.longitude);
    }

    private static String describe(List<ShipmentStop> stops) {
        StringBuilder out = new StringBuilder();
        for (ShipmentStop t : stops) {
            out.append(List.of(t.kind, String.valueOf(t.name), String.valueOf(t.address), String.valueOf(t.latitude),
                    String.valueOf(t.longitude), t.zone, String.valueOf(t.windowFrom), String.valueOf(t.windowTo)))
                    .append('\n');
        }
        return out.toString();
    }

    /**
     * A stored stop as it would be entered again (window ends as local date-times in its zone), so that a list can keep
     * it while other stops of the list are replaced (the CSV import keeps the stops between pickup and delivery).
     */
    static StopInput input(ShipmentStop t) {
        ZoneId zone = ZoneId.of(t.zone);
        return new StopInput(t.kind.name(), t.name, t.address, t.latitude == null ? null : t.latitude.toPlainString(),
                t.longitude == null ? null : t.longitude.toPlainString(), t.zone,
                t.windowFrom == null ? null : LocalDateTime.ofInstant(t.windowFrom, zone).toString(),
                t.windowTo == null ? null : LocalDateTime.ofInstant(t.windowTo, zone).toString());
    }

    /**
     * The stops a list stands for, checked by the rules above (the API's, the staff form's and the CSV import's).
     *
     * @throws ValidationException
     *             listing every problem by {@code stops[i].field} (or {@code stops} for the list as a whole)
     */
    static List<ShipmentStop> validate(List<StopInput> input) {
        var errors = new ValidationException.Builder();
        if (input.size() == 1) {
            errors.add("stops", "give a PICKUP stop first and a DELIVERY stop last (or no stops at all)", "1 stop");
        }
        if (input.size() > MAX_STOPS) {
            errors.add("stops", "at most " + MAX_STOPS + " stops, the pickup and delivery included",
                    Integer.toString(input.size()));
            errors.throwIfAny();
        }
        List<ShipmentStop> out = new ArrayList<>();
        for (int i = 0; i < input.size(); i++) {
            StopInput in = input.get(i);
            String at = "stops[" + i + "].";
            ShipmentStop.Kind expected = i == 0 ? ShipmentStop.Kind.PICKUP
                    : i == input.size() - 1 ? ShipmentStop.Kind.DELIVERY : ShipmentStop.Kind.STOP;
            ShipmentStop.Kind kind = null;
            if (isBlank(in.kind())) {
                kind = expected; // the order says it: the form may leave it out
            } else {
                try {
                    kind = ShipmentStop.Kind.valueOf(in.kind().strip().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    errors.add(at + "kind", "must be PICKUP, STOP or DELIVERY", in.kind());
                }
                if (kind != null && kind != expected) {
                    errors.add(at + "kind", "must be " + expected + " here: the pickup comes first, the delivery"
                            + " last, other stops between", in.kind());
                }
            }
            ShipmentStop t = new ShipmentStop();
            t.kind = kind;
            t.name = text(in.name(), NAME_MAX, at + "name", errors);
            t.address = text(in.address(), ADDRESS_MAX, at + "address", errors);
            t.latitude = coordinate(in.latitude(), LAT_MAX, at + "latitude", errors);
            t.longitude = coordinate(in.longitude(), LON_MAX, at + "longitude", errors);
            if (isBlank(in.latitude()) != isBlank(in.longitude())) {
                errors.add(at + (isBlank(in.latitude()) ? "latitude" : "longitude"),
                        "give both latitude and longitude, or neither", null);
            }
            ZoneId zone = null;
            if (isBlank(in.zone())) {
                errors.add(at + "zone", "is required: the stop's time zone, like Europe/Berlin", null);
            } else {
                try {
                    zone = ZoneId.of(in.zone().strip());
                    if (!zone.getId().contains("/") && !zone.getId().equals("UTC")) {
                        throw new DateTimeException("not a region");
                    }
                    t.zone = zone.getId();
                } catch (DateTimeException e) {
                    errors.add(at + "zone", "must be a time zone name like Europe/Berlin or America/New_York",
                            in.zone());
                }
            }
            LocalDateTime from = local(in.windowFrom(), at + "windowFrom", errors);
            LocalDateTime to = local(in.windowTo(), at + "windowTo", errors);
            if (zone != null) {
                // a local time the clocks skip (spring forward) moves on by the gap, as the stop's clocks would read
                t.windowFrom = from == null ? null : from.atZone(zone).toInstant();
                t.windowTo = to == null ? null : to.atZone(zone).toInstant();
                if (t.windowFrom != null && t.windowTo != null && t.windowTo.isBefore(t.windowFrom)) {
                    errors.add(at + "windowTo", "must not be before the window's start (" + in.windowFrom() + ")",
                            in.windowTo());
                }
            }
            out.add(t);
        }
        long pickups = out.stream().filter(t -> t.kind == ShipmentStop.Kind.PICKUP).count();
        long deliveries = out.stream().filter(t -> t.kind == ShipmentStop.Kind.DELIVERY).count();
        if (!input.isEmpty() && errors.isEmpty() && (pickups != 1 || deliveries != 1)) {
            errors.add("stops", "exactly one PICKUP and one DELIVERY stop", null);
        }
        errors.throwIfAny();
        return out;
    }

    private static String text(String value, int max, String field, ValidationException.Builder errors) {
        if (isBlank(value)) {
            return null;
        }
        String v = value.strip();
        if (v.length() > max) {
            errors.add(field, "at most " + max + " characters", v.substring(0, 40) + "…");
            return null;
        }
        return v;
    }

    private static BigDecimal coordinate(String raw, BigDecimal max, String field, ValidationException.Builder errors) {
        if (isBlank(raw)) {
            return null;
        }
        BigDecimal value = ShipmentPositions.degrees(raw);
        if (value == null) {
            String v = raw.strip();
            // a latitude's example for a latitude, a longitude's for a longitude (Berlin's)
            String like = max.intValue() == 90 ? "52.520008" : "13.404954";
            BigDecimal pointed = v.matches("-?[0-9]{1,3},[0-9]+") ? ShipmentPositions.degrees(v.replace(',', '.'))
                    : null;
            errors.add(field,
                    pointed == null ? "must be a number of degrees, like " + like
                            : pointed.abs().compareTo(max) > 0 ? "must be between -" + max + " and " + max + " degrees"
                                    : "is written with a decimal comma; degrees take a decimal point: write "
                                            + v.replace(',', '.'),
                    raw);
            return null;
        }
        if (value.abs().compareTo(max) > 0) {
            errors.add(field, "must be between -" + max + " and " + max + " degrees", raw);
            return null;
        }
        return ShipmentPositions.micro(value);
    }

    private static LocalDateTime local(String raw, String field, ValidationException.Builder errors) {
        if (isBlank(raw)) {
            return null;
        }
        LocalDateTime value;
        try {
            value = LocalDateTime.parse(raw.strip().replace(' ', 'T'), LOCAL);
        } catch (DateTimeParseException e) {
            errors.add(field, Fields.isoDateTimeProblem(raw,
                    "must be a local date and time in the stop's zone, like 2026-12-01T09:00"), raw);
            return null;
        }
        if (value.getSecond() != 0 || value.getNano() != 0) {
            // a window is to the minute: seconds are refused, never dropped (as the ETA's time)
            errors.add(field,
                    "is to the minute: write it without seconds, like " + value.withSecond(0).withNano(0).toLocalDate()
                            + "T" + value.toLocalTime().withSecond(0).withNano(0),
                    raw);
            return null;
        }
        // the ETA date's range: a fixed one, and one the database can store (not +999999999 or -4714)
        if (value.getYear() < Fields.FIRST_YEAR || value.getYear() > Fields.LAST_YEAR) {
            errors.add(field, "must be a date and time in the years " + Fields.FIRST_YEAR + " to " + Fields.LAST_YEAR
                    + ", like 2026-12-01T09:00", raw);
            return null;
        }
        return value;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /**
     * Marks the arrival at a stop of a shipment its caller holds locked (staff, API, driver); a stop arrived at already
     * keeps its first time. The customer's history reads it ("KIND position").
     */
    void arrived(Shipment s, ShipmentStop stop, ShipmentActor actor, Instant now) {
        if (stop.arrivedAt == null) {
            stop.arrivedAt = now;
            s.updatedAt = now;
            shipments.record(s, actor, ShipmentEvent.STOP_ARRIVED, stop.kind + " " + stop.position,
                    Visibility.CUSTOMER);
        }
    }

    /** Marks the departure from a stop (arriving first if never marked), as {@link #arrived} does. */
    void departed(Shipment s, ShipmentStop stop, ShipmentActor actor, Instant now) {
        arrived(s, stop, actor, now);
        if (stop.departedAt == null) {
            stop.departedAt = now;
            s.updatedAt = now;
            shipments.record(s, actor, ShipmentEvent.STOP_DEPARTED, stop.kind + " " + stop.position,
                    Visibility.CUSTOMER);
        }
    }
}
