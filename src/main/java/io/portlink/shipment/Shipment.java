package io.portlink.shipment;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Version;

import org.hibernate.annotations.DynamicUpdate;

import io.portlink.organization.Organization;
import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * What a customer tracks: a consignment, a vehicle, a load. The customer-facing part (title, customer, addresses,
 * stage, estimated arrival, customer notes, photos) and the internal part (stock number, VIN or serial, money, internal
 * notes) live on one row; only the service's views decide who sees what. Deleting sets {@link #deletedAt} and clears
 * {@link #liveReference}: a deleted shipment is gone for every reader and never comes back.
 */
@Entity
@DynamicUpdate
public class Shipment extends PanacheEntity {

    /** shipment.internal_notes' length in characters (V21); what staff may write there. */
    public static final int INTERNAL_NOTES_LENGTH = 4000;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public Organization organization;

    /** Staff's reference, unique per organisation among live shipments. */
    @Column(nullable = false)
    public String reference;
    /** {@link #reference} while live, null once deleted (the unique index ignores nulls). */
    public String liveReference;
    /** Lower-case reference and customer name, for the staff search. */
    @Column(nullable = false)
    public String referenceKey;
    public String customerKey;

    /** What the customer sees as the shipment's name ("2019 Toyota Land Cruiser 300"). */
    @Column(nullable = false)
    public String title;
    public String customerName;
    public String customerEmail;
    public String customerPhone;
    /** en, de, fr or es; null = the organisation's language. */
    public String customerLanguage;
    public String shipFrom;
    public String shipTo;

    // Internal: never shown to a customer.
    public String stockNumber;
    public String vinSerial;
    /** ISO 4217 code of cost, sale price and payments. */
    public String currency;
    public BigDecimal cost;
    public BigDecimal salePrice;
    public BigDecimal paymentsReceived;
    @Column(length = INTERNAL_NOTES_LENGTH)
    public String internalNotes;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public ShipmentPipeline pipeline;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public ShipmentStage stage;
    @Column(nullable = false)
    public Instant stageChangedAt;

    /** Set by staff; a date in the organisation's calendar, no time. */
    public LocalDate estimatedArrival;

    public Long heroPhotoId;

    /** The latest position by recorded time (see {@link ShipmentPositions}); null before the first. */
    public Instant lastPositionAt;
    @Column(precision = 9, scale = 6)
    public BigDecimal lastLatitude;
    @Column(precision = 9, scale = 6)
    public BigDecimal lastLongitude;

    /** The first ETA known (UTC), kept when the current one moves; null before any. */
    public Instant plannedEta;
    /** The ETA the tracking page shows (UTC); see {@link #etaSource}. */
    public Instant currentEta;
    /** Where {@link #currentEta} came from. */
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    @org.hibernate.annotations.JdbcTypeCode(org.hibernate.type.SqlTypes.VARCHAR)
    public EtaSource etaSource;
    public Instant etaUpdatedAt;
    /** A MANUAL ETA given as a date only: {@link #currentEta} is the end of that day, pages show the date alone. */
    @Column(nullable = false)
    public boolean etaDateOnly;

    /** When it reached a DELIVERED stage (UTC); null again when moved back. */
    public Instant deliveredAt;
    public String carrier;
    public String trackingNumber;
    /** The purchase order this shipment fulfils (part of), if any; an id, as features do not share entities. */
    public Long purchaseOrderId;
    /** Who sends the goods (a purchase order's vendor); the tracking page names it only if the settings allow. */
    public String senderName;
    /** The day the goods left, as the sender says (the sender's own day, no zone); null when not said. */
    public LocalDate shippedOn;
    /** How many {@link ShipmentException}s are open. */
    @Column(nullable = false)
    public int openExceptions;

    /**
     * The Late bucket ({@link DelayAlerts}): 0 on time, 1 when the current ETA is past the delivery window's end plus
     * the threshold, 2 when past it by 24 hours more. {@link #lateSince} is when it became late (UTC), null on time.
     */
    @Column(nullable = false)
    public int lateLevel;
    public Instant lateSince;

    /**
     * The delivery stop's window end (UTC; null without a delivery stop or window end), kept by
     * {@link ShipmentStops#replace}: the lateness scan ({@link LatenessScan}) reads the shipments past it from their
     * own index (V78) instead of every open shipment's stops.
     */
    public Instant deliveryDueAt;

    @Column(nullable = false)
    public Instant createdAt;
    @Column(nullable = false)
    public Instant updatedAt;
    public Instant deletedAt;
    /** When the retention job deleted its photos and proof-of-delivery images; null: not (yet). Written by SQL. */
    public Instant imagesRemovedAt;
    /** When the retention job deleted its position history; null: not (yet). Written by SQL. */
    public Instant positionsRemovedAt;

    @Version
    public long version;

    /** Where a current ETA came from. */
    public enum EtaSource {
        /** Set by staff or the API: positions do not overwrite it. */
        MANUAL,
        /** The routing engine's route duration from the last position. */
        ROUTE,
        /** Great-circle distance × the organisation's detour factor ÷ its average speed. */
        ESTIMATE
    }
}
