package io.portlink.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.portlink.platform.Problems;
import io.portlink.platform.ValidationException;
import io.portlink.shipment.ShipmentEdits;
import io.portlink.shipment.ShipmentExceptions;
import io.portlink.shipment.ShipmentInput;
import io.portlink.shipment.Shipments;
import io.portlink.shipment.TrackingLinks;

/**
 * The shipments API's JSON: request bodies, the shipment record (never an entity), and merge patches read as JSON
 * paths.
 */
public final class ShipmentJson {

    private ShipmentJson() {
    }

    /** The body of a create: the shipment's fields, and optionally where it starts. */
    public record CreateBody(String reference, String title, ShipmentInput.CustomerInput customer, String shipFrom,
            String shipTo, ShipmentInput.InternalInput internal,
            @Schema(description = "A stage of the shipment's pipeline by name (any case) or milestone; default: the first") String stage,
            @Schema(description = "YYYY-MM-DD") String estimatedArrival,
            @Schema(description = "The pipeline by name (any case); default: the organisation's default pipeline."
                    + " An unknown name is a 422 listing the organisation's pipelines") String pipeline) {
    }

    public record NoteBody(
            @Schema(description = "CUSTOMER (the customer sees it) or INTERNAL (staff only)") String scope,
            String text) {
    }

    public record Customer(String name, String email, String phone, String language) {
    }

    /** Staff's own fields, never shown to a customer. Amounts as exact decimal strings. */
    public record Internal(String stockNumber, String vinSerial, String currency, String cost, String salePrice,
            String paymentsReceived, String notes) {
    }

    public record Stage(String name, String milestone, String pipeline) {
    }

    public record StageChange(Instant at, String from, String to, String milestone, String by) {
    }

    public record Note(NoteScopeName scope, String text, Instant at, String by) {
    }

    public enum NoteScopeName {
        CUSTOMER, INTERNAL
    }

    public record Photo(long id, String contentType, int width, int height, int bytes, String fileName, boolean hero,
            Instant uploadedAt) {
    }

    /** A shipment; notes, photos and stage history only where one shipment is asked for. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Shipment(String reference, String title, Customer customer, String shipFrom, String shipTo,
            Stage stage, LocalDate estimatedArrival,
            @Schema(description = "The carrier, as the vendor or an integration gave it (null: none)") String carrier,
            @Schema(description = "The carrier's tracking number (null: none)") String trackingNumber,
            Internal internal, List<Note> notes, List<Photo> photos, List<StageChange> stageHistory, long version,
            Instant createdAt, Instant updatedAt,
            @Schema(description = "Only in the answer of a create, when the organisation creates a tracking link with every new shipment: its url, shown this once") NewTrackingLink trackingLink,
            @Schema(description = "Pickup first, delivery last (only where one shipment is asked for)") List<Stop> stops,
            @Schema(description = "Planned and current ETA (only where one shipment is asked for)") Eta eta,
            @Schema(description = "The open problems, newest first, at most 20 (only where one shipment is asked for;"
                    + " GET .../exceptions lists resolved ones too)") List<Problem> openExceptions) {

        /** The same shipment with the tracking link issued with it. */
        Shipment withTrackingLink(NewTrackingLink link) {
            return new Shipment(reference, title, customer, shipFrom, shipTo, stage, estimatedArrival, carrier,
                    trackingNumber, internal, notes, photos, stageHistory, version, createdAt, updatedAt, link, stops,
                    eta, openExceptions);
        }

        /** The same shipment with its stops, ETA and open problems. */
        Shipment withLive(List<Stop> stopList, Eta etaNow, List<Problem> open) {
            return new Shipment(reference, title, customer, shipFrom, shipTo, stage, estimatedArrival, carrier,
                    trackingNumber, internal, notes, photos, stageHistory, version, createdAt, updatedAt, trackingLink,
                    stopList, etaNow, open);
        }
    }

    /**
     * A problem reported on a shipment (instants UTC; {@code resolvedAt} null while open). {@code reportedBy} names the
     * reporter as the history does; {@code reportedByKind} says what it was.
     */
    public record Problem(long id, @Schema(enumeration = {
            "DELAY", "DAMAGE", "REFUSED", "OTHER" }) String kind,
            @Schema(description = "The reporter's words; the customer reads them only when the reporter shared them") String note,
            Instant reportedAt, String reportedBy,
            @Schema(description = "STAFF, API_KEY, LINK (the driver's link) or SYSTEM (Portlink itself)", enumeration = {
                    "STAFF", "API_KEY", "LINK", "SYSTEM" }) String reportedByKind,
            Instant resolvedAt, String resolvedBy){

        static Problem of(ShipmentExceptions.ExceptionView v) {
            return new Problem(v.id(), v.kind().name(), v.note(), v.reportedAt(), v.actor(), v.actorType().name(),
                    v.resolvedAt(), v.resolvedBy());
        }
    }

    /**
     * A stop as answered and as sent (PUT .../stops): the window's ends are local date-times in the stop's zone
     * (2026-12-01T09:00), as entered; {@code windowFromUtc}/{@code windowToUtc} and the actual times are instants.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Stop(
            @Schema(description = "PICKUP, STOP or DELIVERY; optional when sending (the order says it)") String kind,
            Integer position, String name, String address, BigDecimal latitude, BigDecimal longitude,
            @Schema(description = "IANA time zone, e.g. Europe/Berlin") String zone,
            @Schema(description = "Local date-time in the stop's zone, e.g. 2026-12-01T09:00") String windowFrom,
            @Schema(description = "Local date-time in the stop's zone") String windowTo, Instant windowFromUtc,
            Instant windowToUtc, Instant arrivedAt, Instant departedAt) {

        static Stop of(io.portlink.shipment.ShipmentStops.StopView v) {
            return new Stop(v.kind().name(), v.position(), v.name(), v.address(), v.latitude(), v.longitude(), v.zone(),
                    v.localFrom() == null ? null : v.localFrom().toString(),
                    v.localTo() == null ? null : v.localTo().toString(), v.windowFrom(), v.windowTo(), v.arrivedAt(),
                    v.departedAt());
        }
    }

    /**
     * The ETA: planned (the first known, kept) and current instants (UTC), where the current one came from (MANUAL,
     * ROUTE, ESTIMATE), and for a manual date only, {@code dateOnly} (current is the end of that day in {@code zone}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Eta(Instant planned, Instant current, String source, Instant updatedAt, boolean dateOnly,
            String zone) {

        static Eta of(io.portlink.shipment.ShipmentEtas.EtaView v) {
            return new Eta(v.planned(), v.current(), v.source() == null ? null : v.source().name(), v.updatedAt(),
                    v.dateOnly(), v.zone());
        }
    }

    /** Body of PUT .../eta: a date (YYYY-MM-DD; null clears the manual ETA) and an optional local time (HH:MM). */
    public record EtaBody(String date, String time) {
    }

    /** Body of a tracking link's create: an optional expiry, ISO-8601 with offset (2027-01-31T18:00:00+01:00). */
    public record TrackingLinkBody(String expiresAt) {
    }

    /**
     * What the customer's tracking page shows; {@code photos} are gallery photo ids in the order the page shows them.
     * The body of {@code PUT …/tracking-link/options}: every field required, {@code photos} may be empty.
     */
    public record TrackingOptions(Boolean showHeroPhoto, Boolean showEstimatedArrival, Boolean showProgress,
            Boolean showCustomerNotes, List<Long> photos) {

        static TrackingOptions of(TrackingLinks.Options o, List<Long> photos) {
            return new TrackingOptions(o.heroPhoto(), o.estimatedArrival(), o.progress(), o.customerNotes(), photos);
        }
    }

    /** A tracking link just created or regenerated: its {@code url} is shown in this answer only. */
    public record NewTrackingLink(String url, String hint, Instant expiresAt, TrackingOptions options) {
    }

    /** Opens by people (the page shown by a browser) and fetches by machines (mail scanners, chat previews). */
    public record Opens(int people, Instant firstOpenedAt, Instant lastOpenedAt, int bots, Instant lastBotFetchAt) {
    }

    /** The shipment's active tracking link, never its url or token (shown once at creation): the hint only. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record TrackingLinkState(String hint, Instant createdAt, String createdBy, Instant expiresAt, Opens opens,
            TrackingOptions options) {

        static TrackingLinkState of(TrackingLinks.Sheet sheet) {
            var l = sheet.link();
            return new TrackingLinkState(l.tokenHint(), l.createdAt(), l.createdBy(), l.expiresAt(),
                    new Opens(l.openCount(), l.firstOpenedAt(), l.lastOpenedAt(), l.botOpenCount(), l.lastBotOpenAt()),
                    TrackingOptions.of(sheet.options(), sheet.pickedPhotoIds()));
        }
    }

    /**
     * The options body read field by field, so that every problem (a missing or non-boolean flag, a photo that is no
     * id) is listed at once, into {@code errors}: a flag not read is null, and so is a photo that is no id, in its
     * place, so that the photos' other problems are named by their places as sent.
     */
    static TrackingOptions options(JsonNode body, ValidationException.Builder errors) {
        if (body == null || !body.isObject()) {
            throw ValidationException.of("body", "is required: an object with showHeroPhoto, showEstimatedArrival,"
                    + " showProgress, showCustomerNotes (true or false) and photos (ids in order)", null);
        }
        Boolean[] flags = new Boolean[4];
        String[] names = { "showHeroPhoto", "showEstimatedArrival", "showProgress", "showCustomerNotes" };
        for (int i = 0; i < names.length; i++) {
            JsonNode v = body.get(names[i]);
            if (v == null || v.isNull()) {
                errors.add(names[i], "is required: true or false", null);
            } else if (!v.isBoolean()) {
                errors.add(names[i], "must be true or false", Problems.sent(v));
            } else {
                flags[i] = v.booleanValue();
            }
        }
        List<Long> photos = new java.util.ArrayList<>();
        JsonNode list = body.get("photos");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                errors.add("photos", "must be a list of photo ids in the order the page shows them",
                        Problems.sent(list));
            } else {
                for (int i = 0; i < list.size(); i++) {
                    JsonNode id = list.get(i);
                    if (id.isIntegralNumber() && id.canConvertToLong() && id.longValue() > 0) {
                        photos.add(id.longValue());
                    } else {
                        errors.add("photos[" + i + "]", "must be a photo id (a whole number)", Problems.sent(id));
                        photos.add(null);
                    }
                }
            }
        }
        var known = new java.util.ArrayList<>(java.util.Arrays.asList(names));
        known.add("photos");
        Problems.onlyFields(body, "", known, errors);
        return new TrackingOptions(flags[0], flags[1], flags[2], flags[3], photos);
    }

    public record Page(List<Shipment> items, long total, int page, int size) {
    }

    /**
     * One shipment of an import answer; {@code trackingLinkUrl}: the link made with a new shipment when the
     * organisation creates one with every shipment (shown this once), else absent.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ImportedShipment(String reference, String outcome, String trackingLinkUrl) {
    }

    /**
     * An import's answer: counts of shipments created, found unchanged, and found but given other pickup or delivery
     * stops by the file ({@code outcome} STOPS_UPDATED), and each shipment.
     */
    public record ImportResult(int created, int unchanged, int stopsUpdated, List<Problems.Error> errors,
            List<ImportedShipment> shipments) {
    }

    static Shipment of(Shipments.ShipmentView v, Shipments.Detail detail) {
        var c = v.customer();
        var i = v.internal();
        List<Note> notes = detail == null ? null : detail.notes().stream()
                .map(n -> new Note(NoteScopeName.valueOf(n.scope().name()), n.text(), n.at(), n.actor())).toList();
        List<Photo> photoList = detail == null ? null : detail.photos().stream().map(p -> new Photo(p.id(),
                p.contentType(), p.width(), p.height(), p.byteSize(), p.fileName(), p.hero(), p.uploadedAt())).toList();
        List<StageChange> history = detail == null ? null
                : detail.history().stream()
                        .map(h -> new StageChange(h.at(), h.fromName(), h.toName(), h.toMilestone().name(), h.actor()))
                        .toList();
        return new Shipment(v.reference(), v.title(), new Customer(c.name(), c.email(), c.phone(), c.language()),
                v.shipFrom(), v.shipTo(), new Stage(v.stage().name(), v.stage().milestone().name(), v.pipelineName()),
                v.estimatedArrival(), v.carrier(), v.trackingNumber(),
                new Internal(i.stockNumber(), i.vinSerial(), i.currency(), plain(i.cost()), plain(i.salePrice()),
                        plain(i.paymentsReceived()), i.notes()),
                notes, photoList, history, v.version(), v.createdAt(), v.updatedAt(), null, null, null, null);
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }

    /**
     * A merge patch flattened to JSON paths: the changes that could be read, and the problems of the others (a value of
     * the wrong type, an unknown field), so that the changes' own rules can name theirs in the same answer.
     */
    record Patch(Map<String, String> changes, List<ValidationException.FieldError> problems) {
    }

    /**
     * Reads a merge patch.
     *
     * @throws ValidationException
     *             when the body is no JSON object, or names no field to change
     */
    static Patch changes(JsonNode body) {
        var errors = new ValidationException.Builder();
        Map<String, String> changes = new HashMap<>();
        if (body == null || !body.isObject()) {
            throw ValidationException.of("body", "must be a JSON object of the fields to change", null);
        }
        flatten("", body, changes, errors);
        if (changes.isEmpty()) {
            if (errors.isEmpty()) {
                errors.add("body", "names no field to change", null);
            }
            errors.throwIfAny();
        }
        return new Patch(changes, errors.errors());
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> changes,
            ValidationException.Builder errors) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            var entry = it.next();
            String path = prefix + entry.getKey();
            JsonNode value = entry.getValue();
            if (prefix.isEmpty() && (path.equals("customer") || path.equals("internal"))) {
                if (value.isNull()) {
                    ShipmentEdits.FIELDS.stream().filter(f -> f.startsWith(path + "."))
                            .forEach(f -> changes.put(f, null));
                } else if (value.isObject()) {
                    flatten(path + ".", value, changes, errors);
                } else {
                    errors.add(path, "must be an object or null", Problems.sent(value));
                }
            } else if (!ShipmentEdits.FIELDS.contains(path)) {
                errors.add(path, Problems.unknownField(ShipmentEdits.FIELDS), null);
            } else if (value.isNull()) {
                changes.put(path, null);
            } else if (value.isTextual()) {
                changes.put(path, value.textValue());
            } else if (value.isNumber() && !value.isBigDecimal() && !value.isIntegralNumber()
                    && !Double.isFinite(value.doubleValue())) {
                // 1e999 is read as a double's Infinity, which no amount is
                errors.add(path, Problems.NUMBER_OUT_OF_RANGE, Problems.sent(value));
            } else if (value.isNumber() && path.startsWith("internal.") && !path.equals("internal.notes")) {
                changes.put(path, value.decimalValue().toPlainString());
            } else {
                errors.add(path, "must be a string" + (path.startsWith("internal.") ? " or a number" : "") + " or null",
                        Problems.sent(value));
            }
        }
    }
}
