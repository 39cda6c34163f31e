package io.portlink.platform;

/**
 * What a unit of work asks of a stop of the service: whether it began, and to be told the moment it begins.
 * {@link GracefulStop} is the service's; a test passes its own to stop one unit of work without stopping the service.
 */
public interface StopSignal {

    /** True once the stop began. */
    boolean requested();

    /**
     * Runs {@code action} once, at the first moment of the stop, on the thread that begins it; at once, on this thread,
     * when it began already. The action must be short and must not block. Closing the returned registration drops it:
     * from then on it never runs.
     */
    Registration whenRequested(Runnable action);

    /** A registered action; closing it drops the action. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
