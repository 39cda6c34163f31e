package io.portlink.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.util.GreenMail;

import io.portlink.organization.Organization;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Smtp;
import io.portlink.testing.TestClock;
import io.portlink.testing.TestStop;
import io.portlink.testing.WebhookReceiver;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A delivery in hand when the service begins to stop (SIGTERM), against the real local SMTP server and a real local
 * webhook receiver: one whose data has not started going out is given back at once, unsent, with its try not counted,
 * and the next run (on any replica) delivers it once; one whose data is going out finishes and is recorded once. The
 * stop is a {@link TestStop} for that one delivery, so the service under test goes on running.
 */
@QuarkusTest
class OutboxStopTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Outbox outbox;

    @Inject
    OutboxDelivery delivery;

    @Inject
    WebhookDelivery webhookDelivery;

    @Inject
    Webhooks webhooks;

    @Inject
    OutboxStore store;

    @Inject
    TestFeatureMails feature;

    @Inject
    TestClock clock;

    @Inject
    EntityManager em;

    GreenMail smtp;
    MessageDeliveryHandler handler;
    WebhookReceiver receiver;
    Fixtures.Tenant tenant;

    @BeforeEach
    void setUp() {
        tenant = fixtures.tenant("GB");
        smtp = Smtp.fresh();
        handler = smtp.getUserManager().getMessageDeliveryHandler();
        receiver = WebhookReceiver.start(clock);
        fixtures.settleOutbox(); // only this test's messages are due
    }

    @AfterEach
    void tearDown() {
        smtp.getUserManager().setMessageDeliveryHandler(handler);
        feature.whileRendering(() -> {
        });
        for (var e : webhooks.list(tenant.id())) {
            webhooks.delete(tenant.id(), e.id());
        }
        receiver.close();
    }

    @Test
    void aMailClaimedWhenTheStopBeginsIsGivenBackUnsentAndTheNextRunSendsItOnce() {
        String to = "given-back@customer.example";
        long id = queue(TestFeatureMails.NOTE, to);
        OutboxStore.Claim claim = store.claimNext().orElseThrow();
        assertEquals(id, claim.mail().id());
        assertEquals(1, row(id).attempts, "the claim counted a try");
        TestStop stop = new TestStop();
        stop.request();

        assertEquals(Handoff.Outcome.GIVEN_BACK, delivery.deliver(claim, stop));

        assertEquals(0, Smtp.mailsTo(smtp, to).length, "nothing went to the mail server");
        OutboxMessage given = row(id);
        assertEquals(OutboxMessage.Status.PENDING, given.status);
        assertNull(given.claimedUntil, "no claim left: another replica may take it at once");
        assertEquals(0, given.attempts, "the try given back is not counted");
        assertNull(given.lastError, "not a failure");
        assertFalse(given.nextAttemptAt.isAfter(clock.instant()), "due now, not after a backoff");

        assertEquals(1, delivery.deliverDue(), "the next run, with no stop, sends it at once");
        assertEquals(1, Smtp.mailsTo(smtp, to).length);
        OutboxMessage sent = row(id);
        assertEquals(OutboxMessage.Status.SENT, sent.status);
        assertEquals(1, sent.attempts);
        assertEquals(1, feature.deliveredOf(id).size(), "its feature hears of it once");
        clock.advance(Duration.ofHours(1));
        assertEquals(0, delivery.deliverDue());
        assertEquals(1, Smtp.mailsTo(smtp, to).length, "never sent twice");
    }

    @Test
    void aStopWhileTheMailIsPreparedGivesItBackBeforeItReachesTheServer() {
        String to = "while-rendered@customer.example";
        long id = queue(TestFeatureMails.RENDERED, to);
        TestStop stop = new TestStop();
        feature.whileRendering(stop::request); // the stop begins while the attachment is being rendered

        assertEquals(Handoff.Outcome.GIVEN_BACK, delivery.deliver(store.claimNext().orElseThrow(), stop));

        assertEquals(0, Smtp.mailsTo(smtp, to).length);
        assertEquals(0, row(id).attempts);
        assertNull(row(id).claimedUntil);
        feature.whileRendering(() -> {
        });
        assertEquals(1, delivery.deliverDue());
        assertEquals(1, Smtp.mailsTo(smtp, to).length);
    }

    @Test
    void aMailWhoseDataReachedTheServerWhenTheStopBeganIsFinishedAndRecordedOnce() {
        String to = "in-flight@customer.example";
        long id = queue(TestFeatureMails.NOTE, to);
        TestStop stop = new TestStop();
        // the server has the whole mail and has not answered "250" yet when the stop begins
        smtp.getUserManager().setMessageDeliveryHandler((message, address) -> {
            stop.request();
            return handler.handle(message, address);
        });

        assertEquals(Handoff.Outcome.DELIVERED, delivery.deliver(store.claimNext().orElseThrow(), stop));

        assertTrue(stop.requested());
        assertEquals(1, Smtp.mailsTo(smtp, to).length);
        OutboxMessage sent = row(id);
        assertEquals(OutboxMessage.Status.SENT, sent.status);
        assertEquals(1, sent.attempts);
        assertNull(sent.claimedUntil);
        assertEquals(1, feature.deliveredOf(id).size());
        clock.advance(Duration.ofHours(1));
        assertEquals(0, delivery.deliverDue());
        assertEquals(1, Smtp.mailsTo(smtp, to).length, "never sent twice");
    }

    @Test
    void aWebhookClaimedWhenTheStopBeginsIsGivenBackUnsentAndTheNextRunDeliversItOnce() {
        long id = webhook();
        OutboxStore.WebhookClaim claim = store.claimNextWebhook().orElseThrow();
        assertEquals(id, claim.id());
        TestStop stop = new TestStop();
        stop.request();

        assertEquals(Handoff.Outcome.GIVEN_BACK, webhookDelivery.deliver(claim, stop));

        assertEquals(0, receiver.received().size(), "the receiver got nothing");
        OutboxMessage given = row(id);
        assertEquals(OutboxMessage.Status.PENDING, given.status);
        assertNull(given.claimedUntil);
        assertEquals(0, given.attempts);
        assertNull(given.lastError);
        assertFalse(given.nextAttemptAt.isAfter(clock.instant()));

        assertEquals(1, webhookDelivery.deliverDue());
        assertEquals(1, receiver.received().size());
        assertEquals(1, row(id).attempts);
        assertEquals(OutboxMessage.Status.SENT, row(id).status);
        clock.advance(Duration.ofHours(1));
        assertEquals(0, webhookDelivery.deliverDue());
        assertEquals(1, receiver.received().size(), "never sent twice");
    }

    @Test
    void aWebhookWhoseBodyReachedTheReceiverWhenTheStopBeganIsFinishedAndRecordedOnce() {
        long id = webhook();
        TestStop stop = new TestStop();
        receiver.beforeAnswer(stop::request);

        assertEquals(Handoff.Outcome.DELIVERED, webhookDelivery.deliver(store.claimNextWebhook().orElseThrow(), stop));

        assertTrue(stop.requested());
        assertEquals(1, receiver.received().size());
        OutboxMessage sent = row(id);
        assertEquals(OutboxMessage.Status.SENT, sent.status);
        assertEquals(1, sent.attempts);
        assertEquals(200, sent.lastStatusCode);
        clock.advance(Duration.ofHours(1));
        assertEquals(0, webhookDelivery.deliverDue());
        assertEquals(1, receiver.received().size(), "never sent twice");
    }

    /** A feature's mail, queued as its service would; returns the message's id. */
    private long queue(String kind, String to) {
        return QuarkusTransaction.requiringNew().call(() -> {
            OutboxMessage m = outbox.mail(Organization.findById(tenant.id()), kind, to, "A note");
            m.bodyText = "A note";
            m.bodyHtml = "<p>A note</p>";
            m.persist();
            return m.id;
        });
    }

    /** A test event for a new endpoint at the receiver; returns the message's id. */
    private long webhook() {
        Webhooks.WithSecret created = webhooks.create(tenant.id(), receiver.url(), "");
        receiver.secret(created.secret());
        String eventId = webhooks.sendTest(tenant.id(), created.endpoint().id()).orElseThrow();
        return QuarkusTransaction.requiringNew()
                .call(() -> OutboxMessage.<OutboxMessage> find("messageId", eventId).firstResult().id);
    }

    @Transactional
    OutboxMessage row(long id) {
        OutboxMessage m = OutboxMessage.findById(id);
        em.detach(m);
        return m;
    }
}
