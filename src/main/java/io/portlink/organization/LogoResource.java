package io.portlink.organization;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * Serves logos to vendor pages. Public like the images of any web page, named by content hash (so cached for good and
 * not guessable from an organisation id), and served so that no browser treats the bytes as anything but an image.
 */
@Path("/logo")
public class LogoResource {

    @Inject
    Logos logos;

    @GET
    @Path("/{digest}")
    public Response logo(@PathParam("digest") String digest) {
        return logos.byDigest(digest)
                .map(image -> Response.ok(image.content(), image.contentType())
                        .header("Content-Disposition", "inline; filename=\"" + image.fileName() + "\"")
                        .header("Content-Security-Policy", "default-src 'none'; sandbox")
                        .header("Cache-Control", "public, max-age=31536000, immutable").build())
                .orElseGet(() -> Response.status(404).type("text/plain").entity("No such logo.").build());
    }
}
