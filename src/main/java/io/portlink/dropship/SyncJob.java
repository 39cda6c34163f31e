package io.portlink.dropship;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.portlink.platform.JobRuns;
import io.quarkus.quartz.Nonconcurrent;
import io.quarkus.scheduler.Scheduled;

/**
 * The scheduler's dropship sync pass, every {@code portlink.dropship.sync-every} (default 1 minute): each merchant
 * still runs at its own interval ({@link Sync#runDue}); the pass only looks for the ones that are due. One replica at a
 * time (clustered Quartz); a merchant's run also holds its settings row, so "Sync now" never runs beside it.
 */
@ApplicationScoped
public class SyncJob {

    @Inject
    Sync sync;

    @Scheduled(identity = "dropship-sync", every = "{portlink.dropship.sync-every}", delayed = "20s")
    @Nonconcurrent
    void run() {
        Sync.Pass pass = sync.runDue();
        JobRuns.count("due", pass.due());
        JobRuns.count("ran", pass.ran());
        JobRuns.count("failed", pass.failed());
    }
}
