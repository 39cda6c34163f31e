package io.portlink.shipment;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

/**
 * One stop of a shipment, in order ({@link #position} from 0): the pickup first, the delivery last, optional stops
 * between. The time window is two instants (UTC) that were entered, and are always shown, in the stop's own time zone
 * {@link #zone} (an IANA name such as {@code Europe/Berlin}). Coordinates are WGS 84 degrees, optional; the delivery
 * stop's feed the ETA.
 */
@Entity
public class ShipmentStop extends PanacheEntity {

    /** shipment_stop.name's length in characters (V27). */
    public static final int NAME_LENGTH = 200;

    /** shipment_stop.address's length in characters (V27). */
    public static final int ADDRESS_LENGTH = 1000;

    /** What a stop is for. */
    public enum Kind {
        PICKUP, STOP, DELIVERY;

        /** As staff read it on the shipment's page: PICKUP → "Pickup". */
        public String label() {
            return name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
        }
    }

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    public Shipment shipment;

    @Column(nullable = false)
    public int position;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(nullable = false)
    public Kind kind;

    @Column(length = NAME_LENGTH)
    public String name;
    @Column(length = ADDRESS_LENGTH)
    public String address;
    @Column(precision = 9, scale = 6)
    public BigDecimal latitude;
    @Column(precision = 9, scale = 6)
    public BigDecimal longitude;

    @Column(nullable = false)
    public String zone;
    public Instant windowFrom;
    public Instant windowTo;

    public Instant arrivedAt;
    public Instant departedAt;
}
