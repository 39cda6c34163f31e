package io.portlink.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.opentelemetry.sdk.trace.SpanProcessor;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.TrackingLinks;
import io.portlink.testing.Fixtures;
import io.portlink.testing.OtlpReceiver;
import io.portlink.testing.PortalClient;
import io.portlink.testing.TestProfiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Tracing turned on by configuration alone (README "Tracing"): requests to a vendor link, a tracking link and a driver
 * path reach a real OTLP receiver over HTTP as spans named by their route's template, and no 8-character run of any
 * token's secret is in what was exported (span names, url.path, url.query, ...). {@link JsonLogsTest} proves the
 * default: nothing is exported. The profile turns on tracing (the SDK switch and the receiver's address) and the map
 * and routing settings {@code TrackingMapRoutingTest} needs, which do not touch what is asserted here.
 */
@QuarkusTest
@TestProfile(TestProfiles.Integrations.class)
class TracingTest {

    @Inject
    Fixtures fixtures;

    @Inject
    TrackingLinks tracking;

    @Inject
    @Any
    Instance<SpanProcessor> processors;

    @Test
    void requestsAreExportedByRouteWithoutTheirTokens() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String reference = Fixtures.uniqueReference();
        String vendorPath = Fixtures.createOrderWithLink(tenant.apiKey(), reference, "tracing@vendor.example");
        String vendorToken = vendorPath.substring(3);
        String trackingUrl = tracking
                .create(tenant.id(), fixtures.shipment(tenant.id()), null, ShipmentActor.staff(1, "anna@example.com"))
                .orElseThrow().url();
        String trackingToken = trackingUrl.substring(trackingUrl.indexOf("/t/") + 3);
        String driverToken = Tokens.generate(Tokens.DRIVER);

        PortalClient vendor = new PortalClient(vendorPath);
        vendor.open("/orders/" + reference).then().statusCode(200);
        vendor.act(reference, "decline", Map.of("reason", "see " + trackingToken)).then().statusCode(303);
        given().get("/t/" + trackingToken + "?again=" + vendorToken).then().statusCode(200);
        given().get("/d/" + driverToken).then().statusCode(404);
        given().urlEncodingEnabled(false).get("/nowhere/" + vendorToken.replace("_", "%5F") + "/" + trackingToken);

        // the spans end as the responses go out; export until the last request's route has arrived
        String text = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(text.contains("/v/{token}/orders/{reference}") && text.contains("/t/{token}")
                && text.contains("/d/{token}")) && System.nanoTime() < deadline) {
            for (SpanProcessor processor : processors) {
                processor.forceFlush().join(10, TimeUnit.SECONDS);
            }
            text = OtlpReceiver.received("tracing").stream().map(p -> new String(p, StandardCharsets.UTF_8)).reduce("",
                    String::concat);
            Thread.onSpinWait();
        }
        assertTrue(text.contains("/v/{token}/orders/{reference}"), "the vendor route is exported: " + text);
        assertTrue(text.contains("/t/{token}"), "the tracking route is exported");
        assertTrue(text.contains("/d/{token}"), "the driver route is exported");
        assertTrue(text.contains("/t/" + Tokens.hint(trackingToken)), "url.path is there, masked: " + text);
        for (String token : List.of(vendorToken, trackingToken, driverToken)) {
            List<String> found = TokenMaskingTest.leaks(text, TokenMaskingTest.secret(token));
            assertTrue(found.isEmpty(), () -> "the export holds " + found + " of " + token);
        }
        assertFalse(text.contains(tenant.apiKey().substring(3, 15)), "no API key either");
    }
}
