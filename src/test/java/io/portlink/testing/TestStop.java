package io.portlink.testing;

import io.portlink.platform.StopListeners;
import io.portlink.platform.StopSignal;

/**
 * A stop of the service that a test begins when it wants ({@link #request}), for one unit of work: the service itself
 * goes on running (its own {@code platform.GracefulStop} is never asked). Tells its listeners as the service's stop
 * does: once, on the thread that begins it, or at once when registered after.
 */
public final class TestStop implements StopSignal {

    private final StopListeners listeners = new StopListeners();
    private volatile boolean requested;

    @Override
    public boolean requested() {
        return requested;
    }

    @Override
    public Registration whenRequested(Runnable action) {
        return listeners.register(action);
    }

    /** Begins the stop: tells every registered listener, on this thread. */
    public void request() {
        requested = true;
        listeners.fire().forEach(Runnable::run);
    }
}
