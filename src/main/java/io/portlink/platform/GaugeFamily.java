package io.portlink.platform;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * One gauge name whose series (tag sets) come and go with the data, set all at once from a reading of the database
 * ({@link ScrapedGauges}): a series missing from a reading is removed, or kept at 0 when the family keeps what it has
 * seen (so that "went to 0" shows as 0 rather than as a vanished series). Not thread-safe: set from one refresh at a
 * time.
 */
public final class GaugeFamily {

    private final MeterRegistry registry;
    private final String name;
    private final String description;
    private final String baseUnit;
    private final boolean keepSeen;
    private final Map<Tags, AtomicReference<Double>> values = new HashMap<>();
    private final Map<Tags, Gauge> gauges = new HashMap<>();

    /**
     * @param baseUnit
     *            e.g. {@code seconds} (Prometheus appends it to the name), or null
     * @param keepSeen
     *            keep a series that the last reading lacks, at 0, until the process ends
     */
    public GaugeFamily(MeterRegistry registry, String name, String description, String baseUnit, boolean keepSeen) {
        this.registry = registry;
        this.name = name;
        this.description = description;
        this.baseUnit = baseUnit;
        this.keepSeen = keepSeen;
    }

    /** Makes the family show exactly {@code reading} (plus, when it keeps what it has seen, 0 for the rest). */
    public void set(Map<Tags, Double> reading) {
        for (var entry : reading.entrySet()) {
            values.computeIfAbsent(entry.getKey(), this::register).set(entry.getValue());
        }
        for (var it = values.entrySet().iterator(); it.hasNext();) {
            var entry = it.next();
            if (reading.containsKey(entry.getKey())) {
                continue;
            }
            if (keepSeen) {
                entry.getValue().set(0.0);
            } else {
                registry.remove(gauges.remove(entry.getKey()));
                it.remove();
            }
        }
    }

    /** The tag sets shown now (for tests). */
    public java.util.Set<Tags> series() {
        return java.util.Set.copyOf(values.keySet());
    }

    private AtomicReference<Double> register(Tags tags) {
        AtomicReference<Double> value = new AtomicReference<>(0.0);
        gauges.put(tags, Gauge.builder(name, value, AtomicReference::get).description(description).baseUnit(baseUnit)
                .tags(tags).strongReference(true).register(registry));
        return value;
    }
}
