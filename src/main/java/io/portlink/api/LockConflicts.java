package io.portlink.api;

import java.net.URI;
import java.sql.SQLException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.PessimisticLockException;
import jakarta.transaction.RollbackException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.portlink.platform.Problems;

/**
 * The last line of defence when two people act at once: a lost race that still reaches the database (a stale version, a
 * lock wait given up, a deadlock) is answered like any other "changed meanwhile", never with an error page. Services
 * lock in one order (see {@code OrderLocks}), so this should not happen; when it does, it is logged.
 */
public class LockConflicts {

    private static final Logger LOG = Logger.getLogger(LockConflicts.class);

    /**
     * PostgreSQL: deadlock detected, serialization failure, lock not available. An exception without a state (a driver
     * may leave it null) is no lock conflict: {@code Set.of(...).contains(null)} would throw.
     */
    private static final Set<String> LOCK_STATES = Set.of("40P01", "40001", "55P03");
    private static final Pattern VENDOR_ACTION = Pattern.compile("^/v/([^/]+)/orders/([^/]+)/[a-z-]+$");

    @ServerExceptionMapper
    public Response persistence(PersistenceException e, UriInfo uri) {
        return isLockConflict(e) ? changedMeanwhile(e, uri) : new Problems().unexpected(e, uri);
    }

    @ServerExceptionMapper
    public Response rollback(RollbackException e, UriInfo uri) {
        return isLockConflict(e) ? changedMeanwhile(e, uri)
                : new Problems().unexpected(new IllegalStateException(e), uri);
    }

    static boolean isLockConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof PessimisticLockException
                    || t instanceof LockTimeoutException || t instanceof StaleStateException
                    || t instanceof org.hibernate.PessimisticLockException
                    || t instanceof org.hibernate.exception.LockAcquisitionException || (t instanceof SQLException sql
                            && sql.getSQLState() != null && LOCK_STATES.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static Response changedMeanwhile(Throwable e, UriInfo uri) {
        LOG.warnf("a concurrent change on %s ended as \"changed meanwhile\": %s", uri.getPath(), e);
        return answer(uri.getPath());
    }

    /** The answer for a request path: the vendor's order page with the notice, else a 409 for staff or the API. */
    static Response answer(String path) {
        Matcher vendor = VENDOR_ACTION.matcher(path);
        if (vendor.matches()) {
            // the order page as it is now, with the same notice as a stale form gets
            return Response
                    .seeOther(URI.create("/v/" + vendor.group(1) + "/orders/" + vendor.group(2) + "?saved=CHANGED"))
                    .build();
        }
        if (path.startsWith("/api/")) {
            return Problems
                    .response(409, "Conflict",
                            "the order was changed by someone else at the same moment; read it again and retry")
                    .build();
        }
        return Response.status(409).type(MediaType.TEXT_PLAIN)
                .entity("This order was changed by someone else at the same moment. Go back, reload the page and try"
                        + " again.")
                .build();
    }
}
