package io.portlink.platform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;

import org.apache.commons.imaging.Imaging;
import org.apache.commons.imaging.common.ImageMetadata;
import org.apache.commons.imaging.formats.jpeg.JpegImageMetadata;
import org.apache.commons.imaging.formats.jpeg.exif.ExifRewriter;
import org.apache.commons.imaging.formats.jpeg.xmp.JpegXmpRewriter;
import org.apache.commons.imaging.formats.tiff.TiffField;
import org.apache.commons.imaging.formats.tiff.constants.TiffTagConstants;
import org.apache.commons.imaging.formats.tiff.write.TiffOutputDirectory;
import org.apache.commons.imaging.formats.tiff.write.TiffOutputSet;

/**
 * Removes what a photo says beyond its pixels before it is stored: EXIF (GPS position, camera, owner, times) and XMP
 * from a JPEG, keeping only the orientation so the photo still shows upright; from a PNG every chunk but those that
 * draw the image (text, eXIf and time chunks are dropped). Pixels are never decoded or re-encoded (no AWT).
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
        ByteArrayOutputStream noExif = new ByteArrayOutputStream(content.length);
        new ExifRewriter().removeExifMetadata(content, noExif);
        ByteArrayOutputStream noXmp = new ByteArrayOutputStream(content.length);
        new JpegXmpRewriter().removeXmpXml(noExif.toByteArray(), noXmp);
        if (orientation == null || orientation == 1) {
            return noXmp.toByteArray();
        }
        // Only the orientation goes back: a phone stores a portrait photo sideways and says so in EXIF.
        TiffOutputSet set = new TiffOutputSet();
        TiffOutputDirectory root = set.addRootDirectory();
        root.add(TiffTagConstants.TIFF_TAG_ORIENTATION, orientation.shortValue());
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length);
        new ExifRewriter().updateExifMetadataLossless(noXmp.toByteArray(), out, set);
        return out.toByteArray();
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
