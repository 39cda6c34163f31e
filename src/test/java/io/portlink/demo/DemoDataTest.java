package io.portlink.demo;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.organization.Organizations;
import io.portlink.organization.StaffAccounts;
import io.portlink.organization.StaffUser;
import io.portlink.purchasing.OrderQueue;
import io.portlink.testing.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Dev mode's demo data, seeded on the test database at the test clock's time: the orders go through the real rules,
 * some name a consignee staff can ship to, every bucket of the staff's queue has at least one order, and the demo login
 * printed at a start signs in, also after the password was changed.
 */
@QuarkusTest
class DemoDataTest {

    @Inject
    DemoData demo;

    @Inject
    Fixtures fixtures;

    @Inject
    OrderQueue queue;

    @Inject
    StaffAccounts accounts;

    @Inject
    Organizations organizations;

    @Test
    void theDemoOrdersIncludeOneWithAConsignee() {
        var tenant = fixtures.tenant("GB");
        demo.orders(tenant.id());
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/PO-01001").then()
                .statusCode(200).body("consignee.name", equalTo("Harbour Foods Ltd"))
                .body("consignee.email", equalTo("goods-in@harbourfoods.example"))
                .body("consignee.language", equalTo("en"));
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/PO-01002").then()
                .statusCode(200).body("consignee", nullValue());
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/PO-01012").then()
                .statusCode(200);
    }

    @Test
    void everyQueueBucketHasAnOrder() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        demo.orders(tenant.id());
        Map<OrderQueue.Bucket, Long> counts = queue.counts(tenant.id());
        for (OrderQueue.Bucket bucket : OrderQueue.Bucket.values()) {
            assertTrue(counts.get(bucket) > 0, bucket.label + " has an order: " + counts);
        }
        assertEquals(12, queue.page(tenant.id(), new OrderQueue.Filter(null, null, null, null), 0, 50).total());
        // the dead mail is a message the order's E-mails table lists, as the outbox would leave it
        assertEquals(1L,
                QuarkusTransaction.requiringNew()
                        .call(() -> io.portlink.outbox.OutboxMessage.count("organization.id = ?1 and status = ?2",
                                tenant.id(), io.portlink.outbox.OutboxMessage.Status.DEAD)));
    }

    @Test
    void aDatabaseWithAnOrganisationIsNotSeededAgain() {
        fixtures.tenant("GB");
        assertFalse(organizations.isEmpty(), "the start's check (demo data, bootstrap) sees the organisation");
    }

    @Test
    void theLoginPrintedAtEveryStartSignsIn() {
        String password = demo.password();
        QuarkusTransaction.requiringNew().run(() -> {
            var admin = StaffUser.findSigningIn(DemoData.EMAIL);
            if (admin.isEmpty()) {
                organizations.create("Acme Trading Ltd", "GB", DemoData.EMAIL, "another-password-of-tests");
            } else {
                accounts.resetPassword(admin.get().organization.id, admin.get().id, "another-password-of-tests");
            }
        });
        String line = demo.login().orElseThrow();
        assertEquals("Demo login: sign in at " + Fixtures.BASE_URL + "/app as " + DemoData.EMAIL + " with password "
                + password, line);
        assertTrue(accounts.checkPassword(DemoData.EMAIL, password).isPresent(), "the printed password signs in");
        // the next start prints the same
        assertEquals(line, demo.login().orElseThrow());
        assertEquals(password, demo.password());
    }
}
