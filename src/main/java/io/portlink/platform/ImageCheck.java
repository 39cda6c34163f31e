package io.portlink.platform;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;

/**
 * Uploaded images checked on their bytes, never on the name or type the upload claimed: the format from its magic
 * number (PNG, JPEG, GIF; never SVG, which can carry script), the byte size, and the pixel size read from the header,
 * so a small file that decodes to a huge bitmap is refused. Used for organisation logos and shipment photos.
 */
public final class ImageCheck {

    public static final String PNG = "image/png";
    public static final String JPEG = "image/jpeg";
    public static final String GIF = "image/gif";

    /** What the bytes are: content type and pixel size. */
    public record Checked(String contentType, int width, int height) {
    }

    private ImageCheck() {
    }

    /** What is wrong with an image's bytes, for a caller that says it in the reader's own language. */
    public enum Problem {
        /** No bytes. */
        EMPTY,
        /** More bytes than allowed. */
        TOO_LARGE,
        /** Not one of the accepted formats (by its magic number). */
        FORMAT,
        /** The format's header is damaged or cut short. */
        DAMAGED,
        /** A side of 0 pixels or more than allowed. */
        PIXELS
    }

    /**
     * What {@link #inspect} found: the image ({@code problem} null), or the problem with what it read of the bytes
     * ({@code type}: the format its magic number claims, or null; {@code width} × {@code height}: the header's pixel
     * size, 0 when not read).
     */
    public record Inspection(Checked image, Problem problem, String type, int width, int height) {
    }

    /**
     * The bytes' format and pixel size against the limits, without an exception: {@code maxBytes} bytes, 1 to
     * {@code maxSide} pixels a side, one of {@code types} ({@link #PNG}, {@link #JPEG}, {@link #GIF}).
     */
    public static Inspection inspect(byte[] content, long maxBytes, int maxSide, Set<String> types) {
        if (content == null || content.length == 0) {
            return new Inspection(null, Problem.EMPTY, null, 0, 0);
        }
        if (content.length > maxBytes) {
            return new Inspection(null, Problem.TOO_LARGE, null, 0, 0);
        }
        String type;
        int[] size;
        if (startsWith(content, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            type = PNG;
            size = pngSize(content);
        } else if (startsWith(content, 0xFF, 0xD8, 0xFF)) {
            type = JPEG;
            size = jpegSize(content);
        } else if (startsWith(content, 'G', 'I', 'F', '8') && content.length >= 10) {
            type = GIF;
            ByteBuffer b = ByteBuffer.wrap(content).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            size = new int[] { b.getShort(6) & 0xFFFF, b.getShort(8) & 0xFFFF };
        } else {
            type = null;
            size = null;
        }
        if (type == null || !types.contains(type)) {
            return new Inspection(null, Problem.FORMAT, type, 0, 0);
        }
        if (size == null) {
            return new Inspection(null, Problem.DAMAGED, type, 0, 0);
        }
        if (size[0] < 1 || size[1] < 1 || size[0] > maxSide || size[1] > maxSide) {
            return new Inspection(null, Problem.PIXELS, type, size[0], size[1]);
        }
        return new Inspection(new Checked(type, size[0], size[1]), null, type, size[0], size[1]);
    }

    /**
     * The type and size of {@code content}, or a {@link ValidationException} under {@code field} saying what is wrong
     * in English ({@link #inspect}'s problems: empty, over {@code maxBytes}, not one of {@code types}, cut short, a
     * side over {@code maxSide} pixels). {@code what} names the thing in messages ("a logo", "a photo").
     */
    public static Checked check(String field, String what, byte[] content, long maxBytes, int maxSide,
            Set<String> types) {
        Inspection found = inspect(content, maxBytes, maxSide, types);
        if (found.problem() == null) {
            return found.image();
        }
        throw switch (found.problem()) {
        case EMPTY -> ValidationException.of(field, "choose an image file to upload", null);
        case TOO_LARGE -> tooLarge(field, what, content.length, maxBytes);
        case FORMAT -> ValidationException.of(field, "must be a " + names(types) + " image (SVG and other formats are"
                + " not accepted); this file is none of these", null);
        case DAMAGED -> ValidationException.of(field, "looks like " + found.type() + " but is damaged or cut short",
                null);
        case PIXELS -> ValidationException.of(field, "is " + found.width() + " × " + found.height()
                + " pixels; each side must be 1 to " + maxSide + " pixels", null);
        };
    }

    /** "is 300 KB; a logo may be at most 256 KB", for a file refused by its size before it is read. */
    public static ValidationException tooLarge(String field, String what, long size, long maxBytes) {
        return ValidationException.of(field, "is " + size(size) + "; " + what + " may be at most " + size(maxBytes),
                null);
    }

    /** A size as the messages say it: whole megabytes when exact ("8 MB"), else kilobytes rounded up ("301 KB"). */
    private static String size(long bytes) {
        return bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MB"
                : (bytes + 1023) / 1024 + " KB";
    }

    private static String names(Set<String> types) {
        List<String> names = java.util.stream.Stream.of(PNG, JPEG, GIF).filter(types::contains)
                .map(t -> t.substring("image/".length()).toUpperCase(java.util.Locale.ROOT)).toList();
        return names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
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
