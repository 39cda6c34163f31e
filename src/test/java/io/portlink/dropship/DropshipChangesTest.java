package io.portlink.dropship;

import static io.portlink.dropship.SalesOrderFixtures.line;
import static io.portlink.dropship.SalesOrderFixtures.order;
import static io.portlink.dropship.SalesOrderFixtures.post;
import static io.portlink.testing.StaffClient.postForm;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;

import io.portlink.outbox.OutboxDelivery;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Smtp;
import io.portlink.testing.TestClock;
import io.portlink.timeline.Subject;
import io.portlink.timeline.Timeline;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The merchant's changes after routing: a dropshipment the supplier does not have yet is simply updated; one it has
 * gets a new revision with a summary, both timelines and a mail to the supplier's admins, and the merchant sees "change
 * not yet acknowledged" until the supplier acknowledges. Shipped lines and dropshipments refuse changes and cancels.
 */
@QuarkusTest
class DropshipChangesTest {

    @Inject
    Fixtures fixtures;

    @Inject
    SalesOrderFixtures so;

    @Inject
    OutboxDelivery delivery;

    @Inject
    TestClock clock;

    @Inject
    Timeline timeline;

    /**
     * The two supplier organisations, shared by the class's tests (each test connects its own merchant to them and
     * orders under its own reference, so no test sees another's dropshipments): a tenant costs a bcrypt hash.
     */
    static Fixtures.Tenant mugsOrganisation;
    static Fixtures.Tenant capsOrganisation;

    Fixtures.Tenant merchant;
    SalesOrderFixtures.Supplier mugs;
    SalesOrderFixtures.Supplier caps;
    /** This test's sales order; its dropshipments are {@code ref-1} (mugs) and {@code ref-2} (caps). */
    String ref;

    @BeforeEach
    void routedOrder() {
        if (mugsOrganisation == null) {
            mugsOrganisation = fixtures.tenant("GB");
            capsOrganisation = fixtures.tenant("GB");
        }
        merchant = fixtures.tenant("GB");
        ref = "SO-" + merchant.id();
        mugs = so.supplier(merchant.id(), mugsOrganisation, "Mugs Direct", DropshipConnection.Status.ACTIVE, false,
                false);
        caps = so.supplier(merchant.id(), capsOrganisation, "Caps & Co", DropshipConnection.Status.ACTIVE, true, true);
        so.product(merchant.id(), "MUG-1", mugs, "MD-MUG");
        so.product(merchant.id(), "MUG-2", mugs, "MD-MUG2");
        so.product(merchant.id(), "CAP-1", caps, "CC-77");
        post(merchant.apiKey(),
                order(ref, List.of(line("MUG-1", 2, "4.50"), line("CAP-1", 1, "9.99"), line("MUG-2", 1, "3.00"))))
                        .statusCode(201);
        api().post("/api/v1/sales-orders/" + ref + "/route").then().statusCode(200);
    }

    @Test
    void beforeSendingTheCopyIsSimplyUpdated() {
        fixtures.settleOutbox();
        api().contentType("application/json").body(Map.of("quantity", "5"))
                .put("/api/v1/sales-orders/" + ref + "/lines/1").then().statusCode(200)
                .body("summary", equalTo("line 1 (MUG-1): 2 → 5")).body("dropshipments[0].revision", equalTo(null));
        shipTo("Dan Doe", "9 New Road\nHull").statusCode(200);
        Dropshipment d = so.dropshipment(mugs.tenant().id(), ref + "-1");
        assertEquals(1, d.revision);
        assertNull(d.changeSummary);
        assertEquals("9 New Road\nHull", d.shipToAddress);
        assertEquals(5, so.lines(d.id).get(0).quantity);
        assertEquals(0, pendingChangeMails());
    }

    @Test
    void afterSendingAChangeRaisesTheRevisionReachesTheSupplierAtOnceAndWaitsForAcknowledgement() throws Exception {
        so.send(ref + "-1", mugs.tenant().id());
        GreenMail smtp = Smtp.fresh();
        fixtures.settleOutbox();

        String answer = shipTo("Dan Doe", "9 New Road\nHull").statusCode(200)
                .body("dropshipments[0].reference", equalTo(ref + "-1")).body("dropshipments[0].revision", equalTo(2))
                .body("dropshipments[0].adminsMailed", equalTo(1)).body("dropshipments[1].revision", equalTo(null))
                .extract().asString();
        // the merchant learns that the supplier's admin was e-mailed, never who: another organisation's staff
        String supplierAdmin = mugs.tenant().adminEmail();
        assertFalse(answer.contains(supplierAdmin), answer);
        String merchantView = api().get("/api/v1/sales-orders/" + ref).then().statusCode(200).extract().asString();
        assertFalse(merchantView.contains(supplierAdmin), merchantView);
        assertTrue(merchantView.contains("'s admin; waiting for the supplier's acknowledgement"), merchantView);
        Dropshipment d = so.dropshipment(mugs.tenant().id(), ref + "-1");
        assertEquals(2, d.revision);
        assertEquals(clock.instant(), d.changedAt);
        assertTrue(d.changeSummary.startsWith("Ship-to changed to Dan Doe"), d.changeSummary);
        assertEquals(1, so.dropshipment(caps.tenant().id(), ref + "-2").revision, "not sent: no revision");

        var supplierSide = QuarkusTransaction.requiringNew()
                .call(() -> timeline.latest(Subject.dropshipment(mugs.tenant().id(), d.id), false, 10));
        assertEquals("CHANGED_BY_MERCHANT", supplierSide.get(0).kind());
        assertTrue(supplierSide.get(0).detail().contains("revision 2"));
        // newest first: what was sent to the supplier comes after (above) the change it reports
        api().get("/api/v1/sales-orders/" + ref).then().body("timeline[0].kind", equalTo("CHANGE_SENT"))
                .body("timeline[1].kind", equalTo("ADDRESS_CHANGED"))
                .body("dropshipments[0].unacknowledged", equalTo(true))
                .body("dropshipments[0].changeSummary", containsString("9 New Road Hull"));

        assertEquals(1, Smtp.deliver(delivery, clock));
        var mails = Smtp.mailsTo(smtp, mugs.tenant().adminEmail());
        assertEquals(1, mails.length);
        assertTrue(mails[0].getSubject().contains(ref + "-1"));
        String text = GreenMailUtil.getBody(mails[0]);
        assertTrue(text.contains("Ship-to changed to Dan Doe"), text);
        assertTrue(text.replace("=\r\n", "").contains("/app/dropship-orders/" + d.id), "the mail leads to it: " + text);
        assertFalse(
                text.contains("4.5") || text.contains("9.99") || text.contains("margin 40%") || text.contains("VIP"),
                "no prices, no internal note");

        var admin = signIn(merchant.adminEmail(), Fixtures.PASSWORD);
        given().filter(admin).get("/app/sales-orders/" + ref).then().statusCode(200)
                .body(containsString("<span class=\"badge warning unacknowledged\">change not yet acknowledged</span>"))
                .body(not(containsString(supplierAdmin)));

        so.acknowledge(ref + "-1", mugs.tenant().id());
        api().get("/api/v1/sales-orders/" + ref).then().body("dropshipments[0].unacknowledged", equalTo(false));
        given().filter(admin).get("/app/sales-orders/" + ref).then()
                .body(not(containsString("change not yet acknowledged"))).body(containsString("acknowledged</span>"));
    }

    @Test
    void aLineRemovedAfterSendingStaysOnTheSuppliersCopyAtZero() {
        so.send(ref + "-1", mugs.tenant().id());
        api().delete("/api/v1/sales-orders/" + ref + "/lines/3").then().statusCode(200)
                .body("summary", equalTo("line 3 (MUG-2) removed")).body("dropshipments[0].revision", equalTo(2));
        Dropshipment d = so.dropshipment(mugs.tenant().id(), ref + "-1");
        assertEquals(List.of(2, 0), so.lines(d.id).stream().map(l -> l.quantity).toList());
        // the merchant's line 3 (MUG-2) is the supplier's line 2 (MD-MUG2): the supplier is told in its own terms
        assertEquals("line 2 (MD-MUG2) removed", d.changeSummary);
        api().get("/api/v1/sales-orders/" + ref).then().body("lines[2].removed", equalTo(true));
        api().post("/api/v1/sales-orders/" + ref + "/route").then().statusCode(200).body("routed.size()", equalTo(0));
    }

    @Test
    void cancellingTellsTheSupplierThatHasItAndCancelsTheRest() {
        so.send(ref + "-2", caps.tenant().id());
        api().contentType("application/json").body(Map.of("reason", "customer changed their mind"))
                .post("/api/v1/sales-orders/" + ref + "/cancel").then().statusCode(200);
        Dropshipment sent = so.dropshipment(caps.tenant().id(), ref + "-2");
        Dropshipment unsent = so.dropshipment(mugs.tenant().id(), ref + "-1");
        assertEquals(Dropshipment.Status.CANCELLED, sent.status);
        assertEquals(2, sent.revision);
        assertEquals("Cancelled: customer changed their mind", sent.changeSummary);
        assertEquals(Dropshipment.Status.CANCELLED, unsent.status);
        assertEquals(1, unsent.revision);
        assertTrue(
                so.events().stream()
                        .anyMatch(e -> e.merchantId() == merchant.id() && e.reference().equals(ref)
                                && e.kind() == SalesOrderChanged.Kind.CANCELLED
                                && e.summary().equals("customer changed their mind")),
                "the sales channel's side is told through the event");
        assertTrue(so.events().stream().anyMatch(e -> e.merchantId() == merchant.id()
                && e.kind() == SalesOrderChanged.Kind.ROUTED && e.summary().startsWith(ref + "-1 to Mugs Direct")));
        api().get("/api/v1/sales-orders/" + ref).then().body("status", equalTo("CANCELLED")).body("cancelReason",
                equalTo("customer changed their mind"));
        api().contentType("application/json").body(Map.of("quantity", "1"))
                .put("/api/v1/sales-orders/" + ref + "/lines/1").then().statusCode(409)
                .body("detail", containsString("is cancelled"));
        api().post("/api/v1/sales-orders/" + ref + "/route").then().statusCode(409);
    }

    @Test
    void aSecondCancelIsRefusedAndTheFirstReasonStays() {
        so.send(ref + "-2", caps.tenant().id());
        api().contentType("application/json").body(Map.of("reason", "customer changed their mind"))
                .post("/api/v1/sales-orders/" + ref + "/cancel").then().statusCode(200);
        long supplierEntries = supplierTimeline().size();
        int changeEvents = so.events().size();

        api().contentType("application/json").body(Map.of("reason", "duplicate order"))
                .post("/api/v1/sales-orders/" + ref + "/cancel").then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("order " + ref + " is already cancelled"))
                // when, as the merchant's pages write it: its date and time in its zone
                .body("detail",
                        containsString(io.portlink.platform.Locales.Format.of("GB", "Europe/London", "en")
                                .dateTime(clock.instant())))
                .body("detail", containsString("customer changed their mind"));
        var admin = signIn(merchant.adminEmail(), Fixtures.PASSWORD);
        postForm(admin, "/app/sales-orders/" + ref, "/app/sales-orders/" + ref + "/cancel", "reason", "another reason")
                .statusCode(409).body(containsString("is already cancelled"))
                .body(containsString("customer changed their mind"));

        api().get("/api/v1/sales-orders/" + ref).then().body("cancelReason", equalTo("customer changed their mind"))
                .body("timeline.findAll { it.kind == 'CANCELLED' }.size()", equalTo(1));
        Dropshipment sent = so.dropshipment(caps.tenant().id(), ref + "-2");
        assertEquals("customer changed their mind", sent.cancelReason);
        assertEquals(2, sent.revision, "the supplier's copy is not revised again");
        assertEquals(supplierEntries, supplierTimeline().size());
        assertEquals(changeEvents, so.events().size(), "the sales channel is not told twice");
    }

    private List<Timeline.Entry> supplierTimeline() {
        long id = so.dropshipment(caps.tenant().id(), ref + "-2").id;
        return QuarkusTransaction.requiringNew()
                .call(() -> timeline.latest(Subject.dropshipment(caps.tenant().id(), id), false, 100));
    }

    @Test
    void shippedLinesAndDropshipmentsRefuseChangesWithAClearMessage() {
        so.send(ref + "-1", mugs.tenant().id());
        so.ship(ref + "-1", mugs.tenant().id());
        api().contentType("application/json").body(Map.of("quantity", "1"))
                .put("/api/v1/sales-orders/" + ref + "/lines/1").then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("line 1 (MUG-1) has shipped units"));
        api().contentType("application/json").body(Map.of("reason", "too late"))
                .post("/api/v1/sales-orders/" + ref + "/cancel").then().statusCode(409)
                .body("detail", containsString("dropshipment " + ref + "-1 has already shipped"));
        shipTo("Dan Doe", "9 New Road").statusCode(409).body("detail", containsString("has shipped"));
        api().contentType("application/json").body(Map.of("quantity", "-1"))
                .put("/api/v1/sales-orders/" + ref + "/lines/2").then().statusCode(422)
                .body("errors[0].field", equalTo("quantity"));
        // the staff page says the same, with nothing changed
        var admin = signIn(merchant.adminEmail(), Fixtures.PASSWORD);
        postForm(admin, "/app/sales-orders/" + ref, "/app/sales-orders/" + ref + "/cancel", "reason", "too late")
                .statusCode(409).body(containsString("has already shipped"));
        assertEquals(Dropshipment.Status.SHIPPED, so.dropshipment(mugs.tenant().id(), ref + "-1").status);
    }

    @Test
    void aPartlyShippedOrderKeepsItsShipToAndItsShippedLinesNamingWhy() {
        so.send(ref + "-1", mugs.tenant().id());
        long id = so.dropshipment(mugs.tenant().id(), ref + "-1").id;
        given().header("Authorization", "Bearer " + mugs.tenant().apiKey()).contentType("application/json")
                .body(Map.of("carrier", "DHL", "trackingNumber", "JD-PART-1", "shipDate",
                        clock.instant().toString().substring(0, 10), "lines",
                        List.of(Map.of("sku", "MD-MUG", "quantity", 1))))
                .post("/api/v1/dropshipments/" + id + "/shipments").then().statusCode(201);
        assertEquals(Dropshipment.Status.PARTIALLY_SHIPPED, so.dropshipment(mugs.tenant().id(), ref + "-1").status);

        shipTo("Dan Doe", "9 New Road\nHull").statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("order " + ref + " has lines already shipped (line 1 (MUG-1): 1 of 2)"))
                .body("detail", containsString("ship-to can no longer change"));
        api().contentType("application/json").body(Map.of("quantity", "0"))
                .put("/api/v1/sales-orders/" + ref + "/lines/1").then().statusCode(409).body("detail",
                        containsString("line 1 (MUG-1) has shipped units (1 of 2), so it can no longer be removed"));
        api().delete("/api/v1/sales-orders/" + ref + "/lines/1").then().statusCode(409).body("detail",
                containsString("line 1 (MUG-1) has shipped units (1 of 2), so it can no longer be removed"));
        api().contentType("application/json").body(Map.of("quantity", "3"))
                .put("/api/v1/sales-orders/" + ref + "/lines/1").then().statusCode(409)
                .body("detail", containsString("line 1 (MUG-1) has shipped units"));
        var admin = signIn(merchant.adminEmail(), Fixtures.PASSWORD);
        postForm(admin, "/app/sales-orders/" + ref, "/app/sales-orders/" + ref + "/ship-to", "name", "Dan Doe",
                "address", "9 New Road").statusCode(409)
                        .body(containsString("has lines already shipped (line 1 (MUG-1): 1 of 2)"))
                        .body(containsString("value=\"Dan Doe\""));

        Dropshipment d = so.dropshipment(mugs.tenant().id(), ref + "-1");
        assertFalse(d.shipToAddress.contains("New Road"), d.shipToAddress);
        assertEquals(1, d.revision, "nothing reached the supplier");
        api().get("/api/v1/sales-orders/" + ref).then().body("shipToAddress", not(containsString("New Road")))
                .body("lines[0].quantity", equalTo(2)).body("lines[0].removed", equalTo(false));
    }

    /**
     * Removing the one line left to ship (MUG-2, after the supplier shipped MUG-1 and the other supplier its CAP-1)
     * completes both: the dropshipment and the order are shipped, not left "Partially shipped" with nothing to ship.
     */
    @Test
    void removingTheLastLineLeftToShipCompletesTheDropshipmentAndTheOrder() {
        so.send(ref + "-1", mugs.tenant().id());
        so.send(ref + "-2", caps.tenant().id());
        so.ship(ref + "-2", caps.tenant().id());
        long id = so.dropshipment(mugs.tenant().id(), ref + "-1").id;
        given().header("Authorization", "Bearer " + mugs.tenant().apiKey()).contentType("application/json")
                .body(Map.of("carrier", "DHL", "trackingNumber", "JD-PART-2", "shipDate",
                        clock.instant().toString().substring(0, 10), "lines",
                        List.of(Map.of("sku", "MD-MUG", "quantity", 2))))
                .post("/api/v1/dropshipments/" + id + "/shipments").then().statusCode(201);
        assertEquals(Dropshipment.Status.PARTIALLY_SHIPPED, so.dropshipment(mugs.tenant().id(), ref + "-1").status);
        api().get("/api/v1/sales-orders/" + ref).then().body("status", equalTo("PARTIALLY_SHIPPED"));

        api().delete("/api/v1/sales-orders/" + ref + "/lines/3").then().statusCode(200);

        Dropshipment d = so.dropshipment(mugs.tenant().id(), ref + "-1");
        assertEquals(Dropshipment.Status.SHIPPED, d.status);
        assertNotNull(d.shippedAt);
        api().get("/api/v1/sales-orders/" + ref).then().body("status", equalTo("SHIPPED"));
    }

    @Test
    void staffChangeAnOrderThroughItsPageAndOtherOrganisationsCannot() {
        var admin = signIn(merchant.adminEmail(), Fixtures.PASSWORD);
        given().filter(admin).get("/app/sales-orders?q=" + ref.substring(0, ref.length() - 1)).then().statusCode(200)
                .body(containsString("data-reference=\"" + ref + "\""));
        postForm(admin, "/app/sales-orders/" + ref, "/app/sales-orders/" + ref + "/ship-to", "name", "", "address", "")
                .statusCode(422).body(containsString("Name: is required"));
        postForm(admin, "/app/sales-orders/" + ref, "/app/sales-orders/" + ref + "/lines/1", "quantity", "4")
                .statusCode(303);
        given().filter(admin).get("/app/sales-orders/" + ref + "?done=line").then()
                .body(containsString("The line is changed.")).body(containsString("line 1 (MUG-1): 2 → 4"));

        var supplierStaff = signIn(mugs.tenant().adminEmail(), Fixtures.PASSWORD);
        given().filter(supplierStaff).get("/app/sales-orders/" + ref).then().statusCode(404);
        postForm(supplierStaff, "/app/sales-orders", "/app/sales-orders/" + ref + "/cancel", "reason", "x")
                .statusCode(404);
        assertEquals(Dropshipment.Status.ROUTED, so.dropshipment(mugs.tenant().id(), ref + "-1").status);
    }

    private io.restassured.specification.RequestSpecification api() {
        return given().header("Authorization", "Bearer " + merchant.apiKey());
    }

    private io.restassured.response.ValidatableResponse shipTo(String name, String address) {
        return api().contentType("application/json").body(Map.of("name", name, "address", address))
                .put("/api/v1/sales-orders/" + ref + "/ship-to").then();
    }

    private long pendingChangeMails() {
        return QuarkusTransaction.requiringNew()
                .call(() -> io.portlink.outbox.OutboxMessage.count("kind = ?1 and status = ?2",
                        DropshipMails.CHANGE_KIND, io.portlink.outbox.OutboxMessage.Status.PENDING));
    }
}
