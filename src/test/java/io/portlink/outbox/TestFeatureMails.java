package io.portlink.outbox;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A feature that only tests have, using the outbox as a feature would: its own kinds (one of them with an attachment),
 * a listener for the outcomes of its mails, and a listener that fails when told to (as a feature whose rows are locked
 * would).
 */
@ApplicationScoped
public class TestFeatureMails implements OutboxHandler {

    static final String NOTE = "TEST_SHIPMENT_NOTE";
    static final String WITH_FILE = "TEST_WITH_FILE";
    static final String NO_SUBJECT = "TEST_NO_SUBJECT";
    /** A kind whose attachment, while it is rendered at send time, runs {@link #whileRendering}. */
    static final String RENDERED = "TEST_RENDERED";

    private volatile Runnable whileRendering = () -> {
    };

    private final List<OutboxEvents.Delivered> delivered = new CopyOnWriteArrayList<>();
    private final List<OutboxEvents.GaveUp> gaveUp = new CopyOnWriteArrayList<>();

    /** How many of the next delivered events this feature fails to record. */
    private final AtomicInteger failNextDelivered = new AtomicInteger();

    @Override
    public Set<String> kinds() {
        return Set.of(WITH_FILE, RENDERED);
    }

    /** The file names the shipment and the mail's recipient, read at claim time. */
    @Override
    public List<Attachment> attachments(OutboxMessage message) {
        String content = "file for shipment " + message.shipmentId + " to " + message.recipient;
        if (RENDERED.equals(message.kind)) {
            return List.of(new Attachment("rendered.txt", "text/plain", () -> {
                whileRendering.run();
                return content.getBytes(StandardCharsets.UTF_8);
            }));
        }
        return List.of(new Attachment("shipment-" + message.shipmentId + ".txt", "text/plain",
                () -> content.getBytes(StandardCharsets.UTF_8)));
    }

    void delivered(@Observes OutboxEvents.Delivered event) {
        if (!event.kind().startsWith("TEST_")) {
            return;
        }
        if (failNextDelivered.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("the feature's row is busy");
        }
        delivered.add(event);
    }

    void gaveUp(@Observes OutboxEvents.GaveUp event) {
        if (event.kind().startsWith("TEST_")) {
            gaveUp.add(event);
        }
    }

    /** The feature fails to record the next {@code count} delivered events of its kinds. */
    /**
     * Runs {@code action} while a {@link #RENDERED} mail's attachment is rendered (e.g. a stop beginning meanwhile).
     */
    void whileRendering(Runnable action) {
        whileRendering = action;
    }

    void failNextDelivered(int count) {
        failNextDelivered.set(count);
    }

    List<OutboxEvents.Delivered> deliveredOf(long messageId) {
        return delivered.stream().filter(e -> e.messageId() == messageId).toList();
    }

    List<OutboxEvents.GaveUp> gaveUpOf(long messageId) {
        return gaveUp.stream().filter(e -> e.messageId() == messageId).toList();
    }
}
