package io.portlink.platform;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The actions waiting for one stop ({@link StopSignal#whenRequested}): registered until the stop fires, then handed out
 * once to whoever fires it, to run outside any lock. Shared by the service's {@link GracefulStop} and the tests' own
 * stop signal.
 */
public final class StopListeners {

    private final Set<Runnable> waiting = new LinkedHashSet<>();
    private boolean fired;

    /**
     * Keeps {@code action} for the stop; runs it at once, on this thread, when the stop fired already. Closing the
     * returned registration drops it.
     */
    public StopSignal.Registration register(Runnable action) {
        Runnable once = action::run; // its own identity: the same action registered twice is kept twice
        synchronized (this) {
            if (!fired) {
                waiting.add(once);
                return () -> {
                    synchronized (StopListeners.this) {
                        waiting.remove(once);
                    }
                };
            }
        }
        action.run();
        return () -> {
        };
    }

    /** Marks the stop fired and returns the actions registered so far, in order; empty on every later call. */
    public synchronized List<Runnable> fire() {
        fired = true;
        List<Runnable> tell = new ArrayList<>(waiting);
        waiting.clear();
        return tell;
    }
}
