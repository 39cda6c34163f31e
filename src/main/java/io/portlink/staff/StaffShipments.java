package io.portlink.staff;

import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.Map;

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
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.portlink.platform.ConflictException;
import io.portlink.platform.Convention;
import io.portlink.platform.Forms;
import io.portlink.platform.Locales;
import io.portlink.platform.Paging;
import io.portlink.platform.ValidationException;
import io.portlink.shipment.Pipelines;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentInput;
import io.portlink.shipment.ShipmentPhotos;
import io.portlink.shipment.Shipments;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The staff's shipments: list (search, stage filter, paging), create and edit form, the shipment page (stage, estimated
 * arrival, notes, photos, history) and delete with a confirmation step. Every id is looked up within the signed-in
 * staff member's organisation: another organisation's shipment answers 404 like an unknown one.
 */
@Path("/app/shipments")
@Produces(MediaType.TEXT_HTML)
public class StaffShipments {

    /** Rows per page of the list. */
    static final int PAGE_SIZE = 50;

    @Inject
    StaffContext staff;

    @Inject
    Shipments shipments;

    @Inject
    ShipmentPhotos photos;

    @Inject
    Pipelines pipelines;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(StaffContext.Header header, Locales.Format fmt, Shipments.Page page,
                ListView view, List<Pipelines.PipelineView> pipelines, String message);

        static native TemplateInstance form(StaffContext.Header header, ShipmentForm form,
                List<ValidationException.FieldError> errors, String error, String decimalMark);

        static native TemplateInstance detail(StaffContext.Header header, Locales.Format fmt, Shipments.Detail s,
                String etaValue, long maxPhotoKb, String message, String error);

        static native TemplateInstance confirmDelete(StaffContext.Header header, Shipments.ShipmentView s);
    }

    /** Flash messages after a redirect: the URL carries a key, never text. */
    private static final Map<String, String> DONE = Map.ofEntries(Map.entry("created", "The shipment is created."),
            Map.entry("saved", "The changes are saved."), Map.entry("stage", "The stage is changed."),
            Map.entry("eta", "The estimated arrival is saved."), Map.entry("note", "The note is added."),
            Map.entry("photo", "The photo is added. Its location data was removed before it was stored."),
            Map.entry("hero", "The hero photo is set."), Map.entry("moved", "The gallery order is changed."),
            Map.entry("photo-removed", "The photo is removed."),
            Map.entry("deleted", "The shipment is deleted. It is gone for good, also for its customer."));

    /** The list's filter as the page shows it and builds its links from. */
    public record ListView(String q, Long stageId, Shipments.LinkState link) {

        public String query(int page) {
            return "q=" + java.net.URLEncoder.encode(q, java.nio.charset.StandardCharsets.UTF_8) + "&stage="
                    + (stageId == null ? "" : stageId) + "&link=" + (link == null ? "" : link.name()) + "&page=" + page;
        }

        public boolean filtered() {
            return !q.isEmpty() || stageId != null || link != null;
        }

        /** The tracking-link filters the list offers. */
        public List<Shipments.LinkState> linkStates() {
            return List.of(Shipments.LinkState.values());
        }
    }

    /**
     * The form's fields as typed (kept on a refused save); {@code id} and {@code version} are null for a new shipment.
     */
    public record ShipmentForm(Long id, Long version, String reference, String title, String customerName,
            String customerEmail, String customerPhone, String customerLanguage, String shipFrom, String shipTo,
            String stockNumber, String vinSerial, String currency, String cost, String salePrice,
            String paymentsReceived, String internalNotes) {

        static ShipmentForm empty() {
            return new ShipmentForm(null, null, "", "", "", "", "", "", "", "", "", "", "", "", "", "", "");
        }

        ShipmentInput input() {
            return new ShipmentInput(reference, title,
                    new ShipmentInput.CustomerInput(customerName, customerEmail, customerPhone, customerLanguage),
                    shipFrom, shipTo, new ShipmentInput.InternalInput(stockNumber, vinSerial, currency, cost, salePrice,
                            paymentsReceived, internalNotes));
        }

        public List<String> languages() {
            return Locales.LANGUAGES;
        }

        public String action() {
            return id == null ? "/app/shipments" : "/app/shipments/" + id;
        }
    }

    @GET
    public TemplateInstance list(@QueryParam("q") String q, @QueryParam("stage") String stage,
            @QueryParam("link") String link, @QueryParam("page") String page, @QueryParam("done") String done) {
        Paging paging = Paging.parse(page, null, PAGE_SIZE);
        Long stageId = stage == null || !stage.strip().matches("[0-9]{1,18}") ? null : Long.valueOf(stage.strip());
        Shipments.LinkState linkState = Shipments.LinkState.parse(link);
        var result = shipments.page(staff.organizationId(), new Shipments.Filter(q, stageId, null, linkState), paging);
        var view = new ListView(q == null ? "" : q.strip(), stageId, linkState);
        return Templates.list(staff.header(), staff.organization().format(), result, view,
                pipelines.list(staff.organizationId()), done == null ? null : DONE.get(done));
    }

    @GET
    @Path("/new")
    public TemplateInstance newForm() {
        return form(ShipmentForm.empty(), List.of(), null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String reference, @RestForm String title, @RestForm String customerName,
            @RestForm String customerEmail, @RestForm String customerPhone, @RestForm String customerLanguage,
            @RestForm String shipFrom, @RestForm String shipTo, @RestForm String stockNumber,
            @RestForm String vinSerial, @RestForm String currency, @RestForm String cost, @RestForm String salePrice,
            @RestForm String paymentsReceived, @RestForm String internalNotes) {
        var form = new ShipmentForm(null, null, reference, title, customerName, customerEmail, customerPhone,
                customerLanguage, shipFrom, shipTo, stockNumber, vinSerial, currency, cost, salePrice, paymentsReceived,
                internalNotes);
        try {
            var draft = form.input().toDraft(null, convention());
            var created = shipments.create(staff.organizationId(), draft, actor());
            return see(created.id(), "created");
        } catch (ValidationException e) {
            return Response.status(422).entity(form(form, e.errors(), null)).build();
        } catch (ConflictException e) {
            return Response.status(409).entity(form(form, List.of(), e.getMessage())).build();
        }
    }

    @GET
    @Path("/{id}/edit")
    public Response editForm(@PathParam("id") long id) {
        return shipments.view(staff.organizationId(), id)
                .map(s -> Response.ok(form(formOf(s), List.of(), null)).build()).orElseGet(this::notFound);
    }

    @POST
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response update(@PathParam("id") long id, @RestForm String version, @RestForm String reference,
            @RestForm String title, @RestForm String customerName, @RestForm String customerEmail,
            @RestForm String customerPhone, @RestForm String customerLanguage, @RestForm String shipFrom,
            @RestForm String shipTo, @RestForm String stockNumber, @RestForm String vinSerial,
            @RestForm String currency, @RestForm String cost, @RestForm String salePrice,
            @RestForm String paymentsReceived, @RestForm String internalNotes) {
        Forms.require("version", version);
        long seen = Forms.wholeNumber("version", version);
        var form = new ShipmentForm(id, seen, reference, title, customerName, customerEmail, customerPhone,
                customerLanguage, shipFrom, shipTo, stockNumber, vinSerial, currency, cost, salePrice, paymentsReceived,
                internalNotes);
        try {
            var draft = form.input().toDraft(null, convention());
            return shipments.update(staff.organizationId(), id, seen, draft, actor()).map(s -> see(id, "saved"))
                    .orElseGet(this::notFound);
        } catch (ValidationException e) {
            return Response.status(422).entity(form(form, e.errors(), null)).build();
        } catch (ConflictException e) {
            return Response.status(409).entity(form(form, List.of(), e.getMessage())).build();
        }
    }

    @GET
    @Path("/{id}")
    public Response detail(@PathParam("id") long id, @QueryParam("done") String done) {
        return render(id, 200, done == null ? null : DONE.get(done), null);
    }

    @POST
    @Path("/{id}/stage")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response stage(@PathParam("id") long id, @RestForm String stage) {
        Forms.require("stage", stage);
        return act(id, "stage", () -> shipments
                .changeStage(staff.organizationId(), id, Forms.wholeNumber("stage", stage), actor()).isPresent());
    }

    @POST
    @Path("/{id}/eta")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response eta(@PathParam("id") long id, @RestForm String estimatedArrival) {
        return act(id, "eta", () -> shipments
                .setEstimatedArrival(staff.organizationId(), id, estimatedArrival, convention(), actor()).isPresent());
    }

    @POST
    @Path("/{id}/notes")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response note(@PathParam("id") long id, @RestForm String scope, @RestForm String text) {
        return act(id, "note", () -> shipments.addNote(staff.organizationId(), id, scope, text, actor()).isPresent());
    }

    /** A JPEG or PNG; type and size are checked on the bytes, location data removed before it is stored. */
    @POST
    @Path("/{id}/photos")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response addPhoto(@PathParam("id") long id, @RestForm("photo") FileUpload file) {
        return act(id, "photo", () -> {
            if (file == null || file.size() == 0) {
                throw ValidationException.of("photo", "choose a JPEG or PNG file to upload", null);
            }
            return photos.add(staff.organizationId(), id, file.uploadedFile(), file.fileName(), actor()).isPresent();
        });
    }

    @POST
    @Path("/{id}/photos/{photoId}/hero")
    public Response hero(@PathParam("id") long id, @PathParam("photoId") long photoId) {
        return act(id, "hero", () -> photos.setHero(staff.organizationId(), id, photoId, actor()));
    }

    @POST
    @Path("/{id}/photos/{photoId}/earlier")
    public Response earlier(@PathParam("id") long id, @PathParam("photoId") long photoId) {
        return act(id, "moved", () -> photos.move(staff.organizationId(), id, photoId, -1, actor()));
    }

    @POST
    @Path("/{id}/photos/{photoId}/later")
    public Response later(@PathParam("id") long id, @PathParam("photoId") long photoId) {
        return act(id, "moved", () -> photos.move(staff.organizationId(), id, photoId, 1, actor()));
    }

    @POST
    @Path("/{id}/photos/{photoId}/remove")
    public Response removePhoto(@PathParam("id") long id, @PathParam("photoId") long photoId) {
        return act(id, "photo-removed", () -> photos.remove(staff.organizationId(), id, photoId, actor()));
    }

    /** A photo's bytes for the staff page; private to the session, never cached by a shared cache. */
    @GET
    @Path("/{id}/photos/{photoId}")
    @Produces({ "image/jpeg", "image/png" })
    public Response photo(@PathParam("id") long id, @PathParam("photoId") long photoId) {
        return photos.content(staff.organizationId(), id, photoId)
                .map(c -> Response.ok(c.bytes(), c.contentType()).header("Cache-Control", "private, max-age=3600")
                        .header("X-Content-Type-Options", "nosniff")
                        .header("Content-Security-Policy", "default-src 'none'; sandbox").build())
                .orElseGet(this::notFound);
    }

    /** The confirmation step: a GET only shows what would be deleted. */
    @GET
    @Path("/{id}/delete")
    public Response confirmDelete(@PathParam("id") long id) {
        return shipments.view(staff.organizationId(), id)
                .map(s -> Response.ok(Templates.confirmDelete(staff.header(), s)).build()).orElseGet(this::notFound);
    }

    @POST
    @Path("/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(@PathParam("id") long id, @RestForm String version) {
        Forms.require("version", version);
        try {
            if (!shipments.delete(staff.organizationId(), id, Forms.wholeNumber("version", version), actor())) {
                return notFound();
            }
        } catch (ConflictException e) {
            return render(id, 409, null, e.getMessage());
        }
        return Response.seeOther(URI.create("/app/shipments?done=deleted")).build();
    }

    private interface Action {
        boolean run();
    }

    /** Runs an action on the shipment page: back to it with a flash, or the page again with what to fix. */
    private Response act(long id, String done, Action action) {
        try {
            return action.run() ? see(id, done) : notFound();
        } catch (ValidationException e) {
            return render(id, 422, null,
                    String.join("; ", e.errors().stream().map(ValidationException.FieldError::describe).toList()));
        } catch (ConflictException e) {
            return render(id, 409, null, e.getMessage());
        }
    }

    private Response render(long id, int status, String message, String error) {
        var fmt = staff.organization().format();
        return shipments.detail(staff.organizationId(), id).map(s -> Response.status(status)
                .entity(Templates.detail(staff.header(), fmt, s,
                        s.shipment().estimatedArrival() == null ? "" : s.shipment().estimatedArrival().toString(),
                        (photos.maxBytes() + 1023) / 1024, message, error))
                .build()).orElseGet(this::notFound);
    }

    private TemplateInstance form(ShipmentForm form, List<ValidationException.FieldError> errors, String error) {
        return Templates.form(staff.header(), form, errors, error,
                convention().decimal() == Convention.DecimalMark.COMMA ? "comma" : "point");
    }

    private ShipmentForm formOf(Shipments.ShipmentView s) {
        var c = s.customer();
        var i = s.internal();
        return new ShipmentForm(s.id(), s.version(), s.reference(), s.title(), blank(c.name()), blank(c.email()),
                blank(c.phone()), blank(c.language()), blank(s.shipFrom()), blank(s.shipTo()), blank(i.stockNumber()),
                blank(i.vinSerial()), blank(i.currency()), amount(i.cost()), amount(i.salePrice()),
                amount(i.paymentsReceived()), blank(i.notes()));
    }

    /** An amount as this organisation types it (1234.5 or 1234,5), without grouping so it reads back the same. */
    private String amount(BigDecimal value) {
        if (value == null) {
            return "";
        }
        return value.toPlainString().replace('.', convention().decimal().mark);
    }

    private Convention convention() {
        return Convention.of(staff.organization().country(), null);
    }

    private ShipmentActor actor() {
        return ShipmentActor.staff(staff.userId(), staff.email());
    }

    private static String blank(String value) {
        return value == null ? "" : value;
    }

    private static Response see(long id, String done) {
        return Response.seeOther(URI.create("/app/shipments/" + id + "?done=" + done)).build();
    }

    private Response notFound() {
        return Response.status(404).type(MediaType.TEXT_PLAIN).entity("No such shipment in your organisation.").build();
    }
}
