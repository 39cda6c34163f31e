package io.portlink.shipment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;

import io.portlink.organization.Organization;
import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * An organisation's ordered stages a shipment moves through ({@link Pipelines}). Stages are never removed once used.
 */
@Entity
public class ShipmentPipeline extends PanacheEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public Organization organization;

    /** Unique per organisation, e.g. "Freight" or "Vehicle import". */
    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public Instant createdAt;

    @OneToMany(mappedBy = "pipeline", cascade = CascadeType.PERSIST)
    @OrderBy("position")
    public List<ShipmentStage> stages = new ArrayList<>();
}
