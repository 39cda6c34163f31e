package io.portlink.api;

import java.net.URI;
import java.sql.SQLException;
import java.util.Map;
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
 * lock in one order (see {@code Organization.lockForCreating}), so this should not happen; when it does, it is logged,
 * and the answer names what the request was about ({@link #subject}).
 */
public class LockConflicts {

    private static final Logger LOG = Logger.getLogger(LockConflicts.class);

    /**
     * PostgreSQL: deadlock detected, serialization failure, lock not available. An exception without a state (a driver
     * may leave it null) is no lock conflict: {@code Set.of(...).contains(null)} would throw.
     */
    private static final Set<String> LOCK_STATES = Set.of("40P01", "40001", "55P03");
    private static final Pattern VENDOR_ACTION = Pattern.compile("^/v/([^/]+)/orders/([^/]+)/[a-z-]+$");
    private static final Pattern DRIVER_ACTION = Pattern.compile("^/d/([^/]+)/(picked-up|arrived|problem|delivered)$");

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

    /**
     * What a request path is about, as a user names it ("the shipment", "the sales order", "the purchase order", …):
     * the first segment of the path that names a kind of record ({@code /api/v1/shipments/SH-1/notes}: the shipment);
     * the driver's and tracking pages ({@code /d/}, {@code /t/}) are about a shipment, the vendor's ({@code /v/}) about
     * a purchase order. Anything else: "the record".
     */
    static String subject(String path) {
        for (String segment : path.split("/")) {
            String subject = SUBJECTS.get(segment);
            if (subject != null) {
                return subject;
            }
        }
        return "the record";
    }

    /** Path segments that name a kind of record, and how the answer names it; the first in the path wins. */
    private static final Map<String, String> SUBJECTS = Map.ofEntries(Map.entry("d", "the shipment"),
            Map.entry("t", "the shipment"), Map.entry("v", "the purchase order"),
            Map.entry("shipments", "the shipment"), Map.entry("sales-orders", "the sales order"),
            Map.entry("purchase-orders", "the purchase order"), Map.entry("orders", "the purchase order"),
            Map.entry("dropshipments", "the dropshipment"), Map.entry("dropship-orders", "the dropshipment"),
            Map.entry("vendors", "the vendor"), Map.entry("pipelines", "the pipeline"),
            Map.entry("inventory", "the inventory"), Map.entry("connections", "the connection"),
            Map.entry("webhook-endpoints", "the webhook endpoint"), Map.entry("webhooks", "the webhook endpoint"),
            Map.entry("organization", "the organisation"), Map.entry("organizations", "the organisation"));

    private static final String ERASURES = "/api/v1/personal-data/erasures";

    /**
     * The answer for a request path: the vendor's order page with the notice; the driver's page with its notice
     * ({@code ?changed=1}, said in the driver's language); else a 409 for staff or the API that names what the request
     * was about ({@link #subject}), or, for an erasure, says that nothing was erased and the request is safe to repeat
     * (it is one transaction: all or nothing).
     */
    static Response answer(String path) {
        Matcher vendor = VENDOR_ACTION.matcher(path);
        if (vendor.matches()) {
            // the order page as it is now, with the same notice as a stale form gets
            return Response
                    .seeOther(URI.create("/v/" + vendor.group(1) + "/orders/" + vendor.group(2) + "?saved=CHANGED"))
                    .build();
        }
        Matcher driver = DRIVER_ACTION.matcher(path);
        if (driver.matches()) {
            // a phone on a doorstep gets its page back, saying nothing was saved, never a bare error
            return Response.seeOther(URI.create("/d/" + driver.group(1) + "?changed=1")).build();
        }
        if (path.equals(ERASURES) || path.equals(ERASURES + "/")) {
            return Problems.response(409, "Conflict", "nothing was erased: a record of the person was changed by"
                    + " someone else at the same moment; the erasure is safe to repeat, send the same request again")
                    .build();
        }
        String subject = subject(path);
        if (path.startsWith("/api/")) {
            return Problems
                    .response(409, "Conflict",
                            subject + " was changed by someone else at the same moment; read it again and retry")
                    .build();
        }
        return Response.status(409).type(MediaType.TEXT_PLAIN)
                .entity(Character.toUpperCase(subject.charAt(0)) + subject.substring(1)
                        + " was changed by someone else at the same moment. Go back, reload the page and try again.")
                .build();
    }
}
