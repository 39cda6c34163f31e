package io.portlink.shipment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;

import io.portlink.link.AccessLink;
import io.portlink.outbox.OutboxDelivery;
import io.portlink.outbox.OutboxMessage;
import io.portlink.platform.Tokens;
import io.portlink.platform.ValidationException;
import io.portlink.testing.Fixtures;
import io.portlink.testing.PortalClient;
import io.portlink.testing.Races;
import io.portlink.testing.Smtp;
import io.portlink.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Milestone rules: the customer's mail in their language with a working /t/ link, at most once per shipment and trigger
 * (repeated events, moves back and forth, threads at once), the link rebuilt from its seed and changed by a regenerate,
 * validation.
 */
@QuarkusTest
class MilestoneMailsTest {

    private static final Pattern LINK = Pattern.compile(Pattern.quote(Fixtures.BASE_URL) + "(/t/pt_[A-Za-z0-9_-]{43})");

    @Inject
    Fixtures fixtures;

    @Inject
    Shipments shipments;

    @Inject
    MilestoneRules rules;

    @Inject
    TrackingLinks trackingLinks;

    @Inject
    Pipelines pipelines;

    @Inject
    OutboxDelivery delivery;

    @Inject
    TestClock clock;

    @Inject
    Event<ShipmentTriggered> triggered;

    @Inject
    ShipmentEtas etas;

    @Inject
    ShipmentExceptions exceptions;

    @Inject
    DelayAlerts delays;

    Fixtures.Tenant tenant;
    ExecutorService pool;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("DE");
        pool = Executors.newFixedThreadPool(16);
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    long stage(String name) {
        return pipelines.list(tenant.id()).stream().filter(Pipelines.PipelineView::isDefault).findFirst().orElseThrow()
                .stages().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().id();
    }

    long shipment(String language, String email) {
        return shipments.create(tenant.id(), new ShipmentInput(Fixtures.uniqueReference(), "Land Cruiser 300",
                new ShipmentInput.CustomerInput("Camille Martin", email, null, language), "Yokohama", "Lyon", null),
                ShipmentActor.system()).id();
    }

    static List<OutboxMessage> mails(long shipmentId, String kind) {
        return QuarkusTransaction.requiringNew().call(() -> OutboxMessage
                .<OutboxMessage> list("shipmentId = ?1 and kind = ?2 order by id", shipmentId, kind));
    }

    static String link(String body) {
        Matcher m = LINK.matcher(body.replace("=\r\n", "").replace("=3D", "="));
        assertTrue(m.find(), "the mail carries a tracking link: " + body);
        return m.group(1);
    }

    @Test
    void aStageRuleMailsTheCustomerOnceInTheirLanguageWithAWorkingLink() throws Exception {
        GreenMail smtp = Smtp.fresh();
        fixtures.settleOutbox();
        String email = "camille-" + System.nanoTime() + "@client.example";
        long inTransit = stage("In transit");
        rules.create(tenant.id(), new MilestoneRules.RuleInput("STAGE_REACHED", "" + inTransit, true,
                "copy-" + tenant.id() + "@client.example"));
        long id = shipment("fr", email);
        assertTrue(trackingLinks.sheet(tenant.id(), id).orElseThrow().link() == null, "no link before the rule");

        shipments.changeStage(tenant.id(), id, "In transit", ShipmentActor.system());
        assertEquals(2, mails(id, MilestoneRules.KIND).size(), "the customer and the extra address");
        // back and forward again, and the same event repeated (a retry): nothing new
        shipments.changeStage(tenant.id(), id, "Dispatched", ShipmentActor.system());
        shipments.changeStage(tenant.id(), id, "In transit", ShipmentActor.system());
        for (int i = 0; i < 3; i++) {
            QuarkusTransaction.requiringNew().run(() -> triggered.fire(new ShipmentTriggered(tenant.id(), id,
                    ShipmentTriggered.Trigger.STAGE_REACHED, inTransit, ShipmentActor.system())));
        }
        assertEquals(2, mails(id, MilestoneRules.KIND).size(), "once per shipment, rule and stage");
        assertNotNull(trackingLinks.sheet(tenant.id(), id).orElseThrow().link(), "the rule issued a link");

        Smtp.deliver(delivery, clock);
        var received = Smtp.mailsTo(smtp, email);
        assertEquals(1, received.length);
        assertTrue(received[0].getSubject().startsWith("Votre envoi «\u00a0Land Cruiser 300\u00a0»\u00a0: In transit"),
                received[0].getSubject());
        String body = GreenMailUtil.getBody(received[0]);
        assertTrue(body.contains("Bonjour Camille Martin"), body);
        String path = link(body);
        given().header("User-Agent", PortalClient.BROWSER).get(path).then().statusCode(200);
        var copy = Smtp.mailsTo(smtp, "copy-" + tenant.id() + "@client.example");
        assertEquals(1, copy.length);
        assertFalse(LINK.matcher(GreenMailUtil.getBody(copy[0]).replace("=\r\n", "").replace("=3D", "=")).find(),
                "the customer's own link goes to the customer only, not to an extra address");
        // a copy of its own, in the organisation's language (German), never the customer's greeting
        assertTrue(
                copy[0].getSubject()
                        .startsWith("Sendung „Land Cruiser 300“ für Camille Martin: neuer Stand: In" + " transit"),
                copy[0].getSubject());
        String copied = texts(copy[0]);
        String reference = QuarkusTransaction.requiringNew().call(() -> Shipment.<Shipment> findById(id).reference);
        assertTrue(copied.contains("Hallo,"), copied);
        assertTrue(copied.contains("Neuigkeiten zur Sendung „Land Cruiser 300“ (Referenz " + reference
                + ") für den Kunden Camille Martin: neuer Stand: In transit."), copied);
        assertFalse(copied.contains("Bonjour") || copied.contains("Hallo Camille") || copied.contains("Ihre Sendung"),
                "not the customer's mail: " + copied);

        // the token is stored nowhere: the link keeps its hash and seed, the sent mail's bodies are erased
        String token = path.substring("/t/".length());
        QuarkusTransaction.requiringNew().run(() -> {
            AccessLink l = AccessLink.<AccessLink> find("shipmentId = ?1 and revokedAt is null", id).singleResult();
            assertEquals(Tokens.sha256(token), l.tokenHash);
            assertNotNull(l.tokenSeed);
            assertFalse(l.tokenSeed.contains(token.substring(3)));
            assertEquals(0, OutboxMessage.count("bodyText like ?1 or bodyHtml like ?1", "%" + token + "%"));
        });
    }

    /** Every text part of a received mail, decoded (quoted-printable undone), joined. */
    static String texts(jakarta.mail.Part part) throws Exception {
        if (part.isMimeType("text/*")) {
            return (String) part.getContent();
        }
        StringBuilder out = new StringBuilder();
        if (part.isMimeType("multipart/*")) {
            var multi = (jakarta.mail.Multipart) part.getContent();
            for (int i = 0; i < multi.getCount(); i++) {
                out.append(texts(multi.getBodyPart(i))).append('\n');
            }
        }
        return out.toString();
    }

    @Test
    void theEtaReadsAsOnTheTrackingPageAndNoneWhileAProblemIsOpen() throws Exception {
        GreenMail smtp = Smtp.fresh();
        fixtures.settleOutbox();
        rules.create(tenant.id(), new MilestoneRules.RuleInput("STAGE_REACHED", "" + stage("Dispatched"), true, null));
        rules.create(tenant.id(), new MilestoneRules.RuleInput("STAGE_REACHED", "" + stage("In transit"), true, null));
        rules.create(tenant.id(), new MilestoneRules.RuleInput("OUT_FOR_DELIVERY", null, true, null));
        String email = "eta-" + System.nanoTime() + "@client.example";
        long id = shipment("en", email);
        java.time.LocalDate day = java.time.LocalDate.of(2030, 7, 14);
        var format = QuarkusTransaction.requiringNew()
                .call(() -> io.portlink.organization.Organization.<io.portlink.organization.Organization> findById(
                        tenant.id()).formatFor("en"));
        String dateOnly = "Expected arrival: " + format.date(day) + ".";

        // a date without a time: the date alone, never the end of that day as a time
        etas.setManual(tenant.id(), id, day, null, ShipmentActor.system());
        shipments.changeStage(tenant.id(), id, "Dispatched", ShipmentActor.system());
        String notice = delays.notice(tenant.id(), id).orElseThrow().body();
        assertTrue(notice.contains(dateOnly) && !notice.contains("23:59"), notice);

        // a problem open: no ETA in the mail, nor in the delay mail staff are offered
        var problem = exceptions.report(tenant.id(), id, "DELAY", "Ferry cancelled", false, ShipmentActor.system())
                .orElseThrow();
        shipments.changeStage(tenant.id(), id, "In transit", ShipmentActor.system());
        notice = delays.notice(tenant.id(), id).orElseThrow().body();
        assertFalse(notice.contains("Expected arrival"), notice);

        // resolved, a time in the delivery stop's own zone: that time, the zone named
        exceptions.resolve(tenant.id(), id, problem.id(), ShipmentActor.system());
        QuarkusTransaction.requiringNew().run(() -> {
            ShipmentStop stop = new ShipmentStop();
            stop.shipment = Shipment.findById(id);
            stop.position = 0;
            stop.kind = ShipmentStop.Kind.DELIVERY;
            stop.zone = "America/New_York";
            stop.persist();
        });
        etas.setManual(tenant.id(), id, day, java.time.LocalTime.of(14, 30), ShipmentActor.system());
        shipments.changeStage(tenant.id(), id, "Out for delivery", ShipmentActor.system());

        Smtp.deliver(delivery, clock);
        var received = Smtp.mailsTo(smtp, email);
        assertEquals(3, received.length);
        java.util.Map<String, String> bySubject = new java.util.HashMap<>();
        for (var m : received) {
            bySubject.put(m.getSubject(), texts(m));
        }
        String dispatched = bySubject.entrySet().stream().filter(e -> e.getKey().contains(": Dispatched")).findFirst()
                .orElseThrow().getValue();
        assertTrue(dispatched.contains(dateOnly), dispatched);
        assertFalse(dispatched.contains("23:59"), "a date-only ETA has no time: " + dispatched);
        String inTransit = bySubject.entrySet().stream().filter(e -> e.getKey().contains(": In transit")).findFirst()
                .orElseThrow().getValue();
        assertFalse(inTransit.contains("Expected arrival"), "no ETA while a problem is open: " + inTransit);
        String out = bySubject.entrySet().stream().filter(e -> e.getKey().contains("out for delivery")).findFirst()
                .orElseThrow().getValue();
        String timed = format.dateTimeFormat().format(day.atTime(14, 30)) + " (America/New_York)";
        assertTrue(out.contains("Expected arrival: " + timed + "."), out);
    }

    /** Staff hid the ETA on the customer's link: the mails hide it too, as the page does. */
    @Test
    void anEtaHiddenOnTheLinkIsHiddenInTheMails() {
        rules.create(tenant.id(), new MilestoneRules.RuleInput("OUT_FOR_DELIVERY", null, true, null));
        long id = shipment("en", "hidden-eta-" + System.nanoTime() + "@client.example");
        etas.setManual(tenant.id(), id, java.time.LocalDate.of(2030, 7, 14), null, ShipmentActor.system());
        trackingLinks.create(tenant.id(), id, null, ShipmentActor.system()).orElseThrow();
        assertTrue(trackingLinks.setOptions(tenant.id(), id, new TrackingLinks.Options(true, false, true, true), null,
                ShipmentActor.system()));
        shipments.changeStage(tenant.id(), id, "Out for delivery", ShipmentActor.system());
        var out = mails(id, MilestoneRules.KIND);
        assertEquals(1, out.size());
        assertTrue(out.get(0).bodyText.contains("/t/"), "the mail still carries the link: " + out.get(0).bodyText);
        assertFalse(out.get(0).bodyText.contains("Expected arrival"), out.get(0).bodyText);
    }

    @Test
    void theMailCarriesTheActiveLinkAndAfterARegenerateTheNewOne() {
        rules.create(tenant.id(), new MilestoneRules.RuleInput("OUT_FOR_DELIVERY", null, true, null));
        rules.create(tenant.id(), new MilestoneRules.RuleInput("DELIVERED", null, true, null));
        long id = shipment("de", "kunde-" + System.nanoTime() + "@client.example");
        String first = trackingLinks.create(tenant.id(), id, null, ShipmentActor.system()).orElseThrow().url();
        shipments.changeStage(tenant.id(), id, "Out for delivery", ShipmentActor.system());
        var out = mails(id, MilestoneRules.KIND);
        assertEquals(1, out.size());
        assertTrue(out.get(0).subject.contains("ist in der Zustellung"), out.get(0).subject);
        assertEquals(first, Fixtures.BASE_URL + link(out.get(0).bodyText), "the link staff created, rebuilt");

        String second = trackingLinks.regenerate(tenant.id(), id, ShipmentActor.system()).orElseThrow().url();
        assertNotEquals(first, second);
        shipments.changeStage(tenant.id(), id, "Delivered", ShipmentActor.system());
        var all = mails(id, MilestoneRules.KIND);
        assertEquals(2, all.size());
        assertEquals(second, Fixtures.BASE_URL + link(all.get(1).bodyText), "the regenerated link");
        given().header("User-Agent", PortalClient.BROWSER).get(first.substring(first.indexOf("/t/"))).then()
                .statusCode(410);
        given().header("User-Agent", PortalClient.BROWSER).get(second.substring(second.indexOf("/t/"))).then()
                .statusCode(200);
    }

    @Test
    void aLinkStaffRevokedIsNeverRevivedByAMail() {
        rules.create(tenant.id(), new MilestoneRules.RuleInput("OUT_FOR_DELIVERY", null, true, null));
        long id = shipment("en", "revoked-" + System.nanoTime() + "@client.example");
        trackingLinks.create(tenant.id(), id, null, ShipmentActor.system()).orElseThrow();
        trackingLinks.revoke(tenant.id(), id, ShipmentActor.system());
        shipments.changeStage(tenant.id(), id, "Out for delivery", ShipmentActor.system());
        var out = mails(id, MilestoneRules.KIND);
        assertEquals(1, out.size(), "the news still goes out");
        assertFalse(LINK.matcher(out.get(0).bodyText).find(), "without a link: " + out.get(0).bodyText);
        assertEquals(0L, QuarkusTransaction.requiringNew()
                .call(() -> AccessLink.count("shipmentId = ?1 and revokedAt is null", id)), "no new link");
    }

    @Test
    void aDisabledRuleOrOneOfAnotherOrganisationSendsNothing() {
        var rule = rules.create(tenant.id(), new MilestoneRules.RuleInput("OUT_FOR_DELIVERY", null, true, null));
        rules.setEnabled(tenant.id(), rule.id(), false);
        var other = fixtures.tenant("GB");
        rules.create(other.id(), new MilestoneRules.RuleInput("OUT_FOR_DELIVERY", null, true, null));
        long id = shipment("en", "nobody-" + System.nanoTime() + "@client.example");
        shipments.changeStage(tenant.id(), id, "Out for delivery", ShipmentActor.system());
        assertEquals(0, mails(id, MilestoneRules.KIND).size());
        assertFalse(rules.setEnabled(other.id(), rule.id(), true), "another organisation's rule is not found");
        assertTrue(rules.delete(tenant.id(), rule.id()));
        assertTrue(rules.view(tenant.id(), rule.id()).isEmpty());
    }

    @Test
    void aRefusedRuleListsEveryProblem() {
        var e = assertThrows(ValidationException.class, () -> rules.create(tenant.id(),
                new MilestoneRules.RuleInput("STAGE_REACHED", "", false, "not-an-address, ok@client.example")));
        var fields = e.errors().stream().map(ValidationException.FieldError::field).toList();
        assertTrue(fields.contains("stage"), "" + e.errors());
        assertTrue(fields.contains("extraRecipients"), "" + e.errors());
        assertTrue(e.errors().toString().contains("not-an-address"));
        var other = fixtures.tenant("GB");
        long foreignStage = pipelines.list(other.id()).get(0).stages().get(1).id();
        var foreign = assertThrows(ValidationException.class, () -> rules.create(tenant.id(),
                new MilestoneRules.RuleInput("STAGE_REACHED", "" + foreignStage, true, null)));
        assertTrue(foreign.errors().toString().contains("no stage of your organisation"));
        assertThrows(ValidationException.class,
                () -> rules.create(tenant.id(), new MilestoneRules.RuleInput("SOMETIME", null, true, null)));
    }

    /** Threads firing the same trigger at once, and moving to the same stage at once: one mail (PostgreSQL too). */
    @Test
    void threadsAtOnceMailOnceAndRepeatedRunsStayAtOnce() throws Exception {
        rules.create(tenant.id(), new MilestoneRules.RuleInput("EXCEPTION_REPORTED", null, true, null));
        rules.create(tenant.id(), new MilestoneRules.RuleInput("OUT_FOR_DELIVERY", null, true, null));
        for (int run = 0; run < 5; run++) {
            long id = shipment("en", "race-" + run + "-" + System.nanoTime() + "@client.example");
            List<Callable<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> {
                    QuarkusTransaction.requiringNew().run(() -> triggered.fire(new ShipmentTriggered(tenant.id(), id,
                            ShipmentTriggered.Trigger.EXCEPTION_REPORTED, null, ShipmentActor.system())));
                    return true;
                });
                calls.add(() -> shipments.changeStage(tenant.id(), id, "Out for delivery", ShipmentActor.system())
                        .isPresent());
            }
            @SuppressWarnings("unchecked")
            List<Boolean> results = Races.together(pool, calls.toArray(new Callable[0]));
            assertTrue(results.stream().allMatch(r -> r), "no caller failed");
            var sent = mails(id, MilestoneRules.KIND);
            assertEquals(2, sent.size(),
                    "one per rule, run " + run + ": " + sent.stream().map(m -> m.subject).toList());
            assertEquals(1, QuarkusTransaction.requiringNew()
                    .call(() -> AccessLink.count("shipmentId = ?1 and revokedAt is null", id)), "one link");
        }
    }
}
