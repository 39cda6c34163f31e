package io.portlink.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.sql.SQLException;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.junit.jupiter.api.Test;

import io.vertx.core.http.HttpClosedException;

/**
 * Two failures that are no fault of the request, answered as what they are instead of "Something went wrong" with an
 * error id: a burst that kept every pooled connection busy for the whole acquisition timeout (Agroal's refusal, as
 * Hibernate wraps it) is a 503 saying to try again, with Retry-After; a client that closed its connection while its
 * answer was written is no error at all.
 */
class ProblemsBusyTest {

    static UriInfo path(String path) {
        return (UriInfo) Proxy.newProxyInstance(UriInfo.class.getClassLoader(), new Class<?>[] { UriInfo.class },
                (proxy, method, args) -> {
                    if (method.getName().equals("getPath")) {
                        return path;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    static RuntimeException poolTimeout() {
        // what a request meets when no connection is free: Hibernate's JDBCConnectionException around Agroal's own
        return new org.hibernate.exception.JDBCConnectionException("Unable to acquire JDBC Connection",
                new SQLException("Sorry, acquisition timeout!"));
    }

    @Test
    void aPoolThatStaysBusyIsA503ToTryAgain() {
        Response page = new Problems().unexpected(poolTimeout(), path("/v/pv_x/orders/PO-1/ship"));
        assertEquals(503, page.getStatus());
        assertEquals("5", page.getHeaderString("Retry-After"));
        String text = (String) page.getEntity();
        assertTrue(text.contains("too busy") && text.contains("try again"), text);
        assertFalse(text.contains("error id"), text);

        Response api = new Problems().unexpected(poolTimeout(), path("/api/v1/purchase-orders"));
        assertEquals(503, api.getStatus());
        assertEquals("5", api.getHeaderString("Retry-After"));
        assertTrue(api.getEntity().toString().contains("try again"), api.getEntity().toString());
    }

    @Test
    void otherDatabaseFailuresStayErrorsAndAClientGoneIsNone() {
        Response other = new Problems().unexpected(
                new org.hibernate.exception.JDBCConnectionException("broken", new SQLException("Connection refused")),
                path("/app/orders"));
        assertEquals(500, other.getStatus());
        assertTrue(other.getEntity().toString().contains("error id"), other.getEntity().toString());

        Response gone = new Problems().unexpected(
                new java.io.UncheckedIOException("Failed to write",
                        new java.io.IOException(new HttpClosedException("Connection was closed"))),
                path("/api/v1/purchase-orders/export"));
        assertEquals(499, gone.getStatus());
        assertFalse(gone.hasEntity());
    }
}
