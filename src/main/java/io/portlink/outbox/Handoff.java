package io.portlink.outbox;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The moment one delivery's data starts going out (the mail handed to the SMTP client, the first bytes of a webhook's
 * body), and the only point where a stop of the service may take the delivery back. Before it, nothing of the message
 * has reached its receiver, so the delivery can give its claim back without a try ({@link OutboxStore#release}) and
 * another replica sends it at once; after it, the delivery runs to its outcome (a receiver may already hold the data),
 * within the stop's timeout. The two never overlap: whichever of {@link #send} and {@link #giveUp} comes first wins.
 */
final class Handoff {

    /** How one delivery ended. */
    enum Outcome {
        /** The receiver took it (SMTP "250", HTTP 2xx). */
        DELIVERED,
        /** A try that failed: counted, retried after a backoff or dead. */
        FAILED,
        /** Given back before any of its data went out: no try counted, due at once for another run. */
        GIVEN_BACK,
        /** Withdrawn by its feature right before its data would have gone out: never sent. */
        WITHDRAWN
    }

    private enum State {
        WAITING, SENDING, GIVEN_BACK
    }

    private final AtomicReference<State> state = new AtomicReference<>(State.WAITING);

    /** Marks the start of the data; true when it may go out (also when it started already), false when given back. */
    boolean send() {
        return state.compareAndExchange(State.WAITING, State.SENDING) != State.GIVEN_BACK;
    }

    /** Gives the delivery back unless its data started going out; true when it did. */
    boolean giveUp() {
        return state.compareAndSet(State.WAITING, State.GIVEN_BACK);
    }

    /** True when {@link #giveUp} won. */
    boolean givenBack() {
        return state.get() == State.GIVEN_BACK;
    }
}
