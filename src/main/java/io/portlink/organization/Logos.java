package io.portlink.organization;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.platform.ImageCheck;
import io.portlink.platform.Tokens;
import io.portlink.platform.ValidationException;

/**
 * Organisation logos. The type is decided from the bytes (PNG, JPEG or GIF; no SVG, which can carry script), the size
 * and the pixel dimensions are limited, and the image is stored under a generated name: the SHA-256 of its content.
 */
@ApplicationScoped
public class Logos {

    /** Larger than any sensible logo, small enough to embed in every vendor mail. */
    public static final int MAX_BYTES = 256 * 1024;
    /** Guards mail clients and browsers against a small file that decodes to a huge bitmap. */
    public static final int MAX_SIDE = 2000;

    @Inject
    Clock clock;

    /** A stored logo as it is served. */
    public record Image(String digest, String contentType, byte[] content) {

        public String fileName() {
            return "logo." + contentType.substring("image/".length()).replace("jpeg", "jpg");
        }
    }

    /** The public path of a logo, or null without one. */
    public static String url(String digest) {
        return digest == null ? null : "/logo/" + digest;
    }

    /** Reads an uploaded file, refusing a too large one before reading it. */
    public String upload(long organizationId, java.nio.file.Path file) {
        try {
            long size = java.nio.file.Files.size(file);
            if (size > MAX_BYTES) {
                throw tooLarge(size);
            }
            return upload(organizationId, java.nio.file.Files.readAllBytes(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Checks and stores (or replaces) the logo; a refused upload leaves the current logo as it was. */
    @Transactional
    public String upload(long organizationId, byte[] content) {
        String type = check(content);
        String digest = Tokens.sha256(content);
        OrganizationLogo logo = OrganizationLogo.findById(organizationId);
        if (logo == null) {
            logo = new OrganizationLogo();
            logo.organizationId = organizationId;
        }
        logo.digest = digest;
        logo.contentType = type;
        logo.content = content;
        logo.uploadedAt = Instant.now(clock);
        logo.persist();
        Organization org = Organization.findById(organizationId);
        org.logoDigest = digest;
        return digest;
    }

    @Transactional
    public void remove(long organizationId) {
        OrganizationLogo.deleteById(organizationId);
        Organization org = Organization.findById(organizationId);
        org.logoDigest = null;
    }

    @Transactional
    public Optional<Image> byDigest(String digest) {
        if (digest == null || !digest.matches("[0-9a-f]{64}")) {
            return Optional.empty();
        }
        return OrganizationLogo.<OrganizationLogo> find("digest", digest).firstResultOptional()
                .map(l -> new Image(l.digest, l.contentType, l.content));
    }

    @Transactional
    public Optional<Image> of(long organizationId) {
        return OrganizationLogo.<OrganizationLogo> findByIdOptional(organizationId)
                .map(l -> new Image(l.digest, l.contentType, l.content));
    }

    /** Returns the content type the bytes really are, or says what is wrong with them. */
    static String check(byte[] content) {
        return ImageCheck.check("logo", "a logo", content, MAX_BYTES, MAX_SIDE,
                Set.of(ImageCheck.PNG, ImageCheck.JPEG, ImageCheck.GIF)).contentType();
    }

    private static ValidationException tooLarge(long size) {
        return ImageCheck.tooLarge("logo", "a logo", size, MAX_BYTES);
    }
}
