package io.portlink.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import io.portlink.platform.Problems;
import io.portlink.platform.ValidationException;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentEtas;
import io.portlink.shipment.ShipmentStops;
import io.portlink.shipment.Shipments;

/**
 * A shipment's stops and ETA for integrations, by the staff's reference: replace the stops, record arrival and
 * departure at one, set or clear a manual ETA. Another organisation's reference is a 404 like an unknown one.
 */
@Path("/api/v1/shipments/{reference}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Shipments")
@SecurityRequirement(name = "apiKey")
public class ShipmentStopApi {

    @Inject
    Shipments shipments;

    @Inject
    ShipmentStops stops;

    @Inject
    ShipmentEtas etas;

    @Inject
    ApiCaller caller;

    @PUT
    @Path("/stops")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a shipment's stops", description = "A JSON array replacing all stops (an empty one removes"
            + " them): the PICKUP first, the DELIVERY last, STOPs between, at most 10. Each {kind, name, address,"
            + " latitude, longitude, zone, windowFrom, windowTo}: zone an IANA name (Europe/Berlin, required), the"
            + " window's ends local date-times in that zone (2026-12-01T09:00, years 2000 to 2099, optional), from"
            + " not after to,"
            + " coordinates in degrees (both or neither; the delivery stop's feed the computed ETA). All or nothing:"
            + " 422 lists every problem as stops[i].field. A stop still there (the same kind, the same name or address, and"
            + " within 1 km where both have coordinates) keeps its arrival and departure wherever it now"
            + " stands; a stop at another place starts unvisited. 200 with the stored stops.")
    @RequestBody(content = @Content(schema = @Schema(implementation = ShipmentJson.Stop[].class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ShipmentJson.Stop[].class)))
    public Response replace(@PathParam("reference") String reference, JsonNode body) {
        long id = shipments.idOf(caller.organizationId(), reference).orElse(-1L);
        if (id < 0) {
            return notFound(reference);
        }
        if (body == null || !body.isArray()) {
            throw ValidationException.of("stops",
                    "send a JSON array of {kind, name, address, latitude, longitude, zone, windowFrom, windowTo}",
                    null);
        }
        List<ShipmentStops.StopInput> input = new ArrayList<>();
        var unknown = new ValidationException.Builder();
        for (JsonNode n : body) {
            if (n == null || !n.isObject()) {
                throw ValidationException.of("stops[" + input.size() + "]", "must be an object", null);
            }
            // a stop as answered may be sent back: its answer-only fields are known (arrivals and departures: as read)
            Problems.onlyFields(n, "stops[" + input.size() + "].", STOP_FIELDS, unknown);
            input.add(new ShipmentStops.StopInput(text(n.get("kind")), text(n.get("name")), text(n.get("address")),
                    text(n.get("latitude")), text(n.get("longitude")), text(n.get("zone")), text(n.get("windowFrom")),
                    text(n.get("windowTo"))));
        }
        if (body.findValues("arrivedAt").stream().anyMatch(v -> !v.isNull())
                || body.findValues("departedAt").stream().anyMatch(v -> !v.isNull())) {
            // only a body carrying an arrival or departure is compared with the stops as stored
            recordedElsewhere(body, input, stops.list(caller.organizationId(), id).orElse(List.of()), reference,
                    unknown);
        }
        unknown.throwIfAny();
        if (input.stream().anyMatch(ShipmentStops.StopInput::blank)) {
            // the staff form skips blank rows; an API caller sending one made a mistake worth naming
            throw ValidationException.of(
                    "stops[" + input.indexOf(
                            input.stream().filter(ShipmentStops.StopInput::blank).findFirst().orElseThrow()) + "]",
                    "is empty", null);
        }
        return stops.replace(caller.organizationId(), id, input, actor())
                .map(list -> Response.ok(list.stream().map(ShipmentJson.Stop::of).toList()).build())
                .orElseGet(() -> notFound(reference));
    }

    @POST
    @Path("/stops/{position}/{event: arrival|departure}")
    @Operation(summary = "Record the arrival at or the departure from a stop", description = "Now, by the server's clock;"
            + " position counts from 0 (the pickup). A second arrival (departure) keeps the first time; a stop not"
            + " marked arrived is arrived at when it is left. 200 with the stop; 422 for no such stop.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ShipmentJson.Stop.class)))
    public Response stopEvent(@PathParam("reference") String reference, @PathParam("position") int position,
            @Parameter(description = "arrival or departure", schema = @Schema(enumeration = { "arrival",
                    "departure" })) @PathParam("event") String event) {
        long id = shipments.idOf(caller.organizationId(), reference).orElse(-1L);
        return stops.mark(caller.organizationId(), id, position, ShipmentStops.StopEvent.ofPath(event), actor())
                .map(v -> Response.ok(ShipmentJson.Stop.of(v)).build()).orElseGet(() -> notFound(reference));
    }

    @PUT
    @Path("/eta")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set or clear the manual ETA", description = "{date: YYYY-MM-DD, time: HH:MM (optional, local in"
            + " the delivery stop's zone, else the organisation's)}. A manual ETA is not moved by positions;"
            + " {date: null} clears it and the ETA is computed from the latest position again. The shipment's"
            + " estimatedArrival is the manual ETA's date. A body naming neither date nor time ({}, a misspelt field)"
            + " is a 422 and changes nothing: clearing is said. 200 with the ETA.")
    @RequestBody(content = @Content(schema = @Schema(implementation = ShipmentJson.EtaBody.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ShipmentJson.Eta.class)))
    public Response eta(@PathParam("reference") String reference, JsonNode body) {
        long id = shipments.idOf(caller.organizationId(), reference).orElse(-1L);
        if (id < 0) {
            return notFound(reference);
        }
        if (body == null || !body.isObject()) {
            throw ValidationException.of("body", "send {date: YYYY-MM-DD or null, time: HH:MM (optional)}", null);
        }
        var errors = new ValidationException.Builder();
        Problems.onlyFields(body, "", ETA_FIELDS, errors);
        if (!body.has("date") && !body.has("time")) {
            // clearing is said, never implied: {} or a misspelt field must not wipe the manual ETA
            errors.add("body", "names no field of the ETA: send {\"date\": \"YYYY-MM-DD\", \"time\": \"HH:MM\"}, or"
                    + " {\"date\": null} to clear it", body.toString());
        }
        errors.throwIfAny();
        String dateText = text(body.get("date"));
        String timeText = text(body.get("time"));
        LocalDate date = null;
        LocalTime time = null;
        try {
            date = dateText == null || dateText.isBlank() ? null : LocalDate.parse(dateText.strip());
        } catch (DateTimeParseException e) {
            errors.add("date", io.portlink.platform.Fields.isoDateProblem(dateText) + "; or null to clear", dateText);
        }
        if (timeText != null && !timeText.isBlank()) {
            // hours and minutes, as the message says: "9:00" is 09:00; seconds are refused, not silently dropped
            java.util.regex.Matcher hm = HOURS_MINUTES.matcher(timeText.strip());
            if (hm.matches()) {
                time = LocalTime.of(Integer.parseInt(hm.group(1)), Integer.parseInt(hm.group(2)));
            } else {
                errors.add("time", "must be a time written HH:MM like 14:30 (hours 0 to 23, no seconds)", timeText);
            }
        }
        if (date == null && time != null && errors.isEmpty()) {
            errors.add("time", "needs a date", timeText);
        }
        errors.throwIfAny();
        // read again after the commit: a cleared ETA's route is applied then (ShipmentEtas.routeAfterCommit)
        return etas.setManual(caller.organizationId(), id, date, time, actor())
                .map(v -> Response.ok(ShipmentJson.Eta.of(etas.of(caller.organizationId(), id).orElse(v))).build())
                .orElseGet(() -> notFound(reference));
    }

    /** The fields of a stop as sent, and those it is answered with (sent back, they are ignored). */
    /**
     * A stop's {@code arrivedAt} and {@code departedAt} are recorded by {@code POST …/stops/{position}/arrival} and
     * {@code …/departure}, never set by a replace: sent back as they were read (or null) they are fine, as a stop read
     * and sent back must be; any other value would be ignored, so that a caller who thinks it recorded an arrival would
     * be wrong without a word: it is a 422 saying where arrivals are recorded.
     */
    private static void recordedElsewhere(JsonNode body, List<ShipmentStops.StopInput> input,
            List<ShipmentStops.StopView> stored, String reference, ValidationException.Builder errors) {
        // as read at that position, or as the stop keeps it (a stop moved in the order carries its own)
        List<ShipmentStops.StopView> carried = ShipmentStops.carriedAsSent(stored, input);
        int i = 0;
        for (JsonNode n : body) {
            ShipmentStops.StopView was = i < stored.size() ? stored.get(i) : null;
            ShipmentStops.StopView keeps = carried.get(i);
            for (String field : List.of("arrivedAt", "departedAt")) {
                JsonNode sent = n.get(field);
                if (sent == null || sent.isNull()) {
                    continue;
                }
                boolean arrival = field.equals("arrivedAt");
                Instant recorded = was == null ? null : arrival ? was.arrivedAt() : was.departedAt();
                Instant kept = keeps == null ? null : arrival ? keeps.arrivedAt() : keeps.departedAt();
                Instant given;
                try {
                    given = sent.isTextual() ? Instant.parse(sent.asText()) : null;
                } catch (DateTimeParseException e) {
                    given = null;
                }
                if (given == null || !given.equals(recorded) && !given.equals(kept)) {
                    errors.add("stops[" + i + "]." + field,
                            "is recorded with POST /api/v1/shipments/" + reference + "/stops/" + i + "/"
                                    + (field.equals("arrivedAt") ? "arrival" : "departure")
                                    + " (at the moment it is sent), not set here: send it as read, or leave it out",
                            Problems.sent(sent));
                }
            }
            i++;
        }
    }

    /** An ETA's time: H:MM or HH:MM, 0:00 to 23:59. */
    private static final java.util.regex.Pattern HOURS_MINUTES = java.util.regex.Pattern
            .compile("([01]?[0-9]|2[0-3]):([0-5][0-9])");

    static final List<String> STOP_FIELDS = java.util.Arrays.stream(ShipmentJson.Stop.class.getRecordComponents())
            .map(java.lang.reflect.RecordComponent::getName).toList();

    /** The fields of an ETA body. */
    static final List<String> ETA_FIELDS = List.of("date", "time");

    private ShipmentActor actor() {
        return ShipmentActor.apiKey(caller.keyId(), caller.keyName());
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.isTextual() ? n.asText() : n.toString();
    }

    private static Response notFound(String reference) {
        return Problems.response(404, "Not found", "no shipment " + reference).build();
    }
}
