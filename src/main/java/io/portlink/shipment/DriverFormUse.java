package io.portlink.shipment;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A driver-page form already used, by its nonce's signature: the same form posted again is "already saved" (with other
 * typed content: refused, with what was typed, see {@code DriverPages}).
 */
@Entity
public class DriverFormUse extends PanacheEntityBase {

    @Id
    public String formKey;

    @Column(nullable = false)
    public long accessLinkId;

    @Column(nullable = false)
    public Instant usedAt;

    /** Lower-case hex SHA-256 of what a form with typed content carried (a problem's kind and note); else null. */
    public String contentDigest;
}
