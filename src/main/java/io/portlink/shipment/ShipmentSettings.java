package io.portlink.shipment;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * The shipment feature's settings row of one organisation: the pipeline new shipments use (and the one vendors'
 * shipments use), and whether every new shipment gets a tracking link at once.
 */
@Entity
public class ShipmentSettings extends PanacheEntityBase {

    @Id
    public Long organizationId;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public ShipmentPipeline pipeline;

    /**
     * The pipeline of the shipments vendors ship (through their link or the fulfilment API); null: the default
     * {@link #pipeline}, whichever it is then (V53).
     */
    @ManyToOne(fetch = FetchType.LAZY)
    @jakarta.persistence.JoinColumn(name = "vendor_pipeline_id")
    public ShipmentPipeline vendorPipeline;

    /** Create a tracking link with every new shipment (in its transaction). */
    @Column(name = "tracking_link_for_new", nullable = false)
    public boolean trackingLinkForNew;

    /** Show the last position on a map (needs a tile server in the service's configuration too). */
    @Column(nullable = false)
    public boolean mapEnabled;
    /** How long after it was recorded a position counts as fresh (minutes). */
    @Column(nullable = false)
    public int positionFreshMinutes = 120;
    /** Road distance ÷ great-circle distance, for the ETA estimate without a routing engine. */
    @Column(nullable = false, precision = 4, scale = 2)
    public java.math.BigDecimal detourFactor = new java.math.BigDecimal("1.30");
    /** Average speed for the ETA estimate (km/h). */
    @Column(nullable = false)
    public int averageSpeedKmh = 60;
    /** How long a tracking link keeps working after delivery (days). */
    @Column(nullable = false)
    public int linkDaysAfterDelivery = 30;
    /**
     * Retention: days after delivery until the shipment's photos and its proof of delivery's photos and signature are
     * deleted ({@link ShipmentRetention}); null keeps them (V67).
     */
    public Integer imageDaysAfterDelivery = 365;
    /** Retention: days after delivery until the shipment's position history is deleted; null keeps it (V67). */
    public Integer positionDaysAfterDelivery = 90;

    /** Delay alerts: minutes the current ETA may pass the delivery window's end before a shipment is late. */
    @Column(nullable = false)
    public int delayThresholdMinutes = DelayAlerts.DEFAULT_THRESHOLD_MINUTES;
    /** The queue's "no position" bucket: hours without a new position (not delivered). */
    @Column(nullable = false)
    public int noPositionHours = ShipmentQueue.DEFAULT_NO_POSITION_HOURS;
    /** Who gets staff delay alerts (comma-separated addresses); null: the organisation's enabled admins. */
    public String delayAlertEmails;
    /** The tracking page names a shipment's sender ({@link Shipment#senderName}, e.g. a purchase order's vendor). */
    @Column(nullable = false)
    public boolean showVendorName;
    /**
     * The customer's tracking page shows the proof of delivery (photos, signature, receiver's name). Off until staff
     * turn it on: a photo of someone's signature is shown to customers only by the organisation's choice (V35).
     */
    @Column(nullable = false)
    public boolean showProofOfDelivery;

    /**
     * The organisation's settings, or the defaults (this class's initial values, not persisted) when it has no row yet:
     * every reader sees the same defaults. Writers create the row ({@code Pipelines.ensureDefault}).
     */
    public static ShipmentSettings of(long organizationId) {
        ShipmentSettings found = findById(organizationId);
        return found != null ? found : new ShipmentSettings();
    }
}
