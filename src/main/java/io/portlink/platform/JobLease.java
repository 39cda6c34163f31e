package io.portlink.platform;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * A database lease so a scheduled job runs on one replica at a time. A replica that dies holding it only delays the
 * next run until the lease runs out.
 */
@ApplicationScoped
public class JobLease {

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    GracefulStop stop;

    @Inject
    JobLease self;

    /**
     * Runs {@code body} on this replica only while holding {@code job}'s lease for at most {@code length}, and releases
     * it afterwards (also on failure or when stopping, so another replica may take the job at once). The stop waits for
     * the body ({@link GracefulStop#begin}); a body should check {@link GracefulStop#requested} between units of work.
     * Empty when another replica holds the lease or the service is stopping.
     */
    public <T> Optional<T> runAlone(String job, Duration length, Supplier<T> body) {
        String owner = UUID.randomUUID().toString();
        try (GracefulStop.Job running = stop.begin()) {
            if (stop.requested() || !self.acquire(job, owner, length)) {
                return Optional.empty();
            }
            try {
                return Optional.of(body.get());
            } finally {
                self.release(job, owner);
            }
        }
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean acquire(String job, String owner, Duration length) {
        Instant now = Instant.now(clock);
        return em
                .createNativeQuery("update job_lock set locked_until = ?1, owner = ?2"
                        + " where name = ?3 and (locked_until is null or locked_until < ?4)")
                .setParameter(1, now.plus(length)).setParameter(2, owner).setParameter(3, job).setParameter(4, now)
                .executeUpdate() == 1;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void release(String job, String owner) {
        em.createNativeQuery("update job_lock set locked_until = null, owner = null where name = ?1 and owner = ?2")
                .setParameter(1, job).setParameter(2, owner).executeUpdate();
    }
}
