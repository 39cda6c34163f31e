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
     * may still be added to the builder. The body leaves as the page's UTF-8 bytes ({@link #utf8}): the JDK encodes
     * each piece of Latin-1 text with one array copy, where the REST layer's String writer encodes the page character
     * by character into the network buffer (6 % of the vendor page's CPU).
     *
     * @throws io.quarkus.qute.TemplateException
     *             when the template fails (the request answers 500, as a failed asynchronous render would)
     */
    public static Response.ResponseBuilder page(int status, TemplateInstance page) {
        return Response.status(status).entity(utf8(page)).type(HTML);
    }

    /**
     * {@code page} rendered now, as UTF-8 bytes, each piece of text encoded as the template writes it. Rendered to one
     * string instead, a page with a single character past Latin-1 (a curly quote in a text) is held, copied and encoded
     * two bytes a character, all of it: about 4 % of the vendor page's CPU (measured).
     *
     * @throws io.quarkus.qute.TemplateException
     *             when the template fails
     */
    static byte[] utf8(TemplateInstance page) {
        Utf8 out = Utf8.take();
        try {
            // nothing in our renders waits (see above): the stage is complete on return, so its timeout arms no timer
            page.consume(out).toCompletableFuture().get(page.getTimeout(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return out.bytes();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new io.quarkus.qute.TemplateException("The page took longer than " + page.getTimeout() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            out.giveBack();
        }
    }

    /**
     * A growing buffer of UTF-8 bytes, written a string at a time. Each thread keeps one for its next page (a new 16 KB
     * array for every page was about a tenth of the vendor page's allocation, measured); a render that starts while the
     * thread's buffer is in use gets one of its own, and a buffer grown past {@link #KEPT} is not kept.
     */
    private static final class Utf8 implements java.util.function.Consumer<String> {
        private static final int INITIAL = 16 * 1024;
        private static final int KEPT = 256 * 1024;
        private static final ThreadLocal<Utf8> SPARE = new ThreadLocal<>();

        private byte[] bytes = new byte[INITIAL];
        private int size;
        private boolean inUse;

        /** The thread's buffer, emptied, or a new one while the thread's is in use. */
        static Utf8 take() {
            Utf8 kept = SPARE.get();
            if (kept == null) {
                kept = new Utf8();
                SPARE.set(kept);
            }
            if (kept.inUse) {
                return new Utf8();
            }
            kept.inUse = true;
            kept.size = 0;
            return kept;
        }

        /** Frees this buffer for the thread's next page; one grown past {@link #KEPT} starts small again. */
        void giveBack() {
            inUse = false;
            if (bytes.length > KEPT) {
                bytes = new byte[INITIAL];
            }
        }

        /**
         * Appends {@code text} as UTF-8: its ASCII characters straight into the buffer, the rest of the piece from the
         * first other character on through the JDK's encoder. A page is almost all ASCII (markup, and Latin text), and
         * an array of its own for every piece was a tenth of the vendor page's allocation (measured).
         */
        @Override
        public void accept(String text) {
            int length = text.length();
            room(length);
            for (int i = 0; i < length; i++) {
                char c = text.charAt(i);
                if (c >= 0x80) {
                    byte[] rest = text.substring(i).getBytes(StandardCharsets.UTF_8);
                    room(rest.length);
                    System.arraycopy(rest, 0, bytes, size, rest.length);
                    size += rest.length;
                    return;
                }
                bytes[size++] = (byte) c;
            }
        }

        private void room(int more) {
            if (size + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        byte[] bytes() {
            return java.util.Arrays.copyOf(bytes, size);
        }
    }

    /** {@link #page} with status 200. */
    public static Response.ResponseBuilder ok(TemplateInstance page) {
        return page(200, page);
    }
}
