package io.portlink.testing;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.organization.ApiKeys;
import io.portlink.organization.Organization;
import io.portlink.organization.Organizations;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Creates isolated organisations (own admin, own API key) so tests never see each other's data. */
@ApplicationScoped
public class Fixtures {

    public static final String PASSWORD = "correct-horse-battery";

    /** The public base URL of links in tests: the test port ({@code -Dtestport=}, 8081 by default). */
    public static final String BASE_URL = "http://localhost:" + Integer.getInteger("testport", 8081);

    @Inject
    Organizations organizations;

    @Inject
    ApiKeys apiKeys;

    public record Tenant(long id, String name, String adminEmail, String apiKey) {
    }

    @Transactional
    public Tenant tenant(String country) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String email = "admin-" + suffix + "@example.com";
        Organization org = organizations.create("Buyer " + suffix, country, email, PASSWORD);
        String key = apiKeys.create(org.id, "tests", "fixtures").key();
        return new Tenant(org.id, org.name, email, key);
    }

    @Inject
    io.portlink.shipment.Shipments shipments;

    /** A new shipment of the organisation (title and customer only), for tests that need a real shipment id. */
    public long shipment(long organizationId) {
        var input = new io.portlink.shipment.ShipmentInput(uniqueReference(), "Load for tests",
                new io.portlink.shipment.ShipmentInput.CustomerInput("Cara Customer", "cara@customer.example", null,
                        "en"),
                null, null, null);
        return shipments.create(organizationId, input, io.portlink.shipment.ShipmentActor.system()).id();
    }

    @Transactional
    public void setStatus(long organizationId, Organization.Status status) {
        Organization.<Organization> findById(organizationId).status = status;
    }

    public static String uniqueReference() {
        return "PO-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    /** A one-line order as JSON, for a vendor at the given address. */
    public static Map<String, Object> order(String reference, String vendorEmail) {
        return Map.of("reference", reference, "vendor",
                Map.of("name", "Vendor " + vendorEmail, "email", vendorEmail, "phone", "+44 20 7946 0000"),
                "deliveryAddress", "1 Dock Road\nLondon", "requestedDate", "2026-07-01", "lines",
                java.util.List.of(Map.of("sku", "BOLT-8", "description", "Hex bolt M8", "quantity", "100", "unit",
                        "pcs", "unitPrice", "0.12", "currency", "GBP")));
    }

    public static ValidatableResponse post(String apiKey, Object body) {
        return given().header("Authorization", "Bearer " + apiKey).contentType(ContentType.JSON).body(body)
                .post("/api/v1/purchase-orders").then();
    }

    /** Creates an order through the API and returns its vendor link URL (path only, for REST Assured). */
    public static String createOrderWithLink(String apiKey, String reference, String vendorEmail) {
        String url = post(apiKey, order(reference, vendorEmail)).statusCode(201).extract().path("vendorLink.url");
        return url.substring(url.indexOf("/v/"));
    }

    /** The id of the order's first (oldest) link, as the API reports it. */
    public static long firstLinkId(String apiKey, String reference) {
        return given().header("Authorization", "Bearer " + apiKey).get("/api/v1/purchase-orders/" + reference).then()
                .statusCode(200).extract().<Integer> path("links[-1].id");
    }

    /** Mail queued by other test classes is not a mail test's business: it starts with its own only. */
    @Transactional
    public void settleOutbox() {
        io.portlink.outbox.OutboxMessage.update("status = ?1 where status = ?2",
                io.portlink.outbox.OutboxMessage.Status.SENT, io.portlink.outbox.OutboxMessage.Status.PENDING);
    }
}
