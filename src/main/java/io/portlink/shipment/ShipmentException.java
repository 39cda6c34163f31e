package io.portlink.shipment;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * A problem reported on a shipment (by its driver, staff or the API), open until {@link #resolvedAt}. While any is open
 * ({@link Shipment#openExceptions} &gt; 0) the tracking page hides the ETA and the staff queue lists the shipment.
 */
@Entity
@Table(name = "shipment_exception")
public class ShipmentException extends PanacheEntity {

    /** {@code shipment_exception.actor_label}'s length in characters (the erasure cleans a link's label to fit it). */
    public static final int ACTOR_LABEL_LENGTH = 300;

    /** shipment_exception.note's length in characters (V27). */
    public static final int NOTE_LENGTH = 2000;

    /** What went wrong. */
    public enum Kind {
        DELAY, DAMAGE, REFUSED, OTHER;

        /** As staff read it, as the report form's choices say it: DELAY → "Delay". */
        public String label() {
            return name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
        }
    }

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public Shipment shipment;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public Kind kind;

    public String note;

    /** When it was reported (UTC). */
    @Column(nullable = false)
    public Instant reportedAt;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public ShipmentActor.Type actorType;
    public Long actorId;
    @Column(nullable = false)
    public String actorLabel;

    public Instant resolvedAt;
    public String resolvedBy;
}
