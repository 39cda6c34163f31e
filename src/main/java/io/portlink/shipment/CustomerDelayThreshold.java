package io.portlink.shipment;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;

import io.portlink.organization.Organization;
import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * A customer's own delay threshold (minutes) within an organisation, overriding the organisation's
 * ({@link ShipmentSettings#delayThresholdMinutes}) for every shipment whose customer name matches (any case, as
 * {@link Shipment#customerKey}). Written only by {@link DelayAlerts}.
 */
@Entity
public class CustomerDelayThreshold extends PanacheEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public Organization organization;

    /** Lower-case customer name. */
    @Column(nullable = false)
    public String customerKey;
    /** The name as typed. */
    @Column(nullable = false)
    public String customerName;

    @Column(nullable = false)
    public int thresholdMinutes;
}
