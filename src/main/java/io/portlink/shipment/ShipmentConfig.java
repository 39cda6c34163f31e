package io.portlink.shipment;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The shipment feature's settings ({@code portlink.shipment.*}, or {@code PORTLINK_SHIPMENT_*}). */
@ConfigMapping(prefix = "portlink.shipment")
public interface ShipmentConfig {

    /** Photos: the largest file accepted, in bytes (after upload, before metadata is removed). */
    @WithDefault("8388608")
    int photoMaxBytes();

    /** Photos: the longest side in pixels; guards browsers against a small file that decodes to a huge bitmap. */
    @WithDefault("8000")
    int photoMaxSide();

    /** Photos: at most this many per shipment. */
    @WithDefault("30")
    int photosPerShipment();
}
