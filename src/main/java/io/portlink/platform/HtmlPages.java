package io.portlink.platform;

import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.qute.TemplateInstance;

/**
 * Pages answered already rendered. A resource that returns a {@link TemplateInstance} has Quarkus REST render it
 * asynchronously ({@code quarkus-rest-qute}'s {@code Util.toUni}), and that render always arms a timer of
 * {@code quarkus.qute.timeout} (10 s) on the worker pool's scheduler. The render finishes in well under a millisecond,
 * but the cancelled timer stays queued until its time, holding the request's context: at 2,300 tracking pages a second,
 * 23,000 timers and about 200 MB of old generation, a young collection every 0.15 s and a p99 of 73 ms at 1,000 req/s
 * (README "Benchmarks"). Our pages are rendered from records already read, so nothing in a render waits: rendered here,
 * on the request's worker thread, the same bytes leave with no timer and no suspension of the request.
 * <p>
 * The pages anyone may ask for at any rate answer through this: the link pages ({@code /v/}, {@code /t/}, {@code /d/})
 * and their "not available" page, sign-in, the invitation and connection links' pages and their forms' answers, and the
 * 404 of an address no route takes ({@link Problems}), which scanners ask for most. The staff's other pages, signed in
 * and few, keep the framework's way ({@code PagesLeaveNoTimerTest}).
 */
public final class HtmlPages {

    /** The content type of a rendered HTML page. */
    public static final MediaType HTML = MediaType.TEXT_HTML_TYPE.withCharset("UTF-8");

    private HtmlPages() {
    }

    /**
     * A response of {@code status} whose body is {@code page} rendered now, as {@code text/html;charset=UTF-8}; headers
     * may still be added to the builder. The body leaves as the page's UTF-8 bytes: the JDK encodes an all-Latin-1
     * string (most pages) with one array copy, where the REST layer's String writer encodes it character by character
     * into the network buffer (6 % of the vendor page's CPU).
     *
     * @throws io.quarkus.qute.TemplateException
     *             when the template fails (the request answers 500, as a failed asynchronous render would)
     */
    public static Response.ResponseBuilder page(int status, TemplateInstance page) {
        return Response.status(status).entity(page.render().getBytes(StandardCharsets.UTF_8)).type(HTML);
    }

    /** {@link #page} with status 200. */
    public static Response.ResponseBuilder ok(TemplateInstance page) {
        return page(200, page);
    }
}
