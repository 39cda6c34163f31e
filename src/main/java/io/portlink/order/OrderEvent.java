package io.portlink.order;

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

/** One entry of an order's timeline: when, who, what changed. Never updated, never deleted. */
@Entity
public class OrderEvent extends PanacheEntity {

    public enum ActorType {
        STAFF, API, VENDOR_LINK, SYSTEM
    }

    public enum Type {
        IMPORTED, LINK_CREATED, LINK_SENT, LINK_REVOKED, LINK_REGENERATED, LINK_REQUESTED, LINK_EXPIRY, REMINDER,
        DATE_RECONFIRMED, MAIL_QUEUED, MAIL_SENT, MAIL_DEAD, CONFIRMED, DECLINED, EXPECTED_DATE, STATUS, TRACKING, NOTE,
        CANCELLED,
        /** The vendor declined, then said it can supply the order after all; and staff taking note of it. */
        REOPENED, REOPEN_NOTED,
        /** Two vendor rows turned out to be one vendor (migration V14_1); the order moved to the one kept. */
        VENDOR_MERGED
    }

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public PurchaseOrder order;

    @Column(nullable = false)
    public Instant at;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public ActorType actorType;

    /** Staff user id, API key id or link id, by {@link #actorType}. */
    public Long actorId;

    /** How the actor reads on the timeline, e.g. "link #3 (J. Smith, j@vendor.example)". */
    @Column(nullable = false)
    public String actorLabel;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public Type type;

    public String detail;
}
