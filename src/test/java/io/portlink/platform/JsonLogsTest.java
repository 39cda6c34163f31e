package io.portlink.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
 * Production's logs are JSON lines (quarkus-logging-json) and the token mask holds there as in text: a vendor link and
 * a tracking link are used (paths, a form carrying the token, an exception whose cause names it, an MDC value), and
 * then every line of the JSON log file must be a JSON object with its timestamp, level, logger and message, and no
 * 8-character run of either token's secret may be anywhere in the file. The same run keeps the default tracing setting
 * (off) with an OTLP receiver configured: nothing reaches it. The profile also puts the service behind an https proxy
 * ({@link SecureCookiesTest}) and turns the scheduler on ({@link JobRunsTest}): their lines are in the file too, and
 * must be JSON and masked as well.
 */
@QuarkusTest
@TestProfile(TestProfiles.ProductionShape.class)
class JsonLogsTest {

    static final Path LOG = Path.of(TestProfiles.ProductionShape.JSON_LOG);

    @Inject
    Fixtures fixtures;

    @Inject
    TrackingLinks tracking;

    @Inject
    @Any
    Instance<SpanProcessor> processors;

    @Test
    void everyLineIsJsonWithItsFieldsAndNoTokenAnywhere() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String reference = Fixtures.uniqueReference();
        String vendorPath = Fixtures.createOrderWithLink(tenant.apiKey(), reference, "json-logs@vendor.example");
        String vendorToken = vendorPath.substring(3);
        String trackingUrl = tracking
                .create(tenant.id(), fixtures.shipment(tenant.id()), null, ShipmentActor.staff(1, "anna@example.com"))
                .orElseThrow().url();
        String trackingToken = trackingUrl.substring(trackingUrl.indexOf("/t/") + 3);

        // paths: the vendor's pages, the tracking page, a query, a path nobody routes
        PortalClient vendor = new PortalClient(vendorPath);
        vendor.open("").then().statusCode(200);
        vendor.open("/orders/" + reference).then().statusCode(200);
        given().get("/t/" + trackingToken).then().statusCode(200);
        given().get("/t/" + trackingToken + "?again=" + vendorToken);
        given().get("/nowhere/" + vendorToken + "/" + trackingToken);
        // a form carrying the token: the vendor declines with the tracking token as reason, and a sign-in with it
        vendor.act(reference, "decline", Map.of("reason", "see " + trackingToken)).then().statusCode(303);
        given().redirects().follow(false).formParam("j_username", vendorToken + "@example.com")
                .formParam("j_password", trackingToken).post("/j_security_check");
        // an exception whose message, cause and suppressed exception name the tokens, and an MDC value
        Logger log = Logger.getLogger(JsonLogsTest.class);
        IllegalStateException failure = new IllegalStateException("outer failure",
                new IllegalArgumentException("link " + vendorToken + " refused"));
        failure.addSuppressed(new RuntimeException("tracking " + trackingToken));
        MDC.put("link", vendorToken);
        try {
            log.errorf(failure, "request for %s failed", trackingToken);
        } finally {
            MDC.remove("link");
        }
        log.info("end of the flow");

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(LOG, StandardCharsets.UTF_8)) {
            JsonNode node = json.readTree(line); // throws on a line that is no JSON
            assertTrue(node.isObject(), line);
            for (String field : List.of("timestamp", "level", "loggerName", "message")) {
                assertTrue(node.hasNonNull(field), field + " missing: " + line);
            }
            lines.add(node);
        }
        String text = Files.readString(LOG, StandardCharsets.UTF_8);
        for (String token : List.of(vendorToken, trackingToken)) {
            List<String> found = TokenMaskingTest.leaks(text, TokenMaskingTest.secret(token));
            assertTrue(found.isEmpty(), () -> "the JSON log holds " + found + " of " + token);
        }

        // the lines are there, masked: the access log's, and the application's with its exception chain and MDC
        assertTrue(
                lines.stream()
                        .anyMatch(n -> n.get("loggerName").asText().equals("io.portlink.access")
                                && n.get("message").asText().contains("GET /t/" + Tokens.hint(trackingToken) + " 200")
                                && n.get("mdc").get("path").asText().equals("/t/" + Tokens.hint(trackingToken))
                                && n.get("mdc").get("status").asText().equals("200")),
                "the access log line of the tracking page, masked, with its fields");
        JsonNode error = lines.stream().filter(n -> n.get("message").asText().startsWith("request for ")).findFirst()
                .orElseThrow();
        assertEquals("ERROR", error.get("level").asText());
        assertEquals("request for " + Tokens.hint(trackingToken) + " failed", error.get("message").asText());
        assertEquals(Tokens.hint(vendorToken), error.get("mdc").get("link").asText());
        String exception = error.get("exception").toString();
        assertTrue(exception.contains("link " + Tokens.hint(vendorToken) + " refused"), exception);
        assertTrue(exception.contains("tracking " + Tokens.hint(trackingToken)), exception);
        assertTrue(exception.contains("frames"), "the stack trace stays: " + exception);
        assertTrue(lines.stream().anyMatch(n -> n.get("message").asText().equals("end of the flow")));

        // tracing is off by default: the requests above left nothing to export, even when every processor is flushed
        for (SpanProcessor processor : processors) {
            processor.forceFlush().join(10, TimeUnit.SECONDS);
        }
        assertEquals(0, OtlpReceiver.received("json-logs").size(), "tracing is off unless turned on");
    }
}
