package io.portlink.organization;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

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
        if (content == null || content.length == 0) {
            throw ValidationException.of("logo", "choose an image file to upload", null);
        }
        if (content.length > MAX_BYTES) {
            throw tooLarge(content.length);
        }
        String type;
        int[] size;
        if (startsWith(content, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            type = "image/png";
            size = pngSize(content);
        } else if (startsWith(content, 0xFF, 0xD8, 0xFF)) {
            type = "image/jpeg";
            size = jpegSize(content);
        } else if (startsWith(content, 'G', 'I', 'F', '8') && content.length >= 10) {
            type = "image/gif";
            ByteBuffer b = ByteBuffer.wrap(content).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            size = new int[] { b.getShort(6) & 0xFFFF, b.getShort(8) & 0xFFFF };
        } else {
            throw ValidationException.of("logo", "must be a PNG, JPEG or GIF image (SVG and other formats are not"
                    + " accepted); this file is none of these", null);
        }
        if (size == null) {
            throw ValidationException.of("logo", "looks like " + type + " but is damaged or cut short", null);
        }
        if (size[0] < 1 || size[1] < 1 || size[0] > MAX_SIDE || size[1] > MAX_SIDE) {
            throw ValidationException.of("logo",
                    "is " + size[0] + " × " + size[1] + " pixels; each side must be 1 to " + MAX_SIDE + " pixels",
                    null);
        }
        return type;
    }

    private static ValidationException tooLarge(long size) {
        return ValidationException.of("logo",
                "is " + (size + 1023) / 1024 + " KB; a logo may be at most " + MAX_BYTES / 1024 + " KB", null);
    }

    private static boolean startsWith(byte[] content, int... magic) {
        if (content.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((content[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /** Width and height from the IHDR chunk, which must come first. */
    private static int[] pngSize(byte[] c) {
        if (c.length < 33 || c[12] != 'I' || c[13] != 'H' || c[14] != 'D' || c[15] != 'R') {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(c);
        return new int[] { b.getInt(16), b.getInt(20) };
    }

    /** Width and height from the first start-of-frame marker. */
    private static int[] jpegSize(byte[] c) {
        int i = 2;
        while (i + 9 < c.length) {
            if ((c[i] & 0xFF) != 0xFF) {
                return null;
            }
            int marker = c[i + 1] & 0xFF;
            int length = ((c[i + 2] & 0xFF) << 8) | (c[i + 3] & 0xFF);
            boolean startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8
                    && marker != 0xCC;
            if (startOfFrame) {
                int height = ((c[i + 5] & 0xFF) << 8) | (c[i + 6] & 0xFF);
                int width = ((c[i + 7] & 0xFF) << 8) | (c[i + 8] & 0xFF);
                return new int[] { width, height };
            }
            if (length < 2) {
                return null;
            }
            i += 2 + length;
        }
        return null;
    }
}
