package io.portlink.outbox;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.portlink.organization.Organization;
import io.portlink.platform.PortlinkConfig;
import io.quarkus.runtime.Startup;

/**
 * The outbox: messages written in the transaction of the change that causes them, delivered later by
 * {@link OutboxDelivery} (claims with {@code SKIP LOCKED} and a short lease, backoff, a dead state, bodies erased after
 * delivery, at least once). It serves every feature and knows none: a message has a kind owned by its feature and a
 * subject given as typed ids ({@link OutboxEvents.Subject}).
 *
 * <p>
 * How a feature adds a kind of mail (e.g. the shipment's tracking-link mail):
 * <ol>
 * <li><b>Queue it</b> inside the transaction of the change:
 * {@code OutboxMessage m = outbox.mail(org, "TRACKING_LINK", to, subject); m.shipmentId = shipment.id; m.bodyText = …;
 * m.bodyHtml = …; m.persist();} (set {@code linkId}, {@code withLogo}, {@code contactEmail} for a Reply-To as needed).
 * The mail exists if and only if the change commits.</li>
 * <li><b>Optionally serve it</b>: an {@code @ApplicationScoped} {@link OutboxHandler} whose {@code kinds()} names the
 * kind supplies attachments at delivery (as {@code purchasing.mail.PurchaseOrderMails} attaches the PO's PDF).</li>
 * <li><b>Listen</b> to {@link OutboxEvents.Delivered} and {@link OutboxEvents.GaveUp}
 * ({@code void delivered(@Observes OutboxEvents.Delivered e)}), keep only its own kinds, and update its own rows (as
 * {@code purchasing.mail.PurchaseOrderMails} puts MAIL_SENT / MAIL_DEAD on the order's timeline).</li>
 * </ol>
 * No table, job or switch statement of the outbox changes for a new kind.
 *
 * <p>
 * A feature that tells an organisation's own systems of a change publishes a webhook event instead:
 * {@code webhooks.publish(orgId, "shipment.shipped", data)} ({@link Webhooks}), in the same transaction; the outbox
 * signs and delivers it to each endpoint that wants the type, on the WEBHOOK channel.
 */
@ApplicationScoped
@Startup
public class Outbox {

    @Inject
    Clock clock;

    @Inject
    PortlinkConfig config;

    @Inject
    Instance<OutboxHandler> handlerBeans;

    private final Map<String, OutboxHandler> handlers = new HashMap<>();

    /** The Content-ID the organisation's logo is attached under; HTML bodies refer to it as {@code cid:}. */
    public static final String LOGO_CID = "logo@portlink";

    @jakarta.annotation.PostConstruct
    void collect() {
        for (OutboxHandler handler : handlerBeans) {
            for (String kind : handler.kinds()) {
                OutboxHandler other = handlers.putIfAbsent(kind, handler);
                if (other != null) {
                    throw new IllegalStateException(
                            "two outbox handlers serve the kind " + kind + ": " + other + " and " + handler);
                }
            }
        }
    }

    /**
     * A new mail of the feature's {@code kind} (1 to 64 characters), due now, with a fixed Message-ID; not persisted:
     * the caller sets its subject ids and bodies and persists it in its own transaction. CR/LF leave the subject.
     */
    public OutboxMessage mail(Organization organization, String kind, String recipient, String subject) {
        return OutboxMessage.pending(organization, kind, recipient, subject, mailDomain(), Instant.now(clock));
    }

    /** The handler of a kind, if a feature registered one. */
    Optional<OutboxHandler> handler(String kind) {
        return Optional.ofNullable(handlers.get(kind));
    }

    /** The host of the public URL: the right-hand side of every Message-ID. */
    String mailDomain() {
        String host = java.net.URI.create(config.publicBaseUrl()).getHost();
        return host == null ? "portlink.local" : host;
    }
}
