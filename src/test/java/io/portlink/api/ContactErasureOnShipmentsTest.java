package io.portlink.api;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.postForm;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.portlink.purchasing.PurchaseOrder;
import io.portlink.purchasing.VendorContact;
import io.portlink.shipment.Shipment;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.timeline.TimelineEntry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.http.ContentType;

/**
 * A vendor's contact who shipped an order through the link made for them is named on the shipment that made (its
 * timeline's actor: "vendor link #6 (Victor Contact, victor@…)"). Erasing the contact takes their name there too, not
 * only their address: the shipment is one of the order's, and the order is concerned.
 */
@QuarkusTest
class ContactErasureOnShipmentsTest {

    private static final Pattern LINK = Pattern.compile("(/v/pv_[A-Za-z0-9_-]+)");

    @jakarta.inject.Inject
    Fixtures fixtures;

    @Test
    void theContactsNameLeavesTheShipmentTheyShipped() {
        Fixtures.Tenant tenant = fixtures.tenant("GB");
        String ref = uniqueReference();
        String contactEmail = "victor-" + tenant.id() + "@northwind.example";
        createOrderWithLink(tenant.apiKey(), ref, "sales-" + tenant.id() + "@northwind.example");
        long vendor = QuarkusTransaction.requiringNew()
                .call(() -> PurchaseOrder.findByReference(tenant.id(), ref).orElseThrow().vendor.id);
        CookieFilter staff = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String vendorPath = "/app/vendors/" + vendor;
        postForm(staff, vendorPath, vendorPath + "/contacts", "name", "Victor Contact", "email", contactEmail, "role",
                "LOGISTICS").statusCode(303);
        long contact = QuarkusTransaction.requiringNew()
                .call(() -> VendorContact.<VendorContact> find("vendor.id", vendor).firstResult().id);
        String orderPath = "/app/orders/" + ref;
        String shown = postForm(staff, orderPath, orderPath + "/links", "contactId", String.valueOf(contact), "email",
                "yes").statusCode(200).extract().asString();
        Matcher link = LINK.matcher(shown);
        assertTrue(link.find(), shown);

        PortalClient victor = new PortalClient(link.group(1));
        victor.open("/orders/" + ref).then().statusCode(200);
        assertEquals(303,
                victor.submit(ref, "tracking", Map.of("carrier", "DHL", "trackingNumber", "JD014600001")).statusCode());
        // the contact's link also opens the vendor's other orders: shipped through it, that shipment names them too
        String other = uniqueReference();
        createOrderWithLink(tenant.apiKey(), other, "sales-" + tenant.id() + "@northwind.example");
        victor.open("/orders/" + other).then().statusCode(200);
        assertEquals(303, victor.submit(other, "tracking", Map.of("carrier", "DHL", "trackingNumber", "JD014600002"))
                .statusCode());
        long otherShipment = QuarkusTransaction.requiringNew()
                .call(() -> Shipment
                        .<Shipment> find("organization.id = ?1 and reference = ?2", tenant.id(), other + "-1")
                        .firstResult().id);
        long shipment = QuarkusTransaction.requiringNew().call(() -> Shipment
                .<Shipment> find("organization.id = ?1 and reference = ?2", tenant.id(), ref + "-1").firstResult().id);
        assertTrue(labels(shipment).stream().anyMatch(l -> l.contains("Victor Contact")), "named before");

        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType(ContentType.JSON)
                .body(Map.of("email", contactEmail, "includeOpen", true)).post("/api/v1/personal-data/erasures").then()
                .statusCode(201);

        List<String> elsewhere = labels(otherShipment);
        assertTrue(elsewhere.stream().noneMatch(l -> l.contains("Victor Contact") || l.contains(contactEmail)),
                "nor does the other order's shipment: " + elsewhere);
        List<String> after = labels(shipment);
        assertFalse(after.isEmpty());
        assertTrue(after.stream().noneMatch(l -> l.contains("Victor Contact") || l.contains(contactEmail)),
                "the shipment's timeline no longer names the contact: " + after);
        given().filter(staff).get("/app/shipments/" + shipment).then().statusCode(200)
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("Victor Contact")));
    }

    private static List<String> labels(long shipment) {
        return QuarkusTransaction.requiringNew()
                .call(() -> TimelineEntry.<TimelineEntry> list("shipmentId = ?1 order by id", shipment).stream()
                        .map(e -> e.actorLabel).toList());
    }
}
