package io.portlink.testing;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Test profiles shared by several test classes. Each profile restarts the service (a new build, a new database, every
 * migration again), so settings that can live together share one start; the classes of one profile run one after the
 * other (Quarkus orders test classes by profile).
 */
public final class TestProfiles {

    private TestProfiles() {
    }

    /**
     * The service as production runs it, at its edge, in its logs and in its background: the public base URL is https
     * and a proxy at 127.0.0.1 terminates TLS ({@code SecureCookiesTest}); the log file is written as JSON lines, as
     * production writes the console ({@code JsonLogsTest}); the scheduler is on, with the two test jobs
     * ({@code platform.TestJobs}) due every second ({@code JobRunsTest}, {@code JobMetricsTest}); tracing is left as
     * configured (off) with only a receiver's address given, so a test can prove that nothing reaches it. The log file
     * is {@value #JSON_LOG}: {@link RawHttp#logLine} reads the log file of the running profile.
     */
    public static class ProductionShape implements QuarkusTestProfile {
        /** Where this profile writes its (JSON) log file. */
        public static final String JSON_LOG = "target/portlink-json-test.log";

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>();
            config.put("portlink.public-base-url", "https://portlink.example");
            config.put("portlink.trusted-proxies", "127.0.0.1");
            config.put("quarkus.log.file.json.enabled", "true");
            config.put("quarkus.log.file.path", JSON_LOG);
            config.put("quarkus.scheduler.enabled", "true");
            config.put("test.jobs.every", "1s");
            // tracing is left as configured (off); only the address of a receiver is given
            config.put("quarkus.otel.exporter.otlp.traces.endpoint", OtlpReceiver.endpoint("json-logs"));
            config.put("quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf");
            return config;
        }
    }

    /**
     * The optional integrations an operator turns on by configuration alone: tracing to a real OTLP receiver
     * ({@code TracingTest}), and a tile server and a routing engine ({@code TrackingMapRoutingTest}, the engine being
     * {@link RoutingEngineStub}).
     */
    public static class Integrations implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>();
            // what an operator sets to turn tracing on: the SDK switch and the receiver's address
            config.put("quarkus.otel.sdk.disabled", "false");
            config.put("quarkus.otel.exporter.otlp.traces.endpoint", OtlpReceiver.endpoint("tracing"));
            config.put("quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf");
            config.put("portlink.map.tile-url", "https://tiles.example/{z}/{x}/{y}.png");
            config.put("portlink.routing.osrm-url", RoutingEngineStub.url());
            config.put("portlink.routing.timeout", "10s");
            return config;
        }
    }
}
