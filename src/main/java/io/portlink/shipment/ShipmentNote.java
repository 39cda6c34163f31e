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

/** A note on a shipment, for the customer or internal ({@link NoteScope}). Never updated. */
@Entity
public class ShipmentNote extends PanacheEntity {

    /** {@code shipment_note.actor_label}'s length in characters (the erasure cleans a link's label to fit it). */
    public static final int ACTOR_LABEL_LENGTH = 300;

    /** shipment_note.body's length in characters (V21). */
    public static final int BODY_LENGTH = 4000;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public Shipment shipment;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public NoteScope scope;

    @Column(nullable = false)
    public String body;

    @Column(nullable = false)
    public Instant at;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public ShipmentActor.Type actorType;
    public Long actorId;
    @Column(nullable = false)
    public String actorLabel;
}
