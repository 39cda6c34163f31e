package io.portlink.platform;

import java.util.List;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * RFC 9457 problem details for the API (a title, and a detail a person can act on), and the last-resort answers of
 * every page: the mappers here are global, so a staff or vendor page gets plain text where the API gets
 * {@code application/problem+json}. In the platform because every page layer shares it and none may import another.
 */
public class Problems {

    private static final Logger LOG = Logger.getLogger(Problems.class);
    public static final String MEDIA_TYPE = "application/problem+json";

    /** One problem of a request: {@code row}+{@code column} for files, {@code field} (a JSON path) for bodies. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Error(Integer row, String column, String field, String message) {

        static Error of(ValidationException.FieldError e) {
            String message = e.message() + (e.value() == null || e.value().isEmpty() ? ""
                    : ", got \"" + (e.value().length() > 60 ? e.value().substring(0, 60) + "…" : e.value()) + "\"");
            return e.row() != null ? new Error(e.row(), e.field(), null, message)
                    : new Error(null, null, e.field(), message);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Problem(String title, int status, String detail, List<Error> errors, Integer created,
            Integer unchanged) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance notFound(String message, String back);
    }

    /**
     * The staff pages' styled 404 (HTML, no navigation: it needs no session), saying {@code message}; {@code back} is
     * where its button leads (a list under {@code /app}).
     */
    public static Response notFoundPage(String message, String back) {
        return Response.status(404).type("text/html;charset=UTF-8").entity(Templates.notFound(message, back)).build();
    }

    /**
     * A 404 the framework raises: no route matches the address, or a path part is not what the route takes (an id that
     * is no whole number, such as {@code /api/v1/dropshipments/abc} or {@code /app/shipments/abc}). The API answers a
     * problem, the staff pages their not-found page; neither says how Java failed to read the value. A 404 that carries
     * its own answer, and one on a link page (which has its own neutral pages), stays as it is.
     */
    @ServerExceptionMapper
    public Response notFound(jakarta.ws.rs.NotFoundException e, UriInfo uri) {
        if (e.getResponse().hasEntity()) {
            return e.getResponse();
        }
        String path = uri.getPath();
        if (path.startsWith("/api/")) {
            return response(404, "Not found", "nothing is at " + path
                    + ": check the address (ids are whole numbers, references as the order or shipment has them)")
                            .build();
        }
        if (path.equals("/app") || path.startsWith("/app/")) {
            return notFoundPage("Nothing is at this address.", "/app");
        }
        return e.getResponse();
    }

    /** A problem answer with no field errors; the caller may add headers before {@code build()}. */
    public static Response.ResponseBuilder response(int status, String title, String detail) {
        return Response.status(status).type(MEDIA_TYPE).entity(new Problem(title, status, detail, null, null, null));
    }

    static Problem invalid(ValidationException e, boolean importReport) {
        List<Error> errors = e.errors().stream().map(Error::of).toList();
        String detail = errors.size() == 1 ? e.errors().get(0).describe()
                : errors.size() + " problems; nothing was saved. First: " + e.errors().get(0).describe();
        return new Problem("Invalid input", 422, detail, errors, importReport ? 0 : null, importReport ? 0 : null);
    }

    @ServerExceptionMapper
    public Response validation(ValidationException e, UriInfo uri) {
        if (!uri.getPath().startsWith("/api/")) {
            return Response.status(400).type("text/plain").entity(e.getMessage()).build();
        }
        return Response.status(422).type(MEDIA_TYPE).entity(invalid(e, uri.getPath().endsWith("/import"))).build();
    }

    /**
     * Input the platform refuses before or below our own checks, answered as what it is (nothing was changed): more
     * form fields than {@code quarkus.http.limits.max-parameters} (Quarkus REST throws a bare RuntimeException for it),
     * and as a last line, text with a NUL character that reached PostgreSQL (SQLSTATE 22021), which refuses it in text.
     */
    private static Response refusedInput(Throwable e, UriInfo uri) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.startsWith("Param limit of ") && message.endsWith(" was exceeded")) {
                String detail = "the form has too many fields (" + message.substring(6, message.length() - 13)
                        + "); nothing was changed";
                return problem(uri, 413, "Too many form fields", detail);
            }
            if (t instanceof java.sql.SQLException sql && "22021".equals(sql.getSQLState())) {
                LOG.warnf("text with a NUL character reached the database on %s", uri.getPath());
                return problem(uri, 400, "Invalid text",
                        "a text field contains a NUL character (\\u0000), which no field accepts; nothing was changed");
            }
        }
        return null;
    }

    private static Response problem(UriInfo uri, int status, String title, String detail) {
        if (!uri.getPath().startsWith("/api/")) {
            return Response.status(status).type("text/plain;charset=UTF-8")
                    .entity(title + ": " + detail.substring(0, 1).toUpperCase() + detail.substring(1) + ".").build();
        }
        return response(status, title, detail).build();
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e, UriInfo uri) {
        if (!uri.getPath().startsWith("/api/")) {
            return Response.status(409).type("text/plain").entity(e.getMessage()).build();
        }
        List<Error> errors = e.errors().isEmpty() ? null : e.errors().stream().map(Error::of).toList();
        return Response.status(409).type(MEDIA_TYPE)
                .entity(new Problem("Conflict", 409, e.getMessage(), errors, null, null)).build();
    }

    /**
     * Well-formed JSON with a value of the wrong type for its field (text where a number belongs, 1.5 where a whole
     * number does, a list for an object): 422 naming the field by its JSON path, e.g. {@code lines[0].quantity}, as our
     * own validation would. Quarkus's own mapper for this exception answers an empty 400.
     */
    @ServerExceptionMapper
    public Response wrongJsonType(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        StringBuilder path = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        String field = path.isEmpty() ? "body" : path.toString();
        Class<?> type = e.getTargetType();
        String expected = type == null ? "another kind of value"
                : type == Integer.class || type == int.class || type == Long.class || type == long.class
                        ? "a whole number"
                        : Number.class.isAssignableFrom(type) ? "a number"
                                : type == Boolean.class || type == boolean.class ? "true or false"
                                        : type == String.class ? "a text"
                                                : java.util.Collection.class.isAssignableFrom(type) ? "a list"
                                                        : "an object";
        String message = "must be " + expected;
        return Response.status(422).type(MEDIA_TYPE).entity(new Problem("Invalid input", 422, field + ": " + message,
                List.of(new Error(null, null, field, message)), null, null)).build();
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        var location = e.getLocation();
        String where = location == null ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return response(400, "Malformed JSON",
                "the body is not the JSON this endpoint expects" + where + ": " + e.getOriginalMessage()).build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        Response refused = refusedInput(e, uri);
        if (refused != null) {
            return refused;
        }
        if (e instanceof jakarta.ws.rs.WebApplicationException web) {
            if (web.getResponse().hasEntity()) {
                return web.getResponse();
            }
            if (!uri.getPath().startsWith("/api/")) {
                // e.g. a form field that is no number where one is expected (a 400 from the parameter's conversion):
                // say so rather than an empty page; any other answer (redirects, 404s) stays as it was
                Throwable cause = web.getCause();
                if (web.getResponse().getStatus() != 400 || cause == null || cause.getMessage() == null) {
                    return web.getResponse();
                }
                return Response.fromResponse(web.getResponse()).type("text/plain;charset=UTF-8")
                        .entity("A value of this form or address is not what it should be (" + cause.getMessage()
                                + "). Nothing was changed.")
                        .build();
            }
            // e.g. a body Jackson could not read: say where, instead of an empty 400
            Throwable cause = web.getCause();
            if (cause instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException wrongType) {
                return wrongJsonType(wrongType);
            }
            if (cause instanceof JsonProcessingException json) {
                return badJson(json);
            }
            int status = web.getResponse().getStatus();
            return response(status, web.getResponse().getStatusInfo().getReasonPhrase(),
                    cause != null && cause.getMessage() != null ? cause.getMessage() : web.getMessage()).build();
        }
        String id = Long.toString(System.nanoTime(), 36);
        LOG.errorf(e, "unexpected error %s on %s", id, uri.getPath());
        if (!uri.getPath().startsWith("/api/")) {
            return Response.serverError().type("text/plain")
                    .entity("Something went wrong on our side. Quote error id " + id + " when you report it.").build();
        }
        return response(500, "Internal error", "something went wrong on our side; quote error id " + id).build();
    }
}
