package io.portlink.purchasing.mail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;

import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.graphics.color.PDColorSpace;
import org.apache.pdfbox.pdmodel.graphics.color.PDDeviceGray;
import org.apache.pdfbox.pdmodel.graphics.color.PDDeviceRGB;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * The logo as a PDF image without java.awt (PDFBox's own image factories need AWT and ImageIO, which the native build
 * leaves out): grey and RGB JPEG bytes go in as they are (DCTDecode); non-interlaced PNG of every colour type and bit
 * depth is decoded here and re-deflated (16-bit samples keep their high byte), its alpha channel or {@code tRNS}
 * transparency (per palette entry or colour key) becoming a soft mask. Anything else (GIF, interlaced PNG, CMYK JPEG)
 * gives null: the document has no logo.
 */
final class PdfImages {

    private PdfImages() {
    }

    /** The image for the PDF, or null when its format is one this class does not embed. */
    static PDImageXObject logo(PDDocument doc, String contentType, byte[] bytes) {
        try {
            return switch (contentType) {
            case "image/jpeg" -> jpeg(doc, bytes);
            case "image/png" -> png(doc, bytes);
            default -> null;
            };
        } catch (IOException | RuntimeException | DataFormatException e) {
            return null; // a logo that cannot be embedded leaves the document without one, never without the order
        }
    }

    private static PDImageXObject jpeg(PDDocument doc, byte[] c) throws IOException {
        int i = 2;
        while (i + 9 < c.length) {
            int marker = c[i + 1] & 0xFF;
            int length = ((c[i + 2] & 0xFF) << 8) | (c[i + 3] & 0xFF);
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                int height = ((c[i + 5] & 0xFF) << 8) | (c[i + 6] & 0xFF);
                int width = ((c[i + 7] & 0xFF) << 8) | (c[i + 8] & 0xFF);
                int components = c[i + 9] & 0xFF;
                PDColorSpace space = components == 1 ? PDDeviceGray.INSTANCE
                        : components == 3 ? PDDeviceRGB.INSTANCE : null;
                return space == null ? null : new PDImageXObject(doc, new ByteArrayInputStream(c), COSName.DCT_DECODE,
                        width, height, 8, space);
            }
            i += 2 + length;
        }
        return null;
    }

    private static PDImageXObject png(PDDocument doc, byte[] c) throws IOException, DataFormatException {
        ByteBuffer b = ByteBuffer.wrap(c);
        b.position(8);
        int width = 0, height = 0, depth = 0, type = 0, interlace = 0;
        byte[] palette = null;
        byte[] transparency = null;
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        while (b.remaining() >= 12) {
            int length = b.getInt();
            byte[] name = new byte[4];
            b.get(name);
            byte[] data = new byte[length];
            b.get(data);
            b.getInt(); // CRC
            switch (new String(name, java.nio.charset.StandardCharsets.US_ASCII)) {
            case "IHDR" -> {
                ByteBuffer h = ByteBuffer.wrap(data);
                width = h.getInt();
                height = h.getInt();
                depth = data[8];
                type = data[9];
                interlace = data[12];
            }
            case "PLTE" -> palette = data;
            case "tRNS" -> transparency = data;
            case "IDAT" -> idat.write(data);
            default -> {
            }
            }
        }
        int channels = switch (type) {
        case 0 -> 1;
        case 2 -> 3;
        case 3 -> 1;
        case 4 -> 2;
        case 6 -> 4;
        default -> 0;
        };
        boolean depthAllowed = depth == 8 || (depth == 16 && type != 3)
                || ((depth == 1 || depth == 2 || depth == 4) && (type == 0 || type == 3));
        if (!depthAllowed || interlace != 0 || channels == 0 || (type == 3 && palette == null)) {
            return null; // interlaced (Adam7) PNG is not decoded here
        }
        int bits = channels * depth;
        int stride = (width * bits + 7) / 8;
        byte[] pixels = unfilter(inflate(idat.toByteArray(), (stride + 1) * height), stride, height,
                Math.max(1, bits / 8));
        boolean gray = type == 0 || type == 4;
        // alpha from the image's alpha channel, or from tRNS: per palette entry, or one colour key (grey or RGB)
        boolean alpha = type == 4 || type == 6 || transparency != null;
        int colours = gray ? 1 : 3;
        int max = (1 << depth) - 1;
        ByteArrayOutputStream colour = new ByteArrayOutputStream(width * height * colours);
        ByteArrayOutputStream mask = new ByteArrayOutputStream(alpha ? width * height : 0);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int opacity = 255;
                if (type == 3) {
                    int index = sample(pixels, y * stride, x, 0, channels, depth);
                    colour.write(palette, index * 3, 3);
                    if (transparency != null && index < transparency.length) {
                        opacity = transparency[index] & 0xFF;
                    }
                } else {
                    boolean keyed = transparency != null && type != 4 && type != 6;
                    for (int ch = 0; ch < colours; ch++) {
                        int value = sample(pixels, y * stride, x, ch, channels, depth);
                        keyed &= transparency != null && transparency.length >= 2 * (ch + 1)
                                && value == (((transparency[2 * ch] & 0xFF) << 8) | (transparency[2 * ch + 1] & 0xFF));
                        colour.write(depth == 16 ? value >> 8 : value * 255 / max);
                    }
                    if (keyed) {
                        opacity = 0;
                    } else if (type == 4 || type == 6) {
                        int a = sample(pixels, y * stride, x, channels - 1, channels, depth);
                        opacity = depth == 16 ? a >> 8 : a;
                    }
                }
                if (alpha) {
                    mask.write(opacity);
                }
            }
        }
        PDImageXObject image = flate(doc, colour.toByteArray(), width, height,
                gray ? PDDeviceGray.INSTANCE : PDDeviceRGB.INSTANCE);
        if (alpha) {
            image.getCOSObject().setItem(COSName.SMASK,
                    flate(doc, mask.toByteArray(), width, height, PDDeviceGray.INSTANCE));
        }
        return image;
    }

    /** One sample at its full depth (1, 2, 4, 8 or 16 bits) of pixel {@code x} in the row starting at {@code row}. */
    private static int sample(byte[] pixels, int row, int x, int channel, int channels, int depth) {
        int index = x * channels + channel;
        if (depth == 8) {
            return pixels[row + index] & 0xFF;
        }
        if (depth == 16) {
            return ((pixels[row + 2 * index] & 0xFF) << 8) | (pixels[row + 2 * index + 1] & 0xFF);
        }
        int bit = index * depth;
        return ((pixels[row + bit / 8] & 0xFF) >> (8 - depth - bit % 8)) & ((1 << depth) - 1);
    }

    private static PDImageXObject flate(PDDocument doc, byte[] raw, int width, int height, PDColorSpace space)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(out, new Deflater(Deflater.BEST_COMPRESSION))) {
            deflate.write(raw);
        }
        return new PDImageXObject(doc, new ByteArrayInputStream(out.toByteArray()), COSName.FLATE_DECODE, width, height,
                8, space);
    }

    private static byte[] inflate(byte[] data, int expected) throws DataFormatException {
        Inflater inflater = new Inflater();
        inflater.setInput(data);
        byte[] out = new byte[expected];
        int n = 0;
        while (n < expected && !inflater.finished()) {
            int read = inflater.inflate(out, n, expected - n);
            if (read == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                break;
            }
            n += read;
        }
        inflater.end();
        if (n != expected) {
            throw new DataFormatException("PNG data cut short");
        }
        return out;
    }

    /**
     * Undoes PNG's per-row filters (none, sub, up, average, Paeth); {@code bpp} is whole bytes per pixel (at least 1).
     */
    private static byte[] unfilter(byte[] data, int stride, int height, int bpp) {
        byte[] out = new byte[stride * height];
        for (int y = 0; y < height; y++) {
            int filter = data[y * (stride + 1)];
            int in = y * (stride + 1) + 1;
            int row = y * stride;
            for (int x = 0; x < stride; x++) {
                int raw = data[in + x] & 0xFF;
                int a = x >= bpp ? out[row + x - bpp] & 0xFF : 0;
                int up = y > 0 ? out[row - stride + x] & 0xFF : 0;
                int ul = x >= bpp && y > 0 ? out[row - stride + x - bpp] & 0xFF : 0;
                int value = switch (filter) {
                case 1 -> raw + a;
                case 2 -> raw + up;
                case 3 -> raw + ((a + up) >> 1);
                case 4 -> raw + paeth(a, up, ul);
                default -> raw;
                };
                out[row + x] = (byte) value;
            }
        }
        return out;
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
