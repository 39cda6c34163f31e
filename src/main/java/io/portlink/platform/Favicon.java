package io.portlink.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

/**
 * The site's icon at {@code /favicon.ico}, which every browser asks for on every page (a 404 there is a console error
 * on the tracking and driver pages): a 32 × 32 icon of our own (a white pin on the pages' blue), served from the class
 * path with a month's public cache, so a browser asks again at most monthly. The pages' CSP allows it ({@code img-src
 * 'self'}).
 */
@Path("/favicon.ico")
public class Favicon {

    /** How long browsers and proxies may keep the icon: 30 days, in seconds. */
    static final int MAX_AGE_SECONDS = 30 * 24 * 3600;

    private static final byte[] ICON = load();

    private static byte[] load() {
        try (InputStream in = Favicon.class.getResourceAsStream("/icons/favicon.ico")) {
            if (in == null) {
                throw new IllegalStateException("icons/favicon.ico is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The icon, {@code image/x-icon}, cached publicly for {@link #MAX_AGE_SECONDS}. */
    @GET
    @Produces("image/x-icon")
    public Response icon() {
        return Response.ok(ICON, "image/x-icon").header("Cache-Control", "public, max-age=" + MAX_AGE_SECONDS).build();
    }
}
