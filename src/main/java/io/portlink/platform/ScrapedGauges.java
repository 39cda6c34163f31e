package io.portlink.platform;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.vertx.http.ManagementInterface;

/**
 * Gauges read from the database (outbox depth, dead messages, sync lag), refreshed just before a scrape of
 * {@code /q/metrics} on the management interface is answered, off the event loop, and at most once per
 * {@code portlink.metrics.cache} (5 s) however many scrapes come: each {@link Source} runs one aggregate query. A
 * source that fails keeps its last values (logged); the scrape is answered all the same.
 */
@ApplicationScoped
public class ScrapedGauges {

    private static final Logger LOG = Logger.getLogger(ScrapedGauges.class);

    /** A feature's gauges that come from one query; {@code now} is the injected clock's, for ages. */
    public interface Source {
        void refresh(Instant now);
    }

    @Inject
    @Any
    Instance<Source> sources;

    @Inject
    PortlinkConfig config;

    @Inject
    Clock clock;

    @ConfigProperty(name = "quarkus.management.root-path", defaultValue = "/q")
    String rootPath;

    @ConfigProperty(name = "quarkus.micrometer.export.prometheus.path", defaultValue = "metrics")
    String metricsPath;

    /** System.nanoTime() of the last refresh, or null: never. Guarded by this. */
    private Long refreshedAt;

    void install(@Observes ManagementInterface management) {
        String path = metricsPath.startsWith("/") ? metricsPath : rootPath.replaceAll("/$", "") + "/" + metricsPath;
        // before the Prometheus handler (which answers without calling the next one)
        management.router().route(path).order(Integer.MIN_VALUE).handler(rc -> rc.vertx().<Void> executeBlocking(() -> {
            refreshIfStale();
            return null;
        }, false).onComplete(done -> rc.next()));
    }

    /** Reads every source unless the last reading is younger than {@code portlink.metrics.cache}. */
    public void refreshIfStale() {
        refreshIfStale(config.metrics().cache());
    }

    /** {@link #refreshIfStale()} with another interval (a test proves the caching without waiting). */
    synchronized void refreshIfStale(Duration cache) {
        long now = System.nanoTime();
        if (refreshedAt != null && now - refreshedAt < cache.toNanos()) {
            return;
        }
        refreshedAt = now;
        Instant at = Instant.now(clock);
        for (Source source : sources) {
            try {
                source.refresh(at);
            } catch (RuntimeException e) {
                LOG.warnf(e, "metrics: %s could not be read; its gauges keep their last values",
                        source.getClass().getSimpleName());
            }
        }
    }
}
