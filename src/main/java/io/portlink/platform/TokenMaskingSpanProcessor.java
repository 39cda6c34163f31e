package io.portlink.platform;

import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Keeps link tokens and API keys out of traces (SECURITY.md: tokens never leave in clear text), when tracing is on
 * ({@code QUARKUS_OTEL_SDK_DISABLED=false}, README "Tracing"). The HTTP server span of {@code GET /v/pv_…} carries the
 * path ({@code url.path}, and in older conventions {@code http.target} or {@code http.url}) and the query
 * ({@code url.query}) as received; {@code http.route} is the route's template and holds no token. When a span starts,
 * every string attribute it has then, and its name, are masked as log lines are ({@link Tokens#maskUrl} for addresses,
 * {@link Tokens#mask} for the rest), before any exporter sees it. Quarkus adds every {@link SpanProcessor} bean to the
 * tracer provider; none exists while the SDK is disabled.
 */
@ApplicationScoped
public class TokenMaskingSpanProcessor implements SpanProcessor {

    /** Attributes that hold a request address (path, query or whole URL): masked as the access log masks one. */
    static final Set<String> ADDRESSES = Set.of("url.path", "url.query", "url.full", "http.target", "http.url");

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        String name = span.getName();
        String maskedName = Tokens.maskUrl(name);
        if (maskedName != null && !maskedName.equals(name)) {
            span.updateName(maskedName);
        }
        for (Map.Entry<AttributeKey<?>, Object> attribute : span.getAttributes().asMap().entrySet()) {
            AttributeKey<?> key = attribute.getKey();
            if (key.getType() != AttributeType.STRING) {
                continue;
            }
            String value = (String) attribute.getValue();
            String masked = ADDRESSES.contains(key.getKey()) ? Tokens.maskUrl(value) : Tokens.mask(value);
            if (masked != null && !masked.equals(value)) {
                @SuppressWarnings("unchecked")
                AttributeKey<String> text = (AttributeKey<String>) key;
                span.setAttribute(text, masked);
            }
        }
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        // attributes can no longer change here; the start saw every attribute that carries the address
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
