package io.portlink.portal;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.shipment.DriverPages;
import io.portlink.shipment.Shipment;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentInput;
import io.portlink.shipment.ShipmentStop;
import io.portlink.shipment.Shipments;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Images;
import io.portlink.testing.PortalClient;
import io.portlink.testing.RawHttp;
import io.portlink.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The driver's proof-of-delivery form and the request limits agree (H2 and PostgreSQL): the page states what it takes
 * and the body limit holds all of it; whatever is over a limit (the whole form, all photos together, a signature past
 * the form-field limit) and a body that is no form answer a readable page in the driver page's style, and nothing is
 * saved.
 */
@QuarkusTest
class DriverFormLimitsTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Shipments shipments;

    @Inject
    TestClock clock;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBody;

    @ConfigProperty(name = "quarkus.http.limits.max-form-attribute-size")
    MemorySize maxField;

    @ConfigProperty(name = "portlink.shipment.photo-max-bytes")
    long photoMax;

    final ShipmentActor anna = ShipmentActor.staff(1, "anna@example.com");

    Fixtures.Tenant tenant;
    String reference;
    String path;

    @BeforeEach
    void driverLink() {
        clock.set(Instant.parse("2026-06-01T09:00:00Z"));
        tenant = fixtures.tenant("DE");
        reference = Fixtures.uniqueReference();
        long id = shipments.create(tenant.id(),
                new ShipmentInput(reference, "Pallets for Berlin",
                        new ShipmentInput.CustomerInput("Jane Doe", "jane@customer.example", null, "en"), "Hamburg",
                        "Berlin", null),
                anna).id();
        QuarkusTransaction.requiringNew().run(() -> {
            ShipmentStop st = new ShipmentStop();
            st.shipment = Shipment.findById(id);
            st.position = 0;
            st.kind = ShipmentStop.Kind.DELIVERY;
            st.name = "Berlin warehouse";
            st.address = "Hauptstraße 1";
            st.zone = "Europe/Berlin";
            st.persist();
        });
        String url = given().header("Authorization", "Bearer " + tenant.apiKey())
                .post("/api/v1/shipments/" + reference + "/driver-link").then().statusCode(201).extract().path("url");
        path = url.substring(url.indexOf("/d/"));
    }

    private String deliverNonce() {
        String html = given().header("User-Agent", PortalClient.BROWSER).header("Accept-Language", "en").get(path)
                .asString();
        Matcher m = Pattern
                .compile("id=\"deliver-form\"[^>]*>\\s*<input type=\"hidden\" name=\"nonce\" value=\"([^\"]+)\"")
                .matcher(html);
        assertTrue(m.find(), html);
        return m.group(1);
    }

    private void nothingSaved() {
        assertNull(QuarkusTransaction.requiringNew()
                .call(() -> Shipment.<Shipment> find("reference", reference).firstResult().deliveredAt));
    }

    @Test
    void thePageStatesItsLimitsAndTheBodyLimitHoldsAFormWithinThem() {
        String html = given().header("User-Agent", PortalClient.BROWSER).header("Accept-Language", "en").get(path)
                .asString();
        assertTrue(html.contains("Photos (1 to 10)"), html);
        assertTrue(html.contains("each at most 8 MB, all together at most 32 MB"), html);
        assertTrue(html.contains("data-max-total-bytes=\"" + DriverPages.PHOTOS_MAX_TOTAL_BYTES + "\""), html);
        // the largest form the page allows, with a megabyte to spare for the other fields and the framing
        assertTrue(DriverPages.PHOTOS_MAX_TOTAL_BYTES + DriverPages.SIGNATURE_MAX_CHARS + (1 << 20) <= maxBody
                .asLongValue(), "the photos the page allows fit the body limit of " + maxBody.asLongValue());
        assertTrue(DriverPages.SIGNATURE_MAX_CHARS < maxField.asLongValue(),
                "a signature the code accepts fits one form field");
        assertTrue(photoMax <= DriverPages.PHOTOS_MAX_TOTAL_BYTES);
    }

    @Test
    void sixSevenMegabytePhotosAnswerAReadablePageNotAnEmpty413() throws Exception {
        long length = 6L * 7 * 1024 * 1024;
        String answer = RawHttp.postOverLimit(path + "/delivered", length, "</html>",
                "User-Agent: " + PortalClient.BROWSER, "Content-Type: multipart/form-data; boundary=b");
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("The photos were too large"), answer);
        assertTrue(answer.contains("The form was 42 MB; it may be at most 40 MB, so nothing was saved."), answer);
        assertTrue(answer.contains("each at most 8 MB and"), answer);
        assertTrue(answer.contains("href=\"" + path + "\""), "a way back to the page: " + answer);
        assertTrue(answer.toLowerCase().contains("content-security-policy:"), "the link page's headers: " + answer);
        nothingSaved();
    }

    @Test
    void photosOverTheTotalAreNamedOnTheDriversPage() {
        byte[] seven = new byte[7 * 1024 * 1024];
        var request = given().header("User-Agent", PortalClient.BROWSER).header("Accept-Language", "en").redirects()
                .follow(false).multiPart("nonce", deliverNonce()).multiPart("receiverName", "Max Receiver");
        for (int i = 0; i < 5; i++) {
            request = request.multiPart("photos", "p" + i + ".jpg", seven, "image/jpeg");
        }
        Response r = request.post(path + "/delivered");
        assertEquals(422, r.statusCode());
        assertTrue(r.asString().contains("the photos are 35 MB together; all photos may be at most 32 MB together"),
                r.asString());
        assertTrue(r.asString().contains("id=\"deliver-form\""), "the driver's page");
        nothingSaved();
    }

    @Test
    void aSignatureOverTheFieldLimitIsAReadable413AndOneJustUnderTheCodesLimitA422() {
        String huge = "data:image/png;base64," + "A".repeat(160_000);
        Response r = given().header("User-Agent", PortalClient.BROWSER).header("Accept-Language", "en").redirects()
                .follow(false).multiPart("nonce", deliverNonce()).multiPart("receiverName", "Max Receiver")
                .multiPart("signature", huge).multiPart("photos", "door.png", Images.of("png", 40, 40), "image/png")
                .post(path + "/delivered");
        assertEquals(413, r.statusCode());
        assertTrue(r.contentType().startsWith("text/html"), r.contentType());
        assertTrue(r.asString().contains("The form was too large"), r.asString());
        assertTrue(r.asString().contains("href=\"" + path + "\""), r.asString());

        String over = "data:image/png;base64," + "A".repeat(DriverPages.SIGNATURE_MAX_CHARS);
        Response invalid = given().header("User-Agent", PortalClient.BROWSER).header("Accept-Language", "en")
                .redirects().follow(false).multiPart("nonce", deliverNonce()).multiPart("receiverName", "Max Receiver")
                .multiPart("signature", over).multiPart("photos", "door.png", Images.of("png", 40, 40), "image/png")
                .post(path + "/delivered");
        assertEquals(422, invalid.statusCode());
        assertTrue(invalid.asString().contains("the drawn signature could not be read"), invalid.asString());
        nothingSaved();

        // a busy signature drawn on the pad (as the browser's canvas gives it: RGBA, smoothed strokes) goes through
        String pad = "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(scribble());
        assertTrue(pad.length() < DriverPages.SIGNATURE_MAX_CHARS, "a pad-sized PNG: " + pad.length());
        given().header("User-Agent", PortalClient.BROWSER).header("Accept-Language", "en").redirects().follow(false)
                .multiPart("nonce", deliverNonce()).multiPart("receiverName", "Max Receiver")
                .multiPart("signature", pad).multiPart("photos", "door.png", Images.of("png", 40, 40), "image/png")
                .post(path + "/delivered").then().statusCode(200);
    }

    /** A long signature-like scribble of three strokes on the 480 × 160 pad, as a PNG with transparency. */
    static byte[] scribble() {
        var image = new java.awt.image.BufferedImage(480, 160, java.awt.image.BufferedImage.TYPE_INT_ARGB);
        var g = image.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new java.awt.Color(0x11, 0x11, 0x11));
        g.setStroke(new java.awt.BasicStroke(3, java.awt.BasicStroke.CAP_ROUND, java.awt.BasicStroke.JOIN_ROUND));
        var random = new java.util.Random(7);
        for (int stroke = 0; stroke < 3; stroke++) {
            var line = new java.awt.geom.Path2D.Double();
            double x = 20 + stroke * 140, y = 80;
            line.moveTo(x, y);
            for (int i = 0; i < 120; i++) {
                x = Math.min(470, x + random.nextDouble() * 3);
                y = 80 + Math.sin(i / 3.0) * 50 * random.nextDouble();
                line.lineTo(x, y);
            }
            g.draw(line);
        }
        g.dispose();
        try {
            var out = new ByteArrayOutputStream();
            javax.imageio.ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aMultipartBodyThatIsNoFormIsA400Page() {
        Response r = given().header("User-Agent", PortalClient.BROWSER).header("Accept-Language", "en").redirects()
                .follow(false).contentType("multipart/form-data; boundary=xyz")
                .body("garbage".getBytes(StandardCharsets.US_ASCII)).post(path + "/delivered");
        assertEquals(400, r.statusCode(), r.asString());
        assertTrue(r.asString().contains("The form could not be read"), r.asString());
        assertFalse(r.asString().contains("Connection terminated"), r.asString());
        nothingSaved();
    }
}
