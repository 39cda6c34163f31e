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

    /**
     * The type and size of {@code content}, or a {@link ValidationException} under {@code field} saying what is wrong
     * (empty, over {@code maxBytes}, not one of {@code types}, cut short, a side over {@code maxSide} pixels).
     * {@code what} names the thing in messages ("a logo", "a photo").
     */
    public static Checked check(String field, String what, byte[] content, long maxBytes, int maxSide,
            Set<String> types) {
        if (content == null || content.length == 0) {
            throw ValidationException.of(field, "choose an image file to upload", null);
        }
        if (content.length > maxBytes) {
            throw tooLarge(field, what, content.length, maxBytes);
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
            throw ValidationException.of(field, "must be a " + names(types) + " image (SVG and other formats are not"
                    + " accepted); this file is none of these", null);
        }
        if (size == null) {
            throw ValidationException.of(field, "looks like " + type + " but is damaged or cut short", null);
        }
        if (size[0] < 1 || size[1] < 1 || size[0] > maxSide || size[1] > maxSide) {
            throw ValidationException.of(field,
                    "is " + size[0] + " × " + size[1] + " pixels; each side must be 1 to " + maxSide + " pixels", null);
        }
        return new Checked(type, size[0], size[1]);
    }

    /** "is 300 KB; a logo may be at most 256 KB", for a file refused by its size before it is read. */
    public static ValidationException tooLarge(String field, String what, long size, long maxBytes) {
        return ValidationException.of(field, "is " + kb(size) + "; " + what + " may be at most " + kb(maxBytes), null);
    }

    private static String kb(long bytes) {
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
