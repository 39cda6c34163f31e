package io.portlink.api;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.portlink.platform.Paging;
import io.portlink.platform.Problems;
import io.portlink.platform.ValidationException;
import io.portlink.shipment.ShipmentPositions;
import io.portlink.shipment.Shipments;

/**
 * A shipment's positions for integrations (telematics, tracking providers), by the staff's reference: batches in, the
 * history out. Another organisation's reference is a 404 like an unknown one.
 */
@Path("/api/v1/shipments/{reference}/positions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Shipments")
@SecurityRequirement(name = "apiKey")
public class ShipmentPositionApi {

    @Inject
    Shipments shipments;

    @Inject
    ShipmentPositions positions;

    @Inject
    ApiCaller caller;

    @Inject
    ObjectMapper mapper;

    /**
     * The largest body a batch may have, in bytes: 1,000 positions take about 120 KB; the cap is checked before any of
     * it is parsed, so a body of millions of empty objects costs no memory or time.
     */
    public static final int MAX_BODY_BYTES = 512 * 1024;

    /** A position as answered: degrees (six decimals), the recorded instant (UTC) and the source. */
    public record Position(BigDecimal latitude, BigDecimal longitude, Instant recordedAt, String source) {
    }

    /** What a batch did: positions stored, repeats ignored, the shipment's latest position now (null: none yet). */
    public record Ingested(int accepted, int duplicates, Position latest) {
    }

    /** A page of positions, newest recorded first. */
    public record Page(List<Position> items, long total, int page, int size) {
    }

    /** The JSON of one position as sent, for the OpenAPI description. */
    public record PositionBody(BigDecimal latitude, BigDecimal longitude, String recordedAt, String source) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Report positions", description = "A JSON array (at most 1,000) of {latitude, longitude,"
            + " recordedAt, source}: degrees (WGS 84; kept to six decimals), the instant the device recorded it"
            + " (ISO-8601 with offset; at most 2 minutes ahead of the server's clock), an optional source word"
            + " (default api). All or nothing: 422 lists every problem by index ([3].latitude). A point already"
            + " stored with the same time is ignored and counted in duplicates, so a retried batch is harmless."
            + " A recordedAt more than 30 days back is refused. A body over 512 KB: 413, nothing stored."
            + " 200 with accepted, duplicates and the shipment's latest position.")
    @RequestBody(content = @org.eclipse.microprofile.openapi.annotations.media.Content(schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(implementation = PositionBody[].class)))
    public Response add(@PathParam("reference") String reference, InputStream stream,
            @HeaderParam("Content-Length") String length) throws IOException {
        long id = shipments.idOf(caller.organizationId(), reference).orElse(-1L);
        if (id < 0) {
            return notFound(reference);
        }
        if (length != null && length.strip().matches("[0-9]{1,18}")
                && Long.parseLong(length.strip()) > MAX_BODY_BYTES) {
            return tooLarge();
        }
        // never more than the cap in memory (a chunked body has no length): one byte past it is enough to refuse
        byte[] bytes = stream == null ? new byte[0] : stream.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            return tooLarge();
        }
        JsonNode body = bytes.length == 0 ? null : tree(bytes);
        if (body == null || !body.isArray()) {
            throw ValidationException.of("positions", "send a JSON array of {latitude, longitude, recordedAt, source}",
                    null);
        }
        var unknown = new ValidationException.Builder();
        for (int i = 0; i < body.size(); i++) {
            Problems.onlyFields(body.get(i), "[" + i + "].", FIELDS, unknown);
        }
        List<ShipmentPositions.PositionInput> batch = new ArrayList<>(body.size());
        for (JsonNode p : body) {
            batch.add(p == null || !p.isObject() ? null
                    : new ShipmentPositions.PositionInput(number(p.get("latitude")), text(p.get("latitude")),
                            number(p.get("longitude")), text(p.get("longitude")), text(p.get("recordedAt")),
                            text(p.get("source"))));
        }
        if (!unknown.isEmpty()) {
            // every problem in one answer: the positions' own too, nothing stored
            positions.problems(batch).forEach(e -> unknown.add(e.row(), e.field(), e.message(), e.value()));
            unknown.throwIfAny();
        }
        return positions.add(caller.organizationId(), id, batch)
                .map(r -> Response.ok(new Ingested(r.accepted(), r.duplicates(), of(r.latest()))).build())
                .orElseGet(() -> notFound(reference));
    }

    @GET
    @Operation(summary = "A shipment's positions", description = "Newest recorded first, paged (page from 0, size up to 200, default 100).")
    public Response list(@PathParam("reference") String reference, @QueryParam("page") String page,
            @QueryParam("size") String size) {
        Paging paging = Paging.parse(page, size, 100);
        long id = shipments.idOf(caller.organizationId(), reference).orElse(-1L);
        return positions.page(caller.organizationId(), id, paging).map(p -> Response
                .ok(new Page(p.items().stream().map(ShipmentPositionApi::of).toList(), p.total(), p.page(), p.size()))
                .build()).orElseGet(() -> notFound(reference));
    }

    private static Position of(ShipmentPositions.Position p) {
        return p == null ? null : new Position(p.latitude(), p.longitude(), p.recordedAt(), p.source());
    }

    /** The fields of a position. */
    static final List<String> FIELDS = List.of("latitude", "longitude", "recordedAt", "source");

    /**
     * The body as written, decimals exact (1e999 is a number out of range, a 422 from the rules, not a double's
     * Infinity); a number no decimal can hold (1e-2147483648) is a 422 naming where it is ({@code [0].longitude}).
     */
    private JsonNode tree(byte[] bytes) throws IOException {
        try (var parser = mapper.createParser(bytes)) {
            try {
                return mapper.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(parser);
            } catch (NumberFormatException | ArithmeticException e) {
                throw ValidationException.of(Problems.path(parser.getParsingContext()), Problems.NUMBER_OUT_OF_RANGE,
                        parser.getText());
            }
        }
    }

    private static BigDecimal number(JsonNode n) {
        return n != null && n.isNumber() ? n.decimalValue() : null;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.isTextual() ? n.asText() : n.toString();
    }

    private static Response tooLarge() {
        return Problems
                .response(413, "Batch too large",
                        "a batch of positions may be at most " + MAX_BODY_BYTES / 1024
                                + " KB of JSON (1,000 positions); send it in smaller batches; nothing was stored")
                .build();
    }

    private static Response notFound(String reference) {
        return Problems.response(404, "Not found", "no shipment " + reference).build();
    }
}
