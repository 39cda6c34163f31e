package io.portlink.shipment;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.link.AccessLink;
import io.portlink.link.Links;
import io.portlink.organization.Logos;
import io.portlink.platform.Locales;
import io.portlink.platform.Signer;
import io.portlink.platform.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The customer's side of a tracking link ({@code /t/{token}}): the page's view ({@link TrackingView}, an allow-list),
 * its photos and logo through the token, and "ask for a new link" on a gone link. GET never changes a shipment; a
 * machine's fetch is counted apart (a person's open is the page's stylesheet, {@link Links#confirmOpen}). A link is
 * gone when revoked, expired (the injected clock), its organisation is not active, or its shipment was deleted,
 * whatever the link row says.
 */
@ApplicationScoped
public class TrackingPages {

    static final AccessLink.Scope SCOPE = TrackingLinks.SCOPE;

    /** Most customer notes a page shows (the newest). */
    public static final int NOTES_SHOWN = 50;

    /** Most customer-visible updates a page shows (the newest). */
    public static final int HISTORY_SHOWN = 30;

    /** The map's zoom level: streets around the position. */
    static final int MAP_ZOOM = 13;

    /** How long the "ask for a new link" form of a gone link's page may be sent. */
    static final Duration REQUEST_FORM_LIFE = Duration.ofHours(48);

    private static final String REQUEST_PURPOSE = "tracking link request";

    @Inject
    Links links;

    @Inject
    DataSource dataSource;

    @Inject
    PhotoStore store;

    @Inject
    Logos logos;

    @Inject
    Signer signer;

    @Inject
    Clock clock;

    @Inject
    LastPositions lastPositions;

    /** What a token opened. */
    public sealed interface Access {
    }

    /** 200: the page to show. */
    public record Shown(TrackingView page) implements Access {
    }

    /** 410: revoked, expired, organisation locked, or shipment deleted. */
    public record Gone() implements Access {
    }

    /** 404: no tracking link (a token of another scope included). */
    public record NotFound() implements Access {
    }

    /** A photo's or logo's bytes as served; {@code name} is neutral ("photo-2.jpg"), never the uploaded file's. */
    public record Image(String contentType, String name, byte[] bytes) {
    }

    /**
     * The page of a token; {@code bot}: a machine's fetch, counted apart ({@link Links#recordBotFetch}, in its own
     * transaction). A person's view writes nothing and reads in few plain statements on one pooled connection, outside
     * any transaction ({@link TrackingPageReads}: the link with its shipment, settings and options, and its stops and
     * updates, in one round trip; each statement sees committed data, as every statement of a read-committed
     * transaction does). The link opens by the rule of {@link AccessLink#isUsable} (not revoked, not expired by the
     * injected clock, organisation active) and its shipment's ({@link #live}); a token of another scope is unknown.
     * {@code words} says the milestones and events in the page's language: the customer's when the shipment has one of
     * {@link Locales#LANGUAGES}, else the phone's ({@code acceptLanguage}, the Accept-Language header, as the driver
     * page reads it), else the organisation's.
     *
     * @throws IllegalStateException
     *             when the database cannot be read (the page answers 500, as any failed read)
     */
    public Access open(String token, boolean bot, TrackingView.Words words, String acceptLanguage) {
        if (!Tokens.wellFormed(token, SCOPE.prefix)) {
            return new NotFound();
        }
        Instant now = Instant.now(clock);
        Shown shown;
        try (Connection c = dataSource.getConnection()) {
            TrackingPageReads.Read read = TrackingPageReads.read(c, Tokens.sha256(token), now);
            if (read == null) {
                return new NotFound();
            }
            if (!read.page().linkUsable() || !live(read.page(), now)) {
                return new Gone();
            }
            shown = new Shown(view(c, read.page(), read.details(), token, words, acceptLanguage, now));
        } catch (SQLException e) {
            throw new IllegalStateException("The tracking page could not be read", e);
        }
        if (bot) {
            // only once the read's connection is back in the pool: a request holding one while its count's transaction
            // waits for a second would, in a burst of link previews, use up the pool
            QuarkusTransaction.joiningExisting().run(() -> {
                if (links.resolve(token, SCOPE) instanceof Links.Active active) {
                    links.recordBotFetch(active.link());
                }
            });
        }
        return shown;
    }

    /** HEAD: the status only (200, 404, 410); counts a machine's fetch of a usable link. */
    @Transactional
    public int probe(String token) {
        Optional<AccessLink> link = usable(token);
        if (link.isPresent()) {
            links.recordBotFetch(link.get());
            return 200;
        }
        return gone(token) ? 410 : 404;
    }

    /**
     * The n-th picked gallery photo (from 1) of a usable link; empty when there is no such pick (an unpicked photo is
     * never reachable) or the link does not open.
     */
    @Transactional
    public Optional<Image> photo(String token, int n) {
        if (n < 1 || n > TrackingLinks.MAX_PICKED) {
            return Optional.empty();
        }
        Optional<TrackingLinkPhoto> pick = usable(token).flatMap(
                link -> TrackingLinkPhoto.<TrackingLinkPhoto> find("accessLinkId = ?1 order by position", link.id)
                        .page(n - 1, 1).firstResultOptional());
        return pick.flatMap(p -> image(p.shipmentPhotoId, "photo-" + n));
    }

    /** The shipment's hero photo, when the link's options show it; else empty. */
    @Transactional
    public Optional<Image> hero(String token) {
        return usable(token).filter(link -> TrackingLinks.options(link.id).heroPhoto())
                .flatMap(link -> Optional.ofNullable(Shipment.<Shipment> findById(link.shipmentId).heroPhotoId))
                .flatMap(id -> image(id, "photo"));
    }

    /** The organisation's logo through a usable link; empty without one. */
    @Transactional
    public Optional<Image> logo(String token) {
        return usable(token).flatMap(link -> logos.of(link.organization.id))
                .map(l -> new Image(l.contentType(), l.fileName(), l.content()));
    }

    /**
     * The nonce of the "ask for a new link" form on a gone link's page (signed, bound to the link, no cookie); null for
     * an active or unknown link, or a deleted shipment's. A locked organisation's gone link asks like any other
     * ({@link Links#requestNewLink}): its page does not tell that the organisation is locked.
     */
    @Transactional
    public String requestLinkNonce(String token) {
        if (!SCOPE.mayAskForNewLink) {
            return null;
        }
        // a deleted shipment's link is gone for good: there is nothing to ask staff for
        return goneLink(token).filter(this::live).map(l -> {
            long issued = Instant.now(clock).getEpochSecond();
            return Long.toString(issued, 36) + "." + signer.sign(REQUEST_PURPOSE, l.id, issued);
        }).orElse(null);
    }

    /**
     * A holder of a gone link asks for a new one with the form's nonce ({@link Links#requestNewLink}: at most one a
     * day, and the shipment's timeline says so). False, and nothing asked, for a nonce that is not that form's or too
     * old.
     */
    @Transactional
    public boolean requestNewLink(String token, String nonce) {
        Optional<AccessLink> link = goneLink(token).filter(this::live);
        if (link.isEmpty() || nonce == null || nonce.length() > 80) {
            return false;
        }
        String[] parts = nonce.split("\\.", -1);
        long issued;
        try {
            issued = parts.length == 2 ? Long.parseLong(parts[0], 36) : -1;
        } catch (NumberFormatException e) {
            return false;
        }
        Instant now = Instant.now(clock);
        if (issued < 0 || !signer.verify(parts[1], REQUEST_PURPOSE, link.get().id, issued)
                || Instant.ofEpochSecond(issued).plus(REQUEST_FORM_LIFE).isBefore(now)) {
            return false;
        }
        links.requestNewLink(token, SCOPE);
        return true;
    }

    /** The customer's language for an active link's answers; empty for a gone or unknown one. */
    @Transactional
    public Optional<String> language(String token) {
        return usable(token).map(l -> format(l, Shipment.findById(l.shipmentId)).language());
    }

    /** The link of a token when it opens: active, and its shipment not deleted. */
    private Optional<AccessLink> usable(String token) {
        return links.resolve(token, SCOPE) instanceof Links.Active active && live(active.link())
                ? Optional.of(active.link()) : Optional.empty();
    }

    /**
     * Whether the link's shipment is not deleted and, once delivered, still within the organisation's days after
     * delivery (then the link is gone: 410).
     */
    private boolean live(AccessLink link) {
        Shipment s = Shipment.findById(link.shipmentId);
        return s != null && s.deletedAt == null && !AfterDelivery.pastRetention(s, clock);
    }

    /**
     * {@link #live(AccessLink)} on the page's read: a shipment, not deleted, not past the days after delivery
     * ({@link AfterDelivery#pastRetention}).
     */
    private static boolean live(TrackingPageReads.Page page, Instant now) {
        return page.shipmentId() != 0 && page.deletedAt() == null && (page.deliveredAt() == null
                || page.deliveredAt().plus(Duration.ofDays(page.linkDaysAfterDelivery())).isAfter(now));
    }

    /**
     * A photo (n from 1) or, with n = 0, the signature of the shipment's proof of delivery through a usable link, when
     * the organisation shows the proof; else empty.
     */
    @Transactional
    public Optional<Image> deliveryImage(String token, int n) {
        if (n < 0 || n > DriverPages.MAX_PHOTOS) {
            return Optional.empty();
        }
        return usable(token).flatMap(link -> AfterDelivery.image(Shipment.findById(link.shipmentId), n)).map(
                i -> new Image(i.contentType, (n == 0 ? "signature" : "delivery-" + n) + i.extension(), i.content));
    }

    /** A link of this scope that does not open (revoked, expired, locked, or its shipment deleted). */
    private Optional<AccessLink> goneLink(String token) {
        Links.Resolution r = links.resolve(token, SCOPE);
        if (r instanceof Links.Gone g) {
            return Optional.of(AccessLink.<AccessLink> findById(g.linkId()));
        }
        if (r instanceof Links.Active a && usable(token).isEmpty()) {
            return Optional.of(a.link());
        }
        return Optional.empty();
    }

    private boolean gone(String token) {
        return !(links.resolve(token, SCOPE) instanceof Links.Unknown);
    }

    private Optional<Image> image(long photoId, String baseName) {
        ShipmentPhoto p = ShipmentPhoto.findById(photoId);
        if (p == null) {
            return Optional.empty();
        }
        return store.get(p.id).map(bytes -> new Image(p.contentType, baseName + p.extension(), bytes));
    }

    /** Dates by the organisation's country, in the customer's language (else the organisation's). */
    private static Locales.Format format(AccessLink link, Shipment s) {
        return link.organization.formatFor(s.customerLanguage);
    }

    /**
     * The allow-list: each customer-facing field is copied here by name from the page's read, nothing else is read into
     * the view. The rules are those of the shipment's own model: the ETA as {@link ShipmentEtas#forCustomer}, the times
     * as {@link ShipmentTimes}, the position as {@link LastPositions}, the delivery as {@link AfterDelivery}.
     */
    private TrackingView view(Connection c, TrackingPageReads.Page s, TrackingPageReads.Details details, String token,
            TrackingView.Words words, String acceptLanguage, Instant now) throws SQLException {
        // Organization.formatFor, with the phone's language before the organisation's where the customer has none
        // (the header is read only where the customer has no language of ours: every view passes here)
        String own = Locales.languageFor(null, s.customerLanguage());
        Locales.Format format = Locales.Format.of(s.country(), s.timeZone(), own != null ? own
                : Locales.fromAcceptLanguage(acceptLanguage, Locales.isLanguage(s.language()) ? s.language() : "en"));
        TrackingLinks.Options options = s.options();
        String base = SCOPE.path + token;

        TrackingView.Step stage = null;
        List<TrackingView.Step> steps = List.of();
        if (options.progress() && !s.stages().isEmpty()) {
            List<TrackingPageReads.Stage> stages = s.stages();
            steps = new ArrayList<>(stages.size());
            // Stage names are said in the customer's language only when every stage is a standard one (the freight
            // default): a pipeline of the organisation's own words is shown as written, never half translated.
            boolean standard = stages.stream().allMatch(st -> st.name().equals(st.milestone().label));
            long last = stages.get(stages.size() - 1).id();
            for (TrackingPageReads.Stage st : stages) {
                // the last stage reached is the journey's end: done, not "in progress"
                TrackingView.State state = st.position() < s.stagePosition() || s.stageId() == last
                        ? TrackingView.State.DONE
                        : st.id() == s.stageId() ? TrackingView.State.CURRENT : TrackingView.State.AHEAD;
                TrackingView.Step step = new TrackingView.Step(st.name(), standard ? st.milestone() : null, state,
                        standard ? words.milestone(st.milestone(), format.language()) : st.name());
                steps.add(step);
                if (st.id() == s.stageId()) {
                    stage = step;
                }
            }
        }
        List<TrackingPageReads.Stop> stops = details.stops();
        TrackingPageReads.Stop pickup = stops.isEmpty() ? null : stops.get(0);
        TrackingPageReads.Stop delivery = stops.isEmpty() ? null : stops.get(stops.size() - 1);
        // the stop of kind DELIVERY: the ETA's rule and zone (ShipmentStops.deliveryOf)
        TrackingPageReads.Stop deliveryStop = stops.stream().filter(t -> t.kind() == ShipmentStop.Kind.DELIVERY)
                .findFirst().orElse(null);
        // the ETA is a promise: not while a problem is open, and pointless once delivered (the mails' rule too,
        // ShipmentEtas.shownToCustomer)
        boolean etaShown = options.estimatedArrival() && s.openExceptions() == 0 && s.deliveredAt() == null
                && (deliveryStop == null || deliveryStop.arrivedAt() == null);
        // every time of the page reads in the delivery stop's zone, named (a stop's own times in its own zone)
        ShipmentTimes times = new ShipmentTimes(format,
                java.time.ZoneId.of(delivery != null ? delivery.zone() : s.timeZone()));
        String arrival = null;
        boolean late = false;
        if (etaShown) {
            // ShipmentEtas.forCustomer: in the zone of the stop of kind DELIVERY, else the organisation's
            ShipmentTimes etaTimes = deliveryStop == delivery ? times : new ShipmentTimes(format,
                    java.time.ZoneId.of(deliveryStop != null ? deliveryStop.zone() : s.timeZone()));
            arrival = etaTimes.eta(s.currentEta(), s.etaDateOnly(), s.estimatedArrival());
            // a promise the clock has overtaken (a date-only ETA's instant is the end of its day): the customer is
            // told it is running late rather than shown a time behind them as if it still held
            late = arrival != null && (s.currentEta() != null ? s.currentEta().isBefore(now)
                    : s.estimatedArrival().isBefore(now.atZone(etaTimes.zone()).toLocalDate()));
            // an arrival after the delivery window booked is as late for the customer as one the clock passed (staff
            // see the shipment Late by the same window); a date alone is late from the day after the window's
            Instant closes = deliveryStop == null ? null : deliveryStop.windowTo();
            if (arrival != null && closes != null) {
                late |= s.etaDateOnly() && s.estimatedArrival() != null
                        ? s.estimatedArrival().isAfter(closes.atZone(etaTimes.zone()).toLocalDate())
                        : s.currentEta() != null && s.currentEta().isAfter(closes);
            }
        }
        TrackingView.Place origin = place(pickup, times);
        TrackingView.Place destination = place(delivery, times);
        TrackingPageReads.Updates updates = details.updates();
        List<TrackingView.Update> history = history(updates.entries(), steps, options, etaShown, times, words,
                format.language());
        // at the delivery stop (its actual arrival): no ETA, distance or last position, the arrival instead
        String arrivedAt = delivery == null || delivery.arrivedAt() == null ? null
                : times.inStop(delivery.arrivedAt(), delivery.zone());
        TrackingView.LastPosition position = arrivedAt != null ? null : position(s, stops, delivery, times);
        List<TrackingView.Note> notes = !options.customerNotes() ? List.of()
                : updates.notes().stream().map(
                        n -> new TrackingView.Note(times.date(n.at().atZone(times.zone()).toLocalDate()), n.body()))
                        .toList();
        String hero = options.heroPhoto() && s.heroPhotoId() != null ? base + "/hero" : null;
        List<String> photos = new ArrayList<>(s.pickedPhotos());
        for (int i = 1; i <= s.pickedPhotos(); i++) {
            photos.add(base + "/photos/" + i);
        }
        String logo = s.logoDigest() != null ? base + "/logo" : null;
        // after delivery (issue 10, section 5): the delivery time and, when the organisation shows it, the proof
        TrackingView.Delivery delivered = delivery(c, s, times, base);
        String sender = s.showVendorName() ? s.senderName() : null;
        TrackingView.Carriage carriage = s.carrier() == null && s.trackingNumber() == null && sender == null ? null
                : new TrackingView.Carriage(s.carrier(), s.trackingNumber(), sender);
        return new TrackingView(s.organizationName(), logo, s.title(), stage, steps, arrival, late, notes, hero, photos,
                format.language(), origin, destination, history, position, carriage, delivered, arrivedAt);
    }

    /**
     * The page's delivery block ({@link AfterDelivery#view}), or null before delivery: the delivery time, and when the
     * organisation shows it the proof (receiver's name, photos and signature through the page's own URLs).
     */
    private static TrackingView.Delivery delivery(Connection c, TrackingPageReads.Page s, ShipmentTimes times,
            String base) throws SQLException {
        if (s.deliveredAt() == null) {
            return null;
        }
        TrackingPageReads.Proof pod = TrackingPageReads.proof(c, s.shipmentId());
        if (pod == null || !s.showProofOfDelivery()) {
            return new TrackingView.Delivery(times.at(s.deliveredAt()), null, List.of(), null);
        }
        List<String> urls = new ArrayList<>();
        for (int i = 1; i <= pod.photos(); i++) {
            urls.add(base + "/delivery/photos/" + i);
        }
        return new TrackingView.Delivery(times.at(pod.deliveredAt()), pod.receiverName(), urls,
                pod.signed() ? base + "/delivery/signature" : null);
    }

    /** A stop: its window in its own zone (named once beside it), its arrival in that zone, named. */
    private static TrackingView.Place place(TrackingPageReads.Stop stop, ShipmentTimes times) {
        if (stop == null) {
            return null;
        }
        return new TrackingView.Place(stop.name(), stop.address(),
                stop.windowFrom() == null ? null : times.inStopUnlabelled(stop.windowFrom(), stop.zone()),
                stop.windowTo() == null ? null : times.windowEnd(stop.windowFrom(), stop.windowTo(), stop.zone()),
                stop.zone(), stop.arrivedAt() == null ? null : times.inStop(stop.arrivedAt(), stop.zone()),
                stop.departedAt() == null ? null : times.inStop(stop.departedAt(), stop.zone()));
    }

    /**
     * Customer-visible timeline entries the page can word, newest first: stage changes (when the tracker is shown), ETA
     * changes (when the ETA is), arrivals and departures, and problems reported (the neutral word in the customer's
     * language, with the note only when staff shared it: the entry's text then carries it). Notes have their own
     * section; kinds this page does not know are left out (an allow-list, as for the view).
     */
    private static List<TrackingView.Update> history(List<TrackingPageReads.Entry> entries,
            List<TrackingView.Step> steps, TrackingLinks.Options options, boolean etaShown, ShipmentTimes times,
            TrackingView.Words words, String language) {
        List<TrackingView.Update> out = new ArrayList<>();
        for (var e : entries) {
            if (out.size() >= HISTORY_SHOWN) {
                break;
            }
            String at = times.at(e.at());
            String detail = e.detail() == null ? "" : e.detail();
            if (e.kind().equals(ShipmentEvent.STAGE_CHANGED.name()) && options.progress()) {
                String to = detail.contains(" → ") ? detail.substring(detail.lastIndexOf(" → ") + 3) : detail;
                TrackingView.Step step = steps.stream().filter(st -> st.name().equals(to)).findFirst()
                        .orElse(new TrackingView.Step(to, null, TrackingView.State.DONE, to));
                out.add(update(at, TrackingView.Event.STAGE, step, null, words, language));
            } else if (e.kind().equals(ShipmentEvent.ETA_CHANGED.name()) && etaShown) {
                if (detail.equals("cleared")) {
                    out.add(update(at, TrackingView.Event.ETA_CLEARED, null, null, words, language));
                } else {
                    try {
                        String value = ShipmentEtas.etaOfDetail(detail, times);
                        out.add(update(at, TrackingView.Event.ETA, null, value, words, language));
                    } catch (java.time.DateTimeException ignored) {
                        // an entry this page cannot read is left out, never shown raw
                    }
                }
            } else if (e.kind().equals(ShipmentEvent.STOP_ARRIVED.name())
                    || e.kind().equals(ShipmentEvent.STOP_DEPARTED.name())) {
                boolean arrived = e.kind().equals(ShipmentEvent.STOP_ARRIVED.name());
                String kind = detail.split(" ")[0];
                TrackingView.Event event = switch (kind) {
                case "PICKUP" -> arrived ? TrackingView.Event.PICKUP_ARRIVED : TrackingView.Event.PICKUP_LEFT;
                // the driver leaving the customer's own address after delivering is no news to the customer
                case "DELIVERY" -> arrived ? TrackingView.Event.DELIVERY_ARRIVED : null;
                default -> arrived ? TrackingView.Event.STOP_ARRIVED : TrackingView.Event.STOP_LEFT;
                };
                if (event != null) {
                    out.add(update(at, event, null, null, words, language));
                }
            } else if (e.kind().equals(ShipmentEvent.EXCEPTION_REPORTED.name())) {
                problem(detail).ifPresent(p -> out.add(update(at, p.event(), null, p.note(), words, language)));
            }
        }
        return out;
    }

    private static TrackingView.Update update(String at, TrackingView.Event event, TrackingView.Step stage,
            String value, TrackingView.Words words, String language) {
        return new TrackingView.Update(at, event, stage, value, words.event(event, language));
    }

    private record Problem(TrackingView.Event event, String note) {
    }

    /**
     * A customer-visible problem entry read back: "Delayed" or "Delayed: shared note" ({@link ShipmentExceptions}
     * writes the English word, the page says it in the customer's language). Empty for a text of no known kind.
     */
    private static Optional<Problem> problem(String detail) {
        for (ShipmentException.Kind kind : ShipmentException.Kind.values()) {
            String word = ShipmentExceptions.customerWord(kind);
            if (detail.equals(word) || detail.startsWith(word + ": ")) {
                String note = detail.length() > word.length() + 2 ? detail.substring(word.length() + 2) : null;
                TrackingView.Event event = switch (kind) {
                case DELAY -> TrackingView.Event.DELAYED;
                case DAMAGE -> TrackingView.Event.DAMAGE_REPORTED;
                case REFUSED -> TrackingView.Event.DELIVERY_REFUSED;
                case OTHER -> TrackingView.Event.PROBLEM_REPORTED;
                };
                return Optional.of(new Problem(event, note));
            }
        }
        return Optional.empty();
    }

    /**
     * The last position, never once delivered nor before the goods are on their way (the stage is still Booked and the
     * pickup stop not left, {@link ShipmentEtas#underway}'s rule: the driver's or truck's position then is another
     * job's, the depot or home): its time, the distance left to the delivery stop, and the map when the organisation
     * enables it, a tile server is configured and the position is fresh.
     */
    private TrackingView.LastPosition position(TrackingPageReads.Page s, List<TrackingPageReads.Stop> stops,
            TrackingPageReads.Stop delivery, ShipmentTimes times) {
        if (s.lastPositionAt() == null || s.deliveredAt() != null || s.stageMilestone() == Milestone.DELIVERED) {
            return null;
        }
        boolean pickedUp = stops.stream().anyMatch(t -> t.kind() == ShipmentStop.Kind.PICKUP && t.departedAt() != null);
        if (s.stageMilestone() == Milestone.BOOKED && !pickedUp) {
            return null;
        }
        return new TrackingView.LastPosition(times.at(s.lastPositionAt()),
                delivery == null ? null
                        : LastPositions.distanceKm(s.lastLatitude(), s.lastLongitude(), delivery.latitude(),
                                delivery.longitude(), times.format()),
                lastPositions.map(s.lastPositionAt(), s.lastLatitude(), s.lastLongitude(), s.mapEnabled(),
                        s.positionFreshMinutes()));
    }

    /** The Web Mercator tile ({@link #MAP_ZOOM}) holding a point, and the point's place on it in 8-pixel steps. */
    static TrackingView.MapTile tile(String template, double latitude, double longitude) {
        int n = 1 << MAP_ZOOM;
        double x = (longitude + 180) / 360 * n;
        double lat = Math.toRadians(Math.max(-85.0511, Math.min(85.0511, latitude)));
        double y = (1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2 * n;
        int tx = Math.min(n - 1, (int) Math.floor(x));
        int ty = Math.min(n - 1, Math.max(0, (int) Math.floor(y)));
        String url = template.replace("{z}", Integer.toString(MAP_ZOOM)).replace("{x}", Integer.toString(tx))
                .replace("{y}", Integer.toString(ty));
        return new TrackingView.MapTile(url, Math.min(31, (int) ((x - tx) * 32)), Math.min(31, (int) ((y - ty) * 32)));
    }
}
