package io.portlink.shipment;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.platform.Locales;
import io.portlink.platform.PortlinkConfig;

/**
 * Where a shipment was last seen, one rule for the customer's page and the staff's: the distance left to the delivery
 * stop (great-circle km, from its coordinates) and the map tile, shown only when the organisation turned its map on
 * ({@link ShipmentSettings#mapEnabled}), a tile server is configured ({@code portlink.map.tile-url}) and the position
 * is fresh ({@link ShipmentSettings#positionFreshMinutes}).
 */
@ApplicationScoped
public class LastPositions {

    @Inject
    Clock clock;

    @Inject
    PortlinkConfig config;

    /**
     * The last position as staff read it: its time in the shipment's zone (named), its source ({@code api},
     * {@code driver} or the API's own word), latitude and longitude (plain decimals), the distance left (formatted km,
     * null without the delivery stop's coordinates) and the map tile (null unless shown, see the class).
     */
    public record StaffView(String recordedAt, String source, String latitude, String longitude, String distanceKm,
            TrackingView.MapTile map) {
    }

    /** The staff's view of a live shipment's last position; empty without a position or for no such shipment. */
    @Transactional
    public Optional<StaffView> forStaff(long organizationId, long shipmentId, Locales.Format format) {
        return Shipments.live(organizationId, shipmentId).filter(s -> s.lastPositionAt != null).map(s -> {
            ShipmentStop delivery = ShipmentStops.deliveryOf(s.id);
            ShipmentTimes times = ShipmentTimes.of(delivery, s.organization.timeZone, format);
            String source = ShipmentPosition
                    .<ShipmentPosition> find("shipment.id = ?1 and recordedAt = ?2 order by id desc", s.id,
                            s.lastPositionAt)
                    .firstResultOptional().map(p -> p.source).orElse(null);
            return new StaffView(times.at(s.lastPositionAt), source, s.lastLatitude.toPlainString(),
                    s.lastLongitude.toPlainString(), distanceKm(s, delivery, format), map(s));
        });
    }

    /** The km left from the last position to the delivery stop, formatted (one decimal below 10); null unknown. */
    static String distanceKm(Shipment s, ShipmentStop delivery, Locales.Format format) {
        if (s.lastPositionAt == null || delivery == null) {
            return null;
        }
        return distanceKm(s.lastLatitude, s.lastLongitude, delivery.latitude, delivery.longitude, format);
    }

    /**
     * {@link #distanceKm(Shipment, ShipmentStop, Locales.Format)} from its parts: the last position's and the delivery
     * stop's coordinates (degrees); null when the stop's are unknown.
     */
    static String distanceKm(BigDecimal latitude, BigDecimal longitude, BigDecimal toLatitude, BigDecimal toLongitude,
            Locales.Format format) {
        if (toLatitude == null || toLongitude == null) {
            return null;
        }
        double km = ShipmentEtas.haversineKm(latitude.doubleValue(), longitude.doubleValue(), toLatitude.doubleValue(),
                toLongitude.doubleValue());
        return format.number(BigDecimal.valueOf(km).setScale(km < 10 ? 1 : 0, RoundingMode.HALF_UP));
    }

    /** The map tile around the last position, or null: map off, no tile server, or the position not fresh. */
    TrackingView.MapTile map(Shipment s) {
        if (s.lastPositionAt == null) {
            return null;
        }
        ShipmentSettings settings = ShipmentEtas.settings(s.organization.id);
        return map(s.lastPositionAt, s.lastLatitude, s.lastLongitude, settings.mapEnabled,
                settings.positionFreshMinutes);
    }

    /**
     * {@link #map(Shipment)} from its parts: the last position (its time, degrees) and the organisation's map switch
     * and freshness (minutes); null without a position.
     */
    TrackingView.MapTile map(Instant at, BigDecimal latitude, BigDecimal longitude, boolean mapEnabled,
            int freshMinutes) {
        if (at == null) {
            return null;
        }
        boolean fresh = !at.plus(Duration.ofMinutes(freshMinutes)).isBefore(Instant.now(clock));
        Optional<String> tileUrl = config.map().tileUrl().filter(u -> !u.isBlank());
        if (!mapEnabled || !fresh || tileUrl.isEmpty()) {
            return null;
        }
        return TrackingPages.tile(tileUrl.get().strip(), latitude.doubleValue(), longitude.doubleValue());
    }
}
