package io.portlink.staff;

import java.net.URI;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.portlink.dropship.DropshipSettings;
import io.portlink.dropship.SupplierWarehouses;
import io.portlink.dropship.Sync;
import io.portlink.dropship.SyncHealth;
import io.portlink.platform.Locales;
import io.portlink.platform.Paging;
import io.portlink.platform.ValidationException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The merchant's sync settings and health ({@code /app/sync}): the interval, last and next run, "Sync now", recent runs
 * (paged), and drift (paged, with counts). Every query is the signed-in organisation's.
 */
@Path("/app/sync")
@Produces(MediaType.TEXT_HTML)
public class StaffSync {

    @Inject
    StaffContext staff;

    @Inject
    Sync sync;

    @Inject
    SyncHealth health;

    @Inject
    SupplierWarehouses supplierWarehouses;

    /** An interval choice of the settings form. */
    public record Choice(int minutes, String label) {
    }

    static final List<Choice> CHOICES = DropshipSettings.INTERVALS.stream()
            .map(m -> new Choice(m, DropshipSettings.describe(m))).toList();

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(StaffContext.Header header, Locales.Format fmt,
                SyncHealth.Settings settings, List<Choice> choices, SyncHealth.RunView lastRun,
                Paging.Page<SyncHealth.RunView> runs, Paging.Page<SyncHealth.Drift> drift, long driftCount,
                Paging.Page<SyncHealth.Unmapped> unmapped, long unmappedCount, String message, String typedInterval,
                List<ValidationException.FieldError> errors);
    }

    @GET
    public TemplateInstance page(@QueryParam("runs") String runsPage, @QueryParam("drift") String driftPage,
            @QueryParam("unmapped") String unmappedPage, @QueryParam("done") String done) {
        String message = switch (done == null ? "" : done) {
        case "saved" -> "Sync interval saved; the next run is recomputed.";
        case "ran" -> "Sync finished: see the latest run below.";
        case "busy" -> "A sync of your organisation is already running; its result appears below when it ends.";
        case "full" -> "The service is running as many syncs as it can right now, so yours did not start. Try again in"
                + " a minute.";
        case "taken" -> "The supplier's figure is taken: your on hand in its warehouse now equals what it says is"
                + " available.";
        default -> null;
        };
        return render(runsPage, driftPage, unmappedPage, message, null, List.of());
    }

    private TemplateInstance render(String runsPage, String driftPage, String unmappedPage, String message,
            String typedInterval, List<ValidationException.FieldError> errors) {
        long org = staff.organizationId();
        var runs = health.runs(org, parse("runs", runsPage));
        var latest = runs.page() == 0 && !runs.items().isEmpty() ? runs.items().get(0)
                : health.runs(org, new Paging(0, 1)).items().stream().findFirst().orElse(null);
        return Templates.page(staff.header(), staff.organization().format(), health.settings(org), CHOICES, latest,
                runs, health.drift(org, parse("drift", driftPage)), health.driftCount(org),
                health.unmapped(org, parse("unmapped", unmappedPage)), health.unmappedCount(org), message,
                typedInterval, errors);
    }

    private static Paging parse(String name, String page) {
        try {
            return Paging.parse(page, null, 50);
        } catch (ValidationException e) {
            throw ValidationException.of(name, "must be a whole number from 0 to " + Paging.MAX_PAGE, page);
        }
    }

    /** Saves the interval (minutes); a wrong value comes back with the page, naming what was typed. */
    @POST
    @Path("/settings")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response settings(@RestForm String interval) {
        try {
            sync.setInterval(staff.organizationId(), interval);
        } catch (ValidationException e) {
            return Response.status(422).entity(render(null, null, null, null, interval, e.errors())).build();
        }
        return Response.seeOther(URI.create("/app/sync?done=saved")).build();
    }

    /** "Sync now": runs the organisation's sync at once, or says that one is running. */
    @POST
    @Path("/run")
    public Response runNow() {
        Sync.Manual result = sync.runNow(staff.organizationId());
        return Response
                .seeOther(URI.create(
                        "/app/sync?done=" + (result.saturated() ? "full" : result.inProgress() ? "busy" : "ran")))
                .build();
    }

    /**
     * "Take the supplier's figure" on a drift row: the merchant's on hand of {@code sku} in the supplier's warehouse
     * becomes the supplier's available on hand; back to the same drift page. 404 for a product without such a figure.
     */
    @POST
    @Path("/drift/take")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response takeSupplierFigure(@RestForm String sku, @RestForm String drift) {
        if (supplierWarehouses.takeSupplierFigure(staff.organizationId(), sku).isEmpty()) {
            return Response.status(404).type(MediaType.TEXT_PLAIN)
                    .entity("No supplier figure for that product: it is not dropshipped through an active connection,"
                            + " or the supplier states none.")
                    .build();
        }
        int page = drift != null && drift.matches("[0-9]{1,6}") ? Integer.parseInt(drift) : 0;
        return Response.seeOther(URI.create("/app/sync?done=taken&drift=" + page + "#drift")).build();
    }
}
