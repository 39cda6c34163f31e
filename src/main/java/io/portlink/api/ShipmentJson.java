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
import io.portlink.shipment.ShipmentInput;
import io.portlink.shipment.Shipments;

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
            @Schema(description = "A stage of the organisation's default pipeline by name (any case) or milestone; default: the first") String stage,
            @Schema(description = "YYYY-MM-DD") String estimatedArrival) {
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
            Stage stage, LocalDate estimatedArrival, Internal internal, List<Note> notes, List<Photo> photos,
            List<StageChange> stageHistory, long version, Instant createdAt, Instant updatedAt) {
    }

    public record Page(List<Shipment> items, long total, int page, int size) {
    }

    public record ImportedShipment(String reference, String outcome) {
    }

    public record ImportResult(int created, int unchanged, List<Problems.Error> errors,
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
                v.estimatedArrival(),
                new Internal(i.stockNumber(), i.vinSerial(), i.currency(), plain(i.cost()), plain(i.salePrice()),
                        plain(i.paymentsReceived()), i.notes()),
                notes, photoList, history, v.version(), v.createdAt(), v.updatedAt());
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }

    /** A merge patch flattened to JSON paths; a value of the wrong type or an unknown field is named. */
    static Map<String, String> changes(JsonNode body) {
        var errors = new ValidationException.Builder();
        Map<String, String> changes = new HashMap<>();
        if (body == null || !body.isObject()) {
            throw ValidationException.of("body", "must be a JSON object of the fields to change", null);
        }
        flatten("", body, changes, errors);
        if (changes.isEmpty() && errors.isEmpty()) {
            errors.add("body", "names no field to change", null);
        }
        errors.throwIfAny();
        return changes;
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
                    errors.add(path, "must be an object or null", value.toString());
                }
            } else if (!ShipmentEdits.FIELDS.contains(path)) {
                errors.add(path, "is not a field of a shipment; the fields are "
                        + String.join(", ", ShipmentEdits.FIELDS.stream().sorted().toList()), null);
            } else if (value.isNull()) {
                changes.put(path, null);
            } else if (value.isTextual()) {
                changes.put(path, value.textValue());
            } else if (value.isNumber() && path.startsWith("internal.") && !path.equals("internal.notes")) {
                changes.put(path, value.decimalValue().toPlainString());
            } else {
                errors.add(path, "must be a string" + (path.startsWith("internal.") ? " or a number" : "") + " or null",
                        value.toString());
            }
        }
    }
}
