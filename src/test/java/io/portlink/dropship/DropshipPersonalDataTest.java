package io.portlink.dropship;

import static io.portlink.dropship.SalesOrderFixtures.line;
import static io.portlink.dropship.SalesOrderFixtures.post;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.organization.PersonalDataErasures;
import io.portlink.outbox.OutboxMessage;
import io.portlink.outbox.Webhooks;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentInput;
import io.portlink.shipment.Shipments;
import io.portlink.testing.Fixtures;
import io.portlink.testing.TestClock;
import io.portlink.testing.TextColumns;
import io.portlink.testing.WebhookReceiver;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * {@code POST /api/v1/personal-data/erasures} and dropship: a merchant's customer, named by the ship-to's phone (or by
 * an e-mail whose records carry that phone), leaves no trace in the merchant's sales order, the supplier's dropshipment
 * and its recorded changes, either side's timeline, the supplier's change mail or the merchant's webhooks, while the
 * orders, lines and dropshipments stay; a supplier erases its own copy only; another merchant's customer of the same
 * name and phone is untouched.
 */
@QuarkusTest
class DropshipPersonalDataTest {

    @Inject
    Fixtures fixtures;

    @Inject
    SalesOrderFixtures so;

    @Inject
    Webhooks webhooks;

    @Inject
    Shipments shipments;

    @Inject
    TestClock clock;

    @Inject
    DataSource dataSource;

    String name;
    String street;
    String phone;
    WebhookReceiver channel;
    Fixtures.Tenant merchant;
    Fixtures.Tenant supplier;
    String ref;

    @BeforeEach
    void person() {
        clock.set(Instant.parse("2026-06-01T09:00:00Z"));
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        name = "Quinn Q" + id;
        street = id + " Orchard Lane";
        phone = "+44 7700 9" + id.chars().map(c -> '0' + c % 10).limit(5).collect(StringBuilder::new,
                StringBuilder::appendCodePoint, StringBuilder::append);
        channel = WebhookReceiver.start(clock);
    }

    @AfterEach
    void stop() {
        if (merchant != null) {
            webhooks.list(merchant.id()).forEach(e -> webhooks.delete(merchant.id(), e.id()));
        }
        channel.close();
    }

    /**
     * The person as the merchant's customer: a sales order routed to the supplier, sent, then given a new address
     * (revision 2: a summary, a mail to the supplier's admins, both timelines, a webhook to the sales channel).
     */
    private void customerOfMerchant() {
        merchant = fixtures.tenant("GB");
        supplier = fixtures.tenant("GB");
        ref = "SO-" + merchant.id();
        var mugs = so.supplier(merchant.id(), supplier, "Mugs Direct", DropshipConnection.Status.ACTIVE, false, true);
        so.product(merchant.id(), "MUG-1", mugs, "MD-MUG");
        webhooks.create(merchant.id(), channel.url(), "");
        post(merchant.apiKey(),
                Map.of("reference", ref, "shipTo",
                        Map.of("name", name, "address", "1 " + street + "\nYork YO1 7HH", "phone", phone),
                        "internalNote", "call " + name + " before noon", "lines", List.of(line("MUG-1", 2, "4.50"))))
                                .statusCode(201);
        api(merchant).post("/api/v1/sales-orders/" + ref + "/route").then().statusCode(200);
        so.send(ref + "-1", supplier.id());
        api(merchant).contentType(ContentType.JSON)
                .body(Map.of("name", name, "address", "2 " + street + "\nYork YO1 7HH", "phone", phone))
                .put("/api/v1/sales-orders/" + ref + "/ship-to").then().statusCode(200)
                .body("dropshipments[0].revision", equalTo(2));
    }

    /** Another merchant's customer with the same name and phone: a sales order kept as it is. */
    private Fixtures.Tenant otherMerchantsCustomer() {
        Fixtures.Tenant other = fixtures.tenant("GB");
        post(other.apiKey(),
                Map.of("reference", "SO-" + other.id(), "shipTo",
                        Map.of("name", name, "address", "9 " + street + "\nLeeds", "phone", phone), "lines",
                        List.of(line("LOOSE-1", 1, "1.00")))).statusCode(201);
        return other;
    }

    @Test
    void theMerchantErasesItsCustomerFromTheSalesOrderTheSuppliersCopyTheirTimelinesMailsAndWebhooks()
            throws Exception {
        Fixtures.Tenant other = otherMerchantsCustomer();
        List<String> nameInOther = occurrences(name);
        List<String> streetInOther = occurrences(street);
        List<String> phoneInOther = occurrences(phone);
        assertFalse(nameInOther.isEmpty());
        customerOfMerchant();
        assertTrue(
                occurrences(name).containsAll(
                        List.of("dropshipment.ship_to_name", "dropshipment_change.summary", "sales_order.ship_to_name",
                                "sales_order.internal_note", "timeline_entry.detail", "outbox_message.body_text")),
                occurrences(name).toString());
        assertTrue(occurrences(street).size() > streetInOther.size());

        erase(merchant.apiKey(), Map.of("phone", phone.replace(" ", ""))).statusCode(201)
                .body("erased.salesOrderShipTos", equalTo(1)).body("erased.dropshipmentShipTos", equalTo(1))
                .body("erased.dropshipTexts", org.hamcrest.Matchers.greaterThanOrEqualTo(2))
                .body("erased.timelineTexts", org.hamcrest.Matchers.greaterThanOrEqualTo(2))
                .body("erased.mailTexts", org.hamcrest.Matchers.greaterThanOrEqualTo(2));

        // nothing of the person is left, on either side: what remains is the other merchant's, unchanged
        assertEquals(nameInOther, occurrences(name));
        assertEquals(streetInOther, occurrences(street));
        assertEquals(phoneInOther, occurrences(phone));
        QuarkusTransaction.requiringNew().run(() -> {
            SalesOrder order = SalesOrder.find("organizationId = ?1 and reference = ?2", merchant.id(), ref)
                    .firstResult();
            assertEquals(PersonalDataErasures.ERASED, order.shipToName);
            assertEquals(PersonalDataErasures.ERASED, order.shipToAddress);
            assertNull(order.shipToPhone);
            assertEquals("call [erased] before noon", order.internalNote);
            assertEquals(1, SalesOrderLine.count("salesOrderId", order.id), "the order and its lines stay");
            Dropshipment d = Dropshipment.find("supplierId = ?1 and reference = ?2", supplier.id(), ref + "-1")
                    .firstResult();
            assertEquals(PersonalDataErasures.ERASED, d.shipToAddress);
            assertEquals(2, d.revision, "the dropshipment, its revision and lines stay");
            assertEquals(1, DropshipmentLine.count("dropshipmentId", d.id));
            OutboxMessage hook = OutboxMessage
                    .<OutboxMessage> find("organization.id = ?1 and channel = ?2 and kind = 'sales_order.changed'",
                            merchant.id(), OutboxMessage.Channel.WEBHOOK)
                    .firstResult();
            assertTrue(hook.bodyText.contains("\"name\":\"[erased]\"") && hook.bodyText.contains(ref), hook.bodyText);
            SalesOrder theirs = SalesOrder.find("organizationId", other.id()).firstResult();
            assertEquals(name, theirs.shipToName);
            assertEquals(phone, theirs.shipToPhone);
        });
        // a repeat finds nothing more
        erase(merchant.apiKey(), Map.of("phone", phone)).statusCode(201).body("erased.salesOrderShipTos", equalTo(0))
                .body("erased.dropshipmentShipTos", equalTo(0)).body("erased.dropshipTexts", equalTo(0));
        // and the merchant reads its order as before
        api(merchant).get("/api/v1/sales-orders/" + ref).then().statusCode(200).body("reference", equalTo(ref));
    }

    @Test
    void aSupplierErasesItsCopyOnlyAndAnEmailFindsTheOrderByThePhoneOnThePersonsShipment() throws Exception {
        customerOfMerchant();
        erase(supplier.apiKey(), Map.of("phone", phone)).statusCode(201).body("erased.salesOrderShipTos", equalTo(0))
                .body("erased.dropshipmentShipTos", equalTo(1));
        QuarkusTransaction.requiringNew().run(() -> {
            Dropshipment d = Dropshipment.find("supplierId = ?1 and reference = ?2", supplier.id(), ref + "-1")
                    .firstResult();
            assertEquals(PersonalDataErasures.ERASED, d.shipToName);
            assertFalse(d.changeSummary.contains(name), d.changeSummary);
            SalesOrder order = SalesOrder.find("organizationId = ?1 and reference = ?2", merchant.id(), ref)
                    .firstResult();
            assertEquals(name, order.shipToName, "the merchant's order is the merchant's to erase");
        });

        // the merchant is asked by e-mail: a sales order has none, but the person's shipment has the same phone
        String email = "quinn-" + merchant.id() + "@person.example";
        shipments.create(merchant.id(),
                new ShipmentInput(Fixtures.uniqueReference(), "Mugs",
                        new ShipmentInput.CustomerInput(name, email, phone, "en"), null, null, null),
                ShipmentActor.system());
        erase(merchant.apiKey(), Map.of("email", email)).statusCode(201).body("erased.shipmentCustomers", equalTo(1))
                .body("erased.salesOrderShipTos", equalTo(1));
        assertEquals(List.of(), occurrences(phone));
        assertEquals(List.of(), occurrences(street));
    }

    @Test
    void aSupplierInvitedAtThePersonsAddressLosesTheAddressAndAnOpenInvitationEnds() {
        merchant = fixtures.tenant("GB");
        String email = "sam-" + merchant.id() + "@supplier.example";
        long invited = QuarkusTransaction.requiringNew().call(() -> {
            DropshipConnection c = new DropshipConnection();
            c.merchantId = merchant.id();
            c.supplierName = "Sam's Mugs";
            c.status = DropshipConnection.Status.INVITED;
            c.invitedEmail = email;
            // unique per run: the column is unique, and a database may be reused between runs
            c.inviteTokenHash = String.format("%064x", merchant.id());
            c.inviteExpiresAt = Instant.parse("2026-06-15T09:00:00Z");
            c.createdAt = Instant.parse("2026-05-30T09:00:00Z");
            c.persist();
            return c.id;
        });
        erase(merchant.apiKey(), Map.of("email", email.toUpperCase())).statusCode(201)
                .body("erased.supplierInvitations", equalTo(1));
        QuarkusTransaction.requiringNew().run(() -> {
            DropshipConnection c = DropshipConnection.findById(invited);
            assertEquals(PersonalDataErasures.ERASED, c.invitedEmail);
            assertEquals(clock.instant(), c.inviteExpiresAt, "the invitation can no longer be accepted");
            assertEquals("Sam's Mugs", c.supplierName);
        });
    }

    private List<String> occurrences(String needle) throws Exception {
        return TextColumns.occurrences(dataSource, needle);
    }

    private static io.restassured.specification.RequestSpecification api(Fixtures.Tenant t) {
        return given().header("Authorization", "Bearer " + t.apiKey());
    }

    private static ValidatableResponse erase(String key, Map<String, String> body) {
        // records still to be delivered are erased too: the refusal without it has its own test
        // (PersonalDataErasureOpenRecordsTest)
        Map<String, Object> all = new java.util.HashMap<>(body);
        all.put("includeOpen", true);
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(all)
                .post("/api/v1/personal-data/erasures").then();
    }
}
