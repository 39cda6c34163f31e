package io.portlink.shipment;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * One step of a shipment's stage history: who moved it, when, from which stage to which. Names and milestones are
 * copied, so the history reads the same after the pipeline changes. Never updated.
 */
@Entity
public class ShipmentStageChange extends PanacheEntity {

    /**
     * {@code shipment_stage_change.actor_label}'s length in characters (the erasure cleans a link's label to fit it).
     */
    public static final int ACTOR_LABEL_LENGTH = 300;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public Shipment shipment;

    @Column(nullable = false)
    public Instant at;

    /** Null for the first stage a shipment was created in. */
    public Long fromStageId;
    public String fromName;
    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    public Milestone fromMilestone;

    @Column(nullable = false)
    public Long toStageId;
    @Column(nullable = false)
    public String toName;
    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public Milestone toMilestone;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public ShipmentActor.Type actorType;
    public Long actorId;
    @Column(nullable = false)
    public String actorLabel;
}
