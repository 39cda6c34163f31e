package io.portlink.shipment;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Version;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.portlink.organization.Organization;
import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * One milestone rule of an organisation: when {@link #trigger} happens to a shipment (for STAGE_REACHED: reaching
 * {@link #stageId}), e-mail the shipment's customer ({@link #mailCustomer}) and the {@link #extraRecipients}
 * (comma-separated addresses) in the customer's language, with the tracking link. Fires at most once per shipment (see
 * {@link MilestoneRules}). Written only by {@link MilestoneRules}.
 */
@Entity
public class MilestoneRule extends PanacheEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public Organization organization;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(name = "trigger_kind", nullable = false)
    public ShipmentTriggered.Trigger trigger;

    /** The stage, for {@link ShipmentTriggered.Trigger#STAGE_REACHED} only; null otherwise. */
    public Long stageId;

    @Column(nullable = false)
    public boolean mailCustomer;
    public String extraRecipients;

    @Column(nullable = false)
    public boolean enabled;

    @Column(nullable = false)
    public Instant createdAt;
    @Column(nullable = false)
    public Instant updatedAt;

    @Version
    public long version;
}
