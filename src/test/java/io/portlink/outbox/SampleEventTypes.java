package io.portlink.outbox;

import java.util.List;

import jakarta.inject.Singleton;

/**
 * The sample types the outbox's own tests publish and ask for (no feature sends them): registered as a feature would
 * register its types.
 */
@Singleton
public class SampleEventTypes implements WebhookEventTypes {

    @Override
    public List<String> eventTypes() {
        return List.of("shipment.shipped", "order.confirmed", "order.cancelled");
    }
}
