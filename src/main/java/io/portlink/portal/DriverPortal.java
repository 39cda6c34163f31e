package io.portlink.portal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.portlink.link.AccessLink;
import io.portlink.link.Bots;
import io.portlink.link.Links;
import io.portlink.link.NeutralPage;
import io.portlink.platform.HtmlPages;
import io.portlink.platform.Locales;
import io.portlink.platform.ValidationException;
import io.portlink.shipment.DriverMessages;
import io.portlink.shipment.DriverPages;
import io.portlink.shipment.DriverView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.runtime.configuration.MemorySize;

/**
 * The driver's page of a shipment, reached with a driver-link token only ({@code pd_}): the page, its buttons (picked
 * up, arrived, delivered with proof of delivery, report a problem) as POST forms, and the positions "share my location"
 * sends, in the driver's language ({@link DriverPages#language}: the phone's, else the organisation's). GET and HEAD
 * never change a shipment. The security headers come from the path ({@code platform.HttpFilters}); {@code /d/} is the
 * one link path whose CSP allows a script, our own {@code /js/driver.js}. Rules live in {@link DriverPages}.
 */
@Path("/d/{token}")
@Produces(MediaType.TEXT_HTML)
public class DriverPortal {

    private static final AccessLink.Scope SCOPE = AccessLink.Scope.DRIVER;

    @Inject
    DriverPages pages;

    @Inject
    Links links;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(DriverView page, String beacon, String message,
                List<ValidationException.FieldError> errors, boolean refused, Limits limits, Typed typed);

        static native TemplateInstance refused(String back, String title, String detail, Limits limits, boolean proof);
    }

    /**
     * What the driver typed into the form that was refused ({@code form}: {@code deliver}, {@code problem} or
     * {@code arrive}, null for none), shown in it again so that nothing is typed twice on a doorstep; the refusal is
     * said inside that form, where the phone scrolls. Photos and a drawn signature cannot be put back by a page: the
     * proof of delivery's refusal says to choose and sign again.
     */
    public record Typed(String form, String receiverName, String deliveryNote, String problemKind, String problemNote) {

        static final Typed NONE = new Typed(null, "", "", "", "");

        /** The arrive form: its refusal is said inside it (by the tick it asks for), nothing typed to keep. */
        static final Typed ARRIVE = new Typed("arrive", "", "", "", "");

        static Typed delivery(String receiverName, String note) {
            return new Typed("deliver", receiverName == null ? "" : receiverName, note == null ? "" : note, "", "");
        }

        static Typed problem(String kind, String note) {
            return new Typed("problem", "", "", kind == null ? "" : kind, note == null ? "" : note);
        }
    }

    /**
     * What the proof-of-delivery form takes, as the page says it and {@code /js/driver.js} checks it before sending:
     * the most photos, the most bytes of one photo and of all together, the longest signature (characters), and the
     * request body limit (bytes) that refuses anything larger before it is read.
     */
    public record Limits(int photos, long photoBytes, long totalBytes, int signatureChars, long bodyBytes) {

        /** One photo's limit in whole megabytes, as text (the page says it in its language: "8 MB"). */
        public String photoMegabytes() {
            return Long.toString(DriverPages.megabytes(photoBytes));
        }

        /** All photos' limit in whole megabytes, as text ("32 MB"). */
        public String totalMegabytes() {
            return Long.toString(DriverPages.megabytes(totalBytes));
        }
    }

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBody;

    Limits limits() {
        return new Limits(DriverPages.MAX_PHOTOS, pages.maxPhotoBytes(), DriverPages.PHOTOS_MAX_TOTAL_BYTES,
                DriverPages.SIGNATURE_MAX_CHARS, maxBody.asLongValue());
    }

    /**
     * A form part over its limit, refused by the framework before our code sees it: a field longer than
     * {@code quarkus.http.limits.max-form-attribute-size} (a signature past the pad's size) or an upload sent without a
     * length that grew past the body limit. A readable 413 page with the limits and a way back instead of an empty
     * answer; nothing was saved. Any other status stays as the framework answers it (a body of another type than the
     * button's form, 415: {@link DriverFormRefusals}).
     */
    @ServerExceptionMapper
    public Response tooLarge(WebApplicationException e, UriInfo uri, HttpHeaders headers) {
        if (e.getResponse().getStatus() != 413) {
            return e.getResponse();
        }
        DriverMessages t = browserMessages(headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
        return refusedPage(413, uri, t, t.too_large_title(), t.too_large_detail());
    }

    /**
     * A multipart body that is not one (cut off, or no parts at all): the framework's parser stops with an IOException.
     * A readable 400 page; nothing was saved.
     */
    @ServerExceptionMapper
    public Response unreadable(java.io.IOException e, UriInfo uri, HttpHeaders headers) {
        DriverMessages t = browserMessages(headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
        return refusedPage(400, uri, t, t.unreadable_title(), t.unreadable_detail());
    }

    private Response refusedPage(int status, UriInfo uri, DriverMessages t, String title, String detail) {
        return HtmlPages.page(status, refused(uri.getPath(), t, title, detail)).build();
    }

    /**
     * The page of a form refused before it was read, posted to {@code path}, in the language of {@code t}: the
     * browser's (no database is asked before such an answer, so the organisation's language is not known). The proof of
     * delivery's page also names its limits and what to do with the photos; another button's does not.
     */
    TemplateInstance refused(String path, DriverMessages t, String title, String detail) {
        return Templates.refused(back(path), title, detail, limits(), path != null && path.endsWith("/delivered"))
                .setLocale(Locales.locale(t.lang()));
    }

    /** The driver's texts in the browser's language (English when it names none of ours). */
    static DriverMessages browserMessages(String acceptLanguage) {
        return DriverPages.messages(Locales.fromAcceptLanguage(acceptLanguage));
    }

    private TemplateInstance page(DriverView page, String beacon, String message,
            List<ValidationException.FieldError> errors, boolean refused, Typed typed) {
        return Templates.page(page, beacon, message, errors, refused, limits(), typed)
                .setLocale(Locales.locale(page.language()));
    }

    /** The page of the link a {@code /d/{token}/…} path belongs to; null for any other path. */
    static String back(String path) {
        if (path == null || !path.startsWith(SCOPE.path)) {
            return null;
        }
        int end = path.indexOf('/', SCOPE.path.length());
        return end < 0 ? path : path.substring(0, end);
    }

    /**
     * The page; 410 or 404 with the neutral page when the link does not open. {@code changed} (any value): the page a
     * button's request comes back to when it met someone else's change of the shipment at the same moment
     * ({@code api.LockConflicts}), saying that nothing was saved.
     */
    @GET
    public Response page(@PathParam("token") String token, @HeaderParam(HttpHeaders.USER_AGENT) String agent,
            @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String language, @QueryParam("changed") String changed) {
        return answer(token, pages.open(token, Bots.isBot("GET", agent), language), language, Typed.NONE,
                changed != null);
    }

    /**
     * The address of a button's answer opened again (a reload, a tab the phone restores, the address bar): back to the
     * page with a 303, which then says whether the link opens. Nothing is done: a GET never acts.
     */
    @GET
    @Path("/{action: picked-up|arrived|problem|delivered|positions}")
    public Response afterAction(@PathParam("token") String token) {
        // built, not concatenated: whatever the path held is encoded, never a broken Location
        return Response.seeOther(jakarta.ws.rs.core.UriBuilder.fromPath("/d/{token}").build(token)).build();
    }

    /** Scanners probe with HEAD: the status only; nothing changes. */
    @HEAD
    public Response probe(@PathParam("token") String token) {
        return Response.status(pages.probe(token)).build();
    }

    /** The render's stylesheet (empty): a person's open, as on {@code /t/}. */
    @GET
    @Path("/seen/{nonce}.css")
    @Produces("text/css")
    public Response seen(@PathParam("token") String token, @PathParam("nonce") String nonce,
            @HeaderParam(HttpHeaders.USER_AGENT) String agent, @HeaderParam("Sec-Fetch-Dest") String destination,
            @HeaderParam("Sec-Purpose") String secPurpose, @HeaderParam("Purpose") String purpose) {
        links.stylesheetFetched(token, SCOPE, nonce, agent, destination, secPurpose, purpose);
        return Response.ok("", "text/css").build();
    }

    @POST
    @Path("/picked-up")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response pickedUp(@PathParam("token") String token, @RestForm String nonce,
            @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String language) {
        return answer(token, pages.pickedUp(token, nonce, language), language, Typed.NONE);
    }

    @POST
    @Path("/arrived")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response arrived(@PathParam("token") String token, @RestForm String nonce, @RestForm String stop,
            @RestForm String stopId, @RestForm String leftPickup,
            @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String language) {
        return answer(token, pages.arrived(token, nonce, stop, stopId, leftPickup, language), language, Typed.ARRIVE);
    }

    @POST
    @Path("/problem")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response problem(@PathParam("token") String token, @RestForm String nonce, @RestForm String kind,
            @RestForm String note, @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String language) {
        return answer(token, pages.problem(token, nonce, kind, note, language), language, Typed.problem(kind, note));
    }

    /**
     * Proof of delivery: photos (one or more), receiver's name, optional signature (PNG data URL) and note. The link,
     * the nonce and the number of photos are checked before any file is read.
     */
    @POST
    @Path("/delivered")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response delivered(@PathParam("token") String token, @RestForm String nonce, @RestForm String receiverName,
            @RestForm String note, @RestForm String signature, @RestForm("photos") List<FileUpload> photos,
            @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String language) {
        List<FileUpload> files = photos == null ? List.of() : photos.stream().filter(f -> f.size() > 0).toList();
        // the link, the nonce and the count first: a stranger's upload is never read
        DriverPages.Outcome refused = pages.beforeDelivery(token, nonce, files.size(), language);
        if (refused != null) {
            return answer(token, refused, language, Typed.delivery(receiverName, note));
        }
        List<DriverPages.Upload> uploads = new ArrayList<>();
        long max = pages.maxPhotoBytes();
        for (FileUpload f : files) {
            try {
                // an oversize file is not read: an empty placeholder of its size says so
                uploads.add(f.size() > max ? new DriverPages.Upload(null, f.fileName(), f.size())
                        : new DriverPages.Upload(Files.readAllBytes(f.uploadedFile()), f.fileName(), f.size()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return answer(token, pages.delivered(token, nonce, receiverName, note, signature, uploads, language), language,
                Typed.delivery(receiverName, note));
    }

    /**
     * A position from "share my location" (form fields latitude, longitude, recordedAt as epoch milliseconds of 13
     * digits or ISO-8601, nonce): 204 stored (or ignored: a repeat, or less than 20 s of recorded time after the link's
     * last one), 403 for a nonce that is not this page's, 404/410 for a link that does not open, 422 with what is wrong
     * (plain text; a time more than 10 minutes old included).
     */
    @POST
    @Path("/positions")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_PLAIN)
    public Response position(@PathParam("token") String token, @RestForm String nonce, @RestForm String latitude,
            @RestForm String longitude, @RestForm String recordedAt) {
        try {
            return Response.status(pages.position(token, nonce, latitude, longitude, recordedAt)).build();
        } catch (ValidationException e) {
            // the charset named: a client that assumes Latin-1 for text/plain would garble a quoted "٥١"
            return Response.status(422).type("text/plain;charset=UTF-8").entity(
                    String.join("; ", e.errors().stream().map(ValidationException.FieldError::describe).toList()))
                    .build();
        }
    }

    /**
     * The page for an outcome, in the page's language; a refused form ({@code 422}, {@code 403}) keeps what was
     * {@code typed} into it.
     */
    private Response answer(String token, DriverPages.Outcome outcome, String language, Typed typed) {
        return answer(token, outcome, language, typed, false);
    }

    /** {@link #answer}; {@code changed}: a shown page also says that someone else's change meant nothing was saved. */
    private Response answer(String token, DriverPages.Outcome outcome, String language, Typed typed, boolean changed) {
        if (outcome instanceof DriverPages.Shown shown) {
            String nonce = links.renderNonce(token, SCOPE);
            String beacon = nonce == null ? null : SCOPE.path + token + "/seen/" + nonce + ".css";
            List<ValidationException.FieldError> notice = changed ? List.of(new ValidationException.FieldError(null,
                    null, DriverPages.messages(shown.page().language()).changed_meanwhile(), null)) : List.of();
            return HtmlPages.ok(page(shown.page(), beacon, shown.message(), notice, false, Typed.NONE)).build();
        }
        if (outcome instanceof DriverPages.Closed closed) {
            // a refusal, said as one (not as a saved message), above the page: it offers no button any more
            var why = List.of(new ValidationException.FieldError(null, null, closed.message(), null));
            return HtmlPages.ok(page(closed.page(), null, null, why, false, Typed.NONE)).build();
        }
        if (outcome instanceof DriverPages.Invalid invalid) {
            return HtmlPages.page(422, page(invalid.page(), null, null, invalid.errors(), false, typed)).build();
        }
        if (outcome instanceof DriverPages.Refused refused) {
            return HtmlPages.page(403, page(refused.page(), null, null, List.of(), true, typed)).build();
        }
        int status = outcome instanceof DriverPages.Gone ? 410 : 404;
        return NeutralPage.answer(status, new NeutralPage.Model(SCOPE, null, null, false), language);
    }
}
