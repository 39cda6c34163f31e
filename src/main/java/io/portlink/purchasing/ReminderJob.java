package io.portlink.purchasing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.portlink.platform.JobRuns;
import io.quarkus.quartz.Nonconcurrent;
import io.quarkus.scheduler.Scheduled;

/** Runs the reminders, on one replica at a time and never overlapping itself ({@link Nonconcurrent}). */
@ApplicationScoped
public class ReminderJob {

    @Inject
    Reminders reminders;

    @Scheduled(identity = "reminders", every = "{portlink.reminders.every}", delayed = "30s")
    @Nonconcurrent
    void run() {
        JobRuns.count("sent", reminders.runOnce().sent());
    }
}
