package io.portlink.platform;

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
 */
public class MetricTags {

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
                if (uri == null) {
                    return id;
                }
                String masked = maskUri(uri);
                return masked.equals(uri) ? id : id.replaceTags(
                        id.getTags().stream().map(t -> "uri".equals(t.getKey()) ? Tag.of("uri", masked) : t).toList());
            }
        };
    }
}
