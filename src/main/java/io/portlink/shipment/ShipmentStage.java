package io.portlink.shipment;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/** One stage of a pipeline: its place (from 0), the name staff and customers read, and its standard milestone. */
@Entity
public class ShipmentStage extends PanacheEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public ShipmentPipeline pipeline;

    @Column(nullable = false)
    public int position;

    @Column(nullable = false)
    public String name;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public Milestone milestone;
}
