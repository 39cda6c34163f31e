package io.portlink.platform;

import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.core.http.impl.ServerCookie;
import io.vertx.ext.web.Router;

/**
 * What every request and response needs, done once at the HTTP layer: the leak-proof headers of the link pages,
 * {@code Cache-Control: no-store} on every staff page and API answer (errors too), {@code Secure} on every cookie when
 * the public base URL is https, an access log that never writes a token, and a clear 400 for addresses carrying a NUL
 * character; language preferences the framework would refuse are rewritten or dropped; the bare address {@code /} leads
 * to the staff's start page.
 */
@ApplicationScoped
public class HttpFilters {

    private static final Logger ACCESS = Logger.getLogger("io.portlink.access");

    /** CSP for token pages: nothing from anywhere but us, no script at all, never framed. */
    static final String LINK_PAGE_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none';"
            + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    /**
     * CSP for the driver's page ({@code /d/}): as {@link #LINK_PAGE_CSP}, but our own script may run (the position
     * sharing and signature pad, {@code /js/driver.js}); it may post back only to us ({@code connect-src 'self'}).
     */
    static final String DRIVER_PAGE_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self';"
            + " script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    static final String STAFF_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
            + " form-action 'self'; frame-ancestors 'none'; base-uri 'self'";

    // Every response carries several of these: names and values made once, already encoded (Vert.x writes them as
    // they are), rather than encoded again for each response.
    private static final CharSequence H_CONTENT_TYPE_OPTIONS = HttpHeaders.createOptimized("X-Content-Type-Options");
    private static final CharSequence H_CONTENT_TYPE = HttpHeaders.createOptimized("Content-Type");
    private static final CharSequence H_CACHE_CONTROL = HttpHeaders.createOptimized("Cache-Control");
    private static final CharSequence H_ROBOTS_TAG = HttpHeaders.createOptimized("X-Robots-Tag");
    private static final CharSequence H_REFERRER_POLICY = HttpHeaders.createOptimized("Referrer-Policy");
    private static final CharSequence H_CSP = HttpHeaders.createOptimized("Content-Security-Policy");
    private static final CharSequence H_FRAME_OPTIONS = HttpHeaders.createOptimized("X-Frame-Options");
    private static final CharSequence V_NOSNIFF = HttpHeaders.createOptimized("nosniff");
    private static final CharSequence V_HTML_UTF8 = HttpHeaders.createOptimized("text/html;charset=UTF-8");
    private static final CharSequence V_NO_REFERRER = HttpHeaders.createOptimized("no-referrer");
    private static final CharSequence V_SAME_ORIGIN = HttpHeaders.createOptimized("same-origin");
    private static final CharSequence V_NOINDEX = HttpHeaders.createOptimized("noindex, nofollow");
    private static final CharSequence V_NO_STORE = HttpHeaders.createOptimized("no-store");
    private static final CharSequence V_DENY = HttpHeaders.createOptimized("DENY");
    private static final CharSequence V_LINK_PAGE_CSP = HttpHeaders.createOptimized(LINK_PAGE_CSP);
    private static final CharSequence V_DRIVER_PAGE_CSP = HttpHeaders.createOptimized(DRIVER_PAGE_CSP);

    @Inject
    PortlinkConfig config;

    @Inject
    MetricTags metricTags;

    /**
     * The map tile server of the tracking page ({@code portlink.map.tile-url}); empty: the page names no other host.
     */
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "portlink.map.tile-url")
    java.util.Optional<String> tileUrl;

    void install(@Observes Router router) {
        // Behind a TLS-terminating proxy the request itself may be plain http: the public base URL says what the
        // browser sees, so it decides, never a header a client can send.
        // (read before the start's checks: unset, production refuses to start in ProductionSettings anyway)
        boolean secureCookies = config.publicBaseUrlSetting().orElse("").toLowerCase(java.util.Locale.ROOT)
                .startsWith("https:");
        String publicOrigin = origin(config.publicBaseUrlSetting().orElse(""));
        CharSequence trackingCsp = HttpHeaders.createOptimized(trackingCsp(config.map().tileUrl().orElse("")));
        CharSequence staffCsp = HttpHeaders.createOptimized(withTiles(STAFF_CSP, config.map().tileUrl().orElse("")));
        router.route().order(Integer.MIN_VALUE + 10).handler(rc -> {
            HttpServerRequest request = rc.request();
            String path = routedPath(rc.normalizedPath());
            long start = System.nanoTime();
            rc.addHeadersEndHandler(v -> {
                // the route the request was matched to, before the answer is measured: a 4xx keeps it as its uri
                metricTags.recordRoute(routeTemplate(request));
                var headers = rc.response().headers();
                if (secureCookies) {
                    secure(request, headers);
                }
                relativeRedirect(request, headers);
                securityHeaders(path, headers, trackingCsp, staffCsp);
            });
            if (config.accessLog().enabled()) {
                // the client's address as the trusted proxy reports it (quarkus.http.proxy.*), else the peer's own
                // (a forwarded value that is no address, "unknown" or a host name, leaves none: "-")
                String client = request.remoteAddress() == null || request.remoteAddress().hostAddress() == null ? "-"
                        : request.remoteAddress().hostAddress();
                // ended whole: the answer's end was queued and its connection was still open then. A reset that
                // comes after the last bytes were queued is not seen here (the line says completed; the HTTP metrics
                // record RESET): the end handler fires when the end is queued, not when the network has taken it
                rc.addEndHandler(ended -> {
                    String gone = rc.get(CLIENT_GONE);
                    String status = sentStatus(gone, rc.response().headWritten(), rc.response().getStatusCode());
                    accessLog(client, request, status, gone == null && !NOTHING_SENT.equals(status) && ended.succeeded()
                            && !rc.response().closed(), (System.nanoTime() - start) / 1e6);
                });
            }
            if (request.path() != null && request.path().indexOf(';') >= 0) {
                // A ';' starts path parameters that routing drops but a path check would not ("/t;x/{token}" is routed
                // as "/t/{token}"), and the sign-in redirect cannot store it in a cookie. None of our addresses has
                // one: refuse it before anything decides on the path.
                badAddress(rc, path, "The address must not contain a semicolon (;).");
                return;
            }
            if (hasNul(request.path()) || hasNul(request.query()) && !isStaffPage(request.path())) {
                // No reference, token or search term holds a NUL, and PostgreSQL refuses text that does: answer here
                // rather than with a database error.
                badAddress(rc, path, "The address must not contain a NUL character (%00).");
                return;
            }
            // every Accept-Language line, as one list: the framework reads them all, a second line as strictly
            List<String> lines = request.headers().getAll(HttpHeaders.ACCEPT_LANGUAGE);
            String languages = lines.size() <= 1 ? request.getHeader(HttpHeaders.ACCEPT_LANGUAGE)
                    : String.join(",", lines);
            String readable = readableLanguagesSeen(languages);
            if (lines.size() > 1 && readable != null) {
                request.headers().set(HttpHeaders.ACCEPT_LANGUAGE, readable);
            } else if (readable == null) {
                // Unreadable language preferences (q=2, q=abc, ",,;;") are ignored, as if none were sent: the page
                // falls back to its own language instead of the framework's bare 400
                request.headers().remove(HttpHeaders.ACCEPT_LANGUAGE);
            } else if (!readable.equals(languages)) {
                // readable, but in a spelling the framework refuses (q=0.0001, q=.5, Q=0.5): the same preferences
                // in the spelling it reads, so that the page still answers in the language asked for
                request.headers().set(HttpHeaders.ACCEPT_LANGUAGE, readable);
            }
            if (isSignInFromAnotherSite(request, rc.normalizedPath(), publicOrigin)) {
                // login CSRF: another site's page would sign the visitor's browser into an account of its choosing,
                // where they might then type their suppliers' details or upload a file; the person signs in here
                rc.response().setStatusCode(303).putHeader("Location", "/app/login?refused=site").end();
                return;
            }
            if (isSignInWithoutForm(request, rc.normalizedPath())) {
                // Quarkus' form login fails with a 500 (and an ERROR line) on a body that is no url-encoded form:
                // it is a failed sign-in like any other
                rc.response().setStatusCode(303).putHeader("Location", "/app/login?error=true").end();
                return;
            }
            rc.next();
        });
        // The bare address: the staff's start page, which sends a visitor who is not signed in on to the sign-in page
        router.route("/").order(Integer.MIN_VALUE + 11).handler(rc -> {
            var method = rc.request().method();
            if (method != io.vertx.core.http.HttpMethod.GET && method != io.vertx.core.http.HttpMethod.HEAD) {
                rc.next();
                return;
            }
            rc.response().setStatusCode(303).putHeader("Location", "/app").end();
        });
    }

    /**
     * The template of the route Quarkus REST matched the request to ({@code /v/{token}}), or null when none did: the
     * request context's local {@code UrlPathTemplate}, which Quarkus REST's observability integration writes (also for
     * a request that authentication refuses) and Quarkus's Micrometer binder reads for the {@code uri} tag. A Quarkus
     * internal (3.30), not an API: should it be renamed, no route is recorded, every 4xx is measured as
     * {@code UNKNOWN}, and {@code MetricsTest.aRefusalKeepsItsRoutesTemplateAndAnUnmatchedAddressMakesNoSeries} fails.
     */
    static String routeTemplate(HttpServerRequest request) {
        return request instanceof HttpServerRequestInternal internal
                && internal.context().getLocal("UrlPathTemplate") instanceof String template ? template : null;
    }

    /**
     * Marks every cookie this response sets as {@code Secure}: those in the response's cookie jar (session, form login
     * redirect, anything added through Vert.x), written after this runs, and any already written as a header.
     */
    /**
     * A redirect to this service leaves as a path ({@code Location: /app/login}), which the browser resolves against
     * the address it is at: the framework makes it absolute from the request's {@code Host} header, which a client
     * chooses ({@code Host: evil.example} came back as {@code http://evil.example/app/login}), and from the request's
     * own scheme, which is http behind a TLS proxy whose forwarding headers are not trusted. A redirect elsewhere is
     * left alone.
     */
    static void relativeRedirect(HttpServerRequest request, io.vertx.core.MultiMap headers) {
        String location = headers.get(HttpHeaders.LOCATION);
        if (location == null || !(location.startsWith("http://") || location.startsWith("https://"))) {
            return;
        }
        java.net.URI uri;
        try {
            uri = new java.net.URI(location);
        } catch (java.net.URISyntaxException e) {
            return;
        }
        String host = request.getHeader(HttpHeaders.HOST);
        String authority = request.authority() == null ? null : request.authority().toString();
        if (uri.getRawAuthority() == null || !(uri.getRawAuthority().equalsIgnoreCase(host)
                || uri.getRawAuthority().equalsIgnoreCase(authority))) {
            return;
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        headers.set(HttpHeaders.LOCATION, path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                + (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment()));
    }

    private static void secure(HttpServerRequest request, io.vertx.core.MultiMap headers) {
        for (Cookie cookie : request.cookies()) {
            // only cookies being set: marking one the browser sent would send it back
            if (cookie instanceof ServerCookie set && set.isChanged() && !set.isSecure()) {
                set.setSecure(true);
            }
        }
        List<String> raw = headers.getAll("Set-Cookie");
        if (!raw.isEmpty() && raw.stream().anyMatch(c -> !SECURE_ATTRIBUTE.matcher(c).find())) {
            headers.remove("Set-Cookie");
            raw.forEach(c -> headers.add("Set-Cookie", SECURE_ATTRIBUTE.matcher(c).find() ? c : c + "; Secure"));
        }
    }

    private static final java.util.regex.Pattern SECURE_ATTRIBUTE = java.util.regex.Pattern
            .compile("(?i);\\s*secure\\s*(;|$)");

    /**
     * A sign-in post a browser sent from another site's page: its {@code Sec-Fetch-Site} says so (anything but
     * same-origin), or, from a browser without it, its {@code Origin} is neither the public base URL's nor the
     * request's own host's. A post with neither header (no browser: curl, a script) is no cross-site request.
     */
    static boolean isSignInFromAnotherSite(HttpServerRequest request, String normalizedPath, String publicOrigin) {
        if (!isSignIn(request, normalizedPath)) {
            return false;
        }
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null) {
            return !site.equalsIgnoreCase("same-origin");
        }
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return false;
        }
        if (!publicOrigin.isEmpty() && origin.equalsIgnoreCase(publicOrigin)) {
            return false;
        }
        String host = request.getHeader(HttpHeaders.HOST);
        int colon = origin.indexOf("://");
        if (host == null || colon < 0) {
            return true;
        }
        // a default port is the same origin, written or not (Host: portal.example:443, Origin: https://portal.example)
        String defaultPort = origin.regionMatches(true, 0, "https", 0, colon) ? ":443" : ":80";
        String authority = origin.substring(colon + 3);
        return !withoutPort(authority, defaultPort).equalsIgnoreCase(withoutPort(host, defaultPort));
    }

    private static String withoutPort(String authority, String port) {
        return authority.endsWith(port) ? authority.substring(0, authority.length() - port.length()) : authority;
    }

    /** {@code scheme://host[:port]} of an absolute URL, as a browser writes an Origin; "" for none. */
    static String origin(String url) {
        try {
            java.net.URI uri = java.net.URI.create(url.strip());
            if (uri.getScheme() == null || uri.getRawAuthority() == null) {
                return "";
            }
            return uri.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + uri.getRawAuthority();
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /**
     * Answers 400 for an address no route may see: a problem ({@link Problems#MEDIA_TYPE}) on the API, as every API
     * error is, plain text elsewhere. {@code sentence} is a whole sentence.
     */
    private static void badAddress(io.vertx.ext.web.RoutingContext rc, String path, String sentence) {
        if (path.equals("/api") || path.startsWith("/api/")) {
            String detail = Character.toLowerCase(sentence.charAt(0)) + sentence.substring(1, sentence.length() - 1);
            rc.response().setStatusCode(400).putHeader("Content-Type", Problems.MEDIA_TYPE)
                    .end(new io.vertx.core.json.JsonObject().put("title", "Bad Request").put("status", 400)
                            .put("detail", detail).encode());
        } else {
            rc.response().setStatusCode(400).putHeader("Content-Type", "text/plain;charset=UTF-8").end(sentence);
        }
    }

    /**
     * A post Quarkus's form login takes as a sign-in: it matches any path that ends in its post location
     * ({@code /x/j_security_check} too), so the checks before it must match alike.
     */
    private static boolean isSignIn(HttpServerRequest request, String normalizedPath) {
        return request.method() == io.vertx.core.http.HttpMethod.POST && normalizedPath != null
                && normalizedPath.endsWith("/j_security_check");
    }

    private static boolean isSignInWithoutForm(HttpServerRequest request, String normalizedPath) {
        String type = request.getHeader("Content-Type");
        return isSignIn(request, normalizedPath) && (type == null
                || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")
                || "0".equals(request.getHeader("Content-Length")));
    }

    /**
     * A staff page: a NUL in its query is refused by the staff pages' own filter (staff.StaffErrorPages), which answers
     * with their styled page.
     */
    private static boolean isStaffPage(String path) {
        return path != null && (path.equals("/app") || path.startsWith("/app/"));
    }

    /** Whether a raw path or query holds a NUL, as is or percent-encoded. */
    public static boolean hasNul(String raw) {
        return raw != null && (raw.indexOf('\0') >= 0 || raw.contains("%00"));
    }

    /**
     * The path as the routes see it, for choosing headers: percent-escapes of plain characters decoded and dot segments
     * removed (Vert.x's normalised path), and repeated slashes collapsed, because {@code //t/x}, {@code /./t/x} and
     * {@code /%74/x} all reach the page of {@code /t/x} and must carry its headers.
     */
    static String routedPath(String normalized) {
        if (normalized == null) {
            return "/";
        }
        // every request passes here: no regex unless there is something to collapse
        return normalized.contains("//") ? normalized.replaceAll("/{2,}", "/") : normalized;
    }

    /** The routing context's key of a request whose client went away: the status it had sent by then, or "-". */
    private static final String CLIENT_GONE = "portlink.client-gone";

    /**
     * Records that the client of {@code rc}'s request went away (its connection closed), whatever is written after: its
     * access-log line says "not completed" with the status sent before (or "-"). Called where the closed connection is
     * found, which can be before the connection itself has been told.
     */
    public static void markClientGone(io.vertx.ext.web.RoutingContext rc) {
        // the first finding stands: the 499 answered to it can fail again on the closed connection and be mapped again,
        // with that 499 in the head by then
        if (rc.get(CLIENT_GONE) == null) {
            rc.put(CLIENT_GONE, sentStatus(null, rc.response().headWritten(), rc.response().getStatusCode()));
        }
    }

    /** The access log's status of an answer of which not even the status line was sent. */
    static final String NOTHING_SENT = "-";

    /** The status {@link Problems} answers a client that went away with: written into nowhere, never sent. */
    static final int CLIENT_GONE_STATUS = 499;

    /**
     * The status the access log gives an answer: {@code gone} where the client was found gone
     * ({@link #markClientGone}), else the head's status once written, else {@link #NOTHING_SENT}. A head of
     * {@link #CLIENT_GONE_STATUS} is nothing sent either: only the answer to a client already gone carries it.
     */
    static String sentStatus(String gone, boolean headWritten, int status) {
        if (gone != null) {
            return gone;
        }
        return headWritten && status != CLIENT_GONE_STATUS ? String.valueOf(status) : NOTHING_SENT;
    }

    /** The access log's MDC keys (JSON logs: the line's {@code mdc} object), see {@link #accessLog}. */
    static final List<String> ACCESS_FIELDS = List.of("client", "method", "path", "status", "durationMs", "completed");

    /**
     * One access-log line: {@code "203.0.113.9 GET /v/pv_Ab3…/orders/PO-… 200 3.1 ms"}, the address masked and cut
     * ({@link #loggedUri}), the duration in milliseconds from the first filter to the answer's end. An answer the
     * client never got whole (the connection closed first: the client went away, or the shutdown's timeout cut it) ends
     * in {@code "…, not completed"}, its status {@code "-"} when not even that was sent (a client that went away while
     * still sending its request). The same fields are the line's MDC ({@link #ACCESS_FIELDS}, each as text:
     * {@code "200"}, {@code "3.1"}, {@code "true"}), so that production's JSON lines can be queried by them without
     * parsing the message.
     */
    private static void accessLog(String client, HttpServerRequest request, String status, boolean completed,
            double millis) {
        String method = request.method().name();
        String path = loggedUri(request.uri());
        MDC.put("client", client);
        MDC.put("method", method);
        MDC.put("path", path);
        MDC.put("status", status);
        MDC.put("durationMs", Math.round(millis * 10) / 10.0);
        MDC.put("completed", completed);
        try {
            ACCESS.infof(completed ? "%s %s %s %s %.1f ms" : "%s %s %s %s %.1f ms, not completed", client, method, path,
                    status, millis);
        } finally {
            for (String key : ACCESS_FIELDS) {
                MDC.remove(key);
            }
        }
    }

    /** Most characters of a request's address the access log shows; the rest is counted, not written. */
    static final int LOGGED_URI_CHARACTERS = 2_000;

    /**
     * A query value's e-mail address, {@code @} written or percent-encoded: its local part after the first character.
     */
    private static final Pattern QUERY_ADDRESS = Pattern.compile("(?<=[?&=])([^&=@%\\s])[^&=@\\s]*?(@|%40)");

    /**
     * {@code uri} with every e-mail address in its query masked as {@link Addresses#mask} does
     * ({@code ?q=o…@northwind.example}): a staff search or a form's address is a person's data, which logs outlive.
     */
    static String addressesMasked(String uri) {
        int q = uri == null ? -1 : uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q) + QUERY_ADDRESS.matcher(uri.substring(q)).replaceAll("$1…$2");
    }

    /**
     * A request's address as its access-log line shows it: tokens masked ({@link Tokens#maskUrl}) and e-mail addresses
     * in its query ({@link #addressesMasked}), then cut to {@value #LOGGED_URI_CHARACTERS} characters, followed by how
     * many there were ({@code …[16000 characters]}), so that an absurdly long address makes no absurdly long line. Null
     * stays null.
     */
    static String loggedUri(String uri) {
        String masked = Tokens.maskUrl(addressesMasked(uri));
        if (masked == null || masked.length() <= LOGGED_URI_CHARACTERS) {
            return masked;
        }
        return masked.substring(0, LOGGED_URI_CHARACTERS) + "…[" + masked.length() + " characters]";
    }

    /**
     * {@link #readableLanguages}, remembered for the few header values browsers send (one per browser and settings):
     * parsing the ranges is the costliest check of every request. At most {@value #LANGUAGE_VERDICTS} values of at most
     * 200 characters are kept; when full, the memory starts again empty.
     */
    static String readableLanguagesSeen(String header) {
        if (header == null || header.isBlank()) {
            return header;
        }
        String known = LANGUAGE_VERDICTS_SEEN.get(header);
        if (known != null) {
            return known.isEmpty() ? null : known;
        }
        String readable = readableLanguages(header);
        if (header.length() <= 200) {
            if (LANGUAGE_VERDICTS_SEEN.size() >= LANGUAGE_VERDICTS) {
                // full: start again rather than keep the first 512 values for good (a client sending 512 odd
                // values would otherwise leave the browsers' own ones parsed on every request)
                LANGUAGE_VERDICTS_SEEN.clear();
            }
            LANGUAGE_VERDICTS_SEEN.put(header, readable == null ? "" : readable);
        }
        return readable;
    }

    /** Most Accept-Language values whose verdict is kept. */
    static final int LANGUAGE_VERDICTS = 512;

    /** Header value to what the framework is given: the same, another spelling, or "" for nothing. */
    private static final java.util.Map<String, String> LANGUAGE_VERDICTS_SEEN = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * An Accept-Language header as the framework may read it. Null, blank, or already in the spelling it reads (RFC
     * 9110 weights: {@code q=} in lower case, 0 to 1 with at most three decimals, as browsers send): the header itself.
     * Other spellings of RFC 4647 language ranges that Java reads but the framework answers with a bare 400
     * ({@code q=0.0001}, {@code q=1.0000}, {@code q=.5}, {@code Q=0.5}): the same ranges and weights, rewritten (a
     * weight rounded up to three decimals, so that a tiny one stays above 0, "not wanted"), and {@code de_DE} as
     * {@code de-de}. Unreadable (q=2, q=abc, ",,;;"): null.
     */
    static String readableLanguages(String header) {
        if (header == null || header.isBlank()) {
            return header;
        }
        // "de_DE" (a POSIX locale, as some clients write it) is read as "de-DE", not as a reason to drop the header
        String spelled = header.replace('_', '-');
        List<java.util.Locale.LanguageRange> ranges;
        try {
            ranges = java.util.Locale.LanguageRange.parse(spelled);
        } catch (RuntimeException e) {
            // IllegalArgumentException for most; "-" and "en,-" make the JDK's parser index out of its array
            return null;
        }
        if (spelled.equals(header) && frameworkReads(header)) {
            return header;
        }
        StringBuilder out = new StringBuilder();
        for (var range : ranges) {
            if (range.getRange().indexOf('*') >= 0 && !range.getRange().equals("*")
                    || !(range.getWeight() >= 0 && range.getWeight() <= 1)) {
                continue; // "*-CH": Java's extended ranges, which no browser sends and the framework has no use for
            }
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(range.getRange());
            if (range.getWeight() < 1.0) {
                out.append(";q=").append(java.math.BigDecimal.valueOf(range.getWeight())
                        .setScale(3, java.math.RoundingMode.CEILING).stripTrailingZeros().toPlainString());
            }
        }
        return out.isEmpty() ? null : out.toString();
    }

    /**
     * Whether every element of the header is a plain language tag or {@code *}, with at most a weight spelled
     * {@code ;q=} and an RFC 9110 qvalue ({@code 0}, {@code 0.5}, {@code 0.123}, {@code 1}, {@code 1.000}). A scan, not
     * a regular expression: a header of thousands of subtags must not cost a deep recursion.
     */
    private static boolean frameworkReads(String header) {
        int from = 0;
        while (from <= header.length()) {
            int comma = header.indexOf(',', from);
            int end = comma < 0 ? header.length() : comma;
            if (!plainElement(header.substring(from, end).strip())) {
                return false;
            }
            from = end + 1;
        }
        return true;
    }

    private static boolean plainElement(String element) {
        int semicolon = element.indexOf(';');
        String range = semicolon < 0 ? element : element.substring(0, semicolon);
        if (!range.equals("*") && !plainTag(range)) {
            return false;
        }
        return semicolon < 0 || qvalue(element.substring(semicolon + 1));
    }

    /** {@code en}, {@code de-AT}, {@code zh-Hant-TW}: subtags of 1 to 8 letters or digits (the first letters only). */
    private static boolean plainTag(String tag) {
        int length = 0;
        boolean first = true;
        for (int i = 0; i <= tag.length(); i++) {
            char c = i < tag.length() ? tag.charAt(i) : '-';
            if (c == '-') {
                if (length == 0 || length > 8) {
                    return false;
                }
                length = 0;
                first = false;
            } else if (c < 128 && (Character.isLetter(c) || !first && Character.isDigit(c))) {
                length++;
            } else {
                return false;
            }
        }
        return true;
    }

    /** {@code q=} then {@code 0}, {@code 0.} and up to 3 digits, {@code 1} or {@code 1.} and up to 3 zeros. */
    private static boolean qvalue(String parameter) {
        if (!parameter.startsWith("q=") || parameter.length() < 3 || parameter.length() > 7) {
            return false;
        }
        char unit = parameter.charAt(2);
        if (unit != '0' && unit != '1' || parameter.length() > 3 && parameter.charAt(3) != '.') {
            return false;
        }
        for (int i = 4; i < parameter.length(); i++) {
            char c = parameter.charAt(i);
            if (unit == '0' ? c < '0' || c > '9' : c != '0') {
                return false;
            }
        }
        return true;
    }

    /**
     * The tracking page's CSP: the link pages' one, whose img-src also names the tile server's origin (scheme, host,
     * port) when a map tile server is configured, and only then.
     */
    static String trackingCsp(String tileUrl) {
        return withTiles(LINK_PAGE_CSP, tileUrl);
    }

    /**
     * A CSP whose img-src also names the tile server's origin when one is configured (the tracking page's map, and the
     * staff's shipment page that shows the same tile); unchanged without one.
     */
    static String withTiles(String csp, String tileUrl) {
        if (tileUrl == null || tileUrl.isBlank()) {
            return csp;
        }
        java.net.URI uri = java.net.URI.create(tileUrl.strip().replace("{", "").replace("}", ""));
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalStateException("portlink.map.tile-url must be an absolute http(s) URL with {z}, {x}, {y}");
        }
        String origin = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        return csp.replace("img-src 'self' data:;", "img-src 'self' data: " + origin + ";");
    }

    /**
     * The security headers of every answer by its path: {@code nosniff}; on link pages no referrer, no indexing, no
     * store, their CSP and no framing; on staff pages the staff CSP, no store and no framing; on the API no store; on
     * any other HTML answer (error pages of other addresses) the staff CSP and no framing.
     */
    private static void securityHeaders(String path, io.vertx.core.MultiMap headers, CharSequence trackingCsp,
            CharSequence staffCsp) {
        headers.set(H_CONTENT_TYPE_OPTIONS, V_NOSNIFF);
        String type = headers.get(H_CONTENT_TYPE);
        if ("text/html".equals(type)) {
            headers.set(H_CONTENT_TYPE, V_HTML_UTF8);
        }
        if (isLinkPage(path)) {
            headers.set(H_REFERRER_POLICY, V_NO_REFERRER);
            headers.set(H_ROBOTS_TAG, V_NOINDEX);
            headers.set(H_CACHE_CONTROL, V_NO_STORE);
            headers.set(H_CSP, path.startsWith("/t/") ? trackingCsp
                    : path.startsWith("/d/") ? V_DRIVER_PAGE_CSP : V_LINK_PAGE_CSP);
            headers.set(H_FRAME_OPTIONS, V_DENY);
        } else if (path.startsWith("/app")) {
            headers.set(H_REFERRER_POLICY, V_SAME_ORIGIN);
            headers.set(H_CACHE_CONTROL, V_NO_STORE);
            headers.set(H_CSP, staffCsp);
            headers.set(H_FRAME_OPTIONS, V_DENY);
        } else if (path.startsWith("/api/")) {
            // an API answer is one organisation's data (or a secret shown once) for one key: no shared or
            // browser cache may keep it, errors included
            headers.set(H_CACHE_CONTROL, V_NO_STORE);
        } else if (type != null && type.startsWith("text/html") && !path.startsWith("/q/")) {
            // (not Quarkus's own pages under /q/, such as the Dev UI, whose inline scripts the CSP would stop)
            // an error page of another address (/v without its slash, /robots.txt, /T/pt_… in another case): no
            // framing, no foreign content; and as on link pages no referrer, no store and no indexing, since a
            // mistyped address may still carry a link's token
            headers.set(H_CSP, staffCsp);
            headers.set(H_FRAME_OPTIONS, V_DENY);
            headers.set(H_REFERRER_POLICY, V_NO_REFERRER);
            headers.set(H_CACHE_CONTROL, V_NO_STORE);
            headers.set(H_ROBOTS_TAG, V_NOINDEX);
        }
    }

    static boolean isLinkPage(String path) {
        return path.startsWith("/v/") || path.startsWith("/t/") || path.startsWith("/d/")
                || path.startsWith("/app/invite/") || path.startsWith("/app/connect/");
    }
}
