package io.portlink.shipment;

import java.math.BigDecimal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.ValidationException;

/**
 * An organisation's live-tracking settings ({@link ShipmentSettings}): the map on the tracking page, how long a
 * position counts as fresh, and the ETA estimate's detour factor and average speed. An organisation without a settings
 * row reads the defaults (map off, 120 minutes, 1.30, 60 km/h).
 */
@ApplicationScoped
public class LiveSettings {

    /** Bounds staff may set: freshness in minutes, detour factor, average speed in km/h. */
    public static final int FRESH_MIN = 5, FRESH_MAX = 10080, SPEED_MIN = 5, SPEED_MAX = 200;
    public static final BigDecimal DETOUR_MIN = new BigDecimal("1.00"), DETOUR_MAX = new BigDecimal("3.00");

    @Inject
    Pipelines pipelines;

    @Inject
    PortlinkConfig config;

    /**
     * The settings as staff see them; {@code tilesConfigured}: whether this service has a map tile server at all
     * (without one the map stays off whatever the organisation chose); {@code routingEngine}: whether it has a routing
     * engine ({@code portlink.routing.osrm-url}), whose route duration then gives the ETA from a position.
     */
    public record View(boolean mapEnabled, int positionFreshMinutes, BigDecimal detourFactor, int averageSpeedKmh,
            boolean tilesConfigured, boolean routingEngine) {
    }

    /** The organisation's settings, or the defaults. */
    @Transactional
    public View of(long organizationId) {
        ShipmentSettings s = ShipmentEtas.settings(organizationId);
        return new View(s.mapEnabled, s.positionFreshMinutes, s.detourFactor, s.averageSpeedKmh,
                config.map().tileUrl().filter(u -> !u.isBlank()).isPresent(),
                config.routing().osrmUrl().filter(u -> !u.isBlank()).isPresent());
    }

    /**
     * Saves them from text as typed (a comma or a point for the decimal mark).
     *
     * @throws ValidationException
     *             naming each field out of its bounds or not a number: positionFreshMinutes ({@value #FRESH_MIN} to
     *             {@value #FRESH_MAX}), detourFactor (1.00 to 3.00), averageSpeedKmh ({@value #SPEED_MIN} to
     *             {@value #SPEED_MAX})
     */
    @Transactional
    public View set(long organizationId, boolean mapEnabled, String freshMinutes, String detourFactor,
            String averageSpeedKmh) {
        var errors = new ValidationException.Builder();
        Integer fresh = whole(freshMinutes, FRESH_MIN, FRESH_MAX, "positionFreshMinutes", "minutes", errors);
        Integer speed = whole(averageSpeedKmh, SPEED_MIN, SPEED_MAX, "averageSpeedKmh", "km/h", errors);
        BigDecimal detour = null;
        try {
            detour = new BigDecimal(detourFactor == null ? "" : detourFactor.strip().replace(',', '.'));
            if (detour.compareTo(DETOUR_MIN) < 0 || detour.compareTo(DETOUR_MAX) > 0 || detour.scale() > 2) {
                errors.add("detourFactor", "must be between 1.00 and 3.00 with at most two decimals (road km per"
                        + " straight-line km, e.g. 1.30)", detourFactor);
            }
        } catch (NumberFormatException e) {
            errors.add("detourFactor", "must be a number like 1.30", detourFactor);
        }
        errors.throwIfAny();
        pipelines.ensureDefault(organizationId); // the settings row comes with the default pipeline
        ShipmentSettings s = ShipmentSettings.findById(organizationId);
        s.mapEnabled = mapEnabled;
        s.positionFreshMinutes = fresh;
        s.detourFactor = detour.setScale(2);
        s.averageSpeedKmh = speed;
        return of(organizationId);
    }

    /**
     * Whether the tracking page names the sender (the vendor, {@link ShipmentSettings#showVendorName}); off by default.
     */
    @Transactional
    public boolean showsVendorName(long organizationId) {
        return ShipmentEtas.settings(organizationId).showVendorName;
    }

    /** Turns the sender's (vendor's) name on the tracking page on or off; every page's next load shows it so. */
    @Transactional
    public void setShowVendorName(long organizationId, boolean show) {
        pipelines.ensureDefault(organizationId); // the settings row comes with the default pipeline
        ShipmentSettings.<ShipmentSettings> findById(organizationId).showVendorName = show;
    }

    private static Integer whole(String value, int min, int max, String field, String unit,
            ValidationException.Builder errors) {
        try {
            int v = Integer.parseInt(value == null ? "" : value.strip());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        errors.add(field, "must be a whole number of " + unit + " from " + min + " to " + max, value);
        return null;
    }
}
