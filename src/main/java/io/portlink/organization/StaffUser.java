package io.portlink.organization;

import java.time.Instant;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/** A person of the organisation who signs in to the staff UI. */
@Entity
public class StaffUser extends PanacheEntity {

    public enum Role {
        /** Users, API keys and organisation settings, plus everything staff do. */
        ADMIN, STAFF;

        public String roleName() {
            return name().toLowerCase();
        }
    }

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public Organization organization;

    /** Stored lower-case. */
    @Column(nullable = false)
    public String email;

    public String displayName;

    @Column(nullable = false)
    public String passwordHash;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public Role role;

    public boolean enabled;

    /** SHA-256 of the open invitation's token; null once the invited person has chosen a password. */
    public String inviteHash;

    public Instant inviteExpiresAt;

    /** Part of the session cookie's principal: raising it ends every session of this user. */
    public int sessionEpoch;

    @Column(nullable = false)
    public Instant createdAt;

    public static Optional<StaffUser> findByEmail(String email) {
        return find("email", email.trim().toLowerCase()).firstResultOptional();
    }

    public String label() {
        return displayName == null || displayName.isBlank() ? email : displayName + " <" + email + ">";
    }
}
