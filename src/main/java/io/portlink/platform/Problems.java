package io.portlink.platform;

import java.math.BigInteger;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * RFC 9457 problem details for the API (a title, and a detail a person can act on), and the last-resort answers of
 * every page: the mappers here are global, so a staff or vendor page gets plain text where the API gets
 * {@code application/problem+json}. In the platform because every page layer shares it and none may import another.
 */
public class Problems {

    private static final Logger LOG = Logger.getLogger(Problems.class);

    @jakarta.inject.Inject
    io.vertx.ext.web.RoutingContext routing;

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

    /**
     * A JSON value as an error names what was sent ({@link ValidationException.FieldError#value}): a string's text
     * without its quotes (the message quotes it once: {@code got "5"}), anything else as JSON; null for none or null.
     */
    public static String sent(com.fasterxml.jackson.databind.JsonNode value) {
        return value == null || value.isNull() ? null : value.isTextual() ? value.textValue() : value.toString();
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
     * What a staff page answers when something is not there or not possible: {@code message} in words, and {@code back}
     * where the page's button leads (a list under {@code /app}). The staff pages' error filter (staff.StaffErrorPages)
     * draws it as a styled page, with the navigation when someone is signed in.
     */
    public record PageError(String message, String back) {
    }

    /** The staff pages' 404 saying {@code message}, with a button to {@code back} (see {@link PageError}). */
    public static Response notFoundPage(String message, String back) {
        return Response.status(404).type("text/plain;charset=UTF-8").entity(new PageError(message, back)).build();
    }

    /**
     * A 404 the framework raises: no route matches the address, or a path part is not what the route takes (an id that
     * is no whole number, such as {@code /api/v1/dropshipments/abc} or {@code /app/shipments/abc}). The API answers a
     * problem, the staff pages their not-found page; neither says how Java failed to read the value. A 404 that carries
     * its own answer, and one on a link page (which has its own neutral pages), stays as it is.
     */
    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
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
        if (HttpFilters.isLinkPage(path)) {
            return e.getResponse(); // the link pages' own neutral answers
        }
        // anywhere else: a plain page that names no organisation, leading to the start; rendered here, as a scanner
        // asks for many such addresses (HtmlPages)
        return HtmlPages.page(404, Templates.notFound("Nothing is at this address.", "/")).build();
    }

    /** A problem answer with no field errors; the caller may add headers before {@code build()}. */
    public static Response.ResponseBuilder response(int status, String title, String detail) {
        return Response.status(status).type(MEDIA_TYPE).entity(new Problem(title, status, detail, null, null, null));
    }

    /** {@code read}: the request only reads (a GET's filters), so there was nothing to save to speak of. */
    static Problem invalid(ValidationException e, boolean importReport, boolean read) {
        List<Error> errors = e.errors().stream().map(Error::of).toList();
        String detail = errors.size() == 1 ? e.errors().get(0).describe() : errors.size() + " problems"
                + (read ? "" : "; nothing was saved") + ". First: " + e.errors().get(0).describe();
        return new Problem("Invalid input", 422, detail, errors, importReport ? 0 : null, importReport ? 0 : null);
    }

    @ServerExceptionMapper
    public Response validation(ValidationException e, UriInfo uri, jakarta.ws.rs.core.Request request) {
        if (!uri.getPath().startsWith("/api/")) {
            return Response.status(400).type("text/plain").entity(e.getMessage()).build();
        }
        boolean read = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        return Response.status(422).type(MEDIA_TYPE).entity(invalid(e, uri.getPath().endsWith("/import"), read))
                .build();
    }

    /**
     * Input the platform refuses before or below our own checks, answered as what it is (nothing was changed): more
     * form fields than {@code quarkus.http.limits.max-parameters} (Quarkus REST throws a bare RuntimeException for it),
     * a form body that is not properly percent-encoded (an IllegalArgumentException "Failed to decode URL"), and as a
     * last line, text with a NUL character that reached PostgreSQL (SQLSTATE 22021), which refuses it in text.
     */
    private static Response refusedInput(Throwable e, UriInfo uri) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.startsWith("Param limit of ") && message.endsWith(" was exceeded")) {
                String detail = "the form has too many fields (" + message.substring(6, message.length() - 13)
                        + "); nothing was changed";
                return problem(uri, 413, "Too many form fields", detail);
            }
            if (t instanceof IllegalArgumentException && message != null
                    && message.startsWith("Failed to decode URL")) {
                // a form body with a "%" not followed by two hex digits: the sender's mistake, not ours
                return problem(uri, 400, "Unreadable form",
                        "the form's data is not properly encoded (a % must be followed by two hexadecimal digits);"
                                + " nothing was changed");
            }
            if (t instanceof SQLException sql && "22021".equals(sql.getSQLState())) {
                LOG.warnf("text with a NUL character reached the database on %s", uri.getPath());
                return problem(uri, 400, "Invalid text",
                        "a text field contains a NUL character (\\u0000), which no field accepts; nothing was changed");
            }
        }
        return null;
    }

    /**
     * The client's connection closed under the request: {@code HttpClosedException} (while its answer was written or
     * its body read) or {@code ClosedChannelException} (its body read after the close) anywhere in the cause chain.
     */
    static boolean clientGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.vertx.core.http.HttpClosedException
                    || t instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    /** The pool's own refusal (Agroal's "Sorry, acquisition timeout!") anywhere in the cause chain. */
    static boolean poolExhausted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException && t.getMessage() != null
                    && t.getMessage().startsWith("Sorry, acquisition timeout")) {
                return true;
            }
        }
        return false;
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
     * Well-formed JSON the body's shape refuses: a value of the wrong type for its field (text where a number belongs,
     * {@code "5"} or 1.5 where a whole number does, {@code "true"} for true, 5 for a text, a list for an object), or a
     * field the body does not have: 422 naming the field by its JSON path, e.g. {@code lines[0].quantity}, as our own
     * validation would. Quarkus's own mapper for this exception answers an empty 400.
     */
    @ServerExceptionMapper
    public Response wrongJsonType(MismatchedInputException e) {
        if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Trailing token")) {
            // JsonMapping: more after the body's value, which would otherwise be dropped unread
            return badJson(e);
        }
        String field = path(e);
        if (e instanceof UnrecognizedPropertyException unknown) {
            return invalidField(field, unknownField(unknown.getKnownPropertyIds()));
        }
        return invalidField(field, "must be " + expected(e));
    }

    /**
     * What a field of the exception's type takes, with an example where one helps: the mapper converts no scalar from
     * another JSON type ({@link JsonMapping#strictScalars}), so {@code "5"} for a whole number and {@code 5} for a text
     * land here too, and the answer says to drop or add the quotes.
     */
    private static String expected(MismatchedInputException e) {
        Class<?> type = e.getTargetType();
        if (type == null) {
            return "another kind of value";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == BigInteger.class) {
            // a decimal (1.0, 1e2) lands here as well as a quoted "5": say both
            return "a whole number written without quotes or decimals, e.g. 5";
        }
        if (type.isEnum()) {
            return "one of "
                    + Arrays.stream(type.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "))
                    + ", in quotes";
        }
        if (Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false, written without quotes";
        }
        if (type == String.class) {
            // a number or true sent for a text: the same characters in quotes
            Object sent = e instanceof InvalidFormatException wrong ? wrong.getValue() : null;
            return sent == null || String.valueOf(sent).length() > 40 ? "a text in quotes"
                    : "a text in quotes, e.g. \"" + sent + "\"";
        }
        return Collection.class.isAssignableFrom(type) ? "a list" : "an object";
    }

    /**
     * "is not a field here; the fields are a, b, c": the one wording for an unknown field of any API body, typed (the
     * mapper fails on unknown properties, {@link JsonMapping}) or read field by field ({@link #onlyFields}).
     */
    public static String unknownField(Collection<?> known) {
        return "is not a field here; the fields are "
                + String.join(", ", known.stream().map(String::valueOf).sorted().toList());
    }

    /**
     * Adds an error for every field of a JSON object read field by field that is none of {@code known}, named by its
     * path ({@code prefix} + name, e.g. {@code stops[2].colour}), as a typed body's unknown field is named.
     */
    public static void onlyFields(JsonNode object, String prefix, Collection<String> known,
            ValidationException.Builder errors) {
        if (object == null || !object.isObject()) {
            return;
        }
        object.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                errors.add(prefix + name, unknownField(known), null);
            }
        });
    }

    /** A number the JSON carries but no number can hold (1e-2147483648: its scale is out of range). */
    public static final String NUMBER_OUT_OF_RANGE = "is a number out of range";

    /**
     * The range of the whole-number field a too-large number was read for, as said after {@link #NUMBER_OUT_OF_RANGE},
     * from the parser's coercion failure anywhere in {@code e}'s causes; empty when there is none (a decimal field).
     */
    static String range(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InputCoercionException coercion) {
                return range(coercion.getTargetType());
            }
        }
        return "";
    }

    private static String range(Class<?> type) {
        if (type == Integer.class || type == int.class) {
            return ": a whole number here is at most " + Integer.MAX_VALUE;
        }
        if (type == Long.class || type == long.class) {
            return ": a whole number here is at most " + Long.MAX_VALUE;
        }
        return "";
    }

    /**
     * The JSON path of where a parser stands ({@code [0].longitude}, {@code lines[2].quantity}): for an error raised
     * while reading a value (a number out of range), so that the answer names the field like any other.
     */
    public static String path(JsonStreamContext context) {
        StringBuilder path = new StringBuilder();
        for (var c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                path.insert(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                path.insert(0, "." + c.getCurrentName());
            }
        }
        return path.length() > 0 && path.charAt(0) == '.' ? path.substring(1) : path.toString();
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    private static Response invalidField(String field, String message) {
        return Response.status(422).type(MEDIA_TYPE).entity(new Problem("Invalid input", 422, field + ": " + message,
                List.of(new Error(null, null, field, message)), null, null)).build();
    }

    /**
     * JSON that is no JSON: 400 saying what and where in plain words ("the body is not valid JSON: NaN and Infinity are
     * not numbers in JSON at line 1 column 7"), never the parser's class or feature names. A value that is valid JSON
     * but no number can hold (its exponent out of range) is a 422 naming its field.
     */
    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        if (e instanceof JsonMappingException bound && outOfRange(e)) {
            return invalidField(path(bound), NUMBER_OUT_OF_RANGE + range(e));
        }
        if (e instanceof InputCoercionException coercion && coercion.getProcessor() != null) {
            return invalidField(path(coercion.getProcessor().getParsingContext()), NUMBER_OUT_OF_RANGE + range(e));
        }
        var location = e.getLocation();
        // a limit (the nesting depth) is raised without a place
        String where = location == null || location.getLineNr() < 1 ? ""
                : " at line " + location.getLineNr() + " column " + location.getColumnNr();
        return response(400, "Malformed JSON", "the body is not valid JSON: " + plainReason(e) + where).build();
    }

    private static boolean outOfRange(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // InputCoercionException: a whole number beyond what its field holds (1099511627776 for an int)
            if (t instanceof NumberFormatException || t instanceof ArithmeticException
                    || t instanceof InputCoercionException) {
                return true;
            }
        }
        return false;
    }

    /** What is wrong with a body that is no JSON, in words a reader of the API knows (no parser internals). */
    static String plainReason(JsonProcessingException e) {
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof StreamConstraintsException) {
            String lower = m.toLowerCase(Locale.ROOT);
            return lower.contains("nesting depth") ? "it is nested too deeply" : lower.contains("number value length")
                    ? "a number has too many digits"
                    : lower.contains("string value length") ? "a text is too long" : "it is larger than allowed";
        }
        if (m.startsWith("Non-standard token")) {
            return "NaN and Infinity are not numbers in JSON";
        }
        if (m.startsWith("Unexpected end-of-input")) {
            return "it ends before it is complete";
        }
        if (m.startsWith("Trailing token")) {
            return "it goes on after its value ends: send one JSON value";
        }
        if (m.startsWith("Duplicate field '")) {
            int end = m.indexOf('\'', "Duplicate field '".length());
            return "the field " + (end < 0 ? "" : m.substring("Duplicate field '".length(), end) + " ")
                    + "is given twice: send each field once";
        }
        // the parser's words up to the first technical hint (a `Class` or `Feature`, a feature to enable, a source)
        String plain = m.split("\n", 2)[0].replaceAll("\\s*\\(code [0-9]+\\)", "");
        for (String stop : List.of("`", " (for ", " (start marker", "; enable", ": enable", " [Source",
                " (JSON String")) {
            int at = plain.indexOf(stop);
            if (at > 0) {
                plain = plain.substring(0, at);
            }
        }
        // "Unrecognized token 'tru': was expecting" once the list of what was expected is cut off
        plain = plain.replaceAll("[\\s:;,(]+$", "").replaceAll(":? was expecting$", "").strip();
        return plain.isEmpty() ? "it cannot be read" : plain.substring(0, 1).toLowerCase() + plain.substring(1);
    }

    /** "No enum constant io.portlink….SendOption.BOGUS": the value, never the class that refused it. */
    private static final java.util.regex.Pattern NO_ENUM = java.util.regex.Pattern
            .compile("No enum constant [\\w.$]+?\\.([^.]*)$");

    /** "For input string: "12x"" (a whole number expected), with or without a radix. */
    private static final java.util.regex.Pattern NOT_A_NUMBER = java.util.regex.Pattern
            .compile("For input string: \"(.*)\".*", java.util.regex.Pattern.DOTALL);

    /**
     * Why a form field or address part could not be converted, in plain words and without the names of our classes (a
     * parameter's conversion says {@code No enum constant io.portlink.purchasing.SendOption.BOGUS}).
     */
    static String plainConversion(Throwable cause) {
        String m = cause.getMessage();
        var e = NO_ENUM.matcher(m);
        if (e.matches()) {
            return "\"" + e.group(1) + "\" is none of the choices the form offers";
        }
        var n = NOT_A_NUMBER.matcher(m);
        if (cause instanceof NumberFormatException && n.matches()) {
            return "\"" + n.group(1) + "\" is not a whole number";
        }
        return cause instanceof NumberFormatException ? "a number cannot be read" : "it cannot be read";
    }

    /**
     * A request body the framework could not read before any endpoint ran (a multipart body cut off or without its
     * closing boundary): 400, and nothing was changed. Any other I/O failure is unexpected (500, logged).
     */
    @ServerExceptionMapper
    public Response unreadableBody(java.io.IOException e, UriInfo uri) {
        boolean whileReadingForm = java.util.Arrays.stream(e.getStackTrace())
                .anyMatch(f -> f.getClassName().startsWith("org.jboss.resteasy.reactive.server.core.multipart.")
                        || f.getClassName().endsWith(".FormBodyHandler"));
        if (!whileReadingForm || clientGone(e)) {
            // unexpected, or the client gone mid-body: "unexpected" says which
            return unexpected(new java.io.UncheckedIOException(e), uri);
        }
        if (!uri.getPath().startsWith("/api/")) {
            return Response.status(400).type("text/plain;charset=UTF-8")
                    .entity("The form could not be read: it arrived cut off or malformed. Nothing was changed;"
                            + " send it again.")
                    .build();
        }
        return response(400, "Bad Request", "the body could not be read as a form (" + e.getMessage()
                + "): send it whole, as multipart/form-data with its closing boundary").build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        Response refused = refusedInput(e, uri);
        if (refused != null) {
            return refused;
        }
        if (e instanceof WebApplicationException web) {
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
                        .entity("A value of this form or address is not what it should be (" + plainConversion(cause)
                                + "). Nothing was changed.")
                        .build();
            }
            // e.g. a body Jackson could not read: say where, instead of an empty 400
            Throwable cause = web.getCause();
            if (cause instanceof MismatchedInputException wrongType) {
                return wrongJsonType(wrongType);
            }
            if (cause instanceof JsonProcessingException json) {
                return badJson(json);
            }
            int status = web.getResponse().getStatus();
            String allow = web.getResponse().getHeaderString("Allow");
            // the framework's own words name its annotations (@Consumes, @Produces): what to send instead
            String detail = switch (status) {
            case 405 -> "this address does not take this method"
                    + (allow == null || allow.isBlank() ? "" : "; it takes " + allow);
            case 406 -> "this address cannot answer in the type Accept asks for: ask for one it documents"
                    + " (application/json for most of the API), or send no Accept";
            case 415 -> uri.getPath().endsWith("/photos")
                    // a photo's own types, not the API's usual ones (a GIF or WebP sent as itself lands here)
                    ? "this address takes a photo as the body with Content-Type image/jpeg or image/png, or as"
                            + " multipart/form-data in the part \"file\"; other image types are not taken"
                    : "this address does not take a body of this Content-Type: send one it documents"
                            + " (application/json for most of the API, text/csv for imports)";
            default -> cause != null && cause.getMessage() != null ? cause.getMessage() : web.getMessage();
            };
            var answer = response(status, web.getResponse().getStatusInfo().getReasonPhrase(), detail);
            return (allow == null ? answer : answer.header("Allow", allow)).build();
        }
        if (clientGone(e)) {
            // the client closed the connection while its answer was being written (a download abandoned): nothing
            // is wrong here, and nobody is left to answer
            LOG.infof("the client went away during the answer on %s: %s", HttpFilters.loggedUri(uri.getPath()),
                    e.getMessage());
            // the read can see the closed channel before the connection knows it is closed: the access log would then
            // take this 499, written into nowhere, for an answer given
            if (routing != null) { // null only where the mapper is called outside a request (a unit test)
                HttpFilters.markClientGone(routing);
            }
            return Response.status(HttpFilters.CLIENT_GONE_STATUS).build();
        }
        if (poolExhausted(e)) {
            // every connection of the pool stayed busy for the whole acquisition timeout: a burst, not a fault of this
            // request; the portal's forms are saved once whatever the number of sends (their nonces), so "again" is
            // safe
            LOG.warnf("no database connection free within the acquisition timeout on %s: answered 503",
                    HttpFilters.loggedUri(uri.getPath()));
            String detail = "Portlink is too busy to answer right now; please try again in a moment";
            if (!uri.getPath().startsWith("/api/")) {
                return Response.status(503).header("Retry-After", "5").type("text/plain;charset=UTF-8")
                        .entity(detail + ".").build();
            }
            return response(503, "Busy", detail).header("Retry-After", "5").build();
        }
        String id = Long.toString(System.nanoTime(), 36);
        // the address as the access log shows it: masked, and cut when absurdly long
        LOG.errorf(e, "unexpected error %s on %s", id, HttpFilters.loggedUri(uri.getPath()));
        if (!uri.getPath().startsWith("/api/")) {
            return Response.serverError().type("text/plain")
                    .entity("Something went wrong on our side. Quote error id " + id + " when you report it.").build();
        }
        return response(500, "Internal error", "something went wrong on our side; quote error id " + id).build();
    }
}
