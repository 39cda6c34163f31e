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

    /** A body as the caller reads it: the problem's detail for the API, the page's text for staff. */
    private static String said(jakarta.ws.rs.core.Response answer) {
        Object entity = answer.getEntity();
        return entity instanceof Problems.Problem problem ? problem.detail() : String.valueOf(entity);
    }

    @Test
    void theAnswerNamesWhatTheRequestWasAbout() {
        assertTrue(said(LockConflicts.answer("/api/v1/shipments/SH-1"))
                .contains("the shipment was changed by someone else"));
        assertTrue(said(LockConflicts.answer("/app/shipments/42/edit"))
                .contains("The shipment was changed by someone else"));
        var driver = LockConflicts.answer("/d/pd_abc/delivered");
        assertEquals(303, driver.getStatus(), "the driver's page again, with its notice");
        assertEquals("/d/pd_abc?changed=1", driver.getLocation().toString());
        assertTrue(
                said(LockConflicts.answer("/api/v1/sales-orders/SO-1/cancel")).contains("the sales order was changed"));
        assertTrue(said(LockConflicts.answer("/app/sales-orders/7")).contains("The sales order was changed"));
        assertTrue(
                said(LockConflicts.answer("/api/v1/purchase-orders/PO-1")).contains("the purchase order was changed"));
        assertTrue(said(LockConflicts.answer("/app/orders/PO-1/cancel")).contains("The purchase order was changed"));
        assertTrue(said(LockConflicts.answer("/api/v1/dropshipments/9/ship")).contains("the dropshipment was changed"));
        assertTrue(said(LockConflicts.answer("/app/vendors/3/merge")).contains("The vendor was changed"));
        assertTrue(said(LockConflicts.answer("/app/something-else")).contains("The record was changed"));
        var erasure = LockConflicts.answer("/api/v1/personal-data/erasures");
        assertEquals(409, erasure.getStatus());
        assertEquals(Problems.MEDIA_TYPE, erasure.getMediaType().toString());
        assertTrue(said(erasure).contains("nothing was erased"), said(erasure));
        assertTrue(said(erasure).contains("safe to repeat"), said(erasure));
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
