package io.portlink.api;

import java.time.Instant;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.portlink.dropship.Sync;
import io.portlink.dropship.SyncHealth;
import io.portlink.platform.Paging;
import io.portlink.platform.Problems;

/**
 * The dropship sync of the API key's organisation (as merchant): run it now, and read its recorded runs. Times are UTC
 * instants; durations in milliseconds.
 */
@Path("/api/v1/sync")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Dropship sync")
@SecurityRequirement(name = "apiKey")
public class SyncApi {

    @Inject
    Sync sync;

    @Inject
    SyncHealth health;

    @Inject
    ApiCaller caller;

    /** One recorded sync run. */
    public record Run(long id, @Schema(enumeration = {
            "SCHEDULE", "MANUAL" }) String startedBy, @Schema(enumeration = { "SUCCEEDED", "FAILED" }) String outcome,
            Instant startedAt, Instant finishedAt, long durationMillis,
            @Schema(description = "Routed dropshipments handed to their suppliers") int dropshipmentsSent,
            @Schema(description = "Supplier stock changes read and consumed") int changesPassed,
            @Schema(description = "Stock levels of the supplier warehouses written with a new quantity") int stockUpdated,
            @Schema(description = "Dropshipments or changes that could not move") int failures,
            @Schema(description = "What went wrong, in words; absent when nothing did") String error){

        static Run of(SyncHealth.RunView v) {
            return new Run(v.id(), v.startedBy(), v.outcome(), v.startedAt(), v.finishedAt(), v.durationMillis(),
                    v.dropshipmentsSent(), v.changesPassed(), v.stockUpdated(), v.failures(), v.error());
        }
    }

    @POST
    @Path("/run")
    @Operation(summary = "Sync now", description = "Runs the organisation's dropship sync at once (routed dropshipments to their suppliers,"
            + " the suppliers' changed available on hand into the supplier warehouses) and answers the recorded run;"
            + " the next scheduled run moves one interval on. 409 when a run is in progress: no second run starts,"
            + " and its result appears in GET /api/v1/sync/runs.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Run.class)))
    @APIResponse(responseCode = "409", description = "A sync of the organisation is already running")
    @APIResponse(responseCode = "503", description = "The server runs as many syncs as it can; nothing started (Retry-After)")
    public Response run() {
        Sync.Manual result = sync.runNow(caller.organizationId());
        if (result.saturated()) {
            return Problems.response(503, "Too many syncs at once",
                    "this server is running as many syncs as it can right now; none was started for you. Try again in"
                            + " a minute.")
                    .header("Retry-After", "60").build();
        }
        if (result.inProgress()) {
            return Problems.response(409, "Sync in progress",
                    "a sync of your organisation is already running; no second run was started. Its result appears"
                            + " in GET /api/v1/sync/runs when it ends.")
                    .build();
        }
        return Response.ok(Run.of(result.run().get())).build();
    }

    @GET
    @Path("/runs")
    @Operation(summary = "Recorded sync runs, newest first, paged (at most 200 a page)")
    public Paging.Page<Run> runs(@QueryParam("page") String page, @QueryParam("size") String size) {
        return health.runs(caller.organizationId(), Paging.parse(page, size, 50)).map(Run::of);
    }
}
