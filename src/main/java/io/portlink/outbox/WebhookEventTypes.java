package io.portlink.outbox;

import java.util.List;

/**
 * The webhook event types a feature publishes, so that {@link Webhooks} knows every type an endpoint may ask for
 * without the outbox depending on the features: each feature that calls {@link Webhooks#publish} has one CDI bean
 * implementing this, listing the constants it publishes with (the README's Webhooks table). {@link Webhooks#TEST_EVENT}
 * is the outbox's own.
 */
public interface WebhookEventTypes {

    /** The types this feature publishes, e.g. {@code sales_order.shipped}: lower-case words joined by dots. */
    List<String> eventTypes();
}
