package io.portlink.portal;

import java.util.EnumMap;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.portlink.shipment.Milestone;
import io.portlink.shipment.TrackingView;
import io.quarkus.qute.i18n.Localized;

/**
 * The tracking page's milestone and event words ({@link TrackingMessages#milestone}, {@link TrackingMessages#event}) in
 * each of the page's languages, asked of the message bundle once at start and kept in tables: the page then shows a
 * record's field instead of running the bundle's {@code {#when}} block for every stage and update of every request. A
 * language without a bundle of its own reads English, as the template's {@code track:} namespace does.
 */
@ApplicationScoped
class TrackingWords implements TrackingView.Words {

    @Inject
    TrackingMessages en;

    @Inject
    @Localized("de")
    TrackingMessages de;

    @Inject
    @Localized("fr")
    TrackingMessages fr;

    @Inject
    @Localized("es")
    TrackingMessages es;

    private Words english;
    private Map<String, Words> byLanguage;

    private record Words(Map<Milestone, String> milestones, Map<TrackingView.Event, String> events) {

        static Words of(TrackingMessages messages) {
            Map<Milestone, String> milestones = new EnumMap<>(Milestone.class);
            for (Milestone m : Milestone.values()) {
                milestones.put(m, messages.milestone(m));
            }
            Map<TrackingView.Event, String> events = new EnumMap<>(TrackingView.Event.class);
            for (TrackingView.Event e : TrackingView.Event.values()) {
                events.put(e, messages.event(e));
            }
            return new Words(milestones, events);
        }
    }

    @PostConstruct
    void init() {
        english = Words.of(en);
        byLanguage = Map.of("en", english, "de", Words.of(de), "fr", Words.of(fr), "es", Words.of(es));
    }

    private Words in(String language) {
        Words words = language == null ? null : byLanguage.get(language);
        return words == null ? english : words;
    }

    @Override
    public String milestone(Milestone milestone, String language) {
        return in(language).milestones().get(milestone);
    }

    @Override
    public String event(TrackingView.Event event, String language) {
        return in(language).events().get(event);
    }
}
