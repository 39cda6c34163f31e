package io.portlink.outbox;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A feature's part in delivering its own kinds of message: a CDI bean ({@code @ApplicationScoped}) naming the kinds it
 * serves. The outbox asks the one bean that serves a message's kind for its attachments when it claims the message; a
 * kind no bean serves is sent with its bodies only. Two beans serving one kind fail the start of the service.
 */
public interface OutboxHandler {

    /** The kinds this bean serves, as the feature queues them (e.g. {@code PO_AND_LINK}). */
    Set<String> kinds();

    /**
     * The message's attachments, read inside the claim's transaction (the message and its subject can be loaded); their
     * content is produced later, at send time, outside any transaction. Empty when there are none.
     */
    default List<Attachment> attachments(OutboxMessage message) {
        return List.of();
    }

    /**
     * Why the message should no longer go out, or null when it still should: asked when a delivery run claims it,
     * inside the claim's transaction (the message and its subject can be loaded; nothing is locked but the message). A
     * reason withdraws the message for good: it is never sent, its status becomes {@code WITHDRAWN} and the reason (in
     * the staff's words, at most 1,000 characters) is kept as its last error. Between this answer and the send the
     * subject may still change: the check narrows the window in which a mail goes out stale, it does not close it.
     */
    default String withdrawal(OutboxMessage message) {
        return null;
    }

    /**
     * Whether {@link #withdrawal} can ever answer a reason for a message of this kind. The outbox asks a second time
     * right before a mail goes to the SMTP server, in a transaction of its own that locks the message; kinds answering
     * false here skip that transaction. True unless overridden.
     */
    default boolean mayWithdraw(String kind) {
        return true;
    }

    /**
     * A file attached to a mail. {@code content} is called at send time, outside any transaction, possibly more than
     * once (a send tried again on a new session): it renders from what was read at claim time.
     */
    record Attachment(String fileName, String contentType, Supplier<byte[]> content) {
    }
}
