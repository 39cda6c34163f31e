package io.portlink.organization;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * The audit record of one erasure request ({@link PersonalDataErasures}): which organisation, what kind of identifier
 * ({@code email} or {@code phone}), a SHA-256 of the organisation and the normalised identifier (so a repeated request
 * is recognisable without keeping the person's data), who asked (the API key's name and id), when (UTC), and the counts
 * of what was erased by kind ({@code kind=n, …}). Never the person's data itself.
 */
@Entity
public class PersonalDataErasure extends PanacheEntity {

    /** personal_data_erasure.requested_by's length in characters (V67); a longer caller's name is cut to it. */
    public static final int REQUESTED_BY_LENGTH = 200;

    @Column(nullable = false)
    public long organizationId;

    @Column(nullable = false)
    public String subjectKind;

    @Column(nullable = false)
    public String subjectHash;

    @Column(nullable = false, length = REQUESTED_BY_LENGTH)
    public String requestedBy;

    @Column(nullable = false)
    public Instant requestedAt;

    @Column(nullable = false)
    public String counts;
}
