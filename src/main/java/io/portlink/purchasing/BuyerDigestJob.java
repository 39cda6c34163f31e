package io.portlink.purchasing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.portlink.platform.JobRuns;
import io.quarkus.quartz.Nonconcurrent;
import io.quarkus.scheduler.Scheduled;

/**
 * Sends the staff's daily digests of what needs a buyer ({@link BuyerNotices#runDigests()}), on one replica at a time
 * and never overlapping itself ({@link Nonconcurrent}); a run that overlaps anyway (a recovered slot) sends nothing
 * twice: each digest holds its user's setting row.
 */
@ApplicationScoped
public class BuyerDigestJob {

    @Inject
    BuyerNotices notices;

    @Scheduled(identity = "buyer-digests", every = "{portlink.notices.digest-every}", delayed = "30s")
    @Nonconcurrent
    void run() {
        JobRuns.count("sent", notices.runDigests());
    }
}
