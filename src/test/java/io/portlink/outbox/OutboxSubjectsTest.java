package io.portlink.outbox;

import static io.portlink.testing.Fixtures.order;
import static io.portlink.testing.Fixtures.post;
import static io.portlink.testing.Fixtures.uniqueReference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;

import io.portlink.organization.Organization;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Smtp;
import io.portlink.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The outbox serves subjects other than purchase orders: a feature's own kind of mail is delivered through a real SMTP
 * server (GreenMail), its body and link leave the database, its feature hears of the outcome, and no order changes.
 */
@QuarkusTest
class OutboxSubjectsTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Outbox outbox;

    @Inject
    OutboxDelivery delivery;

    @Inject
    OutboxStore store;

    @Inject
    TestFeatureMails feature;

    @Inject
    TestClock clock;

    @Inject
    EntityManager em;

    GreenMail smtp;

    Fixtures.Tenant tenant;

    /** An order of the tenant, whose rows must not change when other subjects' mails come and go. */
    String ordersBefore;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
        String ref = uniqueReference();
        Map<String, Object> body = new HashMap<>(order(ref, "vendor-" + ref.toLowerCase() + "@vendor.example"));
        body.put("send", "LINK_ONLY");
        post(tenant.apiKey(), body).statusCode(201);
        smtp = Smtp.fresh();
        Smtp.deliver(delivery, clock); // the order's own mail goes out and is on its timeline before we look
        fixtures.settleOutbox();
        ordersBefore = orders(tenant.id());
    }

    @Test
    void aMailAboutAShipmentIsDeliveredErasedAndHeardByItsFeatureWhileNoOrderChanges() throws Exception {
        long shipment = fixtures.shipment(tenant.id());
        ordersBefore = orders(tenant.id()); // the new shipment is on the timeline; orders are what must not change
        String to = "customer-" + shipment + "@customer.example";
        long id = queue(TestFeatureMails.NOTE, to, shipment,
                "Track your load at https://t.example/t/pt_canary" + shipment);

        assertTrue(Smtp.deliver(delivery, clock) >= 1);

        MimeMessage[] mails = Smtp.mailsTo(smtp, to);
        assertEquals(1, mails.length, "one mail to the customer");
        assertEquals("Load " + shipment + " is on its way", mails[0].getSubject());
        assertTrue(GreenMailUtil.getBody(mails[0]).contains("pt_canary" + shipment));
        assertNull(attachmentOrNull(mails[0]), "a kind without a handler has no attachment");

        OutboxMessage row = row(id);
        assertEquals(OutboxMessage.Status.SENT, row.status);
        assertNull(row.bodyText, "the body left the outbox");
        assertNull(row.bodyHtml);
        assertNull(row.linkUrl, "the link left the outbox");
        assertFalse(row.deliveredEventPending, "its feature heard of it");
        assertEquals(shipment, row.shipmentId);
        assertNull(row.purchaseOrderId);
        assertEquals(0,
                count("body_text like ?1 or body_html like ?1 or link_url like ?1", "%pt_canary" + shipment + "%"),
                "no copy of the token anywhere in the outbox");

        List<OutboxEvents.Delivered> heard = feature.deliveredOf(id);
        assertEquals(1, heard.size(), "the feature heard of its mail once");
        OutboxEvents.Delivered event = heard.get(0);
        assertEquals(TestFeatureMails.NOTE, event.kind());
        assertEquals(OutboxEvents.Subject.shipment(shipment), event.subject());
        assertEquals(to, event.recipient());
        assertEquals(tenant.id(), event.organizationId());
        assertEquals(OutboxMessage.Channel.MAIL, event.channel());
        assertNotNull(event.at());
        assertEquals(ordersBefore, orders(tenant.id()), "no order, order event or link of the tenant changed");

        Smtp.deliver(delivery, clock);
        assertEquals(1, Smtp.mailsTo(smtp, to).length, "never sent again");
        assertEquals(1, feature.deliveredOf(id).size(), "never heard of again");
    }

    @Test
    void aMailAboutNothingIsDeliveredAndItsFeatureHearsOfItWithoutASubject() {
        String to = "nobody-" + uniqueReference().toLowerCase() + "@invitee.example";
        long id = queue(TestFeatureMails.NO_SUBJECT, to, null, "Join us");

        assertTrue(Smtp.deliver(delivery, clock) >= 1);

        assertEquals(1, Smtp.mailsTo(smtp, to).length);
        assertNull(row(id).bodyText);
        List<OutboxEvents.Delivered> heard = feature.deliveredOf(id);
        assertEquals(1, heard.size());
        assertEquals(OutboxEvents.Subject.NONE, heard.get(0).subject());
        assertEquals(ordersBefore, orders(tenant.id()));
    }

    @Test
    void aKindWhoseHandlerSuppliesAnAttachmentGetsIt() throws Exception {
        long shipment = fixtures.shipment(tenant.id());
        ordersBefore = orders(tenant.id()); // the new shipment is on the timeline; orders are what must not change
        String to = "file-" + shipment + "@customer.example";
        queue(TestFeatureMails.WITH_FILE, to, shipment, "See the file");

        assertTrue(Smtp.deliver(delivery, clock) >= 1);

        MimeMessage[] mails = Smtp.mailsTo(smtp, to);
        assertEquals(1, mails.length);
        Part file = attachmentOrNull(mails[0]);
        assertNotNull(file, "the handler's attachment travels with the mail");
        assertEquals("shipment-" + shipment + ".txt", file.getFileName());
        assertTrue(file.getContentType().startsWith("text/plain"));
        assertArrayEquals(("file for shipment " + shipment + " to " + to).getBytes(StandardCharsets.UTF_8),
                file.getInputStream().readAllBytes());
    }

    @Test
    void givingUpFiresTheGaveUpEventOnceWithTheLastError() {
        long shipment = fixtures.shipment(tenant.id());
        ordersBefore = orders(tenant.id()); // the new shipment is on the timeline; orders are what must not change
        String to = "bounce-" + shipment + "@customer.example";
        long id = queue(TestFeatureMails.NOTE, to, shipment, "Never arrives");

        for (int i = 1; i <= 6; i++) {
            OutboxStore.Claim claim = store.claimNext().orElseThrow();
            assertEquals(id, claim.mail().id());
            store.failed(id, "550 mailbox unavailable (try " + i + ")"); // the server refuses it every time
            clock.advance(Duration.ofHours(6));
        }

        OutboxMessage row = row(id);
        assertEquals(OutboxMessage.Status.DEAD, row.status);
        assertNull(row.bodyText, "a dead mail's body leaves the outbox too");
        assertNull(row.linkUrl);
        List<OutboxEvents.GaveUp> heard = feature.gaveUpOf(id);
        assertEquals(1, heard.size(), "given up once");
        assertEquals(6, heard.get(0).attempts());
        assertEquals("550 mailbox unavailable (try 6)", heard.get(0).error());
        assertEquals(OutboxEvents.Subject.shipment(shipment), heard.get(0).subject());
        assertEquals(to, heard.get(0).recipient());

        assertTrue(store.claimNext().isEmpty(), "nothing more to try");
        delivery.deliverDue();
        assertEquals(1, feature.gaveUpOf(id).size(), "and never given up again");
        assertEquals(0, feature.deliveredOf(id).size());
        assertEquals(0, Smtp.mailsTo(smtp, to).length);
        assertEquals(ordersBefore, orders(tenant.id()), "no order of the tenant shows a dead mail");
    }

    @Test
    void aFeatureThatFailsToRecordTheDeliveryHearsOfItAgainFromTheNextRunAndTheMailIsNotSentTwice() {
        long shipment = fixtures.shipment(tenant.id());
        ordersBefore = orders(tenant.id()); // the new shipment is on the timeline; orders are what must not change
        String to = "busy-" + shipment + "@customer.example";
        long id = queue(TestFeatureMails.NOTE, to, shipment, "Delivered, then recorded");
        feature.failNextDelivered(1);

        assertTrue(Smtp.deliver(delivery, clock) >= 1);
        assertEquals(1, Smtp.mailsTo(smtp, to).length);
        assertEquals(0, feature.deliveredOf(id).size(), "the feature could not record it");
        OutboxMessage row = row(id);
        assertEquals(OutboxMessage.Status.SENT, row.status);
        assertTrue(row.deliveredEventPending, "sent, not yet recorded on its subject");
        assertNull(row.bodyText);

        assertEquals(0, delivery.deliverDue(), "nothing is sent again");
        assertEquals(1, Smtp.mailsTo(smtp, to).length);
        assertEquals(1, feature.deliveredOf(id).size(), "the next run told the feature");
        assertFalse(row(id).deliveredEventPending);
        delivery.deliverDue();
        assertEquals(1, feature.deliveredOf(id).size(), "once");
    }

    @Test
    void aMessageHasOneSubjectAtMost() {
        assertThrows(IllegalArgumentException.class, () -> new OutboxEvents.Subject(1L, 2L));
        Long order = anyOrderId(tenant.id());
        assertThrows(RuntimeException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            OutboxMessage m = outbox.mail(Organization.findById(tenant.id()), TestFeatureMails.NOTE,
                    "two@customer.example", "Two subjects");
            m.shipmentId = 1L;
            m.purchaseOrderId = order;
            m.persist();
        }), "the database refuses a message about an order and a shipment at once");
    }

    /** Queues a feature's mail as its service would, in a transaction of its own; returns the message's id. */
    private long queue(String kind, String to, Long shipment, String text) {
        return QuarkusTransaction.requiringNew().call(() -> {
            OutboxMessage m = outbox.mail(Organization.findById(tenant.id()), kind, to,
                    shipment == null ? text : "Load " + shipment + " is on\r\nits way");
            m.shipmentId = shipment;
            m.bodyText = text;
            m.bodyHtml = "<p>" + text + "</p>";
            m.linkUrl = text.contains("pt_") ? text.substring(text.indexOf("https://")) : null;
            m.persist();
            return m.id;
        });
    }

    @Transactional
    OutboxMessage row(long id) {
        OutboxMessage m = OutboxMessage.findById(id);
        em.detach(m);
        return m;
    }

    @Transactional
    long count(String where, String parameter) {
        return ((Number) em.createNativeQuery("select count(*) from outbox_message where " + where)
                .setParameter(1, parameter).getSingleResult()).longValue();
    }

    @Transactional
    Long anyOrderId(long organizationId) {
        return ((Number) em.createNativeQuery("select min(id) from purchase_order where organization_id = ?1")
                .setParameter(1, organizationId).getSingleResult()).longValue();
    }

    /** Every order row of the organisation with its timeline and links, as text. */
    @Transactional
    String orders(long organizationId) {
        StringBuilder state = new StringBuilder();
        for (String query : List.of("select * from purchase_order where organization_id = ?1 order by id",
                "select * from timeline_entry where organization_id = ?1 order by id",
                "select * from access_link where organization_id = ?1 order by id")) {
            List<?> rows = em.createNativeQuery(query).setParameter(1, organizationId).getResultList();
            state.append(query).append(": ").append(Arrays.deepToString(rows.toArray())).append('\n');
        }
        return state.toString();
    }

    private static Part attachmentOrNull(MimeMessage mail) throws Exception {
        if (!(mail.getContent() instanceof Multipart multipart)) {
            return null;
        }
        for (int i = 0; i < multipart.getCount(); i++) {
            Part part = multipart.getBodyPart(i);
            if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
                return part;
            }
        }
        return null;
    }
}
