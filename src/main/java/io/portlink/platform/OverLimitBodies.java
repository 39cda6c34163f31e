package io.portlink.platform;

import io.vertx.ext.web.RoutingContext;

/**
 * Requests whose declared body is over {@code quarkus.http.limits.max-body-size}: Quarkus answers those with an empty
 * 413 and closes the connection, so a browser shows a blank or "connection reset" page and the person loses what was
 * typed. A page layer's route, ordered just before that check, answers them with a page of its own through
 * {@link #answer}; nothing is read into memory or saved.
 */
public final class OverLimitBodies {

    /** The most bytes of an over-limit body read and dropped so that the browser gets the page (256 MiB). */
    public static final long DRAIN_MAX = 256L * 1024 * 1024;

    private OverLimitBodies() {
    }

    /** The Content-Length header's value, or -1 when there is none or it is no number. */
    public static long declaredLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Answers {@code status} with the HTML page {@code html}. The body (declared {@code length} bytes) is read and
     * dropped meanwhile, up to {@link #DRAIN_MAX}, because a browser shows an answer only once it could send its
     * request; a larger one is cut off after the answer.
     */
    public static void answer(RoutingContext rc, int status, String html, long length) {
        answer(rc, status, "text/html;charset=UTF-8", html, length);
    }

    /** As {@link #answer(RoutingContext, int, String, long)}, with a body of another type (an API's problem JSON). */
    public static void answer(RoutingContext rc, int status, String contentType, String body, long length) {
        var request = rc.request();
        var response = rc.response().setStatusCode(status).putHeader("Content-Type", contentType);
        if (length > DRAIN_MAX) {
            response.putHeader("Connection", "close");
            response.end(body).onComplete(v -> request.connection().close());
            return;
        }
        request.handler(chunk -> {
        });
        request.resume();
        response.end(body);
    }
}
