package io.portlink.platform;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

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
