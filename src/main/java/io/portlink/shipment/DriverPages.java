package io.portlink.shipment;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.portlink.link.AccessLink;
import io.portlink.link.Links;
import io.portlink.platform.ImageCheck;
import io.portlink.platform.ImageCleaner;
import io.portlink.platform.Locales;
import io.portlink.platform.Signer;
import io.portlink.platform.Tokens;
import io.portlink.platform.Unicode;
import io.portlink.platform.ValidationException;
import io.portlink.timeline.Visibility;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;

/**
 * The driver's side of a driver link ({@code /d/{token}}): the page ({@link DriverView}) and its buttons: picked up,
 * arrived, delivered (with proof of delivery), report a problem, and the phone's position. GET never changes anything;
 * every button is a POST with its own nonce ({@code <issued>.<random>.<signature>}, bound to the link and the form's
 * action, valid {@link #FORM_LIFE}); a used nonce is remembered ({@link DriverFormUse}) so the same form posted again
 * is "already saved", never done twice. Writers take the shipment's row lock, so two phones (or two taps) take turns. A
 * link is gone when revoked, its organisation is not active, its shipment deleted, or the organisation's retention
 * after delivery ({@link ShipmentSettings#linkDaysAfterDelivery}) has passed (the injected clock). The page, its
 * messages and what a refused form must fix are in the driver's language ({@link #language}, {@link DriverMessages}).
 */
@ApplicationScoped
public class DriverPages {

    static final AccessLink.Scope SCOPE = DriverLinks.SCOPE;

    /** How long a drawn form may be sent (a driver keeps the page open over a long day). */
    public static final Duration FORM_LIFE = Duration.ofHours(48);

    /** Longest receiver's name. */
    public static final int NAME_MAX = 200;

    /** Most photos in one proof of delivery. */
    public static final int MAX_PHOTOS = 10;

    /**
     * Most bytes of all photos of one proof of delivery together (32 MiB), each at most
     * {@link ShipmentConfig#photoMaxBytes()}: with the signature and the other fields this stays under the request body
     * limit ({@code quarkus.http.limits.max-body-size}, 40 MiB), so a form the page allows is never cut off.
     */
    public static final long PHOTOS_MAX_TOTAL_BYTES = 32L * 1024 * 1024;

    /**
     * Longest drawn signature (a PNG data URL), in characters: under the 64 KiB limit of one form field
     * ({@code quarkus.http.limits.max-form-attribute-size}), which would refuse a longer one before this check. A
     * signature on the page's 480 × 160 pad takes 5 to 25 KB.
     */
    public static final int SIGNATURE_MAX_CHARS = 60_000;

    /** How old a shared position may be: the page shares the phone's live location. */
    public static final Duration POSITION_MAX_AGE = Duration.ofMinutes(10);

    private static final java.util.regex.Pattern EPOCH_MILLIS = java.util.regex.Pattern.compile("[0-9]{13}");
    private static final String PURPOSE = "driver form";
    private static final Set<String> TYPES = Set.of(ImageCheck.JPEG, ImageCheck.PNG);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    Links links;

    @Inject
    Shipments shipments;

    @Inject
    ShipmentExceptions exceptions;

    @Inject
    ShipmentStops stopTimes;

    @Inject
    jakarta.enterprise.event.Event<ShipmentTriggered> triggered;

    @Inject
    ShipmentPositions positions;

    @Inject
    ShipmentConfig config;

    @Inject
    Signer signer;

    @Inject
    Clock clock;

    /** What a token opened or a form did. */
    public sealed interface Outcome {
    }

    /** 200: the page, with a message (or null) for what was just done. */
    public record Shown(DriverView page, String message, boolean repeat) implements Outcome {
    }

    /**
     * 200: the page of a delivered shipment, with why a button's request recorded nothing (a late tap from a page drawn
     * before the delivery): the record is complete.
     */
    public record Closed(DriverView page, String message) implements Outcome {
    }

    /** 422: the page again, with what to fix. */
    public record Invalid(DriverView page, List<ValidationException.FieldError> errors) implements Outcome {
    }

    /** 403: a form nonce that is not this page's (or too old): the page drawn again, nothing done. */
    public record Refused(DriverView page) implements Outcome {
    }

    /** 410: revoked, organisation locked, shipment deleted, or past the retention after delivery. */
    public record Gone() implements Outcome {
    }

    /** 404: no driver link (a token of another scope included). */
    public record NotFound() implements Outcome {
    }

    /**
     * A proof-of-delivery photo as uploaded: its bytes (null when it was too large to read), the file's name and size
     * in bytes.
     */
    public record Upload(byte[] bytes, String fileName, long size) {
    }

    /** The largest photo accepted, in bytes. */
    public long maxPhotoBytes() {
        return config.photoMaxBytes();
    }

    /**
     * The driver's language: the phone's ({@code acceptLanguage}, the browser's Accept-Language header) when it names
     * one of {@link Locales#LANGUAGES}, else the organisation's. A driver may work for a carrier from elsewhere, and
     * the phone says what its owner reads; the organisation's language is the better guess than English otherwise.
     */
    public static String language(String organizationLanguage, String acceptLanguage) {
        return Locales.fromAcceptLanguage(acceptLanguage,
                Locales.isLanguage(organizationLanguage) ? organizationLanguage : "en");
    }

    /** The driver's texts in a language of {@link Locales#LANGUAGES} (English for any other). */
    public static DriverMessages messages(String language) {
        return "en".equals(language) || !Locales.isLanguage(language) ? MessageBundles.get(DriverMessages.class)
                : MessageBundles.get(DriverMessages.class, Localized.Literal.of(language));
    }

    /** An open link with the driver's language and texts. */
    private record Opened(AccessLink link, String token, String language, DriverMessages text) {
    }

    /** The link of a token when it opens, in the driver's language; null when it does not open. */
    private Opened opened(String token, String acceptLanguage) {
        Optional<AccessLink> link = usable(token);
        if (link.isEmpty()) {
            return null;
        }
        String language = language(link.get().organization.language, acceptLanguage);
        return new Opened(link.get(), token, language, messages(language));
    }

    /**
     * The page of a token, in the driver's language ({@code acceptLanguage}: the browser's header); {@code bot}: a
     * machine's fetch, counted apart. Changes nothing about the shipment.
     */
    @Transactional
    public Outcome open(String token, boolean bot, String acceptLanguage) {
        Opened o = opened(token, acceptLanguage);
        if (o == null) {
            return missing(token);
        }
        if (bot) {
            links.recordBotFetch(o.link());
        }
        return new Shown(view(o), null, false);
    }

    /** HEAD: the status only; counts a machine's fetch. */
    @Transactional
    public int probe(String token) {
        Optional<AccessLink> link = usable(token);
        if (link.isPresent()) {
            links.recordBotFetch(link.get());
            return 200;
        }
        return missing(token) instanceof Gone ? 410 : 404;
    }

    /**
     * "Picked up": the pickup stop (the first) gets its arrival (if none) and departure, and the shipment moves to its
     * pipeline's IN_TRANSIT stage (else DISPATCHED) when that is ahead of its stage.
     */
    @Transactional
    public Outcome pickedUp(String token, String nonce, String acceptLanguage) {
        Opened o = opened(token, acceptLanguage);
        if (o == null) {
            return missing(token);
        }
        return act(o, nonce, "pickup", new ValidationException.Builder(), (s, link, actor) -> {
            Instant now = Instant.now(clock);
            List<ShipmentStop> stops = stopsUnderLock(s);
            Optional<ShipmentStop> pickup = stops.stream().filter(st -> st.kind == ShipmentStop.Kind.PICKUP)
                    .findFirst();
            pickup.ifPresent(p -> stopTimes.departed(s, p, actor, now));
            moveForward(s, actor, Milestone.IN_TRANSIT, Milestone.DISPATCHED);
            return o.text().saved_picked_up();
        });
    }

    /**
     * "Arrived": the next stop without an arrival gets one (and the stop before it, if not left yet, its departure).
     * Arriving at the delivery stop moves the shipment to the pipeline's OUT_FOR_DELIVERY stage, if it has one and it
     * is ahead. With every stop reached, nothing changes. While the driver is at the pickup and has not picked up
     * ({@link DriverView#atPickup}), an arrival further on needs {@code leftPickup} "yes" (the form's tick), else it is
     * refused and nothing is saved: the next button takes the place of "Arrived at pickup", and a second tap there
     * (after Back, or a slow page) would otherwise report the delivery, tell the customer, and have no undo.
     */
    @Transactional
    public Outcome arrived(String token, String nonce, String stop, String stopId, String leftPickup,
            String acceptLanguage) {
        Opened o = opened(token, acceptLanguage);
        if (o == null) {
            return missing(token);
        }
        var errors = new ValidationException.Builder();
        if (stop != null && !stop.isBlank() && (!stop.matches("[0-9]{1,4}") || ShipmentStop
                .count("shipment.id = ?1 and position = ?2", o.link().shipmentId, Integer.parseInt(stop)) == 0)) {
            // only a hand-made form names no stop of the shipment: refused, the nonce left for the page's own button
            errors.add(null, o.text().error_stop(), null);
        } else if (stop != null && !stop.isBlank()) {
            // the page's button always names the next stop: a later one is a hand-made form, refused rather than
            // answered "already saved" over a stop nobody reached (stops are only ever reached, so the next one under
            // the lock is this one or later)
            ShipmentStop next = ShipmentStop.<ShipmentStop> find(
                    "shipment.id = ?1 and arrivedAt is null order by position", o.link().shipmentId).firstResult();
            if (next != null && Integer.parseInt(stop.strip()) > next.position) {
                errors.add(null, o.text().error_stop_not_next(), null);
            } else if (stopId != null && !stopId.isBlank()) {
                // the page named the stop by its id too: staff who removed or inserted a stop since the page was drawn
                // moved another stop to that position, which a tap must not mark
                ShipmentStop named = ShipmentStop.<ShipmentStop> find("shipment.id = ?1 and position = ?2",
                        o.link().shipmentId, Integer.parseInt(stop.strip())).firstResult();
                if (named == null || !stopId.strip().equals(Long.toString(named.id))) {
                    errors.add(null, o.text().error_stops_changed(), null);
                }
            }
        }
        return act(o, nonce, "arrive", errors, (s, link, actor) -> {
            Instant now = Instant.now(clock);
            List<ShipmentStop> stops = stopsUnderLock(s);
            ShipmentStop next = stops.stream().filter(st -> st.arrivedAt == null).findFirst().orElse(null);
            if (next == null) {
                return o.text().all_stops_reached();
            }
            String named = stop == null || stop.isBlank() ? null : stop.strip(); // blank: the next stop, as absent
            if (named != null && Integer.parseInt(named) < next.position) {
                // the button named a stop that is marked already (a second tab, a double tap): never the one after
                return null;
            }
            if (atPickup(s, stops, next) && !"yes".equals(leftPickup)) {
                throw new StepRefused(o.text().error_still_at_pickup(stopLabel(next, o.text())));
            }
            for (ShipmentStop st : stops) {
                if (st.position < next.position && st.arrivedAt != null && st.departedAt == null) {
                    stopTimes.departed(s, st, actor, now);
                    if (st.kind == ShipmentStop.Kind.PICKUP) {
                        // leaving the pickup is picking up, whichever button said so
                        moveForward(s, actor, Milestone.IN_TRANSIT, Milestone.DISPATCHED);
                    }
                }
            }
            stopTimes.arrived(s, next, actor, now);
            if (next.kind == ShipmentStop.Kind.DELIVERY) {
                moveForward(s, actor, Milestone.OUT_FOR_DELIVERY);
            }
            return o.text().saved_arrived(stopLabel(next, o.text()));
        });
    }

    /**
     * "Report a problem": kind (DELAY, DAMAGE, REFUSED, OTHER) and a note (required for OTHER), through
     * {@link ShipmentExceptions} (the customer sees a neutral word only). A kind this link reported before and that is
     * still open is that problem again: the new words go to staff ({@link ShipmentExceptions#reportOrAdd}).
     */
    @Transactional
    public Outcome problem(String token, String nonce, String kind, String note, String acceptLanguage) {
        Opened o = opened(token, acceptLanguage);
        if (o == null) {
            return missing(token);
        }
        DriverMessages t = o.text();
        var errors = new ValidationException.Builder();
        ShipmentException.Kind k = ShipmentExceptions.parseKind(kind);
        if (k == null) {
            errors.add(null, t.error_kind(), null);
        }
        String text = text(errors, t, t.note(), note, k == ShipmentException.Kind.OTHER, ShipmentExceptions.NOTE_MAX,
                false);
        // the report's content: the same report again is "already saved", another one from the same form is not
        String content = io.portlink.platform.Tokens.fieldsDigest(java.util.Arrays.asList(kind, note));
        return act(o, nonce, "problem", errors, content, (s, link, actor) -> {
            // "Delayed" again with other words while the first delay is open: one problem for the customer
            exceptions.reportOrAdd(s, k, text, actor);
            return t.saved_problem();
        });
    }

    /**
     * "Delivered" with the proof of delivery: one or more photos (JPEG or PNG, checked like shipment photos, metadata
     * removed), the receiver's name (required), an optional drawn signature (a PNG data URL), an optional note; the
     * time is the server's. The delivery stop gets its arrival (if none) and departure, and the shipment moves to its
     * DELIVERED stage. A shipment with a proof already answers "already saved" (a retry, or a second phone).
     */
    @Transactional
    public Outcome delivered(String token, String nonce, String receiverName, String note, String signature,
            List<Upload> photos, String acceptLanguage) {
        Opened o = opened(token, acceptLanguage);
        if (o == null) {
            return missing(token);
        }
        DriverMessages t = o.text();
        var errors = new ValidationException.Builder();
        String name = text(errors, t, t.receiver_name(), receiverName, true, NAME_MAX, true);
        String text = text(errors, t, t.note(), note, false, ShipmentExceptions.NOTE_MAX, false);
        List<Upload> files = photos == null ? List.of()
                : photos.stream().filter(u -> u != null && u.size() > 0).toList();
        List<Cleaned> images = new ArrayList<>();
        if (files.isEmpty()) {
            errors.add(t.photos(), t.error_no_photo(), null);
        } else if (files.size() > MAX_PHOTOS) {
            errors.add(t.photos(), t.error_too_many_photos(MAX_PHOTOS, files.size()), null);
        }
        long total = files.stream().mapToLong(Upload::size).sum();
        if (total > PHOTOS_MAX_TOTAL_BYTES) {
            errors.add(t.photos(), t.error_photos_total(megabytes(total, t), megabytes(PHOTOS_MAX_TOTAL_BYTES, t)),
                    null);
        }
        for (int i = 0; i < files.size() && i < MAX_PHOTOS; i++) {
            // named as the driver counts the photos on the page ("Photo 2"), not as a program's list path
            String field = t.photo_n(i + 1);
            Upload file = files.get(i);
            ImageCheck.Inspection found = file.bytes() == null
                    ? new ImageCheck.Inspection(null, ImageCheck.Problem.TOO_LARGE, null, 0, 0)
                    : ImageCheck.inspect(file.bytes(), config.photoMaxBytes(), config.photoMaxSide(), TYPES);
            String problem = found.problem() == null ? null : switch (found.problem()) {
            case EMPTY, DAMAGED -> t.error_photo_damaged();
            case TOO_LARGE -> t.error_photo_too_large(megabytes(file.size(), t), megabytes(config.photoMaxBytes(), t));
            case FORMAT -> t.error_photo_format();
            case PIXELS -> t.error_photo_pixels(Locales.count(found.width(), t.lang()),
                    Locales.count(found.height(), t.lang()), Locales.count(config.photoMaxSide(), t.lang()));
            };
            Cleaned cleaned = problem == null ? clean(field, found.image(), file.bytes()) : null;
            if (problem == null && cleaned == null) {
                problem = t.error_photo_damaged(); // the metadata could not be taken out: not a whole image
            }
            if (problem != null) {
                // the file's name helps only when there are several to choose from
                errors.add(field, problem, files.size() > 1 ? file.fileName() : null);
            } else {
                images.add(cleaned);
            }
        }
        Cleaned drawn = null;
        if (signature != null && !signature.isBlank()) {
            byte[] png = signatureBytes(signature);
            ImageCheck.Inspection found = png == null ? null
                    : ImageCheck.inspect(png, config.photoMaxBytes(), config.photoMaxSide(), Set.of(ImageCheck.PNG));
            drawn = found == null || found.problem() != null ? null : clean("signature", found.image(), png);
            if (drawn == null) {
                errors.add(t.signature(), t.error_signature(), null);
            }
        }
        Cleaned sign = drawn;
        // a proof already recorded (a second phone, a form drawn before the delivery) is answered before this step,
        // under the shipment's lock, naming whose proof stands
        return act(o, nonce, "deliver", errors, (s, link, actor) -> {
            Instant now = Instant.now(clock);
            ProofOfDelivery pod = new ProofOfDelivery();
            pod.shipment = s;
            pod.receiverName = name;
            pod.note = text;
            pod.deliveredAt = now;
            pod.accessLinkId = link.id;
            pod.persist();
            for (int i = 0; i < images.size(); i++) {
                persist(pod, ProofOfDeliveryImage.Kind.PHOTO, i, images.get(i));
            }
            if (sign != null) {
                persist(pod, ProofOfDeliveryImage.Kind.SIGNATURE, 0, sign);
            }
            // the unique index refuses a concurrent twin here, inside the lock's turn, never at commit
            ProofOfDelivery.getEntityManager().flush();
            List<ShipmentStop> stops = stopsUnderLock(s);
            for (ShipmentStop st : stops) {
                if (st.kind == ShipmentStop.Kind.DELIVERY) {
                    stopTimes.departed(s, st, actor, now);
                }
            }
            shipments.record(s, actor, ShipmentEvent.PROOF_OF_DELIVERY, "received by " + name + ", " + images.size()
                    + " photo" + (images.size() == 1 ? "" : "s") + (sign != null ? ", signed" : ""),
                    Visibility.INTERNAL);
            if (!moveForward(s, actor, Milestone.DELIVERED) && s.deliveredAt == null) {
                // a pipeline without a DELIVERED stage: the proof still dates the delivery, and rules, alerts and the
                // purchase order hear of it as they would from the stage
                s.deliveredAt = now;
                triggered.fire(new ShipmentTriggered(s.organization.id, s.id, ShipmentTriggered.Trigger.DELIVERED, null,
                        actor));
            }
            return t.saved_delivered(name);
        });
    }

    /**
     * A position from the page's "share my location" (the phone's geolocation), with the page's nonce. Stored with
     * source "driver" through {@link ShipmentPositions} (its checks: range, not more than
     * {@link ShipmentPositions#FUTURE_SKEW} ahead; a repeat is ignored), and only when live: a recorded time more than
     * {@link #POSITION_MAX_AGE} before the server's clock is refused. {@code recordedAt} is epoch milliseconds (13
     * digits, what the page's script sends) or ISO-8601 with an offset; blank: now. A link keeps at most one position
     * per {@link ShipmentPositions#LINK_SPACING} of recorded time: a closer one is ignored like a repeat. Returns 204
     * stored or ignored, 403 for a nonce that is not this page's, 404/410 for a link that does not open.
     *
     * @throws ValidationException
     *             what is wrong (422): a time that is unreadable, too old or in the future, a coordinate
     */
    @Transactional(Transactional.TxType.NEVER)
    public int position(String token, String nonce, String latitude, String longitude, String recordedAt) {
        Instant now = Instant.now(clock);
        record Admitted(int status, long organizationId, long shipmentId, long linkId) {
        }
        // a short transaction: no lock is held while the position's ETA is computed
        Admitted admitted = QuarkusTransaction.requiringNew().call(() -> {
            Optional<AccessLink> link = usable(token);
            if (link.isEmpty()) {
                return new Admitted(missing(token) instanceof Gone ? 410 : 404, 0, 0, 0);
            }
            if (!"valid".equals(check(link.get(), "positions", nonce))) {
                return new Admitted(403, 0, 0, 0);
            }
            Shipment s = Shipment.findById(link.get().shipmentId);
            // never a position after delivery
            return new Admitted(s.deliveredAt != null ? 204 : 0, s.organization.id, s.id, link.get().id);
        });
        if (admitted.status() != 0) {
            return admitted.status();
        }
        Instant at = recordedAt(recordedAt, now);
        var input = new ShipmentPositions.PositionInput(decimal(latitude), latitude, decimal(longitude), longitude,
                at.toString(), ShipmentPositions.DRIVER_SOURCE);
        try {
            positions.addFromLink(admitted.organizationId(), admitted.shipmentId(), input, admitted.linkId());
        } catch (ValidationException e) {
            // the phone posts one point as form fields: named as the form names them, not as the API's list does
            var named = new ValidationException.Builder();
            e.errors().forEach(x -> named.add(x.row(),
                    x.field() == null ? null : x.field().replaceFirst("^\\[0\\]\\.", ""), x.message(), x.value()));
            named.throwIfAny();
            throw e;
        }
        links.recordAction(token, SCOPE);
        return 204;
    }

    /**
     * A driver position's recorded time: blank is {@code now}; 13 digits are epoch milliseconds; anything else must be
     * ISO-8601 with an offset. Refused when older than {@link #POSITION_MAX_AGE}; the future is refused by
     * {@link ShipmentPositions}.
     */
    static Instant recordedAt(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return now;
        }
        String v = value.strip();
        Instant at;
        if (EPOCH_MILLIS.matcher(v).matches()) {
            at = Instant.ofEpochMilli(Long.parseLong(v)); // what the page's script sends: Date's milliseconds
        } else {
            try {
                // a number of another length (seconds, say) is no ISO time either: refused, never guessed
                at = java.time.OffsetDateTime.parse(v).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                throw ValidationException.of("recordedAt",
                        io.portlink.platform.Fields.isoDateTimeProblem(v,
                                "must be epoch milliseconds (13 digits) or an ISO-8601 date and time with its"
                                        + " offset, like 2026-12-01T09:30:00Z"),
                        value);
            }
        }
        if (at.isBefore(now.minus(POSITION_MAX_AGE))) {
            throw ValidationException.of("recordedAt",
                    "is more than " + POSITION_MAX_AGE.toMinutes() + " minutes old; only the live location is shared",
                    value);
        }
        return at;
    }

    /**
     * Before a proof of delivery's files are read: the link must open, the nonce be this form's (a used one is "already
     * saved") and there be at most {@link #MAX_PHOTOS} files ({@code files}: the non-empty ones sent). Null to go on;
     * else the answer, and no file is read.
     */
    @Transactional
    public Outcome beforeDelivery(String token, String nonce, int files, String acceptLanguage) {
        Opened o = opened(token, acceptLanguage);
        if (o == null) {
            return missing(token);
        }
        if (!"valid".equals(check(o.link(), "deliver", nonce))) {
            return new Refused(view(o));
        }
        if (DriverFormUse.findById(nonce.substring(nonce.lastIndexOf('.') + 1)) != null) {
            return new Shown(view(o), o.text().already_saved(), true);
        }
        if (files > MAX_PHOTOS) {
            return new Invalid(view(o), List.of(new ValidationException.FieldError(null, o.text().photos(),
                    o.text().error_too_many_photos(MAX_PHOTOS, files), null)));
        }
        return null;
    }

    /**
     * Bytes in megabytes (MiB) as English text, for the API and staff pages: whole when exact ({@code "4"}), else with
     * one decimal rounded up ({@code "4.1"}), so that a body a few bytes over a limit reads neither as the limit nor as
     * a whole megabyte more.
     */
    public static String megabytesText(long bytes) {
        final long mib = 1 << 20;
        return bytes % mib == 0 ? Long.toString(bytes / mib) : java.math.BigDecimal.valueOf(bytes)
                .divide(java.math.BigDecimal.valueOf(mib), 1, java.math.RoundingMode.CEILING).toPlainString();
    }

    /** Bytes in whole megabytes (MiB), rounded up, as the page and its script count them: 8 MiB + 1 byte is 9. */
    public static long megabytes(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }

    /**
     * Bytes as the page and its script say them, in the driver's language: whole megabytes (MiB) when exact, as the
     * limits are ({@code 8 MB}), else with one decimal rounded up ({@code 9.1 MB}, {@code 9,1 MB}), so that a file over
     * a limit never reads as the limit itself.
     */
    public static String megabytes(long bytes, DriverMessages t) {
        final long mib = 1 << 20;
        if (bytes % mib == 0) {
            return t.megabytes(Long.toString(bytes / mib));
        }
        java.text.NumberFormat one = java.text.NumberFormat.getNumberInstance(Locales.locale(t.lang()));
        one.setMinimumFractionDigits(1);
        one.setMaximumFractionDigits(1);
        return t.megabytes(one.format(Math.ceil(bytes * 10.0 / mib) / 10));
    }

    // ------------------------------------------------------------------ the shared steps

    @FunctionalInterface
    private interface Step {
        /**
         * The change on the locked shipment; its message, or null for "already saved".
         *
         * @throws StepRefused
         *             before changing anything, when the shipment's state refuses the form (422, nothing saved)
         */
        String run(Shipment s, AccessLink link, ShipmentActor actor);
    }

    /** A step's refusal by the locked state: its message for the driver, in the driver's language. */
    private static final class StepRefused extends RuntimeException {
        StepRefused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Whether the driver is at the pickup and has not picked up, with {@code next} (the stop an arrival would mark)
     * further on: the pickup arrived and not left, the stage not yet beyond it ({@link DriverView#atPickup}).
     */
    private static boolean atPickup(Shipment s, List<ShipmentStop> stops, ShipmentStop next) {
        return next != null && s.stage.milestone.rank < Milestone.IN_TRANSIT.rank
                && stops.stream().anyMatch(st -> st.kind == ShipmentStop.Kind.PICKUP && st.position < next.position
                        && st.arrivedAt != null && st.departedAt == null);
    }

    /**
     * One button: the link must open and the nonce be this form's; a used nonce is "already saved"; then, with the
     * shipment locked, the field errors (a 422 with the page) or the step. The nonce is remembered with the change.
     */
    private Outcome act(Opened o, String nonce, String action, ValidationException.Builder errors, Step step) {
        return act(o, nonce, action, errors, null, step);
    }

    /**
     * {@link #act(Opened, String, String, ValidationException.Builder, Step)} for a form with typed content
     * ({@code content}: its digest, {@link io.portlink.platform.Tokens#fieldsDigest}): its used nonce sent again with
     * other content is refused (422, what was typed shown again), never "already saved" over a report not saved.
     */
    private Outcome act(Opened o, String nonce, String action, ValidationException.Builder errors, String content,
            Step step) {
        AccessLink link = o.link();
        String token = o.token();
        String verdict = check(link, action, nonce);
        if (!"valid".equals(verdict)) {
            return new Refused(view(o));
        }
        String key = nonce.substring(nonce.lastIndexOf('.') + 1);
        // the row lock makes two phones (or two taps) take turns; refresh: the state after the other's commit
        Shipment s = Shipment.findById(link.shipmentId);
        Shipment.getEntityManager().refresh(s, LockModeType.PESSIMISTIC_WRITE);
        // a deletion of the shipment (which revokes its links) or a revocation may have committed while this waited
        Shipment.getEntityManager().refresh(link);
        if (usable(token).isEmpty()) {
            return missing(token);
        }
        links.recordAction(token, SCOPE);
        DriverFormUse used = DriverFormUse.findById(key);
        if (used != null) {
            if (content != null && used.contentDigest != null && !used.contentDigest.equals(content)) {
                var refused = new ValidationException.Builder();
                refused.add(null, o.text().error_form_sent_before(), null);
                return new Invalid(view(o), refused.errors());
            }
            return new Shown(view(o), o.text().already_saved(), true);
        }
        if (s.deliveredAt != null && !"deliver".equals(action)) {
            // the record is complete: a late tap (or a leaked link) must not reopen it or mail the customer
            return new Closed(view(o), o.text().delivered_already());
        }
        if ("deliver".equals(action)) {
            ProofOfDelivery first = ProofOfDelivery.<ProofOfDelivery> find("shipment.id", s.id).firstResult();
            if (first != null) {
                // a second phone, or a form drawn before the delivery: the first proof stands, and this driver is
                // told whose it is instead of "already saved" over a name and photos that were not
                return new Closed(view(o), o.text().delivered_already_to(first.receiverName));
            }
        }
        if (!errors.isEmpty()) {
            return new Invalid(view(o), errors.errors());
        }
        ShipmentActor actor = new ShipmentActor(ShipmentActor.Type.LINK, link.id, "driver link #" + link.id);
        String message;
        try {
            message = step.run(s, link, actor);
        } catch (StepRefused e) {
            // the nonce stays unused: the same form, ticked, is the driver's next try
            var refused = new ValidationException.Builder();
            refused.add(null, e.getMessage(), null);
            return new Invalid(view(o), refused.errors());
        }
        DriverFormUse use = new DriverFormUse();
        use.formKey = key;
        use.accessLinkId = link.id;
        use.usedAt = Instant.now(clock);
        use.contentDigest = content;
        use.persist();
        AccessLink.update("lastActionAt = ?1 where id = ?2", use.usedAt, link.id);
        return message == null ? new Shown(view(o), o.text().already_saved(), true)
                : new Shown(view(o), message, false);
    }

    /** Moves the shipment to the first stage with one of the milestones (in this order of preference) when ahead. */
    private boolean moveForward(Shipment s, ShipmentActor actor, Milestone... wanted) {
        for (Milestone m : wanted) {
            Optional<ShipmentStage> to = s.pipeline.stages.stream().filter(st -> st.milestone == m).findFirst();
            if (to.isPresent()) {
                if (to.get().position > s.stage.position) {
                    shipments.changeStage(s.organization.id, s.id, to.get().id, actor);
                }
                return true;
            }
        }
        return false;
    }

    private static List<ShipmentStop> stops(Shipment s) {
        return ShipmentStop.list("shipment.id = ?1 order by position", s.id);
    }

    /**
     * The stops as committed, read under the shipment's row lock: a stop this request loaded before the lock (a form's
     * checks) would otherwise come back as it was then, and a second tab's arrival, committed while this one waited,
     * would be recorded again.
     */
    private static List<ShipmentStop> stopsUnderLock(Shipment s) {
        List<ShipmentStop> stops = stops(s);
        stops.forEach(st -> ShipmentStop.getEntityManager().refresh(st));
        return stops;
    }

    /** "pickup", "stop 1 (Hanover)": a stop as the buttons and messages name it, in the driver's language. */
    private static String stopLabel(ShipmentStop st, DriverMessages t) {
        String kind = t.stop_label(st.kind.name(), st.position);
        return st.name == null || st.name.isBlank() ? kind : kind + " (" + st.name + ")";
    }

    /**
     * A text the driver typed ({@link Unicode#typed}: a text of no-break or zero-width spaces is blank), or null when
     * blank or refused; what is wrong goes to {@code errors} under {@code label} in the driver's language: missing when
     * {@code required}, else {@link Unicode#typedProblem}'s (too long, control or direction-changing characters, a line
     * break in a {@code oneLine} text).
     */
    private static String text(ValidationException.Builder errors, DriverMessages t, String label, String value,
            boolean required, int max, boolean oneLine) {
        String v = Unicode.typed(value);
        if (v.isEmpty()) {
            if (required) {
                errors.add(label, t.error_required(), null);
            }
            return null;
        }
        Unicode.TypedProblem problem = Unicode.typedProblem(v, max, oneLine);
        if (problem != null) {
            errors.add(label, switch (problem) {
            case TOO_LONG -> t.error_too_long(Locales.count(max, t.lang()), Locales.count(v.length(), t.lang()));
            case CHARACTERS -> t.error_characters();
            case LINE_BREAK -> t.error_one_line();
            }, null);
            return null;
        }
        return v;
    }

    // ------------------------------------------------------------------ nonces

    /** A fresh nonce for one form ({@code action}) of one render of a link's page. */
    String nonce(long linkId, String action) {
        long issued = Instant.now(clock).getEpochSecond();
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        String random = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return Long.toString(issued, 36) + "." + random + "." + signer.sign(PURPOSE, linkId, action, issued, random);
    }

    /** "valid", "expired" or "refused" for a posted nonce against the form it was posted to. */
    private String check(AccessLink link, String action, String nonce) {
        String[] parts = nonce == null || nonce.length() > 100 ? new String[0] : nonce.split("\\.", -1);
        if (parts.length != 3 || parts[1].length() != 16) {
            return "refused";
        }
        long issued;
        try {
            issued = Long.parseLong(parts[0], 36);
        } catch (NumberFormatException e) {
            return "refused";
        }
        if (!signer.verify(parts[2], PURPOSE, link.id, action, issued, parts[1])) {
            return "refused";
        }
        Instant at = Instant.ofEpochSecond(issued);
        Instant now = Instant.now(clock);
        if (at.isAfter(now.plus(Duration.ofMinutes(5))) || at.plus(FORM_LIFE).isBefore(now)) {
            return "expired";
        }
        return "valid";
    }

    // ------------------------------------------------------------------ the link and the view

    /** The link of a token when it opens: active, its shipment live, and not past the retention after delivery. */
    private Optional<AccessLink> usable(String token) {
        return links.resolve(token, SCOPE) instanceof Links.Active active && open(active.link(), clock)
                ? Optional.of(active.link()) : Optional.empty();
    }

    /** Whether a shipment link's shipment is live and within the organisation's days after delivery. */
    static boolean open(AccessLink link, Clock clock) {
        Shipment s = Shipment.findById(link.shipmentId);
        return s != null && s.deletedAt == null && !AfterDelivery.pastRetention(s, clock);
    }

    private Outcome missing(String token) {
        return links.resolve(token, SCOPE) instanceof Links.Unknown ? new NotFound() : new Gone();
    }

    /**
     * The allow-list: each field the driver sees is copied here by name; dates in the driver's language by the
     * organisation's conventions.
     */
    private DriverView view(Opened o) {
        AccessLink link = o.link();
        Shipment s = Shipment.findById(link.shipmentId);
        Locales.Format format = link.organization.formatFor(o.language());
        List<ShipmentStop> all = stops(s);
        // the shipment's times in its delivery stop's zone, named; a stop's own times in its own zone, named
        ShipmentTimes times = ShipmentTimes.of(
                all.stream().filter(st -> st.kind == ShipmentStop.Kind.DELIVERY).findFirst().orElse(null),
                link.organization.timeZone, format);
        List<DriverView.Stop> stops = new ArrayList<>();
        String next = null;
        Integer nextPosition = null;
        Long nextId = null;
        ShipmentStop nextStop = null;
        boolean pickedUp = false;
        for (ShipmentStop st : all) {
            stops.add(new DriverView.Stop(st.kind.name(), st.name, st.address, window(st, times),
                    st.arrivedAt == null ? null : times.inStop(st.arrivedAt, st.zone),
                    st.departedAt == null ? null : times.inStop(st.departedAt, st.zone)));
            if (next == null && st.arrivedAt == null) {
                next = stopLabel(st, o.text());
                nextPosition = st.position;
                nextId = st.id;
                nextStop = st;
            }
            if (st.kind == ShipmentStop.Kind.PICKUP && st.departedAt != null) {
                pickedUp = true;
            }
        }
        ProofOfDelivery pod = ProofOfDelivery.<ProofOfDelivery> find("shipment.id", s.id).firstResult();
        boolean delivered = pod != null || s.deliveredAt != null;
        boolean beyondPickup = s.stage.milestone.rank >= Milestone.IN_TRANSIT.rank;
        boolean canPickUp = !delivered && !pickedUp && !beyondPickup;
        DriverView.Nonces nonces = new DriverView.Nonces(nonce(link.id, "pickup"), nonce(link.id, "arrive"),
                nonce(link.id, "deliver"), nonce(link.id, "problem"), nonce(link.id, "positions"));
        Instant deliveredAt = pod != null ? pod.deliveredAt : s.deliveredAt;
        // a standard pipeline's stages (the freight default's names) are said in the driver's language; an
        // organisation's own words as written, never half translated (as on the tracking page)
        boolean standard = s.pipeline.stages.stream().allMatch(st -> st.name.equals(st.milestone.label));
        String stage = standard ? o.text().milestone(s.stage.milestone) : s.stage.name;
        return new DriverView(link.organization.name, s.title, stage, stops, canPickUp,
                !delivered && atPickup(s, all, nextStop), delivered ? null : next, delivered ? null : nextPosition,
                delivered ? null : nextId, delivered, deliveredAt == null ? null : times.at(deliveredAt),
                pod == null ? null : pod.receiverName, nonces, SCOPE.path + o.token(), o.language());
    }

    /** "1 Dec 2026, 08:00 – 12:00 (Europe/Berlin)": a window in the stop's own zone; null without one. */
    static String window(ShipmentStop st, ShipmentTimes times) {
        if (st.windowFrom == null && st.windowTo == null) {
            return null;
        }
        String from = st.windowFrom == null ? "…" : times.inStop(st.windowFrom, st.zone);
        String to = st.windowTo == null ? "…" : times.inStop(st.windowTo, st.zone);
        return from + " – " + to;
    }

    // ------------------------------------------------------------------ images

    private record Cleaned(ImageCheck.Checked checked, byte[] bytes) {
    }

    /** The image without its metadata ({@link ImageCleaner}); null when its segments cannot be read. */
    private static Cleaned clean(String field, ImageCheck.Checked checked, byte[] content) {
        try {
            return new Cleaned(checked, ImageCleaner.strip(field, content, checked.contentType()));
        } catch (ValidationException e) {
            return null;
        }
    }

    private static void persist(ProofOfDelivery pod, ProofOfDeliveryImage.Kind kind, int position, Cleaned c) {
        ProofOfDeliveryImage i = new ProofOfDeliveryImage();
        i.proof = pod;
        i.kind = kind;
        i.position = position;
        i.contentType = c.checked().contentType();
        i.byteSize = c.bytes().length;
        i.width = c.checked().width();
        i.height = c.checked().height();
        i.digest = Tokens.sha256(c.bytes());
        i.content = c.bytes();
        i.persist();
    }

    /** The bytes of a {@code data:image/png;base64,…} URL of at most {@link #SIGNATURE_MAX_CHARS}; null otherwise. */
    private static byte[] signatureBytes(String dataUrl) {
        String prefix = "data:image/png;base64,";
        if (dataUrl.length() > SIGNATURE_MAX_CHARS || !dataUrl.startsWith(prefix)) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(dataUrl.substring(prefix.length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static java.math.BigDecimal decimal(String value) {
        return ShipmentPositions.degrees(value);
    }
}
