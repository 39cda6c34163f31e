package io.portlink.outbox;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;

import io.portlink.organization.Organization;
import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * Where an organisation wants its webhooks: a URL, the event types it wants ({@value #ALL} for every type), and a
 * signing secret that is never stored: {@link WebhookSecrets} derives it from {@link #secretSeed} and a server key.
 * Rotating the secret replaces the seed. Rules live in {@link Webhooks}.
 */
@Entity
public class WebhookEndpoint extends PanacheEntity {

    /** The event types of an endpoint that wants every type. */
    public static final String ALL = "*";

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public Organization organization;

    /** {@code https://…} (or {@code http://} where {@code portlink.webhooks.allow-local} allows it); ≤ 2,000 chars. */
    @Column(nullable = false)
    public String url;

    /** Comma-separated event types, or {@value #ALL}. */
    @Column(nullable = false)
    public String eventTypes;

    /** 256 random bits (base64url) from which the secret is derived; replaced on rotation. */
    @Column(nullable = false)
    public String secretSeed;

    /** What may be shown of the secret: its prefix and first characters ({@code whsec_AbCd…}). */
    @Column(nullable = false)
    public String secretHint;

    public boolean enabled;

    @Column(nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public Instant updatedAt;

    /** The event types as a list; empty for an endpoint that wants every type. */
    public List<String> types() {
        return ALL.equals(eventTypes) ? List.of() : Arrays.asList(eventTypes.split(","));
    }

    /** Whether it wants events of this type. */
    public boolean wants(String type) {
        return ALL.equals(eventTypes) || types().contains(type);
    }
}
