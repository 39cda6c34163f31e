package io.portlink.api;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.portlink.outbox.Webhooks;
import io.portlink.platform.Problems;

/**
 * The calling key's organisation's webhook endpoints: list, add (the answer carries the signing secret, this once),
 * rotate the secret, delete. Another organisation's endpoint is a 404 like an unknown one.
 */
@Path("/api/v1/webhook-endpoints")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks")
@SecurityRequirement(name = "apiKey")
public class WebhookEndpointApi {

    @Inject
    ApiCaller caller;

    @Inject
    Webhooks webhooks;

    /** An endpoint; {@code eventTypes} empty when it wants every type. */
    public record Endpoint(long id, String url, List<String> eventTypes, String secretHint, boolean enabled,
            Instant createdAt, Instant updatedAt) {

        static Endpoint of(Webhooks.EndpointView v) {
            return new Endpoint(v.id(), v.url(), v.eventTypes(), v.secretHint(), v.enabled(), v.createdAt(),
                    v.updatedAt());
        }
    }

    /**
     * A new endpoint with its signing secret ({@code whsec_…}), which no later answer shows; {@code secret} null when
     * the endpoint was there already (a create sent again).
     */
    public record Created(long id, String url, List<String> eventTypes, String secretHint, boolean enabled,
            Instant createdAt, Instant updatedAt, String secret) {

        static Created of(Webhooks.EndpointView v, String secret) {
            return new Created(v.id(), v.url(), v.eventTypes(), v.secretHint(), v.enabled(), v.createdAt(),
                    v.updatedAt(), secret);
        }
    }

    /** What a new endpoint is: {@code eventTypes} empty or absent for every type. */
    public record NewEndpoint(String url, List<String> eventTypes) {
    }

    @GET
    @Operation(summary = "List webhook endpoints", description = "The organisation's endpoints, oldest first (at most"
            + " 20, so one page). Secrets are never listed, only their hint.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Endpoint[].class)))
    public List<Endpoint> list() {
        return webhooks.list(caller.organizationId()).stream().map(Endpoint::of).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a webhook endpoint", description = "{url, eventTypes}: url https:// on a public address;"
            + " eventTypes a list like [\"sales_order.shipped\"], empty or absent for every type. 201 with the endpoint"
            + " and its signing secret (whsec_…), shown this once: keep it to verify Portlink-Webhook-Signature. One"
            + " endpoint per address: the same create again is 200 with the endpoint and no secret (rotate it for a new"
            + " one), the address with other event types a 409 naming them. 422"
            + " names what is wrong (an unknown event type lists the known ones); at most 20 endpoints per organisation. Event types: sales_order.routed,"
            + " sales_order.changed, sales_order.cancelled, dropshipment.acknowledged, sales_order.shipped (a merchant's"
            + " dropship sales orders) and webhook.test; their data is described in the README (Webhooks).")
    @RequestBody(content = @Content(schema = @Schema(implementation = NewEndpoint.class)))
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = Created.class)))
    public Response create(NewEndpoint body) {
        if (body == null) {
            throw io.portlink.platform.ValidationException.of("url", "send {url, eventTypes}", null);
        }
        String types = body.eventTypes() == null ? "" : String.join(",", body.eventTypes());
        try {
            Webhooks.WithSecret created = webhooks.create(caller.organizationId(), body.url(), types);
            return Response.created(URI.create("/api/v1/webhook-endpoints/" + created.endpoint().id()))
                    .entity(Created.of(created.endpoint(), created.secret())).build();
        } catch (Webhooks.EndpointExists e) {
            if (!e.sameEventTypes()) {
                throw e; // 409 naming the types the address has
            }
            // the same create again (a retry after a lost answer): the endpoint as it is, its secret not again
            return Response.ok(Created.of(e.endpoint(), null)).build();
        }
    }

    @POST
    @Path("/{id}/secret")
    @Operation(summary = "Rotate a webhook endpoint's secret", description = "A new signing secret (whsec_…), shown in"
            + " this answer only; the old one stops at once, for retries of events already queued too. 404 for no such"
            + " endpoint of the organisation.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Created.class)))
    public Response rotate(@PathParam("id") long id) {
        return webhooks.rotate(caller.organizationId(), id)
                .map(r -> Response.ok(Created.of(r.endpoint(), r.secret())).build())
                .orElseGet(() -> Problems.response(404, "Not found", "no webhook endpoint " + id).build());
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a webhook endpoint", description = "With its deliveries; those still waiting are never"
            + " sent. 204; 404 for no such endpoint of the organisation.")
    @APIResponse(responseCode = "204")
    public Response delete(@PathParam("id") long id) {
        return webhooks.delete(caller.organizationId(), id) ? Response.noContent().build()
                : Problems.response(404, "Not found", "no webhook endpoint " + id).build();
    }
}
