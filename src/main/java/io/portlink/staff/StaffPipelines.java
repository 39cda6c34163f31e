package io.portlink.staff;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.portlink.platform.Forms;
import io.portlink.platform.ValidationException;
import io.portlink.shipment.Milestone;
import io.portlink.shipment.Pipelines;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Admins: the organisation's shipment pipelines. The freight pipeline is there from the start; a custom one is typed as
 * up to {@value Pipelines#MAX_STAGES} rows of stage name and milestone; one pipeline is the one new shipments use.
 */
@Path("/app/admin/pipelines")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed("admin")
public class StaffPipelines {

    /** Empty stage rows the form offers. */
    static final int FORM_ROWS = 10;

    @Inject
    StaffContext staff;

    @Inject
    Pipelines pipelines;

    @Inject
    io.portlink.shipment.TrackingLinks trackingLinks;

    @Inject
    io.portlink.shipment.LiveSettings liveSettings;

    @Inject
    io.portlink.shipment.ProofsOfDelivery proofs;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance pipelines(StaffContext.Header header, List<Pipelines.PipelineView> pipelines,
                List<Milestone> milestones, String name, List<Pipelines.StageInput> rows,
                List<ValidationException.FieldError> errors, String message, boolean trackingLinkForNew,
                io.portlink.shipment.LiveSettings.View live, String liveError, boolean showProofOfDelivery,
                boolean showVendorName, Long vendorPipelineId);
    }

    private static final Map<String, String> DONE = Map.of("created", "The pipeline is created.", "default",
            "New shipments use this pipeline from now on; existing shipments keep theirs.", "link-on",
            "Every new shipment gets a tracking link from now on; it is shown once when the shipment is created.",
            "link-off", "New shipments get no tracking link until staff create one.", "live",
            "The live-tracking settings are saved.", "pod-on",
            "Tracking pages show the proof of delivery (photos, signature, receiver's name) after delivery.", "pod-off",
            "Tracking pages show the delivery time only, not the proof of delivery.", "vendor-on",
            "Tracking pages name the sender (the vendor) of a vendor-shipped shipment.", "vendor-off",
            "Tracking pages do not name the sender.", "vendor-pipeline",
            "Shipments vendors ship use this pipeline from now on; existing shipments keep theirs.");

    @GET
    public TemplateInstance page(@QueryParam("done") String done) {
        return render("", List.of(), List.of(), done == null ? null : DONE.get(done));
    }

    /**
     * A new pipeline from the form's rows (repeated {@code stageName} and {@code milestone} fields, in order); empty
     * rows are skipped, and a refused form comes back as typed with every problem.
     */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String name, @RestForm("stageName") List<String> names,
            @RestForm("milestone") List<String> milestones) {
        List<Pipelines.StageInput> typed = new ArrayList<>();
        int rows = Math.min(FORM_ROWS * 2, Math.max(size(names), size(milestones)));
        for (int i = 0; i < rows; i++) {
            typed.add(new Pipelines.StageInput(at(names, i), at(milestones, i)));
        }
        List<Pipelines.StageInput> stages = typed.stream().filter(
                s -> s.name() != null && !s.name().isBlank() || s.milestone() != null && !s.milestone().isBlank())
                .toList();
        try {
            pipelines.create(staff.organizationId(), name, stages);
        } catch (ValidationException e) {
            return Response.status(422).entity(render(name == null ? "" : name, stages, e.errors(), null)).build();
        }
        return Response.seeOther(URI.create("/app/admin/pipelines?done=created")).build();
    }

    private static int size(List<String> values) {
        return values == null ? 0 : values.size();
    }

    private static String at(List<String> values, int i) {
        return values == null || i >= values.size() ? null : values.get(i);
    }

    @POST
    @Path("/{id}/default")
    public Response setDefault(@PathParam("id") long id) {
        return pipelines.setDefault(staff.organizationId(), id).isPresent()
                ? Response.seeOther(URI.create("/app/admin/pipelines?done=default")).build() : Response.status(404)
                        .type(MediaType.TEXT_PLAIN).entity("No such pipeline in your organisation.").build();
    }

    /**
     * "Create a tracking link for every new shipment": the checkbox {@code on} ticked turns it on, absent turns it off.
     * Existing shipments keep what they have.
     */
    @POST
    @Path("/tracking-link-for-new")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response trackingLinkForNew(@RestForm String on) {
        boolean enabled = on != null && !on.isBlank();
        trackingLinks.setLinkForEveryNewShipment(staff.organizationId(), enabled);
        return Response.seeOther(URI.create("/app/admin/pipelines?done=" + (enabled ? "link-on" : "link-off"))).build();
    }

    /**
     * "Pipeline for shipments vendors ship": a pipeline's id, or empty to follow the default pipeline. Existing
     * shipments keep theirs.
     */
    @POST
    @Path("/vendor-pipeline")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response vendorPipeline(@RestForm String pipeline) {
        Long id = pipeline == null || pipeline.isBlank() ? null : Forms.wholeNumber("pipeline", pipeline);
        return pipelines.setVendorPipeline(staff.organizationId(), id)
                ? Response.seeOther(URI.create("/app/admin/pipelines?done=vendor-pipeline")).build()
                : Response.status(404).type(MediaType.TEXT_PLAIN).entity("No such pipeline in your organisation.")
                        .build();
    }

    /**
     * Live tracking: the map on the tracking page ({@code map} ticked), how long a position is fresh (minutes), the ETA
     * estimate's detour factor and average speed (km/h). A refused form names each field.
     */
    @POST
    @Path("/live-tracking")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response live(@RestForm String map, @RestForm String positionFreshMinutes, @RestForm String detourFactor,
            @RestForm String averageSpeedKmh) {
        try {
            liveSettings.set(staff.organizationId(), map != null && !map.isBlank(), positionFreshMinutes, detourFactor,
                    averageSpeedKmh);
        } catch (ValidationException e) {
            return Response.status(422)
                    .entity(render("", List.of(), List.of(), null,
                            String.join("; ",
                                    e.errors().stream().map(ValidationException.FieldError::describe).toList())))
                    .build();
        }
        return Response.seeOther(URI.create("/app/admin/pipelines?done=live")).build();
    }

    /**
     * "Show the proof of delivery on the tracking page": the checkbox {@code on} ticked turns it on, absent turns it
     * off. Takes effect on every tracking page's next load.
     */
    @POST
    @Path("/proof-of-delivery")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response proofOfDelivery(@RestForm String on) {
        boolean enabled = on != null && !on.isBlank();
        proofs.setShownToCustomers(staff.organizationId(), enabled);
        return Response.seeOther(URI.create("/app/admin/pipelines?done=" + (enabled ? "pod-on" : "pod-off"))).build();
    }

    /**
     * "Show the sender's (vendor's) name on the tracking page": the checkbox {@code on} ticked turns it on, absent
     * turns it off. Takes effect on every tracking page's next load.
     */
    @POST
    @Path("/vendor-name")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response vendorName(@RestForm String on) {
        boolean enabled = on != null && !on.isBlank();
        liveSettings.setShowVendorName(staff.organizationId(), enabled);
        return Response.seeOther(URI.create("/app/admin/pipelines?done=" + (enabled ? "vendor-on" : "vendor-off")))
                .build();
    }

    private TemplateInstance render(String name, List<Pipelines.StageInput> typed,
            List<ValidationException.FieldError> errors, String message) {
        return render(name, typed, errors, message, null);
    }

    private TemplateInstance render(String name, List<Pipelines.StageInput> typed,
            List<ValidationException.FieldError> errors, String message, String liveError) {
        List<Pipelines.StageInput> rows = new ArrayList<>(typed);
        while (rows.size() < FORM_ROWS) {
            rows.add(new Pipelines.StageInput("", ""));
        }
        return Templates.pipelines(staff.header(), pipelines.list(staff.organizationId()), List.of(Milestone.values()),
                name, rows, errors, message, trackingLinks.linkForEveryNewShipment(staff.organizationId()),
                liveSettings.of(staff.organizationId()), liveError, proofs.shownToCustomers(staff.organizationId()),
                liveSettings.showsVendorName(staff.organizationId()),
                pipelines.vendorChoice(staff.organizationId()).map(Pipelines.PipelineView::id).orElse(null));
    }
}
