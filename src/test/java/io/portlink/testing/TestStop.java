package io.portlink.testing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.portlink.platform.StopSignal;

/**
 * A stop of the service that a test begins when it wants ({@link #request}), for one unit of work: the service itself
 * goes on running (its own {@code platform.GracefulStop} is never asked). Tells its listeners as the service's stop
 * does: once, on the thread that begins it, or at once when registered after.
 */
public final class TestStop implements StopSignal {

    private final Set<Runnable> listeners = new LinkedHashSet<>();
    private boolean requested;

    @Override
    public synchronized boolean requested() {
        return requested;
    }

    @Override
    public Registration whenRequested(Runnable action) {
        Runnable once = () -> action.run();
        synchronized (this) {
            if (!requested) {
                listeners.add(once);
                return () -> {
                    synchronized (TestStop.this) {
                        listeners.remove(once);
                    }
                };
            }
        }
        action.run();
        return () -> {
        };
    }

    /** Begins the stop: tells every registered listener, on this thread. */
    public void request() {
        List<Runnable> tell;
        synchronized (this) {
            requested = true;
            tell = new ArrayList<>(listeners);
            listeners.clear();
        }
        tell.forEach(Runnable::run);
    }
}
