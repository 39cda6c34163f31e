package io.portlink.dropship;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.scheduler.Scheduled;

/**
 * The scheduler's dropship sync pass, every {@code portlink.dropship.sync-every} (default 1 minute): each merchant
 * still runs at its own interval ({@link Sync#runDue}); the pass only looks for the ones that are due.
 */
@ApplicationScoped
public class SyncJob {

    @Inject
    Sync sync;

    @Scheduled(identity = "dropship-sync", every = "{portlink.dropship.sync-every}", delayed = "20s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        sync.runDue();
    }
}
