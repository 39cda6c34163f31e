package io.portlink.shipment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

import jakarta.inject.Inject;

import org.apache.commons.imaging.Imaging;
import org.apache.commons.imaging.formats.jpeg.JpegImageMetadata;
import org.apache.commons.imaging.formats.jpeg.exif.ExifRewriter;
import org.apache.commons.imaging.formats.tiff.constants.TiffTagConstants;
import org.apache.commons.imaging.formats.tiff.write.TiffOutputSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.platform.ValidationException;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Images;
import io.quarkus.test.junit.QuarkusTest;

/** Photos are checked on their bytes, lose their location before storage, and form an ordered gallery with a hero. */
@QuarkusTest
class ShipmentPhotosTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Shipments shipments;

    @Inject
    ShipmentPhotos photos;

    Fixtures.Tenant tenant;
    ShipmentActor anna = ShipmentActor.staff(1, "anna@example.com");
    long shipment;

    @BeforeEach
    void shipment() {
        tenant = fixtures.tenant("GB");
        shipment = shipments.create(tenant.id(), ShipmentsTest.input("PH-1"), anna).id();
    }

    /** A real JPEG from a phone: GPS position, camera make, and a sideways orientation. */
    static byte[] jpegWithGps() throws Exception {
        byte[] plain = Images.of("jpg", 40, 30);
        TiffOutputSet exif = new TiffOutputSet();
        exif.setGpsInDegrees(-0.1276, 51.5072);
        exif.getOrCreateRootDirectory().add(TiffTagConstants.TIFF_TAG_MAKE, "PhoneMaker");
        exif.getOrCreateRootDirectory().add(TiffTagConstants.TIFF_TAG_ORIENTATION, (short) 6);
        var out = new ByteArrayOutputStream();
        new ExifRewriter().updateExifMetadataLossless(plain, out, exif);
        return out.toByteArray();
    }

    /** A PNG with text chunks placed before IEND (a location and a comment). */
    static byte[] pngWithText() {
        byte[] plain = Images.of("png", 20, 10);
        int iend = plain.length - 12;
        var out = new ByteArrayOutputStream();
        out.write(plain, 0, iend);
        writeChunk(out, "tEXt", "Location\u000051.5072,-0.1276".getBytes(StandardCharsets.ISO_8859_1));
        writeChunk(out, "iTXt",
                "Comment\u0000\u0000\u0000\u0000\u0000Taken at 12 Secret Lane".getBytes(StandardCharsets.ISO_8859_1));
        out.write(plain, iend, 12);
        return out.toByteArray();
    }

    private static void writeChunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test
    void aJpegLosesItsGpsPositionButStaysUpright() throws Exception {
        byte[] original = jpegWithGps();
        var before = (JpegImageMetadata) Imaging.getMetadata(original);
        assertNotNull(before.getExif().getGpsInfo(), "the test photo carries a position");

        var photo = photos.add(tenant.id(), shipment, original, "IMG_0001.JPG", anna).orElseThrow().photo();
        assertEquals("image/jpeg", photo.contentType());
        assertEquals(40, photo.width());
        byte[] stored = photos.content(tenant.id(), shipment, photo.id()).orElseThrow().bytes();

        var after = (JpegImageMetadata) Imaging.getMetadata(stored);
        assertNull(after.getExif().getGpsInfo(), "no GPS position is stored");
        assertNull(after.getExif().findField(TiffTagConstants.TIFF_TAG_MAKE), "nor the camera");
        assertEquals(6, after.getExif().findField(TiffTagConstants.TIFF_TAG_ORIENTATION).getIntValue());
        assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains("PhoneMaker"));
        // the pixels are untouched: the image data after the metadata is the same
        assertEquals(photo.byteSize(), stored.length);
        assertTrue(endsWith(stored, java.util.Arrays.copyOfRange(original, original.length - 200, original.length)));
    }

    /**
     * A phone's JPEG as break-it found it: a comment with a position and an IPTC (APP13) block before the image, and a
     * second, preview JPEG with its own EXIF GPS appended after the end-of-image marker.
     */
    static byte[] jpegWithCommentIptcAndAppendedPreview() throws Exception {
        byte[] plain = Images.of("jpg", 40, 30);
        var out = new ByteArrayOutputStream();
        out.write(plain, 0, 2); // SOI
        segment(out, 0xFE, "GPS 51.5072 -0.1276 Secret Lane".getBytes(StandardCharsets.ISO_8859_1));
        segment(out, 0xED, "Photoshop 3.0\u00008BIM IPTC City=London".getBytes(StandardCharsets.ISO_8859_1));
        out.write(plain, 2, plain.length - 2);
        out.write(jpegWithGps()); // the preview, with GPS and PhoneMaker
        return out.toByteArray();
    }

    private static void segment(ByteArrayOutputStream out, int marker, byte[] data) {
        out.write(0xFF);
        out.write(marker);
        out.write((data.length + 2) >> 8);
        out.write((data.length + 2) & 0xFF);
        out.writeBytes(data);
    }

    @Test
    void aJpegLosesItsCommentsIptcAndWhateverFollowsTheImage() throws Exception {
        byte[] original = jpegWithCommentIptcAndAppendedPreview();
        String before = new String(original, StandardCharsets.ISO_8859_1);
        assertTrue(before.contains("GPS 51.5") && before.contains("8BIM") && before.contains("PhoneMaker"));

        var photo = photos.add(tenant.id(), shipment, original, "IMG_0002.JPG", anna).orElseThrow().photo();
        byte[] stored = photos.content(tenant.id(), shipment, photo.id()).orElseThrow().bytes();
        String text = new String(stored, StandardCharsets.ISO_8859_1);
        assertFalse(text.contains("GPS 51.5"), "no comment");
        assertFalse(text.contains("8BIM") || text.contains("Photoshop") || text.contains("City=London"), "no IPTC");
        assertFalse(text.contains("PhoneMaker") || text.contains("Exif"), "no preview with its EXIF");
        assertEquals(1, text.split("\u00FF\u00D8", -1).length - 1, "one image, ending at its own end marker");
        assertEquals(0xD9, stored[stored.length - 1] & 0xFF);
        var image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(stored));
        assertNotNull(image, "still a JPEG that decodes");
        assertEquals(40, image.getWidth());
        assertEquals(30, image.getHeight());
        // a progressive JPEG (several scans, tables between them) comes through whole
        byte[] progressive = progressiveJpeg();
        byte[] cleaned = io.portlink.platform.ImageCleaner.strip("photo", progressive, "image/jpeg");
        assertArrayEquals(progressive, cleaned, "nothing to remove from a bare progressive JPEG");
    }

    private static byte[] progressiveJpeg() throws Exception {
        var image = new java.awt.image.BufferedImage(64, 48, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 64; x++) {
            for (int y = 0; y < 48; y++) {
                image.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | (x + y));
            }
        }
        var writer = javax.imageio.ImageIO.getImageWritersByFormatName("jpeg").next();
        var param = writer.getDefaultWriteParam();
        param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
        var out = new ByteArrayOutputStream();
        try (var ios = javax.imageio.ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
        }
        writer.dispose();
        return out.toByteArray();
    }

    @Test
    void aPngIsAcceptedWithoutItsTextChunks() {
        byte[] original = pngWithText();
        assertTrue(new String(original, StandardCharsets.ISO_8859_1).contains("Secret Lane"));
        var photo = photos.add(tenant.id(), shipment, original, "yard.png", anna).orElseThrow().photo();
        assertEquals("image/png", photo.contentType());
        byte[] stored = photos.content(tenant.id(), shipment, photo.id()).orElseThrow().bytes();
        String text = new String(stored, StandardCharsets.ISO_8859_1);
        assertFalse(text.contains("Secret Lane"));
        assertFalse(text.contains("51.5072"));
        assertArrayEquals(Images.of("png", 20, 10), stored, "exactly the picture, nothing else");
    }

    @Test
    void nonImagesDisguisedFilesAndOversizedFilesAreRefusedWithAClearMessage() {
        var text = assertThrows(ValidationException.class, () -> photos.add(tenant.id(), shipment,
                "hello, I am a text file".getBytes(StandardCharsets.UTF_8), "photo.jpg", anna));
        assertEquals("photo: must be a PNG or JPEG image (SVG and other formats are not accepted); this file is none"
                + " of these", text.errors().get(0).describe());
        var gif = assertThrows(ValidationException.class,
                () -> photos.add(tenant.id(), shipment, Images.of("gif", 10, 10), "photo.png", anna));
        assertTrue(gif.getMessage().contains("must be a PNG or JPEG image"), gif.getMessage());
        // JPEG's first bytes, then no image at all
        byte[] disguised = new byte[2000];
        disguised[0] = (byte) 0xFF;
        disguised[1] = (byte) 0xD8;
        disguised[2] = (byte) 0xFF;
        var fake = assertThrows(ValidationException.class,
                () -> photos.add(tenant.id(), shipment, disguised, "photo.jpg", anna));
        assertTrue(fake.getMessage().contains("looks like image/jpeg but is damaged or cut short"), fake.getMessage());
        byte[] huge = new byte[(int) photos.maxBytes() + 1];
        System.arraycopy(Images.of("png", 4, 4), 0, huge, 0, 8);
        var large = assertThrows(ValidationException.class,
                () -> photos.add(tenant.id(), shipment, huge, "huge.png", anna));
        assertEquals("photo: is 8193 KB; a photo may be at most 8 MB", large.errors().get(0).describe());
        var empty = assertThrows(ValidationException.class,
                () -> photos.add(tenant.id(), shipment, new byte[0], "empty.png", anna));
        assertTrue(empty.getMessage().contains("choose an image file"), empty.getMessage());
        assertEquals(List.of(), photos.list(tenant.id(), shipment), "nothing was stored");
    }

    @Test
    void theGalleryHasAnOrderAndOneHero() {
        var a = photos.add(tenant.id(), shipment, Images.of("png", 5, 5), "a.png", anna).orElseThrow().photo();
        var b = photos.add(tenant.id(), shipment, Images.of("jpg", 6, 6), "b.jpg", anna).orElseThrow().photo();
        var c = photos.add(tenant.id(), shipment, Images.of("png", 7, 7), "c.png", anna).orElseThrow().photo();
        assertTrue(a.hero(), "the first photo is the hero");
        assertEquals(List.of(a.id(), b.id(), c.id()), ids());

        assertTrue(photos.move(tenant.id(), shipment, c.id(), -1, anna));
        assertEquals(List.of(a.id(), c.id(), b.id()), ids());
        assertTrue(photos.move(tenant.id(), shipment, a.id(), 99, anna));
        assertEquals(List.of(c.id(), b.id(), a.id()), ids());

        assertTrue(photos.setHero(tenant.id(), shipment, b.id(), anna));
        assertEquals(b.id(), shipments.view(tenant.id(), shipment).orElseThrow().heroPhotoId());
        assertTrue(photos.remove(tenant.id(), shipment, b.id(), anna));
        // the hero passes to the first remaining photo
        assertEquals(c.id(), shipments.view(tenant.id(), shipment).orElseThrow().heroPhotoId());
        assertTrue(photos.content(tenant.id(), shipment, b.id()).isEmpty());
        assertEquals(List.of(c.id(), a.id()), ids());

        // another organisation reaches none of it
        var other = fixtures.tenant("GB");
        assertTrue(photos.content(other.id(), shipment, c.id()).isEmpty());
        assertFalse(photos.remove(other.id(), shipment, c.id(), anna));
        assertTrue(photos.add(other.id(), shipment, Images.of("png", 5, 5), "x.png", anna).isEmpty());

        // deleting the shipment removes the photos' bytes for good
        shipments.delete(tenant.id(), shipment, null, anna);
        assertTrue(photos.content(tenant.id(), shipment, c.id()).isEmpty());
        assertEquals(0, ShipmentPhotosTest.storedBytes(c.id()));
    }

    private List<Long> ids() {
        return photos.list(tenant.id(), shipment).stream().map(ShipmentPhotos.PhotoView::id).toList();
    }

    static long storedBytes(long photoId) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> ShipmentPhotoContent.count("photoId", photoId));
    }

    private static boolean endsWith(byte[] data, byte[] suffix) {
        return java.util.Arrays.equals(java.util.Arrays.copyOfRange(data, data.length - suffix.length, data.length),
                suffix);
    }
}
