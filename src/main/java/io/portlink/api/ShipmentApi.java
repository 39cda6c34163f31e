package io.portlink.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
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
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import com.fasterxml.jackson.databind.JsonNode;

import io.portlink.api.ShipmentJson.CreateBody;
import io.portlink.api.ShipmentJson.ImportResult;
import io.portlink.api.ShipmentJson.ImportedShipment;
import io.portlink.api.ShipmentJson.NewTrackingLink;
import io.portlink.api.ShipmentJson.Note;
import io.portlink.api.ShipmentJson.NoteBody;
import io.portlink.api.ShipmentJson.NoteScopeName;
import io.portlink.api.ShipmentJson.Page;
import io.portlink.api.ShipmentJson.Photo;
import io.portlink.api.ShipmentJson.Problem;
import io.portlink.api.ShipmentJson.Shipment;
import io.portlink.api.ShipmentJson.TrackingLinkBody;
import io.portlink.api.ShipmentJson.TrackingLinkState;
import io.portlink.api.ShipmentJson.TrackingOptions;
import io.portlink.organization.Organizations;
import io.portlink.platform.Convention;
import io.portlink.platform.Fields;
import io.portlink.platform.Paging;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.Problems;
import io.portlink.platform.Uploads;
import io.portlink.platform.ValidationException;
import io.portlink.shipment.Pipelines;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentCsv;
import io.portlink.shipment.ShipmentEdits;
import io.portlink.shipment.ShipmentFeed;
import io.portlink.shipment.ShipmentImport;
import io.portlink.shipment.ShipmentInput;
import io.portlink.shipment.ShipmentPhotos;
import io.portlink.shipment.Shipments;
import io.portlink.shipment.TrackingLinks;

/**
 * Shipments for integrations, by the staff's reference. The organisation is always the API key's: another
 * organisation's reference is a 404 like an unknown one. Records carry the internal fields (an API key is staff's).
 */
@Path("/api/v1/shipments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Shipments")
@SecurityRequirement(name = "apiKey")
public class ShipmentApi {

    @Inject
    Shipments shipments;

    @Inject
    ShipmentImport imports;

    @Inject
    ShipmentEdits edits;

    @Inject
    ShipmentFeed feed;

    @Inject
    io.portlink.shipment.ShipmentStops stops;

    @Inject
    io.portlink.shipment.ShipmentEtas etas;

    @Inject
    ShipmentPhotos photos;

    @Inject
    Pipelines pipelines;

    @Inject
    TrackingLinks trackingLinks;

    @Inject
    ApiCaller caller;

    @Inject
    Organizations organizations;

    @Inject
    PortlinkConfig config;

    @Inject
    java.time.Clock clock;

    @Inject
    io.portlink.shipment.ShipmentExceptions exceptions;

    @Inject
    io.portlink.shipment.DriverLinks driverLinks;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a shipment", description = "201 with Location when created; 200 with the stored shipment when it exists with the same"
            + " content (a retry is safe); 409 naming each field that differs when the reference exists with other"
            + " content; 422 listing every field problem, an unknown field too. The 201 carries trackingLink (its url"
            + " shown this once) when a tracking link was made with the shipment: the organisation's setting, or a"
            + " \"Shipment created\" milestone rule.")
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = Shipment.class)))
    public Response create(CreateBody body) {
        if (body == null) {
            throw ValidationException.of("body", "is required: a shipment as JSON", null);
        }
        var input = new ShipmentInput(body.reference(), body.title(), body.customer(), body.shipFrom(), body.shipTo(),
                body.internal());
        var result = imports.createOrSame(caller.organizationId(), input, body.pipeline(), body.stage(),
                body.estimatedArrival(), actor());
        var view = result.shipment();
        Optional<Shipment> stored = full(view.id());
        if (stored.isEmpty()) {
            return deletedMeanwhile(view.reference());
        }
        Shipment json = stored.get();
        if (result.trackingLink() != null) {
            // the organisation creates a link with every new shipment: this answer is the one place its url is shown
            Optional<NewTrackingLink> link = newLink(view.id(), result.trackingLink());
            if (link.isEmpty()) {
                return deletedMeanwhile(view.reference());
            }
            json = json.withTrackingLink(link.get());
        }
        if (result.outcome() == ShipmentImport.Outcome.CREATED) {
            return Response.created(URI.create("/api/v1/shipments/" + view.reference())).entity(json)
                    .tag(tag(json.version())).build();
        }
        return Response.ok(json).tag(tag(json.version())).build();
    }

    @GET
    @Path("/{reference}")
    @Operation(summary = "One shipment with its internal fields, notes, photos and stage history", description = "The ETag is the version; send it as If-Match with a PATCH to change only what you read.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Shipment.class)))
    public Response get(@PathParam("reference") String reference) {
        return shipments.idOf(caller.organizationId(), reference).flatMap(this::full)
                .map(s -> Response.ok(s).tag(tag(s.version())).build()).orElseGet(() -> notFound(reference));
    }

    @GET
    @Operation(summary = "Shipments, paged (at most 200 a page)", description = "stage: a stage's name (any pipeline) or a milestone (BOOKED, DISPATCHED, IN_TRANSIT, ARRIVED,"
            + " OUT_FOR_DELIVERY, READY_FOR_COLLECTION, DELIVERED); updatedSince: an ISO-8601 instant"
            + " (2026-12-01T00:00:00Z), then the oldest change comes first so that a client can page forward.")
    public Page list(@QueryParam("stage") String stage, @QueryParam("updatedSince") String updatedSince,
            @QueryParam("page") String page, @QueryParam("size") String size) {
        var errors = new ValidationException.Builder();
        Instant since = null;
        if (updatedSince != null && !updatedSince.isBlank()) {
            try {
                since = java.time.OffsetDateTime.parse(updatedSince.strip()).toInstant();
            } catch (DateTimeParseException e) {
                errors.add("updatedSince",
                        Fields.isoDateTimeProblem(updatedSince,
                                "must be an ISO-8601 date and time with its offset, like 2026-12-01T00:00:00Z"),
                        updatedSince);
            }
        }
        if (!feed.isStage(caller.organizationId(), stage)) {
            errors.add("stage",
                    "must be a stage of one of your pipelines or a milestone (BOOKED, DISPATCHED, IN_TRANSIT,"
                            + " ARRIVED, OUT_FOR_DELIVERY, READY_FOR_COLLECTION, DELIVERED)",
                    stage);
        }
        Paging paging = errors.take(() -> Paging.parse(page, size, 50));
        errors.throwIfAny();
        var result = feed.page(caller.organizationId(), stage, since, paging);
        return new Page(result.items().stream().map(v -> ShipmentJson.of(v, null)).toList(), result.total(),
                result.page(), result.size());
    }

    @PATCH
    @Path("/{reference}")
    @Consumes({ MediaType.APPLICATION_JSON, "application/merge-patch+json" })
    @Operation(summary = "Change a shipment: any field, the stage, the estimated arrival", description = "A JSON merge patch: the fields given are set, null clears one (customer.email: null), the"
            + " others stay. stage: a stage's name (any case) or milestone; estimatedArrival: YYYY-MM-DD. Every"
            + " problem is listed at once and nothing is changed. With If-Match: the version (the ETag of GET), a"
            + " shipment changed meanwhile answers 412 and nothing is changed.")
    @RequestBody(content = @Content(schema = @Schema(implementation = CreateBody.class)))
    public Response patch(@PathParam("reference") String reference, JsonNode body,
            @Parameter(description = "The version you read, as GET's ETag gives it") @HeaderParam("If-Match") String ifMatch) {
        Long expected = version(ifMatch);
        ShipmentJson.Patch patch = ShipmentJson.changes(body);
        try {
            return edits.patch(caller.organizationId(), reference, expected, patch.changes(), patch.problems(), actor())
                    .flatMap(v -> full(v.id())).map(s -> Response.ok(s).tag(tag(s.version())).build())
                    .orElseGet(() -> notFound(reference));
        } catch (ShipmentEdits.StaleVersion e) {
            return Problems.response(412, "Changed meanwhile", e.getMessage()).tag(tag(e.current)).build();
        }
    }

    @POST
    @Path("/{reference}/notes")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a note", description = "scope CUSTOMER: the customer may see it (tracking page, mails); INTERNAL: staff only."
            + " 201 with the note; the same note by the same key within 10 minutes (a retry) is 200 with the first one,"
            + " and no second note is added.")
    public Response addNote(@PathParam("reference") String reference, NoteBody body) {
        NoteBody note = body == null ? new NoteBody(null, null) : body;
        long id = shipments.idOf(caller.organizationId(), reference).orElse(-1L);
        if (id < 0) {
            // a bad note to an unknown shipment is still a 404: the reference is what is wrong
            return notFound(reference);
        }
        // the same note again within minutes (a retry after a lost answer) is the first one: 200, not a second note
        return shipments
                .addNote(caller.organizationId(), id, note.scope(), note.text(),
                        actor())
                .map(a -> Response.status(a.repeat() ? 200 : 201)
                        .entity(new Note(NoteScopeName.valueOf(a.note().scope().name()), a.note().text(), a.note().at(),
                                a.note().actor()))
                        .build())
                .orElseGet(() -> notFound(reference));
    }

    @POST
    @Path("/{reference}/photos")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Add a photo (JPEG or PNG) as multipart", description = "Part file; optional field hero=true makes it the shipment's hero photo (the first photo is the hero"
            + " until another is chosen). The type is decided from the bytes, never the name or the part's type;"
            + " location data (EXIF GPS) is removed before it is stored. The same bytes again (a retry): 200 with the"
            + " photo the gallery holds. Larger than the limit: 413; not a JPEG or PNG, damaged or too many pixels:"
            + " 422.")
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = Photo.class)))
    public Response addPhoto(@PathParam("reference") String reference, @RestForm("file") List<FileUpload> files,
            @RestForm("hero") List<String> hero, @QueryParam("hero") String heroInQuery) {
        if (hero != null && hero.size() > 1) {
            // as a query parameter given twice is (ApiAuthFilter): which one was meant cannot be told
            throw ValidationException.of("hero", "is given " + hero.size() + " times; give it once",
                    String.join(", ", hero));
        }
        // the form's field, else ?hero= as the raw body takes it: both ways of asking are heard
        boolean makeHero = hero(hero == null || hero.isEmpty() ? heroInQuery : hero.get(0));
        long id = shipments.idOf(caller.organizationId(), reference).orElse(-1L);
        if (id < 0) {
            return notFound(reference);
        }
        FileUpload file = Uploads.one("file", files, "send the image as the multipart part \"file\"");
        if (file.size() > photos.maxBytes()) {
            return tooLarge(file.size());
        }
        return photos.add(caller.organizationId(), id, file.uploadedFile(), file.fileName(), actor())
                .map(p -> photoCreated(id, p, makeHero)).orElseGet(() -> notFound(reference));
    }

    @POST
    @Path("/{reference}/photos")
    @Consumes({ "image/jpeg", "image/png", MediaType.APPLICATION_OCTET_STREAM })
    @Operation(summary = "Add a photo (JPEG or PNG) as the raw body", description = "Content-Type image/jpeg or image/png; ?hero=true makes it the hero photo. Checks and repeats as for"
            + " multipart.")
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = Photo.class)))
    public Response addRawPhoto(@PathParam("reference") String reference, InputStream body,
            @QueryParam("hero") String hero, @HeaderParam("Content-Length") String length) {
        boolean makeHero = hero(hero);
        long id = shipments.idOf(caller.organizationId(), reference).orElse(-1L);
        if (id < 0) {
            return notFound(reference);
        }
        long max = photos.maxBytes();
        if (length != null && length.strip().matches("[0-9]{1,18}") && Long.parseLong(length.strip()) > max) {
            return tooLarge(Long.parseLong(length.strip()));
        }
        byte[] content;
        try {
            // never more than the limit in memory: one byte past it is enough to refuse
            content = body == null ? new byte[0] : body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (content.length > max) {
            return tooLarge(content.length);
        }
        return photos.add(caller.organizationId(), id, content, null, actor()).map(p -> photoCreated(id, p, makeHero))
                .orElseGet(() -> notFound(reference));
    }

    /** 201 with the photo; 200 with it where the gallery held it already (a retry, or the same file again). */
    private Response photoCreated(long shipmentId, ShipmentPhotos.Added added, boolean makeHero) {
        ShipmentPhotos.PhotoView p = added.photo();
        boolean isHero = p.hero();
        if (makeHero && !isHero) {
            isHero = photos.setHero(caller.organizationId(), shipmentId, p.id(), actor());
        }
        return Response.status(added.repeat() ? 200 : 201).entity(new Photo(p.id(), p.contentType(), p.width(),
                p.height(), p.byteSize(), p.fileName(), isHero, p.uploadedAt())).build();
    }

    private Response tooLarge(long size) {
        return Problems.response(413, "Photo too large", "the photo is " + size + " bytes; a photo may be at most "
                + photos.maxBytes() + " bytes (" + photos.maxBytes() / (1024 * 1024) + " MB); nothing was stored")
                .build();
    }

    private static boolean hero(String value) {
        if (value == null || value.isBlank() || value.strip().equalsIgnoreCase("false")) {
            return false;
        }
        if (value.strip().equalsIgnoreCase("true")) {
            return true;
        }
        throw ValidationException.of("hero", "must be true or false", value);
    }

    @DELETE
    @Path("/{reference}")
    @Operation(summary = "Delete a shipment for good", description = "204; it disappears from every list and lookup and its reference is free again. If-Match as for"
            + " PATCH.")
    public Response delete(@PathParam("reference") String reference, @HeaderParam("If-Match") String ifMatch) {
        Long expected = version(ifMatch);
        long id = shipments.idOf(caller.organizationId(), reference).orElse(-1L);
        if (id < 0) {
            return notFound(reference);
        }
        try {
            return shipments.delete(caller.organizationId(), id, expected, actor()) ? Response.noContent().build()
                    : notFound(reference);
        } catch (io.portlink.platform.ConflictException e) {
            return Problems.response(412, "Changed meanwhile", e.getMessage()).build();
        }
    }

    // ------------------------------------------------------------ the customer's tracking link

    @POST
    @Path("/{reference}/tracking-link")
    @Operation(summary = "Create the shipment's tracking link", description = "Body optional: {\"expiresAt\": ISO-8601 with offset, e.g. 2027-01-31T18:00:00+01:00}. 201 with the url,"
            + " shown in this answer only (only a hash is stored), and the page's options (all shown, no gallery"
            + " photo picked). 409 when the shipment has an active link: its url is never shown again, the answer"
            + " says how to get one (regenerate, or revoke and create); 422 for an expiry that is not a future date"
            + " and time or is after 2099-12-31T23:59:59Z, the latest a link may have.")
    @RequestBody(required = false, content = @Content(schema = @Schema(implementation = TrackingLinkBody.class)))
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = NewTrackingLink.class)))
    @APIResponse(responseCode = "409", description = "An active tracking link exists")
    public Response createTrackingLink(@PathParam("reference") String reference, String body) {
        // the body is optional, so a request without one (and without a Content-Type) is read as none
        Instant expiresAt = expiresAt(json(body));
        long id = shipments.idOf(caller.organizationId(), reference).orElse(-1L);
        if (id < 0) {
            return notFound(reference);
        }
        return trackingLinks.create(caller.organizationId(), id, expiresAt, actor()).map(issued -> newLink(id, issued)
                .map(link -> Response.status(201).entity(link).build()).orElseGet(() -> deletedMeanwhile(reference)))
                .orElseGet(() -> notFound(reference));
    }

    @GET
    @Path("/{reference}/tracking-link")
    @Operation(summary = "The shipment's active tracking link", description = "Never the url (shown once when created): its hint, when and by whom it was created, its expiry,"
            + " opens by people and fetches by machines, and what the page shows (options and picked photo ids in"
            + " order). 404 when the shipment has no active link.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TrackingLinkState.class)))
    public Response trackingLink(@PathParam("reference") String reference) {
        long id = shipments.idOf(caller.organizationId(), reference).orElse(-1L);
        var sheet = id < 0 ? null : trackingLinks.sheet(caller.organizationId(), id).orElse(null);
        if (sheet == null) {
            return notFound(reference);
        }
        if (sheet.link() == null) {
            return Problems.response(404, "Not found",
                    "the shipment " + reference
                            + " has no active tracking link; create one with POST /api/v1/shipments/" + reference
                            + "/tracking-link")
                    .build();
        }
        return Response.ok(TrackingLinkState.of(sheet)).build();
    }

    @PUT
    @Path("/{reference}/tracking-link/options")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set what the tracking page shows", description = "{showHeroPhoto, showEstimatedArrival, showProgress, showCustomerNotes: true or false (all"
            + " required), photos: [gallery photo ids in the order the page shows them] (empty: none)}. The same url"
            + " shows them from the next request. 200 with the link's state; 404 without an active link; 422 listing"
            + " every problem (a missing flag, a photo that is not this shipment's, one picked twice).")
    @RequestBody(content = @Content(schema = @Schema(implementation = TrackingOptions.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TrackingLinkState.class)))
    public Response trackingOptions(@PathParam("reference") String reference, JsonNode body) {
        long id = shipments.idOf(caller.organizationId(), reference).orElse(-1L);
        if (id < 0) {
            return notFound(reference);
        }
        if (!trackingLinks.hasActiveLink(caller.organizationId(), id)) {
            return trackingLink(reference); // without a link there are no options to fix, whatever the body: its 404
        }
        var errors = new ValidationException.Builder();
        TrackingOptions o = ShipmentJson.options(body, errors);
        if (!errors.isEmpty()) {
            // the picked photos' own problems with the body's, so that one answer names every problem
            trackingLinks.checkPicks(caller.organizationId(), id, o.photos(), errors);
            errors.throwIfAny();
        }
        var options = new TrackingLinks.Options(o.showHeroPhoto(), o.showEstimatedArrival(), o.showProgress(),
                o.showCustomerNotes());
        // false: no active link, which the state's 404 then says
        trackingLinks.setOptions(caller.organizationId(), id, options, o.photos(), actor());
        return trackingLink(reference);
    }

    @POST
    @Path("/{reference}/tracking-link/regenerate")
    @Operation(summary = "Regenerate the tracking link", description = "The current link stops at once; a new one with the same options, photos and expiry is created."
            + " 201 with its url, shown in this answer only. 409 when the shipment has no link to regenerate.")
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = NewTrackingLink.class)))
    public Response regenerateTrackingLink(@PathParam("reference") String reference) {
        long id = shipments.idOf(caller.organizationId(), reference).orElse(-1L);
        if (id < 0) {
            return notFound(reference);
        }
        return trackingLinks.regenerate(caller.organizationId(), id, actor()).map(issued -> newLink(id, issued)
                .map(link -> Response.status(201).entity(link).build()).orElseGet(() -> deletedMeanwhile(reference)))
                .orElseGet(() -> notFound(reference));
    }

    @DELETE
    @Path("/{reference}/tracking-link")
    @Operation(summary = "Revoke the tracking link", description = "The link stops at once and nothing new is issued. 204, also when there was no active link"
            + " (revoking twice is safe); 404 for an unknown shipment.")
    @APIResponse(responseCode = "204", description = "Revoked, or there was no active link")
    public Response revokeTrackingLink(@PathParam("reference") String reference) {
        long id = shipments.idOf(caller.organizationId(), reference).orElse(-1L);
        if (id < 0) {
            return notFound(reference);
        }
        trackingLinks.revoke(caller.organizationId(), id, actor());
        return Response.noContent().build();
    }

    /**
     * A link just issued, with its url (shown this once), its own hint (not the shipment's current link's: another
     * regenerate may have replaced it meanwhile) and the options the page shows; empty when the shipment was deleted
     * after the link was issued (a DELETE that ran meanwhile), whose links no longer open.
     */
    private Optional<NewTrackingLink> newLink(long shipmentId, io.portlink.link.Links.Issued issued) {
        return trackingLinks.sheet(caller.organizationId(), shipmentId)
                .map(sheet -> new NewTrackingLink(issued.url(), io.portlink.platform.Tokens.hint(issued.token()),
                        issued.expiresAt(), TrackingOptions.of(sheet.options(), sheet.pickedPhotoIds())));
    }

    /**
     * A shipment deleted by another request while this one ran (after this one's change committed): a 404 that says so,
     * never a 500. A retry of a create makes it again.
     */
    private static Response deletedMeanwhile(String reference) {
        return Problems
                .response(404, "Not found",
                        "shipment " + reference
                                + " was deleted by another request while this one ran; nothing of this request is left")
                .build();
    }

    /** An optional JSON body read as text: null when blank; a 422 when it is no JSON. */
    private JsonNode json(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            // the API's own mapper (platform.JsonMapping): one value, each field once
            return mapper.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ValidationException.of("body",
                    "must be JSON like {\"expiresAt\": \"2027-01-31T18:00:00Z\"}, or empty", null);
        }
    }

    @jakarta.inject.Inject
    com.fasterxml.jackson.databind.ObjectMapper mapper;

    /** The optional expiry of a create body; anything but an ISO-8601 date and time with offset is a 422. */
    private static Instant expiresAt(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode() || body.isObject() && body.isEmpty()) {
            return null;
        }
        if (!body.isObject()) {
            throw ValidationException.of("body",
                    "must be an object like {\"expiresAt\": \"2027-01-31T18:00:00Z\"}" + " or empty", body.toString());
        }
        var errors = new ValidationException.Builder();
        Instant at = null;
        JsonNode v = body.get("expiresAt");
        if (v != null && !v.isNull()) {
            try {
                at = java.time.OffsetDateTime.parse(v.asText().strip()).toInstant();
            } catch (DateTimeParseException e) {
                errors.add("expiresAt",
                        Fields.isoDateTimeProblem(v.asText(),
                                "must be an ISO-8601 date and time with its offset, like 2027-01-31T18:00:00+01:00"),
                        Problems.sent(v));
            }
        }
        Problems.onlyFields(body, "", List.of("expiresAt"), errors);
        errors.throwIfAny();
        return at;
    }

    @POST
    @Path("/import")
    @Consumes({ "text/csv", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM })
    @Operation(summary = "Import shipments from CSV, all or nothing", description = "One row per shipment; columns reference, title, customer_name, customer_email, customer_phone,"
            + " customer_language, ship_from, ship_to, stage, estimated_arrival, stock_number, vin_serial, currency,"
            + " cost, sale_price, payments_received, internal_notes, and optionally the pickup and delivery stops:"
            + " pickup_name, pickup_address, pickup_latitude, pickup_longitude, pickup_zone, pickup_window_from,"
            + " pickup_window_to and the same with delivery_ (any order, comma or semicolon, UTF-8; reference"
            + " and title required). Amounts and dates as the organisation's country writes them unless decimal="
            + " says otherwise; a window's ends are a date and HH:MM in the stop's zone (IANA; empty: the"
            + " organisation's). A shipment that exists with the same content is unchanged; with other content it is"
            + " an error naming row and column, except the stop columns: a row that gives a pickup or delivery stop"
            + " sets it (outcome STOPS_UPDATED when that changed it). Any error: 422 listing every problem, nothing"
            + " imported.")
    public ImportResult importCsv(InputStream body,
            @Parameter(description = "point (1,234.56) or comma (1.234,56); default: the organisation's country") @QueryParam("decimal") String decimal) {
        var mark = Convention.DecimalMark.parse("decimal", decimal);
        var parsed = ShipmentCsv.read(body, config.importLimits(), convention(mark));
        var report = imports.importAll(caller.organizationId(), parsed, actor());
        return new ImportResult(
                report.created(), report.unchanged(), report.stopsUpdated(), List.of(), report
                        .shipments().stream().map(r -> new ImportedShipment(r.shipment().reference(),
                                r.outcome().name(), r.trackingLink() == null ? null : r.trackingLink().url()))
                        .toList());
    }

    @GET
    @Path("/import/template")
    @Produces("text/csv")
    @Operation(summary = "A CSV template: the header and an example shipment, in the organisation's convention", description = "Importable as it is (it creates shipment SH-EXAMPLE-1).")
    public Response template(@QueryParam("decimal") String decimal) {
        var org = organizations.view(caller.organizationId()).orElseThrow();
        var convention = convention(Convention.DecimalMark.parse("decimal", decimal));
        String csv = ShipmentCsv.template(convention, Convention.currency(org.country()),
                LocalDate.now(clock).getYear() + 1, firstStage());
        return Response.ok(csv, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"shipments-template.csv\"").build();
    }

    private String firstStage() {
        // the default pipeline comes first
        return pipelines.list(caller.organizationId()).get(0).first().name();
    }

    private Convention convention(Convention.DecimalMark decimal) {
        return organizations.convention(caller.organizationId(), decimal);
    }

    // ---- driver link and problems (issue 10)

    /** A problem as reported: kind DELAY, DAMAGE, REFUSED or OTHER; note (required for OTHER); shareNote. */
    public record ProblemBody(String kind, String note, Boolean shareNote) {
    }

    /** A driver link just issued: its url (shown in this answer only) and hint. */
    public record NewDriverLink(String url, String tokenHint) {
    }

    @POST
    @Path("/{reference}/exceptions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Report a problem", description = "{kind: DELAY|DAMAGE|REFUSED|OTHER, note (up to 2000 characters, required for OTHER),"
            + " shareNote: true lets the customer's page show the note (else it shows a neutral word such as"
            + " Delayed)}. 201 with the problem; 422 naming what to fix. Fires the EXCEPTION_REPORTED milestone. The"
            + " same problem (kind and note) from the same key, still open, within 10 minutes (a retry) is 200 with"
            + " the first one, and nothing fires again.")
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = Problem.class)))
    public Response reportProblem(@PathParam("reference") String reference, ProblemBody body) {
        long id = shipments.idOf(caller.organizationId(), reference).orElse(-1L);
        if (id < 0) {
            return notFound(reference);
        }
        ProblemBody b = body == null ? new ProblemBody(null, null, null) : body;
        // the same open problem again within minutes (a retry after a lost answer) is the first one: 200
        return exceptions
                .reportOnce(caller.organizationId(), id, b.kind(), b.note(), Boolean.TRUE.equals(b.shareNote()),
                        actor())
                .map(r -> Response.status(r.repeat() ? 200 : 201).entity(Problem.of(r.problem())).build())
                .orElseGet(() -> notFound(reference));
    }

    @GET
    @Path("/{reference}/exceptions")
    @Operation(summary = "The shipment's problems, newest first (at most 100)")
    public Response problems(@PathParam("reference") String reference) {
        long id = shipments.idOf(caller.organizationId(), reference).orElse(-1L);
        if (id < 0) {
            return notFound(reference);
        }
        return Response.ok(exceptions.list(caller.organizationId(), id).stream().map(Problem::of).toList()).build();
    }

    @POST
    @Path("/{reference}/exceptions/{id}/resolve")
    @Operation(summary = "Resolve a problem", description = "200 with the problem; resolving twice is safe (the first resolution stands). 404 for an unknown one.")
    public Response resolveProblem(@PathParam("reference") String reference, @PathParam("id") long exceptionId) {
        long id = shipments.idOf(caller.organizationId(), reference).orElse(-1L);
        if (id < 0) {
            return notFound(reference);
        }
        return exceptions.resolve(caller.organizationId(), id, exceptionId, actor())
                .map(v -> Response.ok(Problem.of(v)).build()).orElseGet(() -> Problems
                        .response(404, "Not found", "no problem #" + exceptionId + " on " + reference).build());
    }

    @POST
    @Path("/{reference}/driver-link")
    @Operation(summary = "Create the shipment's driver link", description = "201 with the url (/d/…), shown in this answer only. 409 when an active driver link exists"
            + " (DELETE it or POST …/driver-link/regenerate). The link ends when the organisation's days after"
            + " delivery have passed.")
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = NewDriverLink.class)))
    public Response createDriverLink(@PathParam("reference") String reference) {
        long id = shipments.idOf(caller.organizationId(), reference).orElse(-1L);
        if (id < 0) {
            return notFound(reference);
        }
        return driverLinks.create(caller.organizationId(), id, actor())
                .map(issued -> Response.status(201)
                        .entity(new NewDriverLink(issued.url(), io.portlink.platform.Tokens.hint(issued.token())))
                        .build())
                .orElseGet(() -> notFound(reference));
    }

    @POST
    @Path("/{reference}/driver-link/regenerate")
    @Operation(summary = "Regenerate the driver link", description = "Every driver link of the shipment stops; a new one is created. 201 with its url, shown in this answer only.")
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = NewDriverLink.class)))
    public Response regenerateDriverLink(@PathParam("reference") String reference) {
        long id = shipments.idOf(caller.organizationId(), reference).orElse(-1L);
        if (id < 0) {
            return notFound(reference);
        }
        return driverLinks.regenerate(caller.organizationId(), id, actor())
                .map(issued -> Response.status(201)
                        .entity(new NewDriverLink(issued.url(), io.portlink.platform.Tokens.hint(issued.token())))
                        .build())
                .orElseGet(() -> notFound(reference));
    }

    @DELETE
    @Path("/{reference}/driver-link")
    @Operation(summary = "Revoke the driver link", description = "204, also when there was none; 404 for an unknown shipment.")
    public Response revokeDriverLink(@PathParam("reference") String reference) {
        long id = shipments.idOf(caller.organizationId(), reference).orElse(-1L);
        if (id < 0) {
            return notFound(reference);
        }
        driverLinks.revoke(caller.organizationId(), id, actor());
        return Response.noContent().build();
    }

    // ---- end driver link and problems

    private ShipmentActor actor() {
        return ShipmentActor.apiKey(caller.keyId(), caller.keyName());
    }

    private static Response notFound(String reference) {
        return Problems.response(404, "Not found", "no shipment " + reference).build();
    }

    private static EntityTag tag(long version) {
        return new EntityTag(Long.toString(version));
    }

    /** The version an If-Match names ("7", W/"7" or 7); null without one or for *. */
    private static Long version(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return null;
        }
        String v = ifMatch.strip();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        v = v.replace("\"", "");
        if (!v.matches("[0-9]{1,18}")) {
            throw ValidationException.of("If-Match", "must be the version GET gave as ETag, like \"3\"", ifMatch);
        }
        return Long.parseLong(v);
    }

    private java.util.Optional<Shipment> full(long id) {
        long org = caller.organizationId();
        return shipments.detail(org, id)
                .map(d -> ShipmentJson.of(d.shipment(), d).withLive(
                        stops.list(org, id).orElse(java.util.List.of()).stream().map(ShipmentJson.Stop::of).toList(),
                        etas.of(org, id).map(ShipmentJson.Eta::of).orElse(null),
                        exceptions.open(org, id).stream().map(Problem::of).toList()));
    }

}
