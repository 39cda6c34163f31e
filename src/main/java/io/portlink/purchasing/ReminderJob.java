package io.portlink.purchasing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.scheduler.Scheduled;

/** Runs the reminders; the lease inside makes it one replica at a time. */
@ApplicationScoped
public class ReminderJob {

    @Inject
    Reminders reminders;

    @Scheduled(identity = "reminders", every = "{portlink.reminders.every}", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        reminders.runOnce();
    }
}
