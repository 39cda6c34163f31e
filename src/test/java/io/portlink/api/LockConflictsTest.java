package io.portlink.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;

import jakarta.inject.Inject;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.RollbackException;

import org.junit.jupiter.api.Test;

import io.portlink.platform.Problems;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.quarkus.test.junit.QuarkusTest;

/** The last line of defence: a race lost at the database reads as "changed meanwhile", never as an error page. */
@QuarkusTest
class LockConflictsTest {

    @Inject
    Fixtures fixtures;

    @Test
    void lostRacesAreRecognisedThroughWrappers() {
        assertTrue(LockConflicts.isLockConflict(new OptimisticLockException("stale")));
        var deadlock = new PersistenceException("could not execute",
                new SQLException("ERROR: deadlock detected", "40P01"));
        assertTrue(LockConflicts.isLockConflict(deadlock));
        var atCommit = new RollbackException("rolled back");
        atCommit.initCause(new org.hibernate.StaleObjectStateException("PurchaseOrder", 1L));
        assertTrue(LockConflicts.isLockConflict(atCommit));
        assertTrue(LockConflicts.isLockConflict(new PersistenceException(new SQLException("lock", "55P03"))));
        assertFalse(LockConflicts.isLockConflict(new PersistenceException(new SQLException("unique", "23505"))));
        assertFalse(LockConflicts.isLockConflict(new IllegalStateException("bug")));
    }

    @Test
    void anSqlErrorWithoutStateIsAnUnexpectedErrorNotAnNpe() {
        // a driver may leave the SQL state null (a broken connection): once a NullPointerException, so a 500 with an
        // NPE
        assertFalse(LockConflicts.isLockConflict(new PersistenceException(new SQLException("connection reset"))));
        assertFalse(LockConflicts.isLockConflict(new SQLException("no state", (String) null)));
        var rollback = new RollbackException("rolled back");
        rollback.initCause(new SQLException("I/O error"));
        assertFalse(LockConflicts.isLockConflict(rollback));
    }

    @Test
    void vendorsSeeTheOrderAgainStaffAndIntegrationsGetA409() {
        var vendor = LockConflicts.answer("/v/pv_abc/orders/PO-1/confirm");
        assertEquals(303, vendor.getStatus());
        assertEquals("/v/pv_abc/orders/PO-1?saved=CHANGED", vendor.getLocation().toString());
        var staff = LockConflicts.answer("/app/orders/PO-1/cancel");
        assertEquals(409, staff.getStatus());
        assertTrue(staff.getEntity().toString().contains("changed by someone else"));
        var api = LockConflicts.answer("/api/v1/purchase-orders/PO-1");
        assertEquals(409, api.getStatus());
        assertEquals(Problems.MEDIA_TYPE, api.getMediaType().toString());
    }

    @Test
    void theVendorPageItRedirectsToShowsTheNoticeAsAnError() {
        Fixtures.Tenant tenant = fixtures.tenant("FR");
        String ref = Fixtures.uniqueReference();
        PortalClient vendor = new PortalClient(Fixtures.createOrderWithLink(tenant.apiKey(), ref, "fr@vendor.example"));
        String page = vendor.open("/orders/" + ref + "?saved=CHANGED").then().statusCode(200).extract().asString();
        assertTrue(page.contains("<p class=\"flash error\" role=\"alert\">Cette commande a été modifiée entre-temps."));
    }
}
