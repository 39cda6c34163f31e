package io.portlink.dropship;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A merchant's dropship settings (V41, table {@code dropship_settings}): one row per merchant organisation, its id the
 * organisation's. The sync interval is data (10 minutes, hourly by default, 6 hours or daily), never a cron string: the
 * scheduler's pass takes every merchant whose {@link #nextSyncAt} has come ({@code dropship_settings_due_ix}).
 */
@Entity
public class DropshipSettings extends PanacheEntityBase {

    /** The intervals a merchant may choose, in minutes (the table's check constraint). */
    public static final List<Integer> INTERVALS = List.of(10, 60, 360, 1440);

    /** The interval of a merchant that never chose one: hourly. */
    public static final int DEFAULT_INTERVAL = 60;

    /** The merchant organisation's id. */
    @Id
    public Long organizationId;

    /** One of {@link #INTERVALS}. */
    @Column(nullable = false)
    public int syncIntervalMinutes = DEFAULT_INTERVAL;

    /** When the next scheduled run is due (UTC instant); null: never scheduled. */
    public Instant nextSyncAt;

    /** When the last run (scheduled or manual) finished. */
    public Instant lastSyncAt;

    /**
     * The random seed the sales channel's inbound webhook secret is derived from (V47); owned by
     * {@link SalesOrderSettings}.
     */
    public String inboundSecretSeed;

    @Version
    public long version;

    /** The interval as a duration. */
    public Duration interval() {
        return Duration.ofMinutes(syncIntervalMinutes);
    }

    /** Words for an interval of {@link #INTERVALS} ("every 10 minutes", "hourly", "every 6 hours", "daily"). */
    public static String describe(int minutes) {
        return switch (minutes) {
        case 10 -> "every 10 minutes";
        case 60 -> "hourly";
        case 360 -> "every 6 hours";
        case 1440 -> "daily";
        default -> "every " + minutes + " minutes";
        };
    }
}
