package io.portlink.link;

import java.util.EnumMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * The link pages' counters, registered once and incremented on every open (a counter's increment is an atomic add, no
 * registry lookup): {@code portlink.link.opens{kind=vendor|tracking|driver|invite, by=person|bot}}, a person's counted
 * open ({@link Links#confirmOpen}, a first posted form) or a machine's fetch ({@link Links#recordBotFetch}); and
 * {@code portlink.tracking.page.views}, tracking pages shown. Made when the service starts, so every series is there at
 * 0 from the first scrape (a dashboard or alert sees 0, not "no data").
 */
@ApplicationScoped
@Startup
public class LinkMeters {

    /** The counter's name. */
    public static final String OPENS = "portlink.link.opens";

    /** The tracking pages' counter. */
    public static final String TRACKING_VIEWS = "portlink.tracking.page.views";

    private final Map<AccessLink.Scope, Counter> people = new EnumMap<>(AccessLink.Scope.class);
    private final Map<AccessLink.Scope, Counter> bots = new EnumMap<>(AccessLink.Scope.class);
    private Counter trackingViews;

    @Inject
    LinkMeters(MeterRegistry registry) {
        for (AccessLink.Scope scope : AccessLink.Scope.values()) {
            people.put(scope, counter(registry, scope, "person"));
            bots.put(scope, counter(registry, scope, "bot"));
        }
        trackingViews = Counter.builder(TRACKING_VIEWS)
                .description("Tracking pages shown (200), to people and machines").register(registry);
    }

    /** Default constructor for the container's proxy. */
    LinkMeters() {
    }

    private static Counter counter(MeterRegistry registry, AccessLink.Scope scope, String by) {
        return Counter.builder(OPENS).description("Link page opens by people (counted opens) and fetches by machines")
                .tag("kind", kind(scope)).tag("by", by).register(registry);
    }

    /** The {@code kind} tag of a scope: vendor, tracking, driver or invite. */
    public static String kind(AccessLink.Scope scope) {
        return switch (scope) {
        case VENDOR_ORDER -> "vendor";
        case CUSTOMER_SHIPMENT -> "tracking";
        case DRIVER -> "driver";
        case STAFF_INVITE -> "invite";
        };
    }

    /** One tracking page shown (200), to a person or a machine. */
    public void trackingPageShown() {
        trackingViews.increment();
    }

    /** One open of a link of this scope, by a person or a machine. */
    public void open(AccessLink.Scope scope, boolean person) {
        (person ? people : bots).get(scope).increment();
    }
}
