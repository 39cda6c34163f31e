package io.portlink.shipment;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/** Test observer: every {@link ShipmentEtaChanged} fired, in order. */
@Singleton
public class EtaEvents {

    private final List<Long> shipmentIds = new CopyOnWriteArrayList<>();

    void on(@Observes ShipmentEtaChanged event) {
        shipmentIds.add(event.shipmentId());
    }

    /** How many events named this shipment. */
    public long count(long shipmentId) {
        return shipmentIds.stream().filter(id -> id == shipmentId).count();
    }
}
