package io.portlink.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.organization.ApiKeys;
import io.portlink.organization.PersonalDataErasure;
import io.portlink.outbox.OutboxMessage;
import io.portlink.purchasing.PurchaseOrder;
import io.portlink.purchasing.Vendor;
import io.portlink.purchasing.VendorContact;
import io.portlink.purchasing.VendorRecords;
import io.portlink.shipment.ProofOfDelivery;
import io.portlink.shipment.ProofOfDeliveryImage;
import io.portlink.shipment.Shipment;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentInput;
import io.portlink.shipment.Shipments;
import io.portlink.testing.Fixtures;
import io.portlink.testing.TestClock;
import io.portlink.testing.TextColumns;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * {@code POST /api/v1/personal-data/erasures}: one person's data, named by e-mail or phone, is erased from every table
 * of the calling key's organisation (a search of every text column finds it only in the other organisation afterwards),
 * the business records stay, a read key is refused, a repeat erases nothing more, and the audit record holds no
 * personal data.
 */
@QuarkusTest
class PersonalDataErasureTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Shipments shipments;

    @Inject
    VendorRecords vendors;

    @Inject
    ApiKeys keys;

    @Inject
    io.portlink.shipment.ShipmentExceptions problems;

    @Inject
    io.portlink.shipment.ShipmentPhotos photos;

    @Inject
    io.portlink.shipment.DelayAlerts delays;

    @Inject
    TestClock clock;

    @Inject
    DataSource dataSource;

    String email;
    String phone;

    @BeforeEach
    void person() {
        clock.set(Instant.parse("2026-06-01T09:00:00Z"));
        String id = UUID.randomUUID().toString().substring(0, 8);
        email = "pat-" + id + "@person.example";
        phone = "+44 7700 9" + id.chars().map(c -> '0' + c % 10).limit(5).collect(StringBuilder::new,
                StringBuilder::appendCodePoint, StringBuilder::append);
    }

    /**
     * The person in one organisation: consignee of an order, the vendor's own address of another order (mailed the
     * order), a vendor contact, and the customer of a delivered shipment with a signed proof of delivery. Returns the
     * references: consignee order, vendor order, shipment.
     */
    private List<String> personIn(Fixtures.Tenant t) {
        String consigneeOrder = Fixtures.uniqueReference();
        Map<String, Object> order = new java.util.HashMap<>(Fixtures.order(consigneeOrder, "sales@company.example"));
        order.put("consignee", Map.of("name", "Pat Person", "email", email.toUpperCase(Locale.ROOT), "phone", phone));
        Fixtures.post(t.apiKey(), order).statusCode(201);
        String vendorOrder = Fixtures.uniqueReference();
        Map<String, Object> mailed = new java.util.HashMap<>(Fixtures.order(vendorOrder, email));
        mailed.put("vendor", Map.of("name", "Pat's Workshop", "email", email, "phone", "+44 20 7946 0000"));
        mailed.put("send", "LINK_ONLY");
        Fixtures.post(t.apiKey(), mailed).statusCode(201);
        long companyVendor = QuarkusTransaction.requiringNew()
                .call(() -> Vendor.<Vendor> find("organization.id = ?1 and email = ?2", t.id(), "sales@company.example")
                        .firstResult().id);
        vendors.addContact(t.id(), companyVendor,
                new VendorRecords.ContactEdit("Pat Person", email, phone, "en", "LOGISTICS")).orElseThrow();
        long shipment = shipments.create(t.id(),
                new ShipmentInput(Fixtures.uniqueReference(), "Sofa for Pat",
                        new ShipmentInput.CustomerInput("Pat Person", email, phone, "en"), "Warehouse 4, Leeds",
                        "12 Home Street, York", null),
                ShipmentActor.system()).id();
        QuarkusTransaction.requiringNew().run(() -> {
            Shipment s = Shipment.findById(shipment);
            s.deliveredAt = Instant.parse("2026-05-30T10:00:00Z");
            ProofOfDelivery pod = new ProofOfDelivery();
            pod.shipment = s;
            pod.receiverName = "Pat Person";
            pod.note = "Left with Pat Person at the door";
            pod.deliveredAt = s.deliveredAt;
            pod.persist();
            ProofOfDeliveryImage i = new ProofOfDeliveryImage();
            i.proof = pod;
            i.kind = ProofOfDeliveryImage.Kind.SIGNATURE;
            i.contentType = "image/png";
            i.byteSize = 3;
            i.width = 1;
            i.height = 1;
            i.digest = "0".repeat(64);
            i.content = new byte[] { 1, 2, 3 };
            i.persist();
        });
        String shipmentRef = QuarkusTransaction.requiringNew()
                .call(() -> Shipment.<Shipment> findById(shipment).reference);
        return List.of(consigneeOrder, vendorOrder, shipmentRef);
    }

    private List<String> occurrences(String needle) throws Exception {
        return TextColumns.occurrences(dataSource, needle);
    }

    private static io.restassured.response.ValidatableResponse erase(String key, Map<String, String> body) {
        // records still to be delivered are erased too: the refusal without it has its own test
        // (PersonalDataErasureOpenRecordsTest)
        Map<String, Object> all = new java.util.HashMap<>(body);
        all.put("includeOpen", true);
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(all)
                .post("/api/v1/personal-data/erasures").then();
    }

    @Test
    void erasesThePersonEverywhereInTheOrganisationKeepsTheBusinessAndLeavesTheOtherOrganisationAlone()
            throws Exception {
        Fixtures.Tenant other = fixtures.tenant("GB");
        List<String> theirs = personIn(other);
        List<String> inOther = occurrences(email);
        assertTrue(inOther.size() >= 4, "the other organisation holds the person: " + inOther);

        Fixtures.Tenant tenant = fixtures.tenant("GB");
        List<String> refs = personIn(tenant);
        assertTrue(occurrences(email).size() > inOther.size());

        // a read key may not erase
        String readKey = keys.create(tenant.id(), "reader", "tests", false, null).key();
        erase(readKey, Map.of("email", email)).statusCode(403);
        // exactly one identifier, well formed
        erase(tenant.apiKey(), Map.of()).statusCode(422);
        erase(tenant.apiKey(), Map.of("email", email, "phone", "+44 20 7946 0000")).statusCode(422)
                .body("errors[0].message", org.hamcrest.Matchers.containsString("not both"));
        erase(tenant.apiKey(), Map.of("email", "not-an-address")).statusCode(422);
        // a phone of only invisible characters names nobody: told so, never a 500
        for (String invisible : List.of("\u00a0", "\u200b", "\u200e", "\u0000")) {
            erase(tenant.apiKey(), Map.of("phone", invisible)).statusCode(422).body("errors[0].message",
                    org.hamcrest.Matchers.containsString("give either an e-mail address or a phone number"));
        }

        erase(tenant.apiKey(), Map.of("email", " " + email.toUpperCase(Locale.ROOT) + " ")).statusCode(201)
                .body("erased.orderConsignees", equalTo(1)).body("erased.vendorContacts", equalTo(1))
                .body("erased.vendorAddresses", equalTo(1)).body("erased.shipmentCustomers", equalTo(1))
                .body("erased.proofsOfDelivery", equalTo(1)).body("erased.proofImages", equalTo(1));

        // nothing of the person is left in this organisation: what remains is the other organisation's, unchanged
        assertEquals(inOther, occurrences(email));
        assertEquals(occurrences(phone).size(), occurrencesOfOther(phone, other));
        // the name learnt from the records is gone from this organisation's texts (pages, timeline, mails)
        QuarkusTransaction.requiringNew().run(() -> {
            PurchaseOrder consignee = PurchaseOrder
                    .<PurchaseOrder> find("organization.id = ?1 and reference = ?2", tenant.id(), refs.get(0))
                    .firstResult();
            assertNull(consignee.consigneeName);
            assertNull(consignee.consigneeEmail);
            assertNull(consignee.consigneePhone);
            assertEquals(1, io.portlink.purchasing.OrderLine.count("order.id", consignee.id),
                    "the order and its lines stay");
            PurchaseOrder mailed = PurchaseOrder
                    .<PurchaseOrder> find("organization.id = ?1 and reference = ?2", tenant.id(), refs.get(1))
                    .firstResult();
            assertNotNull(mailed, "the vendor's order stays");
            assertNull(mailed.vendor.email);
            assertTrue(mailed.vendor.needsNewEmail, "the vendor is flagged: it needs a new address");
            assertEquals("Pat's Workshop", mailed.vendor.name, "a vendor is a company: its name stays");
            Shipment s = Shipment.<Shipment> find("organization.id = ?1 and reference = ?2", tenant.id(), refs.get(2))
                    .firstResult();
            assertEquals("Sofa for Pat", s.title);
            assertNull(s.customerName);
            assertNull(s.shipTo);
            assertEquals("Warehouse 4, Leeds", s.shipFrom);
            assertNotNull(s.deliveredAt);
            ProofOfDelivery pod = ProofOfDelivery.find("shipment.id", s.id).firstResult();
            assertEquals("[erased]", pod.receiverName);
            assertNull(pod.note);
            assertEquals(Instant.parse("2026-05-30T10:00:00Z"), pod.deliveredAt, "that it was delivered, and when");
            assertEquals(0, ProofOfDeliveryImage.count("proof.id", pod.id));
            assertEquals(0,
                    VendorContact.count("vendor.organization.id = ?1 and name = ?2", tenant.id(), "Pat Person"));
            for (OutboxMessage m : OutboxMessage.<OutboxMessage> list("organization.id", tenant.id())) {
                assertFalse(String.valueOf(m.bodyText).contains("Pat Person"), "mail bodies lose the name");
                if (m.recipient.equals("[erased]")) {
                    assertEquals(OutboxMessage.Status.DEAD, m.status, "a mail to the person is never sent now");
                }
            }
            // the other organisation's person is untouched
            Shipment theirShipment = Shipment
                    .<Shipment> find("organization.id = ?1 and reference = ?2", other.id(), theirs.get(2))
                    .firstResult();
            assertEquals(email, theirShipment.customerEmail);
            assertEquals("Pat Person", theirShipment.customerName);
            // the audit record keeps who asked and what, never the person's data
            PersonalDataErasure audit = PersonalDataErasure
                    .<PersonalDataErasure> find("organizationId = ?1 order by id desc", tenant.id()).firstResult();
            assertEquals("email", audit.subjectKind);
            assertFalse(audit.subjectHash.contains("pat"));
            assertTrue(audit.counts.contains("shipmentCustomers=1"), audit.counts);
        });

        // a repeat finds nothing more
        erase(tenant.apiKey(), Map.of("email", email)).statusCode(201).body("erased.orderConsignees", equalTo(0))
                .body("erased.shipmentCustomers", equalTo(0)).body("erased.vendorAddresses", equalTo(0))
                .body("erased.mails", equalTo(0)).body("erased.timelineTexts", equalTo(0));
        // staff see that the vendor needs a new address
        long vendorId = QuarkusTransaction.requiringNew()
                .call(() -> PurchaseOrder
                        .<PurchaseOrder> find("organization.id = ?1 and reference = ?2", tenant.id(), refs.get(1))
                        .firstResult().vendor.id);
        var admin = io.portlink.testing.StaffClient.signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        given().filter(admin).get("/app/vendors/" + vendorId).then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("needs a new address"));
        // and the business answers as before
        given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + refs.get(0))
                .then().statusCode(200).body("reference", equalTo(refs.get(0)));
    }

    /** How many cells of the other organisation's records hold the text (its order and shipment and vendor rows). */
    private long occurrencesOfOther(String needle, Fixtures.Tenant other) {
        return QuarkusTransaction.requiringNew().call(() -> {
            long n = 0;
            String d = needle;
            for (PurchaseOrder o : PurchaseOrder.<PurchaseOrder> list("organization.id", other.id())) {
                n += d.equals(o.consigneePhone) ? 1 : 0;
            }
            for (Shipment s : Shipment.<Shipment> list("organization.id", other.id())) {
                n += d.equals(s.customerPhone) ? 1 : 0;
            }
            for (VendorContact c : VendorContact.<VendorContact> list("vendor.organization.id", other.id())) {
                n += d.equals(c.phone) ? 1 : 0;
            }
            return n;
        });
    }

    /**
     * After an erasure, an order sent again as it was is no longer "unchanged" (200) but a 409: the stored content hash
     * held the consignee's and the vendor's data, and answering "unchanged" would confirm a guess of what was erased.
     */
    @Test
    void whatWasErasedCannotBeConfirmedBySendingTheOrderAgain() {
        Fixtures.Tenant t = fixtures.tenant("GB");
        Map<String, Object> consigneeOrder = new java.util.HashMap<>(
                Fixtures.order(Fixtures.uniqueReference(), "sales@company.example"));
        consigneeOrder.put("consignee", Map.of("name", "Pat Person", "email", email, "phone", phone));
        Map<String, Object> vendorOrder = Fixtures.order(Fixtures.uniqueReference(), email);
        for (Map<String, Object> order : List.of(consigneeOrder, vendorOrder)) {
            Fixtures.post(t.apiKey(), order).statusCode(201);
            Fixtures.post(t.apiKey(), order).statusCode(200); // unchanged
        }
        erase(t.apiKey(), Map.of("email", email)).statusCode(201);
        for (Map<String, Object> order : List.of(consigneeOrder, vendorOrder)) {
            Fixtures.post(t.apiKey(), order).statusCode(409);
        }
        // a vendor's phone too (its e-mail is a company's, and stays)
        Map<String, Object> phoned = new java.util.HashMap<>(Fixtures.order(Fixtures.uniqueReference(), "x"));
        phoned.put("vendor", Map.of("name", "Pat's Van", "email", "office-" + email, "phone", phone));
        Fixtures.post(t.apiKey(), phoned).statusCode(201);
        Fixtures.post(t.apiKey(), phoned).statusCode(200);
        erase(t.apiKey(), Map.of("phone", phone)).statusCode(201);
        Fixtures.post(t.apiKey(), phoned).statusCode(409);
    }

    @Test
    void aPhoneNumberIsMatchedOnItsDigits() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        long shipment = shipments.create(tenant.id(),
                new ShipmentInput(Fixtures.uniqueReference(), "Bike",
                        new ShipmentInput.CustomerInput("Phoebe Phone", null, phone, "en"), null, null, null),
                ShipmentActor.system()).id();
        erase(tenant.apiKey(), Map.of("phone", phone.replace(" ", ""))).statusCode(201).body("erased.shipmentCustomers",
                equalTo(1));
        QuarkusTransaction.requiringNew().run(() -> {
            Shipment s = Shipment.findById(shipment);
            assertNull(s.customerPhone);
            assertNull(s.customerName);
        });
    }

    /**
     * What the first erasures left: an order's delivery address and the record of its amendments (the consignee's phone
     * and address before and after), a problem report naming the person, a gallery photo's file name, and the delay
     * threshold kept for the customer by name. All go; the order, its revision, the report and the photo stay.
     */
    @Test
    void amendmentsProblemReportsPhotoFileNamesAndDelayThresholdsLoseThePerson() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String id = email.substring(4, 12);
        String name = "Robin R" + id;
        String street = id + " Orchard Lane";
        String oldPhone = "+44 20 7000 " + phone.substring(phone.length() - 4);
        String ref = Fixtures.uniqueReference();
        Map<String, Object> order = new java.util.HashMap<>(Fixtures.order(ref, "sales@company.example"));
        order.put("consignee", Map.of("name", name, "email", email, "phone", oldPhone));
        order.put("deliveryAddress", "1 " + street + "\nYork");
        Fixtures.post(tenant.apiKey(), order).statusCode(201);
        order.put("consignee", Map.of("name", name, "email", email, "phone", phone));
        order.put("deliveryAddress", "2 " + street + "\nYork");
        given().header("Authorization", "Bearer " + tenant.apiKey()).header("If-Match", "\"1\"")
                .contentType(ContentType.JSON).body(order).put("/api/v1/purchase-orders/" + ref).then().statusCode(200)
                .body("changed", equalTo(true));
        long shipment = shipments.create(tenant.id(), new ShipmentInput(Fixtures.uniqueReference(), "Chair",
                new ShipmentInput.CustomerInput(name, email, phone, "en"), null, "3 " + street + ", York", null),
                ShipmentActor.system()).id();
        problems.report(tenant.id(), shipment, "REFUSED", "Refused by " + name + "; call " + phone, false,
                ShipmentActor.system()).orElseThrow();
        photos.add(tenant.id(), shipment, io.portlink.testing.Images.of("png", 8, 8), name + " at the door.png",
                ShipmentActor.system()).orElseThrow().photo();
        // a file named by the address: its timeline entry ("Photo added: … (ann@shop.example.png)") names her too
        photos.add(tenant.id(), shipment, io.portlink.testing.Images.of("png", 9, 9), email + ".png",
                ShipmentActor.system()).orElseThrow().photo();
        photos.add(tenant.id(), shipment, io.portlink.testing.Images.of("png", 10, 10), email + "_1.png",
                ShipmentActor.system()).orElseThrow().photo();
        delays.setOverride(tenant.id(), name, "30");
        for (String needle : List.of(name, street, oldPhone)) {
            assertFalse(occurrences(needle).isEmpty(), needle);
        }

        erase(tenant.apiKey(), Map.of("email", email)).statusCode(201).body("erased.orderConsignees", equalTo(1))
                .body("erased.orderRevisions", equalTo(1)).body("erased.problemNotes", equalTo(1))
                .body("erased.photoFileNames", equalTo(3)).body("erased.customerDelayThresholds", equalTo(1));

        for (String needle : List.of(email, name, street, oldPhone, phone)) {
            assertEquals(List.of(), occurrences(needle), needle + " is left");
        }
        QuarkusTransaction.requiringNew().run(() -> {
            PurchaseOrder o = PurchaseOrder
                    .<PurchaseOrder> find("organization.id = ?1 and reference = ?2", tenant.id(), ref).firstResult();
            assertNull(o.deliveryAddress);
            assertEquals(2, o.revision, "the order and its revisions stay");
            assertEquals(1, io.portlink.purchasing.OrderRevision.count("purchaseOrderId", o.id));
            assertEquals(1, io.portlink.shipment.ShipmentException.count("shipment.id", shipment));
            io.portlink.shipment.ShipmentPhoto photo = io.portlink.shipment.ShipmentPhoto.<io.portlink.shipment.ShipmentPhoto> find(
                    "shipment.id = ?1 order by id", shipment).firstResult();
            assertNull(photo.fileName, "the photo stays, without the name it was uploaded under");
        });
    }
}
