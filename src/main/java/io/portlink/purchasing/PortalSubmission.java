package io.portlink.purchasing;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * The nonce of a portal form that was already applied, with a digest of what it carried: the same form posted again
 * changes nothing ("already saved" with the same content, "changed meanwhile" with other content).
 */
@Entity
public class PortalSubmission extends PanacheEntityBase {

    @Id
    public String nonce;

    @Column(nullable = false)
    public long orderId;

    @Column(nullable = false)
    public long linkId;

    @Column(nullable = false)
    public Instant at;

    /** Lower-case hex SHA-256 of the form's fields ({@link VendorDesk.Action#content}); null before it was kept. */
    public String contentDigest;
}
