package io.portlink.dropship;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * One sync run of a merchant (V41, table {@code sync_run}): why it started, when it started and finished (UTC), and
 * what moved. Written when the run ends, in the transaction that ends it; a run cut short by a crash leaves no row
 * (what its committed batches moved stays moved, and the next run goes on from there).
 */
@Entity
public class SyncRun extends PanacheEntity {

    public enum StartedBy {
        /** The scheduler's pass: the merchant's interval had come. */
        SCHEDULE,
        /** "Sync now" on the sync health page or {@code POST /api/v1/sync/run}. */
        MANUAL
    }

    public enum Outcome {
        /** Everything due moved. */
        SUCCEEDED,
        /** Something could not move ({@link #failures} above 0 or an {@link #error}); the rest did. */
        FAILED
    }

    @Column(nullable = false)
    public long merchantId;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public StartedBy startedBy;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public Outcome outcome;

    @Column(nullable = false)
    public Instant startedAt;

    public Instant finishedAt;

    /** Routed dropshipments handed to their suppliers (sentAt set). */
    @Column(nullable = false)
    public int dropshipmentsSent;

    /** Supplier stock changes read and consumed ({@code dropship_stock_change} rows). */
    @Column(nullable = false)
    public int changesPassed;

    /** Stock levels of the merchant's supplier warehouses written with a new quantity (or created). */
    @Column(nullable = false)
    public int stockUpdated;

    /** Dropshipments or changes that could not move (e.g. the supplier disconnected). */
    @Column(nullable = false)
    public int failures;

    /** What went wrong, in words the merchant can act on; at most 2,000 characters. */
    public String error;
}
