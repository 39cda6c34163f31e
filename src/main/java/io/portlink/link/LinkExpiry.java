package io.portlink.link;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.portlink.platform.GracefulStop;
import io.portlink.platform.JobRuns;
import io.quarkus.quartz.Nonconcurrent;
import io.quarkus.scheduler.Scheduled;

/**
 * Ends the vendor, tracking and driver links that reached their end: every {@code portlink.link.expiry-every} (default
 * 1 hour) it marks each one expired ({@link AccessLink#expiredAt}), and the feature of its scope writes "link expired"
 * (internal) on the order's or shipment's timeline and drops what it kept for the link ({@link LinkEvents.Expired}). A
 * link's end is its expiry time ({@code expires_at}), or the end its subject gives it ({@link SubjectEnds}: a
 * shipment's links some days after delivery), whichever comes first; that moment becomes the link's {@code expires_at}.
 * Revoked links and staff invitations are left alone.
 * <p>
 * Each link is ended in its own transaction: its subject's row is locked first ({@link LinkEvents.Expiring}, the
 * features' lock order), then a conditional update marks it only while it is unmarked and not revoked, and only that
 * update's success fires {@link LinkEvents.Expired}. So a second run, or two replicas running at the same moment, never
 * write a second timeline entry. Candidates come in batches of {@value #BATCH} in id order from a partial index that
 * holds only unmarked links with an expiry (V42): the cost follows the links that ended, not the table.
 * <p>
 * What ending drops, on the link row: the latest render's nonce (a page of a link that no longer opens is never shown)
 * and a tracking link's token seed (the server can no longer rebuild the URL of an ended link). The features drop the
 * used form nonces of the link that can never come back (see {@code purchasing.VendorLinks},
 * {@code shipment.TrackingLinks}). Kept for good: the row with its token hash (a token value is never reused, and the
 * neutral page still offers "ask for a new link"), recipient and open counts (staff lists), link requests, a tracking
 * link's options and picked photos (the shipment's next link starts with them), mails, positions, proofs of delivery
 * and every timeline entry. Whether a link opens is decided as before ({@link AccessLink#isUsable}): the same neutral
 * page before and after the job.
 */
@ApplicationScoped
public class LinkExpiry {

    private static final Logger LOG = Logger.getLogger(LinkExpiry.class);

    static final int BATCH = 500;

    /**
     * The due links after an id, in id order: the scopes are literals so that PostgreSQL's partial index
     * ({@code access_link_expiry_due_ix}, V42) serves the query. Parameters: now, the id after which to go on.
     */
    static final String DUE_SQL = "select id from access_link where expired_at is null and revoked_at is null"
            + " and expires_at is not null and scope in ('VENDOR_ORDER', 'CUSTOMER_SHIPMENT', 'DRIVER')"
            + " and expires_at <= ?1 and id > ?2 order by id";

    @Inject
    Clock clock;

    @Inject
    GracefulStop stop;

    @Inject
    LinkExpiry self;

    @Inject
    Instance<SubjectEnds> subjectEnds;

    @Inject
    Event<LinkEvents.Expiring> expiring;

    @Inject
    Event<LinkEvents.Expired> expired;

    /** What a run did: links it marked expired, and links whose end failed (logged; the next run tries them again). */
    public record Run(int expired, int failed) {
    }

    @Scheduled(identity = "link-expiry", every = "{portlink.link.expiry-every}", delayed = "60s")
    @Nonconcurrent
    void scheduled() {
        Run run = runOnce();
        JobRuns.count("expired", run.expired());
        JobRuns.count("failed", run.failed());
    }

    /**
     * One pass: every link whose end is at or before the clock's now when the run starts. Stops between two links when
     * the service is stopping (the next run goes on). Safe to run on several replicas at once.
     */
    public Run runOnce() {
        Instant now = Instant.now(clock);
        int[] counts = new int[2];
        try (GracefulStop.Job job = stop.begin()) {
            long after = 0;
            List<Long> due;
            do {
                due = self.due(now, after);
                for (long id : due) {
                    if (stop.requested()) {
                        return new Run(counts[0], counts[1]);
                    }
                    end(id, null, now, counts);
                    after = id;
                }
            } while (due.size() == BATCH);
            for (SubjectEnds source : subjectEnds) {
                after = 0;
                List<SubjectEnds.Ending> candidates;
                do {
                    candidates = source.candidates(after, BATCH);
                    for (SubjectEnds.Ending c : candidates) {
                        if (stop.requested()) {
                            return new Run(counts[0], counts[1]);
                        }
                        if (!c.at().isAfter(now)) {
                            end(c.linkId(), c.at(), now, counts);
                        }
                        after = c.linkId();
                    }
                } while (candidates.size() == BATCH);
            }
        }
        return new Run(counts[0], counts[1]);
    }

    private void end(long id, Instant subjectEnd, Instant now, int[] counts) {
        try {
            if (self.expire(id, subjectEnd, now)) {
                counts[0]++;
            }
        } catch (RuntimeException e) {
            // one link's failure must not stop the others; it stays unmarked, so the next run tries it again
            LOG.errorf(e, "ending expired link #%d failed", id);
            counts[1]++;
        }
    }

    /**
     * Unmarked, unrevoked links of the job's scopes whose expiry is at or before {@code now}, id above {@code after}.
     */
    @Transactional
    @SuppressWarnings("unchecked")
    List<Long> due(Instant now, long after) {
        return ((List<Number>) AccessLink.getEntityManager().createNativeQuery(DUE_SQL).setParameter(1, now)
                .setParameter(2, after).setMaxResults(BATCH).getResultList()).stream().map(Number::longValue).toList();
    }

    /**
     * Ends one link if it still has to be: its subject locked first, then its committed state read; marks it expired at
     * {@code now} with its end (the earlier of its expiry and {@code subjectEnd}, which may be null) as its expiry, and
     * fires {@link LinkEvents.Expired}. False when there was nothing to do (unknown, revoked, already marked, given a
     * later expiry meanwhile, or an invitation).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    boolean expire(long id, Instant subjectEnd, Instant now) {
        var em = AccessLink.getEntityManager();
        // scope and subject never change: read as values, so the state below is read again after the subject's lock
        Object[] fixed = em
                .createQuery("select l.scope, l.purchaseOrderId, l.vendorId, l.shipmentId, l.staffUserId,"
                        + " l.organization.id from AccessLink l where l.id = ?1", Object[].class)
                .setParameter(1, id).getResultStream().findFirst().orElse(null);
        if (fixed == null || fixed[0] == AccessLink.Scope.STAFF_INVITE) {
            return false;
        }
        AccessLink.Scope scope = (AccessLink.Scope) fixed[0];
        Target subject = new Target(scope.subject, (Long) fixed[1], (Long) fixed[2], (Long) fixed[3], (Long) fixed[4]);
        expiring.fire(new LinkEvents.Expiring(id, scope, subject));
        Object[] state = em
                .createQuery("select l.expiresAt, l.expiredAt, l.revokedAt from AccessLink l where l.id = ?1",
                        Object[].class)
                .setParameter(1, id).getSingleResult();
        Instant end = (Instant) state[0];
        if (subjectEnd != null && (end == null || subjectEnd.isBefore(end))) {
            end = subjectEnd;
        }
        if (state[1] != null || state[2] != null || end == null || end.isAfter(now)) {
            return false;
        }
        // the condition is the guard: a concurrent run waits for this row and then finds it marked
        int marked = AccessLink.update("expiredAt = ?1, expiresAt = ?2, renderNonceHash = null, renderedAt = null,"
                + " tokenSeed = null where id = ?3 and expiredAt is null and revokedAt is null", now, end, id);
        if (marked != 1) {
            return false;
        }
        expired.fire(new LinkEvents.Expired(id, scope, (Long) fixed[5], subject, end));
        return true;
    }
}
