package io.portlink.platform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;

import org.apache.commons.imaging.Imaging;
import org.apache.commons.imaging.common.ImageMetadata;
import org.apache.commons.imaging.formats.jpeg.JpegImageMetadata;
import org.apache.commons.imaging.formats.jpeg.exif.ExifRewriter;
import org.apache.commons.imaging.formats.tiff.TiffField;
import org.apache.commons.imaging.formats.tiff.constants.TiffTagConstants;
import org.apache.commons.imaging.formats.tiff.write.TiffOutputDirectory;
import org.apache.commons.imaging.formats.tiff.write.TiffOutputSet;

/**
 * Removes what a photo says beyond its pixels before it is stored. A JPEG keeps only the segments that draw it (tables,
 * frame, scans) plus APP0 JFIF (without its thumbnail), APP2 ICC profile and APP14 Adobe: EXIF (GPS position, camera,
 * owner, times), XMP, IPTC/Photoshop (APP13), comments (COM) and every other APPn go, and so does everything after the
 * image's end marker (phones append a second, preview JPEG there with its own EXIF and GPS). Only the orientation comes
 * back, in a minimal EXIF, so the photo still shows upright. A PNG keeps only the chunks that draw the image (text,
 * eXIf and time chunks are dropped) and nothing after IEND. Pixels are never decoded or re-encoded (no AWT).
 */
public final class ImageCleaner {

    /** PNG chunks that describe how to draw the image; everything else (eXIf, tEXt, zTXt, iTXt, tIME, ...) goes. */
    private static final Set<String> PNG_KEEP = Set.of("IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB",
            "iCCP", "sBIT", "bKGD", "pHYs", "acTL", "fcTL", "fdAT");

    private ImageCleaner() {
    }

    /**
     * The same image without metadata, for a {@code contentType} decided by {@link ImageCheck}.
     *
     * @throws ValidationException
     *             under {@code field} when the file's structure cannot be read (damaged)
     */
    public static byte[] strip(String field, byte[] content, String contentType) {
        if (!ImageCheck.JPEG.equals(contentType) && !ImageCheck.PNG.equals(contentType)) {
            throw new IllegalArgumentException("no metadata rule for " + contentType);
        }
        try {
            return ImageCheck.JPEG.equals(contentType) ? jpeg(content) : png(content);
        } catch (IOException | RuntimeException damaged) {
            throw ValidationException.of(field,
                    "looks like " + contentType + " but its structure is damaged; export it again and upload the copy",
                    null);
        }
    }

    private static byte[] jpeg(byte[] content) throws IOException {
        Integer orientation = orientation(content);
        byte[] bare = jpegSegments(content);
        if (orientation == null || orientation == 1) {
            return bare;
        }
        // Only the orientation goes back: a phone stores a portrait photo sideways and says so in EXIF.
        TiffOutputSet set = new TiffOutputSet();
        TiffOutputDirectory root = set.addRootDirectory();
        root.add(TiffTagConstants.TIFF_TAG_ORIENTATION, orientation.shortValue());
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length);
        new ExifRewriter().updateExifMetadataLossless(bare, out, set);
        return out.toByteArray();
    }

    /**
     * The JPEG's drawing segments from SOI to the first end-of-image marker of the main image: APPn other than APP0
     * JFIF, APP2 ICC_PROFILE and APP14 Adobe are dropped, as are COM segments and whatever follows EOI. Segment parsing
     * stops at each SOS; its entropy-coded data (where FF is followed by 00 stuffing or an RSTn marker) is copied as is
     * up to the next real marker, so progressive files with several scans come through whole.
     *
     * @throws IOException
     *             for a file without SOI, with a segment longer than the file, or that ends before its EOI
     */
    private static byte[] jpegSegments(byte[] c) throws IOException {
        int n = c.length;
        if (n < 4 || (c[0] & 0xFF) != 0xFF || (c[1] & 0xFF) != 0xD8) {
            throw new IOException("no JPEG start of image");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(n);
        out.write(0xFF);
        out.write(0xD8);
        int at = 2;
        boolean scanned = false;
        while (true) {
            if (at >= n || (c[at] & 0xFF) != 0xFF) {
                throw new IOException("JPEG segment expected at " + at);
            }
            while (at < n && (c[at] & 0xFF) == 0xFF) {
                at++; // fill bytes before a marker
            }
            if (at >= n) {
                throw new IOException("JPEG cut short");
            }
            int marker = c[at] & 0xFF;
            at++;
            if (marker == 0xD9) {
                if (!scanned) {
                    throw new IOException("JPEG without image data");
                }
                out.write(0xFF);
                out.write(0xD9);
                return out.toByteArray(); // anything after the end of the image (an appended preview JPEG) goes
            }
            if (marker == 0x00 || marker == 0xD8) {
                throw new IOException("JPEG marker out of place");
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                out.write(0xFF); // TEM and RSTn have no length
                out.write(marker);
                continue;
            }
            if (at + 2 > n) {
                throw new IOException("JPEG cut short");
            }
            int length = ((c[at] & 0xFF) << 8) | (c[at + 1] & 0xFF);
            if (length < 2 || at + length > n) {
                throw new IOException("JPEG segment longer than the file");
            }
            int start = at - 2;
            int end = at + length;
            if (marker == 0xE0) {
                jfif(c, at + 2, length - 2, out);
            } else if (keep(marker, c, at + 2, length - 2)) {
                out.write(c, start, end - start);
            }
            at = end;
            if (marker == 0xDA) {
                scanned = true;
                at = scanEnd(c, at);
                out.write(c, end, at - end);
            }
        }
    }

    /** Whether a segment other than APP0 is kept: APP2 ICC_PROFILE, APP14 Adobe and all non-APPn, non-COM ones. */
    private static boolean keep(int marker, byte[] c, int payload, int size) {
        if (marker == 0xFE) {
            return false; // COM: free text, a place name or coordinates as often as not
        }
        if (marker < 0xE0 || marker > 0xEF) {
            return true; // tables, frame, scan headers, restart interval
        }
        return marker == 0xE2 && startsWith(c, payload, size, "ICC_PROFILE\0")
                || marker == 0xEE && startsWith(c, payload, size, "Adobe");
    }

    /**
     * APP0 JFIF is kept with its density but without its thumbnail (a picture of the uncropped original); others go.
     */
    private static void jfif(byte[] c, int payload, int size, ByteArrayOutputStream out) {
        if (size < 14 || !startsWith(c, payload, size, "JFIF\0")) {
            return;
        }
        out.write(0xFF);
        out.write(0xE0);
        out.write(0);
        out.write(16);
        out.write(c, payload, 12); // "JFIF\0", version, units, densities
        out.write(0); // no thumbnail
        out.write(0);
    }

    private static boolean startsWith(byte[] c, int at, int size, String prefix) {
        if (size < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (c[at + i] != (byte) prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where a scan's entropy-coded data that starts at {@code at} ends: the FF of the first marker that is neither
     * stuffing (FF00) nor a restart (FFD0 to FFD7).
     */
    private static int scanEnd(byte[] c, int at) throws IOException {
        int n = c.length;
        while (at < n) {
            if ((c[at] & 0xFF) != 0xFF) {
                at++;
                continue;
            }
            int next = at + 1;
            while (next < n && (c[next] & 0xFF) == 0xFF) {
                next++; // fill bytes
            }
            if (next >= n) {
                break;
            }
            int m = c[next] & 0xFF;
            if (m == 0x00 || (m >= 0xD0 && m <= 0xD7)) {
                at = next + 1;
                continue;
            }
            return at;
        }
        throw new IOException("JPEG scan without an end");
    }

    /** The EXIF orientation (1 to 8), or null without a readable one. */
    private static Integer orientation(byte[] content) {
        try {
            ImageMetadata metadata = Imaging.getMetadata(content);
            if (metadata instanceof JpegImageMetadata jpeg && jpeg.getExif() != null) {
                TiffField field = jpeg.getExif().findField(TiffTagConstants.TIFF_TAG_ORIENTATION);
                if (field != null) {
                    int value = field.getIntValue();
                    return value >= 1 && value <= 8 ? value : null;
                }
            }
            return null;
        } catch (IOException | RuntimeException unreadable) {
            return null; // the EXIF is removed below anyway; the photo shows as stored
        }
    }

    /** Copies the chunks in {@link #PNG_KEEP}; refuses a file whose chunks do not add up to an IEND. */
    private static byte[] png(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length);
        out.write(content, 0, 8);
        ByteBuffer b = ByteBuffer.wrap(content);
        int at = 8;
        while (true) {
            if (at + 12 > content.length) {
                throw new IOException("PNG cut short");
            }
            long length = b.getInt(at) & 0xFFFFFFFFL;
            if (length > content.length - at - 12) {
                throw new IOException("PNG chunk longer than the file");
            }
            String type = new String(content, at + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            int size = (int) length + 12;
            if (PNG_KEEP.contains(type)) {
                out.write(content, at, size);
            }
            at += size;
            if (type.equals("IEND")) {
                return out.toByteArray();
            }
        }
    }
}
