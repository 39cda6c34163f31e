package io.portlink.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.portlink.platform.OverLimitBodies;
import io.portlink.platform.Problems;
import io.portlink.shipment.DriverPages;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * An API request whose declared body is over the request body limit ({@code quarkus.http.limits.max-body-size}, 40 MiB:
 * a photo, an import file, any JSON) gets a 413 {@code application/problem+json} naming its size and the limit, like
 * every other refusal of the API, instead of Quarkus's empty 413. Answered before anything is read or the key is
 * checked: the answer names no organisation, only the request's own size.
 * <p>
 * The sales channel's webhook ({@link SalesChannelWebhook}) is signed, not keyed, and its signature can only be checked
 * once the whole body is in memory: anyone may send to it. It takes at most {@link SalesChannelWebhook#MAX_BODY} bytes,
 * declared up front ({@code Content-Length}; a body without one is answered 411), so that unsigned senders cannot make
 * the service hold 40 MiB a request.
 */
@ApplicationScoped
public class ApiBodyLimit {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBody;

    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        router.route("/api/*").order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
    }

    private void check(RoutingContext rc) {
        long length = OverLimitBodies.declaredLength(rc.request().getHeader("Content-Length"));
        if (SalesChannelWebhook.ADDRESS.matcher(rc.normalizedPath()).matches()
                && rc.request().method() == HttpMethod.POST) {
            if (length < 0) {
                refuse(rc, 411, "Length required", "the sales channel's webhook takes a body of declared length only:"
                        + " send its Content-Length header (a chunked body is not read), nothing was read or saved", 0);
                return;
            }
            if (length > SalesChannelWebhook.MAX_BODY) {
                refuse(rc, 413, "Request too large",
                        "the request's body is " + length + " bytes (" + DriverPages.megabytesText(length)
                                + " MB); the sales channel's webhook accepts at most " + SalesChannelWebhook.MAX_BODY
                                + " bytes (" + DriverPages.megabytes(SalesChannelWebhook.MAX_BODY)
                                + " MB), so nothing was read or saved: send a larger order with an API key, to"
                                + " POST /api/v1/sales-orders",
                        length);
                return;
            }
        }
        if (length <= maxBody.asLongValue()) {
            rc.next();
            return;
        }
        refuse(rc, 413, "Request too large",
                "the request's body is " + length + " bytes (" + DriverPages.megabytesText(length) + " MB"
                        + "); the API accepts at most " + maxBody.asLongValue() + " bytes ("
                        + DriverPages.megabytes(maxBody.asLongValue()) + " MB"
                        + ") in one request, so nothing was read or saved:"
                        + " send a smaller file (an import may be split into several)",
                length);
    }

    /** Answers the problem {@code title}/{@code detail} with {@code status}, the declared body dropped unread. */
    private void refuse(RoutingContext rc, int status, String title, String detail, long length) {
        String body;
        try {
            body = json.writeValueAsString(new Problems.Problem(title, status, detail, null, null, null));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem record is always written", e);
        }
        OverLimitBodies.answer(rc, status, Problems.MEDIA_TYPE, body, length);
    }
}
