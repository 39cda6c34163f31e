package io.portlink.api;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.portlink.dropship.SalesOrder;
import io.portlink.dropship.SalesOrderInput;
import io.portlink.dropship.SalesOrderSettings;
import io.portlink.dropship.SalesOrders;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.Problems;
import io.portlink.platform.ValidationException;
import io.portlink.timeline.Actor;

/**
 * The sales channel's inbound webhook: a new order of merchant {@code merchant} (its organisation id), signed with the
 * merchant's channel secret instead of an API key (see {@link SalesOrderSettings} for the signature). The body is the
 * same JSON as {@code POST /api/v1/sales-orders}, and answers the same way (201, 200, 409, 422). An unsigned, stale or
 * forged request gets 401 and changes nothing; an unknown merchant looks the same as a wrong signature.
 */
@Path("/api/v1/channel/{merchant}/sales-orders")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sales orders")
public class SalesChannelWebhook {

    /** The webhook's addresses, as routed ({@code /api/v1/channel/{merchant}/sales-orders}). */
    static final java.util.regex.Pattern ADDRESS = java.util.regex.Pattern
            .compile("/api/v1/channel/[^/]+/sales-orders/?");

    /**
     * The largest body the webhook reads, in bytes (4 MiB), checked before reading ({@link ApiBodyLimit}): an order of
     * 1,000 lines (the most one takes) of typical lengths is under 0.5 MiB. Anyone may send here, so a body is held
     * whole in memory before its signature says whether it came from the channel.
     */
    public static final long MAX_BODY = 4L * 1024 * 1024;

    /** The header of the Unix time (seconds) the channel signed. */
    public static final String TIMESTAMP = "X-Portlink-Timestamp";
    /** The header of the signature: {@code sha256=<hex>}. */
    public static final String SIGNATURE = "X-Portlink-Signature";

    @Inject
    SalesOrderSettings settings;

    @Inject
    SalesOrders orders;

    @Inject
    PortlinkConfig config;

    @Inject
    ObjectMapper json;

    static final Actor CHANNEL = new Actor(Actor.Type.SYSTEM, null, "sales channel webhook");

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "A new sales order from the merchant's sales channel (signed, no API key)", description = "Headers"
            + " X-Portlink-Timestamp (Unix seconds, at most 5 minutes off) and X-Portlink-Signature (sha256= and the"
            + " hex HMAC-SHA256 of \"<timestamp>.<body>\", keyed with the merchant's channel secret"
            + " itself, ps_..., as ASCII bytes). Body and answers as POST /api/v1/sales-orders.")
    public Response receive(@PathParam("merchant") String merchant, @HeaderParam(TIMESTAMP) String timestamp,
            @HeaderParam(SIGNATURE) String signature, byte[] body) throws IOException {
        long organizationId = merchant != null && merchant.matches("[0-9]{1,18}") ? Long.parseLong(merchant) : -1;
        // an address that is no organisation id goes through the same checks, and answers as an unknown one
        var refusal = settings.verify(organizationId, timestamp, signature, body == null ? new byte[0] : body);
        if (refusal.isPresent()) {
            // no secret, no such merchant, a locked one: all answer as a wrong signature
            var r = refusal.get() == SalesOrderSettings.Refusal.NO_SECRET ? SalesOrderSettings.Refusal.BAD_SIGNATURE
                    : refusal.get();
            return Problems.response(401, "Signature not accepted", r.detail).build();
        }
        // the JSON null reads as no order, like an empty body
        SalesOrderInput input = body == null || body.length == 0 ? null : json.readValue(body, SalesOrderInput.class);
        if (input == null) {
            throw ValidationException.of("body", "is required: a sales order as JSON", null);
        }
        var created = orders.create(organizationId, input.toDraft(config.importLimits().maxFieldLength()),
                SalesOrder.Channel.WEBHOOK, CHANNEL);
        return Response.status(created.outcome() == SalesOrders.Outcome.CREATED ? 201 : 200).entity(created).build();
    }
}
