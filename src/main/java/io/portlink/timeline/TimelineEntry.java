package io.portlink.timeline;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * One entry of a subject's timeline: when, who, what kind, what changed, and who may read it. Never updated, never
 * deleted. Written only by {@link Timeline}.
 */
@Entity
public class TimelineEntry extends PanacheEntity {

    /** timeline_entry.detail's length in characters (V1, as order_event.detail; renamed in V20). */
    public static final int DETAIL_LENGTH = 2000;

    /** timeline_entry.actor_label's length in characters (V1, as order_event.actor_label; renamed in V20). */
    public static final int ACTOR_LABEL_LENGTH = 400;

    @Column(nullable = false)
    public long organizationId;

    /** Exactly one of the four subject ids is set (a CHECK in the database, V40). */
    public Long purchaseOrderId;
    public Long shipmentId;
    public Long salesOrderId;
    public Long dropshipmentId;

    @Column(nullable = false)
    public Instant at;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public Actor.Type actorType;

    /** Staff user id, API key id or link id, by {@link #actorType}. */
    public Long actorId;

    @Column(nullable = false)
    public String actorLabel;

    /** The feature's own name for what happened (the constant name of its event enum, e.g. {@code CONFIRMED}). */
    @Column(nullable = false)
    public String kind;

    public String detail;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public Visibility visibility;
}
