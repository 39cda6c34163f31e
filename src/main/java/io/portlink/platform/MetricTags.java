package io.portlink.platform;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Keeps secrets out of metric tags. HTTP metrics are tagged with the route template ({@code /v/{token}}), but an answer
 * given before routing (a 400 for a bad address, a 413 for a body over the limit) would be tagged with the address
 * asked for. This filter rewrites every {@code uri} tag: the segment after a link prefix ({@code /v/}, {@code /t/},
 * {@code /d/}, {@code /app/invite/}, {@code /app/connect/}) becomes {@code {token}}, and anything shaped like one of
 * our tokens ({@link Tokens#ANY}) anywhere else too. So a scrape never shows a token, and 50 links opened make one
 * series.
 * <p>
 * A 4xx keeps its route's template ({@code quarkus.micrometer.binder.http-server.suppress4xx-errors=false}), but
 * Quarkus then tags a 4xx that no route took (a 400 for a semicolon, a 413, a 405 of an unknown address) with the
 * address itself, and every address a scanner tries would be a series. So the {@code uri} of a 4xx of
 * {@code http.server.*} stays only when it is a route template that {@link HttpFilters} recorded for a request
 * ({@link #recordRoute}) or one of Quarkus's own values ({@code NOT_FOUND}, {@code REDIRECTION}, {@code UNKNOWN},
 * {@code root}); any other becomes {@code UNKNOWN}. Micrometer maps an id once and then reuses the meter, so a route's
 * template must be recorded before its first 4xx is measured: {@link HttpFilters} records it when the response's
 * headers are written, before the response ends and is measured.
 * <p>
 * A redirect (3xx) or a 404 of a route without path parameters ({@code POST /app/orders/new} answering 303) Quarkus
 * tags {@code REDIRECTION} or {@code NOT_FOUND}, as for an address no route took, so per-route alerts would not see the
 * staff forms. {@link RouteOfRedirects} hands such an answer's route template to this filter in a tag of its own
 * ({@link #ROUTE}), which puts it in {@code uri} and drops that tag: no series carries it. A {@code method} tag other
 * than the HTTP methods is {@link #OTHER}: a client may send any word as a method, and each would be a series.
 */
@Singleton
public class MetricTags {

    /** The uri of a 4xx whose address matched no route. */
    static final String UNKNOWN = "UNKNOWN";

    /** The most route templates kept (the service has a few hundred routes; more is not a route). */
    static final int MAX_ROUTES = 2_000;

    /** The HTTP methods a {@code method} tag keeps; any other (a client may send any word) is {@link #OTHER}. */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
            "TRACE", "CONNECT");

    /** The {@code method} of a request whose method is none of {@link #METHODS}. */
    static final String OTHER = "OTHER";

    /** Quarkus's own {@code uri} values (HttpCommonTags), never an address. */
    private static final Set<String> QUARKUS_URIS = Set.of("NOT_FOUND", "REDIRECTION", UNKNOWN, "root");

    /**
     * The tag in which {@link RouteOfRedirects} gives this filter the route template of a 3xx or 404; never exported.
     */
    static final String ROUTE = "portlink.route";

    /** The route templates requests were matched to, as Micrometer writes them (see {@link #recordRoute}). */
    private final Set<String> routes = ConcurrentHashMap.newKeySet();

    /** The templates as given to {@link #recordRoute}, so that a route's every later request costs one lookup. */
    private final Set<String> given = ConcurrentHashMap.newKeySet();

    /**
     * Records the template of the route a request was matched to ({@code /v/{token}},
     * {@code /api/v1/organization/retention}), so that a 4xx of that route keeps it as its {@code uri}. Written as
     * Micrometer writes a path (one leading slash, no trailing one); null is ignored, and after {@link #MAX_ROUTES}
     * templates no more are kept (their 4xx are then {@code UNKNOWN}).
     */
    public void recordRoute(String template) {
        // every request records its route: a template seen before costs a lookup, not a copy
        if (template == null || given.contains(template) || given.size() >= MAX_ROUTES) {
            return;
        }
        routes.add(asMicrometerWrites(template));
        given.add(template);
    }

    /** A route template with one leading slash and no trailing one, as Micrometer writes a path. */
    static String asMicrometerWrites(String template) {
        int start = 0;
        while (start < template.length() && template.charAt(start) == '/') {
            start++;
        }
        int end = template.length();
        while (end > start && template.charAt(end - 1) == '/') {
            end--;
        }
        return "/" + template.substring(start, end);
    }

    /**
     * The {@code uri} tag of an HTTP server measurement: {@link #UNKNOWN} for a 4xx ({@code status} 400 to 499) whose
     * {@code uri} is neither a recorded route template nor one of Quarkus's own values, else {@code uri} with its
     * tokens masked ({@link #maskUri}); null stays null.
     */
    public String serverUri(String uri, String status) {
        if (uri == null) {
            return null;
        }
        if (status != null && status.length() == 3 && status.charAt(0) == '4' && !QUARKUS_URIS.contains(uri)
                && !routes.contains(uri)) {
            return UNKNOWN;
        }
        return maskUri(uri);
    }

    /** A link page's token segment, whatever follows it. */
    private static final Pattern LINK_SEGMENT = Pattern
            .compile("^(/(?:v|t|d|app/invite|app/connect)/)(?!\\{token\\})[^/]+");

    /** The {@code uri} tag's value without tokens. */
    public static String maskUri(String uri) {
        if (uri == null) {
            return null;
        }
        String masked = LINK_SEGMENT.matcher(uri).replaceFirst("$1{token}");
        return Tokens.ANY.matcher(masked).replaceAll("{token}");
    }

    @Produces
    @Singleton
    MeterFilter noTokensInUris() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String uri = id.getTag("uri");
                String route = id.getTag(ROUTE);
                if (route != null) {
                    // a 3xx or 404 of a route: its template instead of REDIRECTION or NOT_FOUND, and no tag of its own
                    String routed = uri == null || QUARKUS_URIS.contains(uri) ? asMicrometerWrites(route) : uri;
                    return map(id.replaceTags(id.getTags().stream().filter(t -> !ROUTE.equals(t.getKey()))
                            .map(t -> "uri".equals(t.getKey()) ? Tag.of("uri", routed) : t).toList()));
                }
                String method = id.getTag("method");
                if (method != null && !METHODS.contains(method) && !OTHER.equals(method)) {
                    // made-up methods (ZZZ /x HTTP/1.1) are one series, however many a client invents
                    return map(id.replaceTags(id.getTags().stream()
                            .map(t -> "method".equals(t.getKey()) ? Tag.of("method", OTHER) : t).toList()));
                }
                if (uri == null) {
                    return id;
                }
                String masked = id.getName().startsWith("http.server") ? serverUri(uri, id.getTag("status"))
                        : maskUri(uri);
                return masked.equals(uri) ? id : id.replaceTags(
                        id.getTags().stream().map(t -> "uri".equals(t.getKey()) ? Tag.of("uri", masked) : t).toList());
            }
        };
    }
}
