package io.portlink.link;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;

import io.portlink.organization.Organization;
import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * Someone holding a revoked or expired link asked for a fresh one; staff answer by sending one. The link names the
 * subject.
 */
@Entity
public class LinkRequest extends PanacheEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public Organization organization;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public AccessLink link;

    @Column(nullable = false)
    public Instant requestedAt;

    public Instant handledAt;

    public String handledBy;
}
