package io.portlink.staff;

import static io.portlink.testing.StaffClient.postForm;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;

import io.portlink.outbox.OutboxDelivery;
import io.portlink.outbox.OutboxMessage;
import io.portlink.shipment.DelayAlerts;
import io.portlink.shipment.MilestoneRules;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentInput;
import io.portlink.shipment.Shipments;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Smtp;
import io.portlink.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;

/**
 * The staff pages of milestone rules (create with every problem listed and the typing kept, preview in a chosen
 * language, test send to one's own address), delay settings and customers' thresholds, the queue page, and the shipment
 * page's delay mail.
 */
@QuarkusTest
class StaffMilestonesTest {

    static final String PAGE = "/app/shipments/milestones";

    @Inject
    Fixtures fixtures;

    @Inject
    MilestoneRules rules;

    @Inject
    io.portlink.shipment.Pipelines pipelines;

    @Inject
    DelayAlerts delays;

    @Inject
    Shipments shipments;

    @Inject
    OutboxDelivery delivery;

    @Inject
    TestClock clock;

    Fixtures.Tenant tenant;
    CookieFilter admin;

    @BeforeEach
    void signedIn() {
        tenant = fixtures.tenant("GB");
        admin = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
    }

    /**
     * Two pipelines, each with a "Delivered" stage: the form's stage list names each one's pipeline (grouped, and in
     * the option itself, which a closed list shows alone), the rule keeps the stage picked, and the list says which.
     */
    @Test
    void theStageListNamesEachStagesPipeline() {
        var vehicles = pipelines.create(tenant.id(), "Vehicles", io.portlink.shipment.Pipelines.FREIGHT_STAGES);
        long delivered = vehicles.stages().stream().filter(st -> st.name().equals("Delivered")).findFirst()
                .orElseThrow().id();
        String page = given().filter(admin).get(PAGE).then().statusCode(200).extract().asString();
        assertTrue(page.contains("<optgroup label=\"Vehicles\">"), page);
        assertTrue(page.contains("<option value=\"" + delivered + "\">Delivered (Vehicles)</option>"), page);
        assertEquals(2, page.split(">Delivered \\(").length - 1, "each pipeline's Delivered, named: " + page);

        postForm(admin, PAGE, PAGE, "trigger", "STAGE_REACHED", "stageId", "" + delivered, "mailCustomer", "yes")
                .statusCode(303);
        assertEquals(delivered, rules.list(tenant.id()).get(0).stageId());
        given().filter(admin).get(PAGE).then().statusCode(200)
                .body(containsString("Stage reached: Delivered (Vehicles)"));
    }

    @Test
    void rulesAreCreatedWithEveryProblemListedPreviewedAndTestSent() throws Exception {
        given().filter(admin).get(PAGE).then().statusCode(200).body(containsString("id=\"no-rules\""));
        postForm(admin, PAGE, PAGE, "trigger", "", "extraRecipients", "typo-at-example").statusCode(422)
                .body(containsString("Please fix 2 problems")).body(containsString("trigger"))
                .body(containsString("typo-at-example")).body(containsString("value=\"typo-at-example\""));
        assertTrue(rules.list(tenant.id()).isEmpty(), "nothing saved");

        postForm(admin, PAGE, PAGE, "trigger", "DELIVERED", "mailCustomer", "yes", "extraRecipients",
                "desk@client.example").statusCode(303);
        var rule = rules.list(tenant.id()).get(0);
        given().filter(admin).get(PAGE).then().statusCode(200).body(containsString("Delivered"))
                .body(containsString("desk@client.example"));

        String ref = "MS-" + tenant.id();
        shipments.create(
                tenant.id(), new ShipmentInput(ref, "Tractor",
                        new ShipmentInput.CustomerInput("Lucía", null, null, "es"), null, null, null),
                ShipmentActor.system());
        given().filter(admin).get(PAGE + "/" + rule.id() + "?shipment=" + ref).then().statusCode(200)
                .body(containsString("Su envío «Tractor» ha sido entregado")).body(containsString("Hola Lucía"));
        given().filter(admin).get(PAGE + "/" + rule.id() + "?lang=fr").then().statusCode(200)
                .body(containsString("Sample shipment")).body(containsString("Bonjour Sam Sample"));
        given().filter(admin).get(PAGE + "/" + rule.id() + "/preview?lang=de").then().statusCode(200)
                .body(containsString("<html lang=\"de\">"));

        GreenMail smtp = Smtp.fresh();
        fixtures.settleOutbox();
        postForm(admin, PAGE + "/" + rule.id(), PAGE + "/" + rule.id() + "/test", "shipment", ref, "lang", "")
                .statusCode(303);
        Smtp.deliver(delivery, clock);
        var mails = Smtp.mailsTo(smtp, tenant.adminEmail());
        assertEquals(1, mails.length);
        assertTrue(mails[0].getSubject().startsWith("[Test] Su envío «Tractor»"), mails[0].getSubject());

        // edit, turn off, delete
        postForm(admin, PAGE + "/" + rule.id(), PAGE + "/" + rule.id(), "version", "" + rule.version(), "trigger",
                "OUT_FOR_DELIVERY", "mailCustomer", "yes").statusCode(303);
        assertEquals("OUT_FOR_DELIVERY", rules.list(tenant.id()).get(0).trigger().name());
        postForm(admin, PAGE + "/" + rule.id(), PAGE + "/" + rule.id(), "version", "" + rule.version(), "trigger",
                "DELIVERED", "mailCustomer", "yes").statusCode(409).body(containsString("changed meanwhile"));
        postForm(admin, PAGE, PAGE + "/" + rule.id() + "/enabled").statusCode(303);
        assertTrue(!rules.list(tenant.id()).get(0).enabled());
        postForm(admin, PAGE, PAGE + "/" + rule.id() + "/delete").statusCode(303);
        assertTrue(rules.list(tenant.id()).isEmpty());
        // another organisation's admin finds nothing
        var other = fixtures.tenant("GB");
        var theirs = rules.create(other.id(), new MilestoneRules.RuleInput("CREATED", null, true, null));
        given().filter(admin).get(PAGE + "/" + theirs.id()).then().statusCode(404);
        postForm(admin, PAGE, PAGE + "/" + theirs.id() + "/delete").statusCode(404);
    }

    @Test
    void delaySettingsAndCustomerThresholdsKeepWhatWasTyped() {
        postForm(admin, PAGE, PAGE + "/settings", "thresholdMinutes", "soon", "noPositionHours", "0", "alertEmails",
                "ops").statusCode(422).body(containsString("Please fix 3 problems"))
                        .body(containsString("value=\"soon\""));
        assertEquals(60, delays.settings(tenant.id()).thresholdMinutes(), "nothing saved");
        postForm(admin, PAGE, PAGE + "/settings", "thresholdMinutes", "90", "noPositionHours", "6", "alertEmails",
                "ops@buyer.example").statusCode(303);
        assertEquals(new DelayAlerts.Settings(90, 6, "ops@buyer.example"), delays.settings(tenant.id()));

        postForm(admin, PAGE, PAGE + "/customers", "customerName", "", "customerThreshold", "-5").statusCode(422)
                .body(containsString("Please fix 2 problems"));
        postForm(admin, PAGE, PAGE + "/customers", "customerName", "Acme Ltd", "customerThreshold", "240")
                .statusCode(303);
        given().filter(admin).get(PAGE).then().body(containsString("data-customer=\"Acme Ltd\""))
                .body(containsString("240"));
    }

    @Test
    void theQueuePageExplainsEachBucketAndTheShipmentPageSendsADelayMail() {
        given().filter(admin).get("/app/shipments").then().statusCode(200)
                .body(containsString("href=\"/app/shipments/queue\""));
        given().filter(admin).get("/app/shipments/queue?bucket=late").then().statusCode(200)
                .body(containsString("Nothing here")).body(containsString("delivery window plus the delay threshold"))
                .body(containsString("Link never opened"));
        String ref = "DM-" + tenant.id();
        long id = shipments
                .create(tenant.id(),
                        new ShipmentInput(ref, "Boat", new ShipmentInput.CustomerInput("Kai",
                                "kai-" + tenant.id() + "@client.example", null, "de"), null, null, null),
                        ShipmentActor.system())
                .id();
        given().filter(admin).get("/app/shipments/queue?bucket=EXCEPTION").then().statusCode(200)
                .body(not(containsString(ref)));
        String detail = given().filter(admin).get("/app/shipments/" + id).then().statusCode(200).extract().asString();
        assertTrue(detail.contains("id=\"delay-mail-form\"") && detail.contains("Ihre Sendung „Boat“ verspätet sich"),
                detail);
        postForm(admin, "/app/shipments/" + id, "/app/shipments/delay-mail/" + id, "subject", "", "body", "")
                .statusCode(422).body(containsString("Please fix 2 problems"));
        postForm(admin, "/app/shipments/" + id, "/app/shipments/delay-mail/" + id, "subject", "Verspätung: Boat",
                "body", "Hallo Kai,\n\nzwei Tage später.").statusCode(303).header("Location",
                        containsString("/app/shipments/" + id + "?done=delay-mail"));
        postForm(admin, "/app/shipments/" + id, "/app/shipments/delay-mail/" + id, "subject", "Verspätung: Boat",
                "body", "Hallo Kai,\n\nzwei Tage später.").statusCode(200).body(containsString("nothing new"));
        OutboxMessage m = QuarkusTransaction.requiringNew().call(() -> OutboxMessage
                .<OutboxMessage> find("shipmentId = ?1 and kind = ?2", id, DelayAlerts.NOTICE_KIND).singleResult());
        assertEquals("Verspätung: Boat", m.subject);
        assertTrue(m.bodyText.contains("zwei Tage später.") && m.bodyText.contains("/t/pt_"), m.bodyText);
        given().filter(admin).get("/app/shipments/" + id + "?done=delay-mail").then()
                .body(containsString("The delay mail is queued"));
    }
}
