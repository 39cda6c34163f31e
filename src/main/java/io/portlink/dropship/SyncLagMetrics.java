package io.portlink.dropship;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.portlink.platform.GaugeFamily;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.ScrapedGauges;

/**
 * The dropship sync's gauges per merchant with an active supplier connection, tagged {@code merchant} with the
 * organisation's id only (no name: metrics carry no customer data): {@code portlink_dropship_sync_lag_seconds}, the
 * time since the merchant's last successful run ended (SUCCEEDED; never succeeded: since its first connection was
 * accepted), by the injected clock, and {@code portlink_dropship_sync_interval_seconds}, the interval the merchant
 * chose, so an alert can compare the two. At most {@code portlink.metrics.sync-lag-merchants} merchants, the longest
 * lags first; one query per reading ({@code sync_run_succeeded_ix} on PostgreSQL, V74).
 */
@ApplicationScoped
public class SyncLagMetrics implements ScrapedGauges.Source {

    @Inject
    DataSource dataSource;

    @Inject
    MeterRegistry registry;

    @Inject
    PortlinkConfig config;

    private GaugeFamily lag;
    private GaugeFamily interval;

    @PostConstruct
    void register() {
        lag = new GaugeFamily(registry, "portlink.dropship.sync.lag",
                "Time since the merchant's last successful dropship sync ended", "seconds", false);
        interval = new GaugeFamily(registry, "portlink.dropship.sync.interval", "The merchant's sync interval",
                "seconds", false);
    }

    @Override
    public synchronized void refresh(Instant now) {
        Map<Tags, Double> lags = new HashMap<>();
        Map<Tags, Double> intervals = new HashMap<>();
        int limit = Math.max(0, config.metrics().syncLagMerchants());
        try (Connection db = dataSource.getConnection(); PreparedStatement select = db.prepareStatement("""
                select m.merchant_id, coalesce(m.last_ok, m.since) as since, coalesce(s.sync_interval_minutes, ?)
                from (select c.merchant_id, min(c.accepted_at) as since,
                             (select max(r.finished_at) from sync_run r
                              where r.merchant_id = c.merchant_id and r.outcome = 'SUCCEEDED') as last_ok
                      from dropship_connection c where c.status = 'ACTIVE' group by c.merchant_id) m
                left join dropship_settings s on s.organization_id = m.merchant_id
                order by 2 nulls first, 1""" + " fetch first " + limit + " rows only")) {
            select.setInt(1, DropshipSettings.DEFAULT_INTERVAL);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Tags tags = Tags.of("merchant", Long.toString(rows.getLong(1)));
                    OffsetDateTime since = rows.getObject(2, OffsetDateTime.class);
                    lags.put(tags, since == null ? 0.0
                            : Math.max(0, Duration.between(since.toInstant(), now).toMillis() / 1000.0));
                    intervals.put(tags, rows.getInt(3) * 60.0);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the dropship sync lag", e);
        }
        lag.set(lags);
        interval.set(intervals);
    }
}
