package io.portlink.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.portlink.platform.GaugeFamily;
import io.portlink.platform.ScrapedGauges;

/**
 * The outbox's gauges, by {@code channel} (mail, webhook) and {@code kind} (the feature's name for the message, e.g.
 * {@code PO_AND_LINK}, or the webhook's event type; names from code, never customer data):
 * {@code portlink_outbox_pending} (messages waiting, retries included),
 * {@code portlink_outbox_oldest_pending_age_seconds} (since the oldest waiting one was queued, by the injected clock; 0
 * when none waits) and {@code portlink_outbox_dead} (tried the maximum number of times). One aggregate query per
 * reading over the rows that are not sent ({@code outbox_message_open_ix} on PostgreSQL, V74); a series once seen
 * stays, at 0, until the process ends.
 */
@ApplicationScoped
public class OutboxMetrics implements ScrapedGauges.Source {

    @Inject
    DataSource dataSource;

    @Inject
    MeterRegistry registry;

    private GaugeFamily pending;
    private GaugeFamily oldestAge;
    private GaugeFamily dead;

    @PostConstruct
    void register() {
        pending = new GaugeFamily(registry, "portlink.outbox.pending", "Messages waiting to be delivered", null, true);
        oldestAge = new GaugeFamily(registry, "portlink.outbox.oldest.pending.age",
                "Time since the oldest waiting message was queued", "seconds", true);
        dead = new GaugeFamily(registry, "portlink.outbox.dead", "Messages given up after the maximum tries", null,
                true);
    }

    @Override
    public synchronized void refresh(Instant now) {
        Map<Tags, Double> waiting = new HashMap<>();
        Map<Tags, Double> ages = new HashMap<>();
        Map<Tags, Double> given = new HashMap<>();
        try (Connection db = dataSource.getConnection(); PreparedStatement select = db.prepareStatement("""
                select channel, kind, status, count(*), min(created_at) from outbox_message
                where status <> 'SENT' group by channel, kind, status""")) {
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Tags tags = Tags.of("channel", rows.getString(1).toLowerCase(Locale.ROOT), "kind",
                            rows.getString(2));
                    if ("WITHDRAWN".equals(rows.getString(3))) {
                        continue; // never to be sent, nor a failure: neither waiting nor dead
                    }
                    if ("DEAD".equals(rows.getString(3))) {
                        given.put(tags, (double) rows.getLong(4));
                        continue;
                    }
                    waiting.put(tags, (double) rows.getLong(4));
                    OffsetDateTime oldest = rows.getObject(5, OffsetDateTime.class);
                    ages.put(tags, oldest == null ? 0.0
                            : Math.max(0, Duration.between(oldest.toInstant(), now).toMillis() / 1000.0));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the outbox's depth", e);
        }
        pending.set(waiting);
        oldestAge.set(ages);
        dead.set(given);
    }
}
