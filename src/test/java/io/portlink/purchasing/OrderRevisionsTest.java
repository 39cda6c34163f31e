package io.portlink.purchasing;

import static io.portlink.testing.Fixtures.uniqueReference;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.platform.ValidationException;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.timeline.Actor;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Amending a purchase order: revision N+1 with exactly what changed per line and field, on the timeline and in the
 * revision history; an unchanged order stays as it is; a stale revision, a closed order and a line below what was
 * shipped are refused, and nothing is written then.
 */
@QuarkusTest
class OrderRevisionsTest {

    @Inject
    Fixtures fixtures;

    @Inject
    OrderRevisions revisions;

    @Inject
    Orders orders;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
    }

    static OrderInput.LineInput line(String sku, String description, String quantity, String price) {
        return new OrderInput.LineInput(sku, description, DecimalInput.of(quantity), "pcs",
                price == null ? null : DecimalInput.of(price), price == null ? null : "GBP");
    }

    static OrderInput input(String ref, String vendorEmail, String requested, String address,
            List<OrderInput.LineInput> lines) {
        return new OrderInput(ref, new OrderInput.VendorInput("Acme Fasteners Ltd", vendorEmail, null, null), address,
                requested, lines, null);
    }

    /** Bolts (100 at 0.12) and pallet racks (8 at 950.00), to be delivered to the dock on 1 July. */
    List<OrderInput.LineInput> twoLines() {
        return List.of(line("BOLT-8", "Hex bolt M8", "100", "0.12"), line("PAL-1", "Pallet rack", "8", "950.00"));
    }

    String create(String vendorEmail) {
        String ref = uniqueReference();
        orders.create(tenant.id(), input(ref, vendorEmail, "2026-07-01", "1 Dock Road", twoLines()), Actor.api());
        return ref;
    }

    OrderDraft draft(String ref, String vendorEmail, String requested, String address,
            List<OrderInput.LineInput> lines) {
        return input(ref, vendorEmail, requested, address, lines).toDraft(1000);
    }

    JsonPath api(String ref) {
        return given().header("Authorization", "Bearer " + tenant.apiKey()).get("/api/v1/purchase-orders/" + ref).then()
                .statusCode(200).extract().jsonPath();
    }

    @Test
    void anAmendmentMakesTheNextRevisionWithEachChangeOldToNew() {
        String email = "amend-" + tenant.id() + "@vendor.example";
        String ref = create(email);
        orders.markSent(tenant.id(), ref, Actor.system(), "phone");
        List<OrderInput.LineInput> lines = new ArrayList<>();
        lines.add(line("BOLT-8", "Hex bolt M8", "150", "0.11")); // quantity and price
        lines.add(line("NUT-8", "Hex nut M8", "150", "0.05")); // racks removed, nuts added
        var amended = revisions
                .amend(tenant.id(), ref, 1, draft(ref, email, "2026-07-15", "2 Quay Street", lines), Actor.api())
                .orElseThrow();

        assertTrue(amended.changed());
        assertEquals(2, amended.revision());
        assertTrue(amended.awaitsAcknowledgement(), "the vendor had the order: it must acknowledge the change");
        // numbers and dates as the organisation writes them: a German one reads its own
        var germany = io.portlink.platform.Locales.Format.of("DE", "Europe/Berlin", "de");
        List<String> changes = amended.changes().stream().map(c -> c.english(germany)).toList();
        assertEquals(
                List.of("line 2 (Pallet rack) removed: was 8 pcs", "line 1 (Hex bolt M8): quantity 100 → 150",
                        "line 1 (Hex bolt M8): unit price 0,12 → 0,11", "line 3 (Hex nut M8) added: 150 pcs",
                        "requested date 01.07.2026 → 15.07.2026", "delivery address “1 Dock Road” → “2 Quay Street”"),
                changes);

        JsonPath order = api(ref);
        assertEquals(2, order.getInt("revision"));
        assertEquals(1, order.getInt("acknowledgedRevision"));
        assertFalse(order.getBoolean("changeAcknowledged"));
        assertEquals(List.of(1, 3), order.getList("lines.lineNo"), "line numbers stay; the new line gets the next");
        assertEquals("150", order.getString("lines[0].quantity"));
        assertEquals("2026-07-15", order.getString("requestedDate"));
        assertEquals("2 Quay Street", order.getString("deliveryAddress"));
        assertEquals(2, order.getInt("revisions[0].revision"));
        assertEquals("QUANTITY", order.getString("revisions[0].changes[1].field"));
        assertEquals(1, order.getInt("revisions[0].changes[1].line"));
        assertEquals("100", order.getString("revisions[0].changes[1].from"));
        assertEquals("150", order.getString("revisions[0].changes[1].to"));
        String detail = order.getString("timeline.find { it.type == 'AMENDED' }.detail");
        assertTrue(detail.startsWith("revision 2: line 2 (Pallet rack) removed"), detail);
        assertTrue(detail.contains("line 1 (Hex bolt M8): quantity 100 → 150"), detail);
        // the timeline is stored plain for the API's readers (the staff page's revision history writes the
        // organisation's way, above)
        assertTrue(detail.contains("requested date 2026-07-01 → 2026-07-15"), detail);
    }

    @Test
    void theSameOrderAgainIsNoChangeAndNoNewRevision() {
        String email = "same-" + tenant.id() + "@vendor.example";
        String ref = create(email);
        orders.markSent(tenant.id(), ref, Actor.system(), "phone");
        // the same content, written differently (100.0 is 100)
        List<OrderInput.LineInput> same = List.of(line("BOLT-8", "Hex bolt M8", "100.0", "0.120"),
                line("PAL-1", "Pallet rack", "8", "950"));
        var amended = revisions
                .amend(tenant.id(), ref, 1, draft(ref, email, "2026-07-01", "1 Dock Road", same), Actor.api())
                .orElseThrow();
        assertFalse(amended.changed());
        assertEquals(1, amended.revision());
        assertTrue(amended.changes().isEmpty());
        JsonPath order = api(ref);
        assertEquals(1, order.getInt("revision"));
        assertTrue(order.getBoolean("changeAcknowledged"));
        assertTrue(order.getList("revisions").isEmpty());
        assertFalse(order.getList("timeline.type").contains("AMENDED"));
    }

    @Test
    void aStaleRevisionIsRefusedWithTheCurrentOneAndChangesNothing() {
        String email = "stale-" + tenant.id() + "@vendor.example";
        String ref = create(email);
        revisions.amend(tenant.id(), ref, 1, draft(ref, email, "2026-07-02", "1 Dock Road", twoLines()), Actor.api())
                .orElseThrow();
        var stale = assertThrows(StaleRevisionException.class, () -> revisions.amend(tenant.id(), ref, 1,
                draft(ref, email, "2026-07-09", "1 Dock Road", twoLines()), Actor.api()));
        assertEquals(2, stale.currentRevision());
        assertTrue(stale.getMessage().contains("is at revision 2, not 1"), stale.getMessage());
        assertEquals("2026-07-02", api(ref).getString("requestedDate"));

        // the first amendment repeated (its answer was lost): answered as done, nothing new
        var again = revisions
                .amend(tenant.id(), ref, 1, draft(ref, email, "2026-07-02", "1 Dock Road", twoLines()), Actor.api())
                .orElseThrow();
        assertFalse(again.changed());
        assertEquals(2, again.revision());
    }

    @Test
    void closedOrdersAreNotAmended() {
        String email = "closed-" + tenant.id() + "@vendor.example";
        String ref = create(email);
        long version = api(ref).getLong("version");
        orders.cancel(tenant.id(), ref, version, Actor.system(), "no longer needed");
        var refused = assertThrows(ValidationException.class, () -> revisions.amend(tenant.id(), ref, 1,
                draft(ref, email, "2026-07-02", "1 Dock Road", twoLines()), Actor.api()));
        assertEquals("status", refused.errors().get(0).field());
        assertTrue(refused.getMessage().contains("a cancelled order cannot be amended"), refused.getMessage());
        assertEquals(1, api(ref).getInt("revision"));
    }

    @Test
    void anotherVendorOrReferenceIsRefused() {
        String email = "vendor-" + tenant.id() + "@vendor.example";
        String ref = create(email);
        var refused = assertThrows(ValidationException.class,
                () -> revisions.amend(tenant.id(), ref, 1,
                        draft("PO-OTHER", "someone-else@vendor.example", "2026-07-01", "1 Dock Road", twoLines()),
                        Actor.api()));
        assertEquals(List.of("reference", "vendor"), refused.errors().stream().map(e -> e.field()).toList());
        assertTrue(
                revisions.amend(tenant.id(), "PO-NOPE", 1, draft("PO-NOPE", email, null, null, twoLines()), Actor.api())
                        .isEmpty());
    }

    @Test
    void whatTheVendorShippedStays() {
        String email = "shipped-" + tenant.id() + "@vendor.example";
        String ref = uniqueReference();
        var created = orders.create(tenant.id(), input(ref, email, "2026-07-01", "1 Dock Road", twoLines()),
                Actor.api());
        PortalClient vendor = new PortalClient(created.link().url().substring(created.link().url().indexOf("/v/")));
        vendor.open("/orders/" + ref);
        Map<String, String> hidden = vendor.hidden("ship");
        given().redirects().follow(false).header("User-Agent", PortalClient.BROWSER)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8").formParam("nonce", hidden.get("nonce"))
                .formParam("version", hidden.get("version")).formParam("line", "1", "2")
                .formParam("quantity", "60", "2").formParam("carrier", "DHL")
                .formParam("trackingNumber", "JD0001234567").post(vendor.link() + "/orders/" + ref + "/ship").then()
                .statusCode(303);

        // 60 bolts and 2 racks left: bolts cannot drop to 50, racks cannot go
        var refused = assertThrows(ValidationException.class, () -> revisions.amend(tenant.id(), ref, 1,
                draft(ref, email, "2026-07-01", "1 Dock Road", List.of(line("BOLT-8", "Hex bolt M8", "50", "0.12"))),
                Actor.api()));
        List<String> messages = refused.errors().stream().map(ValidationException.FieldError::describe).toList();
        assertEquals(2, messages.size(), messages.toString());
        assertTrue(
                messages.stream().anyMatch(
                        m -> m.contains("line 2 (Pallet rack) has 2 shipped already and cannot" + " be removed")),
                messages.toString());
        assertTrue(messages.stream().anyMatch(
                m -> m.contains("lines[0].quantity") && m.contains("line 1 (Hex bolt M8) has 60 shipped already")),
                messages.toString());
        assertEquals(1, api(ref).getInt("revision"));

        // with a cell that cannot be read as well, every problem comes in the one answer (the API and the staff form)
        Map<String, Object> body = new java.util.HashMap<>(io.portlink.testing.Fixtures.order(ref, email));
        body.put("lines",
                List.of(Map.of("sku", "BOLT-8", "description", "Hex bolt M8", "quantity", "50", "unitPrice", "0.12",
                        "currency", "GBP"),
                        Map.of("sku", "PAL-1", "description", "Pallet rack", "quantity", "2", "unitPrice", "lots",
                                "currency", "GBP")));
        given().header("Authorization", "Bearer " + tenant.apiKey()).header("If-Match", "\"1\"")
                .contentType("application/json").body(body).put("/api/v1/purchase-orders/" + ref).then().statusCode(422)
                .body("errors.field", org.hamcrest.Matchers.hasItems("lines[1].unitPrice", "lines[0].quantity"))
                .body("errors.find { it.field == 'lines[0].quantity' }.message",
                        org.hamcrest.Matchers.containsString("has 60 shipped already"));
        var staff = io.portlink.testing.StaffClient.signIn(tenant.adminEmail(), io.portlink.testing.Fixtures.PASSWORD);
        String form = io.portlink.testing.StaffClient.postForm(staff, "/app/orders/" + ref + "/amend",
                "/app/orders/" + ref + "/amend", "revision", "1", "do", "save", "sku", "BOLT-8", "description",
                "Hex bolt M8", "quantity", "50", "unitPrice", "0.12", "currency", "GBP", "sku", "NEW-1", "description",
                "Shelf", "quantity", "lots", "unitPrice", "", "currency", "").statusCode(422).extract().asString();
        assertTrue(form.contains("lots"), form);
        assertTrue(form.contains("has 60 shipped already"), form);
        assertTrue(form.contains("cannot be removed"), form);
        assertEquals(1, api(ref).getInt("revision"));

        // down to exactly what was shipped is fine
        var amended = revisions.amend(
                tenant.id(), ref, 1, draft(ref, email, "2026-07-01", "1 Dock Road", List
                        .of(line("BOLT-8", "Hex bolt M8", "60", "0.12"), line("PAL-1", "Pallet rack", "2", "950.00"))),
                Actor.api()).orElseThrow();
        assertEquals(2, amended.revision());
        assertEquals(new BigDecimal("60"), new BigDecimal(api(ref).getString("lines[0].quantity")));
    }

    @Test
    void aChangeOnlyStaffSeeOrOfAnOrderNeverSentAsksTheVendorForNothing() {
        String email = "unsent-" + tenant.id() + "@vendor.example";
        String ref = create(email);
        var amended = revisions
                .amend(tenant.id(), ref, 1, draft(ref, email, "2026-07-03", "1 Dock Road", twoLines()), Actor.api())
                .orElseThrow();
        assertEquals(2, amended.revision());
        assertFalse(amended.awaitsAcknowledgement(), "the vendor never had revision 1");
        assertFalse(amended.vendorMailed());
        assertTrue(api(ref).getBoolean("changeAcknowledged"));

        orders.markSent(tenant.id(), ref, Actor.system(), "phone");
        OrderInput withConsignee = new OrderInput(ref,
                new OrderInput.VendorInput("Acme Fasteners Ltd", email, null, null), "1 Dock Road", "2026-07-03",
                twoLines(), null, new OrderInput.ConsigneeInput("Dana Dock", "dana@dock.example", null, "en"));
        var consignee = revisions.amend(tenant.id(), ref, 2, withConsignee.toDraft(1000), Actor.api()).orElseThrow();
        assertEquals(3, consignee.revision());
        assertFalse(consignee.awaitsAcknowledgement(), "the vendor never sees the consignee");
        assertEquals(RevisionChange.Field.CONSIGNEE_NAME, consignee.changes().get(0).field());
        assertFalse(consignee.changes().get(0).vendorVisible());
        assertTrue(api(ref).getBoolean("changeAcknowledged"));
    }
}
