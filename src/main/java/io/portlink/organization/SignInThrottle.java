package io.portlink.organization;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.portlink.organization.SignInCounter.Kind;
import io.portlink.platform.Addresses;
import io.portlink.platform.JobRuns;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.quartz.Nonconcurrent;
import io.quarkus.scheduler.Scheduled;

/**
 * Slows down password guessing at staff sign-in. Three counters see each attempt: the e-mail from this client address
 * (stops one client guessing one account), the client address over all e-mails (stops one client trying many accounts)
 * and the e-mail over all clients (stops guessing spread over many addresses). Past a counter's free failures each
 * further failure makes the next attempt wait, doubling from {@code first-delay}; at its lock threshold it refuses for
 * {@code lock-duration}. A refused attempt is not checked and not counted, so waiting is all it takes: no lock lasts.
 * The account-wide counter does not stop client addresses that signed in to that account before, so an attacker
 * elsewhere cannot keep its owner out. State is in the database (every replica sees it), one primary-key row per
 * counter.
 */
@ApplicationScoped
public class SignInThrottle {

    private static final Logger LOG = Logger.getLogger(SignInThrottle.class);

    @Inject
    Clock clock;

    @Inject
    PortlinkConfig config;

    @Inject
    JobRuns jobRuns;

    /** The counters of one attempt. */
    private record Keys(String email, String address, String client, String addressKey, String account) {

        static Keys of(String email, String address) {
            String e = normalize(email);
            String a = address == null || address.isBlank() ? "unknown" : address;
            return new Keys(e, a, Tokens.sha256("client|" + e + "|" + a), Tokens.sha256("address|" + a),
                    accountHash(e));
        }
    }

    private static String normalize(String email) {
        return StaffUser.normalizeEmail(email);
    }

    static String accountHash(String email) {
        return Tokens.sha256("account|" + normalize(email));
    }

    /**
     * How long this client must wait before its password for this e-mail is checked again; empty when it may be checked
     * now. One indexed read of at most three rows.
     */
    @Transactional
    public Optional<Duration> waitBefore(String email, String address) {
        Keys keys = Keys.of(email, address);
        Instant now = Instant.now(clock);
        List<SignInCounter> rows = SignInCounter.list("keyHash in ?1",
                List.of(keys.client(), keys.addressKey(), keys.account()));
        boolean known = rows.stream().anyMatch(r -> r.kind == Kind.CLIENT && known(r, now));
        return rows.stream().filter(r -> r.blockedUntil != null && r.blockedUntil.isAfter(now))
                .filter(r -> r.kind != Kind.ACCOUNT || !known).map(r -> r.blockedUntil).max(Comparator.naturalOrder())
                .map(until -> Duration.between(now, until));
    }

    /**
     * Counts a wrong password (or a disabled account); returns how long this client must now wait, when this failure
     * brought a delay or a lock. Logs a warning once per lock.
     */
    public Optional<Duration> failed(String email, String address, Long userId) {
        Keys keys = Keys.of(email, address);
        for (int attempt = 1;; attempt++) {
            try {
                return QuarkusTransaction.requiringNew().call(() -> countFailure(keys, userId));
            } catch (PersistenceException e) {
                // two first failures of one key at once: one insert loses, and the row exists now (at most one loss
                // per counter, three counters)
                if (attempt == 4) {
                    throw e;
                }
            }
        }
    }

    private Optional<Duration> countFailure(Keys keys, Long userId) {
        Instant now = Instant.now(clock);
        var limits = config.signIn();
        // always the same order (client, address, account), so two attempts never wait for each other in a circle
        SignInCounter client = counter(keys.client(), Kind.CLIENT, keys.account(), now);
        SignInCounter address = counter(keys.addressKey(), Kind.ADDRESS, null, now);
        SignInCounter account = counter(keys.account(), Kind.ACCOUNT, keys.account(), now);
        boolean known = known(client, now);
        String who = "account " + Addresses.mask(keys.email()) + (userId == null ? "" : " (user " + userId + ")");
        Instant until = later(null, fail(client, limits.clientDelayAfter(), limits.clientLockAfter(), now,
                who + " from client " + keys.address()));
        until = later(until, fail(address, limits.addressDelayAfter(), limits.addressLockAfter(), now,
                "client " + keys.address() + " over several accounts (last " + who + ")"));
        Instant accountUntil = fail(account, limits.accountDelayAfter(), limits.accountLockAfter(), now, who
                + " from several clients (last " + keys.address() + "); clients it signed in from before still get in");
        if (!known) {
            until = later(until, accountUntil);
        }
        return Optional.ofNullable(until).map(u -> Duration.between(now, u));
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    private SignInCounter counter(String key, Kind kind, String accountHash, Instant now) {
        SignInCounter row = SignInCounter.findById(key, LockModeType.PESSIMISTIC_WRITE);
        if (row == null) {
            row = new SignInCounter();
            row.keyHash = key;
            row.kind = kind;
            row.accountHash = accountHash;
            row.updatedAt = now;
            row.persistAndFlush();
        }
        return row;
    }

    /** Counts one failure on a counter; returns until when it now blocks, if this failure started a block. */
    private Instant fail(SignInCounter row, int delayAfter, int lockAfter, Instant now, String what) {
        var limits = config.signIn();
        if (row.lastFailureAt != null && row.lastFailureAt.isBefore(now.minus(limits.forgetAfter()))) {
            row.failures = 0;
            row.locked = false;
        }
        row.failures++;
        row.lastFailureAt = now;
        row.updatedAt = now;
        if (row.blockedUntil != null && row.blockedUntil.isAfter(now)) {
            // only an account row counts while it blocks (a known client's attempt): the block stands as it is
            return null;
        }
        if (row.failures >= lockAfter) {
            row.blockedUntil = now.plus(limits.lockDuration());
            row.locked = true;
            LOG.warnf("Sign-in locked for %d minutes after %d failed attempts: %s", limits.lockDuration().toMinutes(),
                    row.failures, what);
        } else if (row.failures >= delayAfter) {
            int doublings = Math.min(row.failures - delayAfter, 20);
            Duration delay = limits.firstDelay().multipliedBy(1L << doublings);
            row.blockedUntil = now.plus(delay.compareTo(limits.lockDuration()) < 0 ? delay : limits.lockDuration());
        } else {
            return null;
        }
        return row.blockedUntil;
    }

    private boolean known(SignInCounter client, Instant now) {
        return client.lastSuccessAt != null
                && client.lastSuccessAt.isAfter(now.minus(config.signIn().knownAddressFor()));
    }

    /** A right password: this client's failures on this account are forgiven, and the client is known to it. */
    public void succeeded(String email, String address) {
        Keys keys = Keys.of(email, address);
        for (int attempt = 1;; attempt++) {
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    Instant now = Instant.now(clock);
                    SignInCounter client = counter(keys.client(), Kind.CLIENT, keys.account(), now);
                    client.failures = 0;
                    client.blockedUntil = null;
                    client.locked = false;
                    client.lastSuccessAt = now;
                    client.updatedAt = now;
                });
                return;
            } catch (PersistenceException e) {
                if (attempt == 2) {
                    throw e;
                }
            }
        }
    }

    /** Until when sign-in to each of these addresses is locked (from some client or from all); absent when not. */
    @Transactional
    public Map<String, Instant> lockedUntil(Collection<String> emails) {
        Map<String, String> byHash = new HashMap<>();
        emails.forEach(e -> byHash.put(accountHash(e), e));
        Map<String, Instant> locked = new HashMap<>();
        if (byHash.isEmpty()) {
            return locked;
        }
        SignInCounter
                .<SignInCounter> list("accountHash in ?1 and locked = true and blockedUntil > ?2", byHash.keySet(),
                        Instant.now(clock))
                .forEach(r -> locked.merge(byHash.get(r.accountHash), r.blockedUntil, SignInThrottle::later));
        return locked;
    }

    /**
     * Lifts every lock and delay on this e-mail, from every client (an admin's decision). Limits on a client address as
     * a whole stay: they are about the client, not the account.
     */
    @Transactional
    public void unlock(String email) {
        SignInCounter.update("failures = 0, blockedUntil = null, locked = false, updatedAt = ?2 where accountHash = ?1",
                accountHash(email), Instant.now(clock));
    }

    /** Forgets counters nobody needs: no recent failure, no block, no recent sign-in. */
    @Transactional
    public long clean() {
        var limits = config.signIn();
        Instant now = Instant.now(clock);
        return SignInCounter.delete(
                "updatedAt < ?1 and (blockedUntil is null or blockedUntil < ?2)"
                        + " and (lastSuccessAt is null or lastSuccessAt < ?3)",
                now.minus(limits.forgetAfter()), now, now.minus(limits.knownAddressFor()));
    }

    @Scheduled(identity = "sign-in-counters-cleanup", every = "1h", delayed = "60s")
    @Nonconcurrent
    void cleanJob() {
        long removed = clean();
        JobRuns.count("removed", removed);
        // the record of job runs is kept for two weeks; this hourly job is its clean-up too
        JobRuns.count("runs-forgotten", jobRuns.forgetOld());
        if (removed > 0) {
            LOG.debugf("Removed %d old sign-in counters", removed);
        }
    }

}
