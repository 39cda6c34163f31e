package io.portlink.staff;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
import io.portlink.platform.Fields;
import io.portlink.platform.Forms;
import io.portlink.platform.Locales;
import io.portlink.platform.Paging;
import io.portlink.platform.Problems;
import io.portlink.platform.Uploads;
import io.portlink.platform.ValidationException;
import io.portlink.shipment.Pipelines;
import io.portlink.shipment.Shipment;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentEtas;
import io.portlink.shipment.ShipmentInput;
import io.portlink.shipment.ShipmentPhotos;
import io.portlink.shipment.ShipmentStops;
import io.portlink.shipment.ShipmentTimes;
import io.portlink.shipment.Shipments;
import io.portlink.shipment.TrackingLinks;
import io.portlink.shipment.TrackingMail;
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
    io.portlink.shipment.LastPositions lastPositions;

    @Inject
    StaffContext staff;

    @Inject
    Shipments shipments;

    @Inject
    ShipmentPhotos photos;

    @Inject
    Pipelines pipelines;

    @Inject
    TrackingLinks trackingLinks;

    @Inject
    TrackingMail trackingMail;

    @Inject
    ShipmentStops stops;

    @Inject
    ShipmentEtas etas;

    @Inject
    io.portlink.fulfilment.Fulfilments fulfilments;

    @Inject
    io.portlink.shipment.DriverLinks driverLinks;

    @Inject
    io.portlink.shipment.ShipmentExceptions exceptions;

    @Inject
    io.portlink.shipment.ProofsOfDelivery proofs;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(StaffContext.Header header, Locales.Format fmt, Shipments.Page page,
                ListView view, List<Pipelines.PipelineView> pipelines, String message,
                Map<Long, Shipments.LinkState> linkStates);

        static native TemplateInstance form(StaffContext.Header header, ShipmentForm form,
                List<ValidationException.FieldError> errors, String error, String decimalMark,
                List<Pipelines.PipelineView> pipelines, String pipeline);

        static native TemplateInstance detail(StaffContext.Header header, Locales.Format fmt, Shipments.Detail s,
                String etaValue, long maxPhotoKb, String message, String error, TrackingSheet tracking, Live live,
                DriverSheet driver);

        static native TemplateInstance confirmDelete(StaffContext.Header header, Shipments.ShipmentView s);

        static native TemplateInstance confirmLink(StaffContext.Header header, Shipments.ShipmentView s, String action);

        static native TemplateInstance confirmDriverLink(StaffContext.Header header, Shipments.ShipmentView s,
                String action);
    }

    /** Flash messages after a redirect: the URL carries a key, never text. */
    private static final Map<String, String> DONE = Map.ofEntries(Map.entry("created", "The shipment is created."),
            Map.entry("saved", "The changes are saved."), Map.entry("stage", "The stage is changed."),
            Map.entry("eta", "The estimated arrival is saved."), Map.entry("stops", "The stops are saved."),
            Map.entry("arrived", "The arrival is recorded."), Map.entry("departed", "The departure is recorded."),
            Map.entry("note", "The note is added."),
            Map.entry("photo", "The photo is added, without any location data it carried."),
            Map.entry("photoRepeat", "This photo is in the gallery already: nothing was added."),
            Map.entry("hero", "The hero photo is set."), Map.entry("moved", "The gallery order is changed."),
            Map.entry("photo-removed", "The photo is removed."),
            Map.entry("link-revoked",
                    "The tracking link is revoked: it stopped working at once. No new link was made."),
            Map.entry("link-expiry", "The tracking link's expiry is saved."),
            Map.entry("link-options", "The tracking page's options are saved: the same link shows them from now on."),
            Map.entry("driver-revoked", "The driver link is revoked: it stopped working at once."),
            Map.entry("problem",
                    "The problem is reported. The customer's page says only a neutral word (e.g. Delayed)."),
            Map.entry("resolved", "The problem is marked resolved."),
            Map.entry("deleted", "The shipment is deleted. It is gone for good, also for its customer."),
            Map.entry("delay-mail", "The delay mail is queued to the customer, with the tracking link."));

    /** Blank rows the stops form offers below the stops (more with its "add a row" button). */
    static final int SPARE_STOP_ROWS = 2;

    /**
     * The shipment page's live-tracking parts: the ETA (planned and current with its source, formatted in its zone),
     * the stops as stored, and the stops form's rows (as stored plus spare blank ones, or as typed on a refused save).
     */
    public record Live(ShipmentEtas.EtaView eta, String current, String planned, List<ShipmentStops.StopView> stops,
            List<StopRow> rows, String etaTime, ShipmentTimes times, String stopsDrawnFrom, List<String> stopProblems) {
    }

    /**
     * The stops form as posted back: the rows as typed, the digest of the stops it was drawn from (null: the stops as
     * stored now, after a "changed meanwhile") and its problems for people ("Stop 2, latitude: …"), shown in the form.
     */
    record StopsForm(List<StopRow> rows, String drawnFrom, List<String> problems) {
    }

    /** One row of the stops form as typed (window ends as local date-times for datetime-local inputs). */
    public record StopRow(int index, String kind, String name, String address, String latitude, String longitude,
            String zone, String windowFrom, String windowTo) {

        ShipmentStops.StopInput input() {
            return new ShipmentStops.StopInput(kind, name, address, latitude, longitude, zone, windowFrom, windowTo);
        }

        /** The kinds the row's select offers; empty: by its place in the list. */
        public List<String> kinds() {
            return List.of("", "PICKUP", "STOP", "DELIVERY");
        }

        /**
         * The time zones the row's select offers, sorted; a stored or typed name that is none of them comes first, so
         * the row keeps it and a refusal still shows what was typed.
         */
        public List<String> zones() {
            return io.portlink.platform.Locales.zoneChoicesWith(zone);
        }
    }

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
     * One gallery photo in the tracking page's photo picker: ticked or not, and its place among the picked ones as
     * typed (1, 2, 3 …; empty for "after the numbered ones").
     */
    public record PickRow(ShipmentPhotos.PhotoView photo, boolean picked, String position) {
    }

    /**
     * The tracking-link sheet as the page draws it: the saved state ({@code sheet}), the options and picker as saved or
     * as typed on a refused save, the expiry fields as typed, and the link just created or regenerated ({@code shown},
     * with every way to share it; null on every other render: its token exists in this response only).
     */
    public record TrackingSheet(TrackingLinks.Sheet sheet, TrackingLinks.Options options, List<PickRow> picker,
            String expiresDate, String expiresTime, ShareLink shown, String shownNote) {

        public boolean hasLink() {
            return sheet.link() != null;
        }
    }

    /**
     * The driver's part of the shipment page (issue 10): the active driver link (null when none), the link just created
     * or regenerated ({@code shown}, with every way to share it; null on every other render), the shipment's problems
     * (newest first) and its proof of delivery (null before delivery).
     */
    public record DriverSheet(io.portlink.shipment.DriverLinks.ActiveLink link,
            io.portlink.shipment.DriverLinks.Expired expired, ShareLink shown,
            List<io.portlink.shipment.ShipmentExceptions.ExceptionView> exceptions,
            io.portlink.shipment.ProofsOfDelivery.ProofView proof) {

        /** The proof's photo numbers (1 …) for the page's image URLs. */
        public List<Integer> proofPhotos() {
            return proof == null ? List.of()
                    : java.util.stream.IntStream.rangeClosed(1, proof.photos()).boxed().toList();
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

        /**
         * The languages offered, and the customer's stored one when it is none of them ({@link Locales#choicesWith}).
         */
        public List<String> languages() {
            return Locales.choicesWith(customerLanguage);
        }

        public String action() {
            return id == null ? "/app/shipments" : "/app/shipments/" + id;
        }
    }

    @GET
    public TemplateInstance list(@QueryParam("q") String q, @QueryParam("stage") String stage,
            @QueryParam("link") String link, @QueryParam("page") String page, @QueryParam("done") String done) {
        Paging paging = Paging.parse(page, null, PAGE_SIZE);
        Long stageId = Fields.idChoice("stage", "a stage of one of your pipelines", stage);
        Shipments.LinkState linkState = Fields.choice("link", Shipments.LinkState.class, link);
        var result = shipments.page(staff.organizationId(), new Shipments.Filter(q, stageId, null, linkState), paging);
        var view = new ListView(q == null ? "" : q.strip(), stageId, linkState);
        var states = shipments.linkStates(staff.organizationId(),
                result.rows().stream().map(Shipments.Row::id).toList());
        return Templates.list(staff.header(), staff.organization().format(), result, view,
                pipelines.list(staff.organizationId()), done == null ? null : DONE.get(done), states);
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
            @RestForm String paymentsReceived, @RestForm String internalNotes, @RestForm String pipeline) {
        var form = new ShipmentForm(null, null, reference, title, customerName, customerEmail, customerPhone,
                customerLanguage, shipFrom, shipTo, stockNumber, vinSerial, currency, cost, salePrice, paymentsReceived,
                internalNotes);
        try {
            var errors = new ValidationException.Builder();
            io.portlink.shipment.ShipmentDraft draft = null;
            try {
                draft = form.input().toDraft(null, convention(), true);
            } catch (ValidationException e) {
                e.errors().forEach(x -> errors.add(x.row(), x.field(), x.message(), x.value()));
            }
            Long pipelineId = pipelines.byName(staff.organizationId(), pipeline, null, "pipeline", errors);
            errors.throwIfAny();
            var created = shipments.createWithLink(staff.organizationId(), draft, pipelineId, actor());
            if (created.trackingLink() != null) {
                // a link made with the shipment (the organisation's setting, or a "Shipment created" rule for its
                // mail): this answer is the one place it is shown
                long id = created.shipment().id();
                return render(id, 201, DONE.get("created"), null,
                        sheet(id, null, null, null, created.trackingLink(), null));
            }
            return see(created.shipment().id(), "created");
        } catch (ValidationException e) {
            return Response.status(422).entity(form(form, e.errors(), null, pipeline)).build();
        } catch (ConflictException e) {
            return Response.status(409).entity(form(form, List.of(), e.getMessage(), pipeline)).build();
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
            var draft = form.input().toDraft(null, convention(), true);
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
    public Response eta(@PathParam("id") long id, @RestForm String estimatedArrival, @RestForm String estimatedTime) {
        // a refusal shows the form as typed: "the 31st is past" is fixed by changing the 31st, not typing it again
        var typed = new EtaTyped(estimatedArrival == null ? "" : estimatedArrival.strip(),
                estimatedTime == null ? "" : estimatedTime.strip());
        if (estimatedTime == null || estimatedTime.isBlank()) {
            return decide(id, typed,
                    () -> shipments
                            .setEstimatedArrival(staff.organizationId(), id, estimatedArrival, convention(), actor())
                            .map(done -> "eta"));
        }
        return decide(id, typed, () -> {
            var errors = new ValidationException.Builder();
            java.time.LocalDate date = new io.portlink.platform.Fields(errors, null, 10, convention())
                    .date("estimatedArrival", estimatedArrival, true);
            java.time.LocalTime time = null;
            try {
                time = java.time.LocalTime.parse(estimatedTime.strip());
            } catch (java.time.format.DateTimeParseException e) {
                errors.add("estimatedTime", "the time must be written HH:MM (24 hours), like 14:30", estimatedTime);
            }
            errors.throwIfAny();
            return etas.setManual(staff.organizationId(), id, date, time, actor()).map(done -> "eta");
        });
    }

    /** The ETA form's fields as typed, shown again on a refusal. */
    record EtaTyped(String date, String time) {
    }

    /**
     * Saves the stops form: every row that is not blank and not ticked "remove", in order, replacing the stops (all or
     * nothing). With {@code more}: no save, the form again with the rows as typed and one more blank row.
     */
    @POST
    @Path("/{id}/stops")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response saveStops(@PathParam("id") long id, @RestForm List<String> kind, @RestForm List<String> name,
            @RestForm List<String> address, @RestForm List<String> latitude, @RestForm List<String> longitude,
            @RestForm List<String> zone, @RestForm List<String> windowFrom, @RestForm List<String> windowTo,
            @RestForm List<String> remove, @RestForm String more, @RestForm String stopsDrawnFrom) {
        int n = kind == null ? 0 : Math.min(kind.size(), ShipmentStops.MAX_STOPS + 10);
        List<StopRow> typed = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (remove != null && remove.contains(Integer.toString(i))) {
                continue;
            }
            // a textarea sends its line breaks as CRLF: stored as the API's plain line feeds
            String lines = at(address, i).replace("\r\n", "\n");
            typed.add(new StopRow(typed.size(), at(kind, i), at(name, i), lines, at(latitude, i), at(longitude, i),
                    at(zone, i), at(windowFrom, i), at(windowTo, i)));
        }
        String drawnFrom = stopsDrawnFrom == null || stopsDrawnFrom.isBlank() ? null : stopsDrawnFrom.strip();
        if (more != null) {
            typed.add(blankRow(typed.size()));
            return render(id, 200, null, null, null, new StopsForm(typed, drawnFrom, List.of()), null, null);
        }
        try {
            return stops.replace(staff.organizationId(), id, typed.stream().map(StopRow::input).toList(), actor(),
                    drawnFrom).isPresent() ? see(id, "stops") : notFound();
        } catch (ValidationException e) {
            return render(id, 422, null, null, null, new StopsForm(typed, drawnFrom, stopProblems(typed, e)), null,
                    null);
        } catch (ConflictException e) {
            // drawn again from the stops as they are now: a second save, after a look, is meant
            return render(id, 409, null, null, null, new StopsForm(typed, null, List.of(e.getMessage())), null, null);
        }
    }

    private static final java.util.regex.Pattern STOP_FIELD = java.util.regex.Pattern
            .compile("stops\\[([0-9]+)\\]\\.?(.*)");

    /**
     * A stops form's problems as its rows number them: the rules name {@code stops[i].field} over the rows that are not
     * blank, counted from 0; the form's "Stop n" counts every row from 1 ("stops[1].latitude: …" of a form whose first
     * row was left blank reads "Stop 3, latitude: …").
     */
    static List<String> stopProblems(List<StopRow> typed, ValidationException e) {
        List<Integer> filled = new java.util.ArrayList<>();
        for (StopRow r : typed) {
            if (!r.input().blank()) {
                filled.add(r.index());
            }
        }
        return e.errors().stream().map(x -> {
            java.util.regex.Matcher m = STOP_FIELD.matcher(x.field() == null ? "" : x.field());
            if (!m.matches()) {
                return x.forPeople();
            }
            int i = Integer.parseInt(m.group(1));
            String stop = "Stop " + (i < filled.size() ? filled.get(i) + 1 : i + 1);
            String field = m.group(2).isEmpty() ? stop
                    : stop + ", " + m.group(2).replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
            return new ValidationException.FieldError(x.row(), field, x.message(), x.value()).describe();
        }).toList();
    }

    /** The arrival and departure buttons of a stop. */
    @POST
    @Path("/{id}/stops/{position}/{event: arrival|departure}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response stopEvent(@PathParam("id") long id, @PathParam("position") int position,
            @PathParam("event") String event) {
        ShipmentStops.StopEvent kind = ShipmentStops.StopEvent.ofPath(event);
        return act(id, kind == ShipmentStops.StopEvent.ARRIVAL ? "arrived" : "departed",
                () -> stops.mark(staff.organizationId(), id, position, kind, actor()).isPresent());
    }

    private static String at(List<String> values, int i) {
        return values != null && i < values.size() && values.get(i) != null ? values.get(i) : "";
    }

    private StopRow blankRow(int index) {
        return new StopRow(index, "", "", "", "", "", staff.organization().timeZone(), "", "");
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
    public Response addPhoto(@PathParam("id") long id, @RestForm("photo") List<FileUpload> files) {
        return decide(id, () -> {
            FileUpload file = Uploads.one("photo", files, "choose a JPEG or PNG file to upload");
            return photos.add(staff.organizationId(), id, file.uploadedFile(), file.fileName(), actor())
                    .map(added -> added.repeat() ? "photoRepeat" : "photo");
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

    // ------------------------------------------------------------ the tracking-link sheet

    /**
     * Creates the shipment's tracking link, with an optional expiry (date, and time in the organisation's zone: empty
     * time = end of that day). The answer shows its URL once, with copy, e-mail, WhatsApp, SMS and QR code.
     */
    @POST
    @Path("/{id}/tracking-link")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createLink(@PathParam("id") long id, @RestForm String expiresDate, @RestForm String expiresTime) {
        try {
            java.time.LocalDateTime until = expiry(expiresDate, expiresTime);
            Instant at = until == null ? null : until.atZone(staff.organization().format().zone()).toInstant();
            return trackingLinks.createFromForm(staff.organizationId(), id, at, actor())
                    .map(created -> render(id, 201, (created.replacedTwin()
                            ? "The link your first click made a moment ago is replaced by this one (its address no"
                                    + " longer works). "
                            : "") + "The tracking link is created. Its address is shown only now:"
                            + " share it, or copy it somewhere safe.", null,
                            sheet(id, null, null, null, created.issued(), null)))
                    .orElseGet(this::notFound);
        } catch (ValidationException e) {
            return render(id, 422, null, describe(e), sheet(id, null, expiresDate, expiresTime, null, null));
        } catch (ConflictException e) {
            return render(id, 409, null, e.getMessage(), null);
        }
    }

    /** The confirmation step of revoking or regenerating: a GET only asks. */
    @GET
    @Path("/{id}/tracking-link/{action: revoke|regenerate}")
    public Response confirmLink(@PathParam("id") long id, @PathParam("action") String action) {
        return shipments.view(staff.organizationId(), id)
                .map(s -> Response.ok(Templates.confirmLink(staff.header(), s, action)).build())
                .orElseGet(this::notFound);
    }

    /** Stops the tracking link at once and issues nothing. */
    @POST
    @Path("/{id}/tracking-link/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revokeLink(@PathParam("id") long id) {
        if (shipments.view(staff.organizationId(), id).isEmpty()) {
            return notFound();
        }
        if (!trackingLinks.revoke(staff.organizationId(), id, actor())) {
            return render(id, 409, null, "The shipment has no active tracking link to revoke.", null);
        }
        return see(id, "link-revoked");
    }

    /** The old link stops, a new one with the same options and photos is shown once. */
    @POST
    @Path("/{id}/tracking-link/regenerate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response regenerateLink(@PathParam("id") long id) {
        try {
            return trackingLinks.regenerate(staff.organizationId(), id, actor())
                    .map(issued -> render(id, 201,
                            "The old tracking link no longer works. The new one, with the same options and photos, is"
                                    + " shown only now.",
                            null, sheet(id, null, null, null, issued, null)))
                    .orElseGet(this::notFound);
        } catch (ConflictException e) {
            return render(id, 409, null, e.getMessage(), null);
        }
    }

    /** Sets the active link's expiry (date, and time in the organisation's zone) or, with both empty, clears it. */
    @POST
    @Path("/{id}/tracking-link/expiry")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response linkExpiry(@PathParam("id") long id, @RestForm String expiresDate, @RestForm String expiresTime) {
        try {
            if (shipments.view(staff.organizationId(), id).isEmpty()) {
                return notFound();
            }
            if (!trackingLinks.setExpiry(staff.organizationId(), id, expiry(expiresDate, expiresTime), actor())) {
                return render(id, 409, null, "The shipment has no active tracking link; create one first.", null);
            }
            return see(id, "link-expiry");
        } catch (ValidationException e) {
            return render(id, 422, null, describe(e), sheet(id, null, expiresDate, expiresTime, null, null));
        }
    }

    /**
     * Saves the tracking page's options and photo picker. The picker works without JavaScript: each gallery photo sends
     * its id ({@code photo}) and typed place ({@code position}), in gallery order; ticked ones also send {@code pick}.
     * Picked photos are ordered by their place, unnumbered ones after the numbered, in gallery order.
     */
    @POST
    @Path("/{id}/tracking-link/options")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response linkOptions(@PathParam("id") long id, @RestForm String showHeroPhoto,
            @RestForm String showEstimatedArrival, @RestForm String showProgress, @RestForm String showCustomerNotes,
            @RestForm("photo") List<String> photoIds, @RestForm("position") List<String> positions,
            @RestForm("pick") List<String> picks) {
        var options = new TrackingLinks.Options(ticked(showHeroPhoto), ticked(showEstimatedArrival),
                ticked(showProgress), ticked(showCustomerNotes));
        var typed = new Picker(photoIds, positions, picks);
        try {
            List<Long> order = typed.order();
            if (shipments.view(staff.organizationId(), id).isEmpty()) {
                return notFound();
            }
            if (!trackingLinks.setOptions(staff.organizationId(), id, options, order, actor())) {
                return render(id, 409, null, "The shipment has no active tracking link; create one first.", null);
            }
            return see(id, "link-options");
        } catch (ValidationException e) {
            return render(id, 422, null, describe(e), sheet(id, new Typed(options, typed), null, null, null, null));
        }
    }

    /**
     * E-mails the link the sheet is still showing (its token comes back from that page's own form; only its hash is
     * stored) to the customer, in the customer's language, through the outbox. The answer shows the link again.
     */
    @POST
    @Path("/{id}/tracking-link/mail")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response mailLink(@PathParam("id") long id, @RestForm String token) {
        Forms.require("token", token);
        var held = trackingMail.held(staff.organizationId(), id, token);
        if (held.isEmpty()) {
            return shipments.view(staff.organizationId(), id).isEmpty() ? notFound()
                    : render(id, 409, null, "This link no longer works (revoked, regenerated or expired): nothing was"
                            + " sent. Create or regenerate the link and send the new one.", null);
        }
        try {
            var outcome = trackingMail.send(staff.organizationId(), id, token, actor());
            if (outcome.isEmpty()) {
                return notFound();
            }
            var customer = shipments.view(staff.organizationId(), id).orElseThrow().customer();
            String note = outcome.get() == TrackingMail.Outcome.QUEUED
                    ? "The link is queued for e-mail to " + customer.email() + " and will be delivered in a moment."
                    : "The link was queued for e-mail to " + customer.email()
                            + " a moment ago: it was not queued again.";
            return render(id, 200, note, null, sheet(id, null, null, null, held.get(), null));
        } catch (ValidationException e) {
            return render(id, 422, null, describe(e), sheet(id, null, null, null, held.get(), null));
        }
    }

    /** Options and picker as typed on a refused save. */
    private record Typed(TrackingLinks.Options options, Picker picker) {
    }

    /** The picker's fields as posted: parallel {@code photo} and {@code position} lists, and the ticked ids. */
    private record Picker(List<String> photoIds, List<String> positions, List<String> picks) {

        boolean picked(long photoId) {
            return picks != null && picks.contains(Long.toString(photoId));
        }

        String position(long photoId) {
            for (int i = 0; photoIds != null && i < photoIds.size(); i++) {
                if (Long.toString(photoId).equals(photoIds.get(i))) {
                    return positions == null || i >= positions.size() ? "" : positions.get(i).strip();
                }
            }
            return "";
        }

        /** The picked ids in their typed order; a place that is no whole number is refused, naming the photo. */
        List<Long> order() {
            var errors = new ValidationException.Builder();
            record Pick(long id, int place, int index) {
            }
            List<Pick> chosen = new java.util.ArrayList<>();
            List<String> ids = photoIds == null ? List.of() : photoIds;
            for (int i = 0; i < ids.size(); i++) {
                String idText = ids.get(i) == null ? "" : ids.get(i).strip();
                if (!idText.matches("[0-9]{1,18}")) {
                    errors.add("photo", "is no photo id", idText);
                    continue;
                }
                long photoId = Long.parseLong(idText);
                if (!picked(photoId)) {
                    continue;
                }
                String place = position(photoId);
                if (!place.isEmpty() && !place.matches("[0-9]{1,4}")) {
                    errors.add("photos[" + (chosen.size()) + "].position",
                            "must be a whole number like 1, 2 or 3 (or empty: after the numbered photos)", place);
                    continue;
                }
                chosen.add(new Pick(photoId, place.isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(place), i));
            }
            // a ticked id the page never listed (a hand-made form): the service names it as no photo of the shipment
            for (String p : picks == null ? List.<String> of() : picks) {
                if (p != null && p.strip().matches("[0-9]{1,18}") && !ids.contains(p.strip())) {
                    chosen.add(new Pick(Long.parseLong(p.strip()), Integer.MAX_VALUE, Integer.MAX_VALUE));
                }
            }
            errors.throwIfAny();
            return chosen.stream().sorted(java.util.Comparator.comparingInt(Pick::place).thenComparingInt(Pick::index))
                    .map(Pick::id).toList();
        }
    }

    /** The sheet to draw: saved state, with what was typed on a refused form and the link just issued (if any). */
    private TrackingSheet sheet(long id, Typed typed, String expiresDate, String expiresTime,
            io.portlink.link.Links.Issued shown, String shownNote) {
        var saved = trackingLinks.sheet(staff.organizationId(), id).orElse(null);
        if (saved == null) {
            return null;
        }
        var options = typed == null ? saved.options() : typed.options();
        List<PickRow> rows = new java.util.ArrayList<>();
        for (var p : saved.gallery()) {
            if (typed != null) {
                rows.add(new PickRow(p, typed.picker().picked(p.id()), typed.picker().position(p.id())));
            } else {
                int at = saved.pickedPhotoIds().indexOf(p.id());
                rows.add(new PickRow(p, at >= 0, at >= 0 ? Integer.toString(at + 1) : ""));
            }
        }
        String date = expiresDate;
        String time = expiresTime;
        if (date == null && time == null && saved.link() != null && saved.link().expiresAt() != null) {
            var local = saved.link().expiresAt().atZone(staff.organization().format().zone()).toLocalDateTime();
            date = local.toLocalDate().toString();
            time = local.toLocalTime().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString();
        }
        ShareLink share = null;
        if (shown != null) {
            var s = shipments.view(staff.organizationId(), id).orElseThrow(StaffShipments::deletedMeanwhile);
            String text = trackingMail.shareText(staff.organizationId(), id, shown.url()).orElse(shown.url());
            share = ShareLink.withText(text, s.reference(), s.customer().name(), s.customer().email(),
                    s.customer().phone(), shown);
        }
        return new TrackingSheet(saved, options, rows, date == null ? "" : date, time == null ? "" : time, share,
                shownNote);
    }

    /**
     * An expiry from the form's date (YYYY-MM-DD) and time (HH:MM, empty: end of that day) in the organisation's zone;
     * both empty: none.
     */
    private static java.time.LocalDateTime expiry(String date, String time) {
        String d = date == null ? "" : date.strip();
        String t = time == null ? "" : time.strip();
        if (d.isEmpty() && t.isEmpty()) {
            return null;
        }
        var errors = new ValidationException.Builder();
        java.time.LocalDate day = null;
        java.time.LocalTime at = java.time.LocalTime.of(23, 59);
        if (d.isEmpty()) {
            errors.add("expiresAt", "needs a date as well as a time (or leave both empty for no expiry)", t);
        } else {
            try {
                day = java.time.LocalDate.parse(d);
            } catch (java.time.format.DateTimeParseException e) {
                errors.add("expiresAt", "the date " + io.portlink.platform.Fields.isoDateProblem(d)
                        .replace("must be a date written", "must be written"), d);
            }
        }
        if (!t.isEmpty()) {
            try {
                at = java.time.LocalTime.parse(t);
            } catch (java.time.format.DateTimeParseException e) {
                errors.add("expiresAt", "the time must be written HH:MM (24 hours), like 18:30", t);
            }
        }
        errors.throwIfAny();
        return day.atTime(at);
    }

    private static boolean ticked(String value) {
        return value != null && !value.isBlank();
    }

    private static String describe(ValidationException e) {
        return String.join("; ", e.errors().stream().map(ValidationException.FieldError::forPeople).toList());
    }

    // ------------------------------------------------------------ the driver link, problems, proof of delivery

    /** Creates the shipment's driver link; the answer shows its URL once, with copy, WhatsApp, SMS and QR code. */
    @POST
    @Path("/{id}/driver-link")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createDriverLink(@PathParam("id") long id) {
        try {
            return driverLinks.createFromForm(staff.organizationId(), id, actor()).map(created -> renderDriver(
                    id, 201, (created.replacedTwin()
                            // a double click, or the page reloaded: the first address stopped, and this says so
                            ? "The driver link your click made a moment ago is replaced by this one (its address no"
                                    + " longer works). "
                            : "") + "The driver link is created. Its address is shown only now: send it to the driver.",
                    created.issued())).orElseGet(this::notFound);
        } catch (ConflictException e) {
            return render(id, 409, null, e.getMessage());
        }
    }

    /** Stops the driver link at once and issues nothing. */
    /** Asks first, as for the tracking link: the page says what revoke or regenerate does; its form acts. */
    @GET
    @Path("/{id}/driver-link/{action: revoke|regenerate}")
    public Response confirmDriverLink(@PathParam("id") long id, @PathParam("action") String action) {
        return shipments.view(staff.organizationId(), id)
                .map(s -> Response.ok(Templates.confirmDriverLink(staff.header(), s, action)).build())
                .orElseGet(this::notFound);
    }

    @POST
    @Path("/{id}/driver-link/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revokeDriverLink(@PathParam("id") long id) {
        if (shipments.view(staff.organizationId(), id).isEmpty()) {
            return notFound();
        }
        if (!driverLinks.revoke(staff.organizationId(), id, actor())) {
            return render(id, 409, null, "The shipment has no active driver link to revoke.");
        }
        return see(id, "driver-revoked");
    }

    /** The old driver link stops; a new one is shown once. */
    @POST
    @Path("/{id}/driver-link/regenerate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response regenerateDriverLink(@PathParam("id") long id) {
        return driverLinks.regenerate(staff.organizationId(), id, actor())
                .map(issued -> renderDriver(id, 201,
                        "The old driver link no longer works. The new one is shown only now: send it to the driver.",
                        issued))
                .orElseGet(this::notFound);
    }

    /** Reports a problem (kind, note; {@code share} ticked: the customer's timeline shows the note too). */
    @POST
    @Path("/{id}/exceptions")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response reportProblem(@PathParam("id") long id, @RestForm String kind, @RestForm String note,
            @RestForm String share) {
        return act(id, "problem",
                () -> exceptions.report(staff.organizationId(), id, kind, note, ticked(share), actor()).isPresent());
    }

    /** Marks a problem resolved (a repeat changes nothing). */
    @POST
    @Path("/{id}/exceptions/{exceptionId}/resolve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response resolveProblem(@PathParam("id") long id, @PathParam("exceptionId") long exceptionId) {
        return act(id, "resolved",
                () -> exceptions.resolve(staff.organizationId(), id, exceptionId, actor()).isPresent());
    }

    /** A proof-of-delivery photo (n from 1) or, n = 0, the signature. */
    @GET
    @Path("/{id}/delivery/{n:[0-9]{1,2}}")
    @Produces({ "image/jpeg", "image/png", "text/plain" })
    public Response deliveryImage(@PathParam("id") long id, @PathParam("n") int n) {
        return proofs.image(staff.organizationId(), id, n)
                .map(i -> Response.ok(i.bytes(), i.contentType())
                        .header("Content-Disposition",
                                "inline; filename=\"" + (n == 0 ? "signature" : "delivery-" + n)
                                        + (i.contentType().endsWith("png") ? ".png" : ".jpg") + "\"")
                        .build())
                .orElseGet(this::notFound);
    }

    private Response renderDriver(long id, int status, String message, io.portlink.link.Links.Issued issued) {
        var s = shipments.view(staff.organizationId(), id).orElseThrow(StaffShipments::deletedMeanwhile);
        String text = "Delivery " + s.reference() + " (" + s.title() + "): " + issued.url();
        ShareLink share = ShareLink.withText(text, s.reference(), null, null, null, issued);
        return render(id, status, message, null, null, null, driverSheet(id, share), null);
    }

    private DriverSheet driverSheet(long id, ShareLink shown) {
        long org = staff.organizationId();
        return new DriverSheet(driverLinks.active(org, id).orElse(null), driverLinks.expired(org, id).orElse(null),
                shown, exceptions.list(org, id), proofs.proof(org, id).orElse(null));
    }

    private interface Action {
        boolean run();
    }

    /** An action whose flash depends on what it did: the flash's key ({@link #DONE}), empty for no such shipment. */
    private interface Outcome {
        Optional<String> run();
    }

    /** Runs an action on the shipment page: back to it with a flash, or the page again with what to fix. */
    private Response act(long id, String done, Action action) {
        return decide(id, () -> action.run() ? Optional.of(done) : Optional.empty());
    }

    /** {@link #act} where the action names its flash. */
    private Response decide(long id, Outcome action) {
        return decide(id, null, action);
    }

    /** {@link #decide} where a refusal shows the ETA form as typed ({@code eta}; null: as stored). */
    private Response decide(long id, EtaTyped eta, Outcome action) {
        try {
            return action.run().map(done -> see(id, done)).orElseGet(this::notFound);
        } catch (ValidationException e) {
            return render(id, 422, null, describe(e), null, null, null, eta);
        } catch (ConflictException e) {
            return render(id, 409, null, e.getMessage(), null, null, null, eta);
        }
    }

    private Response render(long id, int status, String message, String error) {
        return render(id, status, message, error, null);
    }

    private Response render(long id, int status, String message, String error, TrackingSheet tracking) {
        return render(id, status, message, error, tracking, null, null, null);
    }

    /**
     * The shipment page; {@code tracking} null draws the tracking-link sheet as saved, {@code stopRows} null the stops
     * form as stored, {@code driver} null the driver sheet as saved, {@code eta} null the ETA form as stored.
     */
    private Response render(long id, int status, String message, String error, TrackingSheet tracking,
            StopsForm stopsForm, DriverSheet driver, EtaTyped eta) {
        var fmt = staff.organization().format();
        return shipments.detail(staff.organizationId(), id).map(s -> Response.status(status).entity(Templates
                .detail(staff.header(), fmt, s,
                        eta != null ? eta.date()
                                : s.shipment().estimatedArrival() == null ? ""
                                        : s.shipment().estimatedArrival().toString(),
                        (photos.maxBytes() + 1023) / 1024, message, error,
                        tracking != null ? tracking : sheet(id, null, null, null, null, null),
                        live(id, fmt, stopsForm, eta), driver != null ? driver : driverSheet(id, null))
                .data("purchaseOrder", fulfilments.orderOf(staff.organizationId(), id).orElse(null))
                .data("lastSeen", lastPositions.forStaff(staff.organizationId(), id, fmt).orElse(null))).build())
                .orElseGet(this::notFound);
    }

    private Live live(long id, Locales.Format fmt, StopsForm form, EtaTyped typed) {
        List<ShipmentStops.StopView> stored = stops.list(staff.organizationId(), id).orElse(List.of());
        ShipmentEtas.EtaView eta = etas.of(staff.organizationId(), id).orElseThrow();
        List<StopRow> rows = form == null ? null : form.rows();
        String drawnFrom = form == null || form.drawnFrom() == null ? ShipmentStops.digest(stored) : form.drawnFrom();
        List<String> problems = form == null ? List.of() : form.problems();
        if (rows == null) {
            rows = new java.util.ArrayList<>();
            for (ShipmentStops.StopView v : stored) {
                rows.add(new StopRow(rows.size(), v.kind().name(), blank(v.name()), blank(v.address()),
                        v.latitude() == null ? "" : v.latitude().stripTrailingZeros().toPlainString(),
                        v.longitude() == null ? "" : v.longitude().stripTrailingZeros().toPlainString(), v.zone(),
                        v.localFrom() == null ? "" : v.localFrom().toString(),
                        v.localTo() == null ? "" : v.localTo().toString()));
            }
            for (int i = 0; i < SPARE_STOP_ROWS; i++) {
                rows.add(blankRow(rows.size()));
            }
        }
        // the shipment's times as its queue row and alert mails write them: the delivery stop's zone, named
        ShipmentTimes times = new ShipmentTimes(fmt, java.time.ZoneId.of(eta.zone()));
        String current = eta.current() == null ? null
                : eta.dateOnly() ? times.date(eta.localCurrent().toLocalDate()) : times.at(eta.current());
        String planned = eta.planned() == null ? null
                : eta.plannedDateOnly() ? times.date(eta.localPlanned().toLocalDate()) : times.at(eta.planned());
        String time = typed != null ? typed.time() : eta.source() == Shipment.EtaSource.MANUAL && !eta.dateOnly()
                ? eta.localCurrent().toLocalTime().toString() : "";
        return new Live(eta, current, planned, stored, rows, time, times, drawnFrom, problems);
    }

    private TemplateInstance form(ShipmentForm form, List<ValidationException.FieldError> errors, String error) {
        return form(form, errors, error, null);
    }

    /** The form; a new shipment's offers the organisation's pipelines ({@code pipeline}: the one chosen, by name). */
    private TemplateInstance form(ShipmentForm form, List<ValidationException.FieldError> errors, String error,
            String pipeline) {
        return Templates.form(staff.header(), form, errors, error,
                convention().decimal() == Convention.DecimalMark.COMMA ? "comma" : "point",
                form.id() == null ? pipelines.list(staff.organizationId()) : null, pipeline);
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

    /** A shipment deleted by someone else while this request ran (its link was made, then the shipment went). */
    private static jakarta.ws.rs.WebApplicationException deletedMeanwhile() {
        return new jakarta.ws.rs.WebApplicationException(Problems.notFoundPage(
                "This shipment was deleted by someone else meanwhile; nothing of it is left.", "/app/shipments"));
    }

    private Response notFound() {
        return Response.status(404).type(MediaType.TEXT_PLAIN).entity("No such shipment in your organisation.").build();
    }
}
