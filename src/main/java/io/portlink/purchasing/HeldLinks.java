package io.portlink.purchasing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.link.AccessLink;
import io.portlink.link.Links;
import io.portlink.outbox.OutboxMessage;
import io.portlink.timeline.Actor;

/**
 * Links whose tokens staff still hold: the import screen shows each new token once, and sends one order's mail without
 * losing the others. The tokens come back from that page's own form (never from storage: only their hashes are stored),
 * are checked against this organisation, and each card is rebuilt with the last e-mail of its link.
 */
@ApplicationScoped
public class HeldLinks {

    /** A form resubmitted by a page reload must not mail the vendor twice: the same mail again waits this long. */
    static final Duration RESEND_GUARD = Duration.ofMinutes(10);

    @Inject
    Links links;

    @Inject
    Orders orders;

    @Inject
    OrderLocks locks;

    @Inject
    Clock clock;

    /** The last e-mail queued with this link: what, to whom, when, and whether it has left. */
    public record Mailed(SendOption kind, String recipient, Instant at, boolean delivered) {
    }

    /** One held link as its card shows it; {@code mailed} is null until an e-mail went out with it. */
    public record Card(String reference, Vendors.Contact vendor, Links.Issued link, Mailed mailed) {
    }

    public enum Outcome {
        QUEUED,
        /** A new-order mail with this link (PO + link or link only) was queued less than {@link #RESEND_GUARD} ago. */
        ALREADY_QUEUED,
        /** Not an active vendor link of this organisation (revoked, regenerated, or never ours). */
        NOT_FOUND,
        /** The order's vendor has no e-mail address: the link must be shared another way. */
        NO_EMAIL,
        /** The order was closed (cancelled, declined, delivered) since the link was shown: nothing is sent. */
        CLOSED
    }

    /**
     * The cards of the held tokens, in the given order; tokens that are no longer active links of this organisation are
     * left out. Duplicates count once.
     */
    @Transactional
    public List<Card> cards(long organizationId, List<String> tokens) {
        List<Card> cards = new ArrayList<>();
        for (String token : new LinkedHashSet<>(tokens)) {
            links.findByToken(organizationId, token, VendorLinks.SCOPE).ifPresent(link -> cards.add(card(link, token)));
        }
        return cards;
    }

    /**
     * E-mails the link (PO_AND_LINK or LINK_ONLY) unless a new-order mail with it was queued just now (either kind: a
     * reload, or the card's other button), nor to a closed order or a vendor without an address. The order's lock is
     * taken before the check, so two presses at once are served one after the other and the second sees the first's
     * mail. The import page's and the new-link page's buttons both come here.
     */
    @Transactional
    public Outcome send(long organizationId, String token, SendOption send, Actor actor) {
        if (send == SendOption.NONE) {
            return Outcome.NOT_FOUND;
        }
        var link = links.findByToken(organizationId, token, VendorLinks.SCOPE);
        if (link.isEmpty()) {
            return Outcome.NOT_FOUND;
        }
        PurchaseOrder order = locks.order(link.get().purchaseOrderId);
        if (order.status.isClosed()) {
            return Outcome.CLOSED;
        }
        if (order.vendor.email == null) {
            return Outcome.NO_EMAIL;
        }
        // either button of the card (PO + link, link only): both tell the vendor of the same new order
        long recent = OutboxMessage.count("linkId = ?1 and kind in ?2 and createdAt > ?3", link.get().id,
                List.of(SendOption.PO_AND_LINK.name(), SendOption.LINK_ONLY.name()),
                Instant.now(clock).minus(RESEND_GUARD));
        if (recent > 0) {
            return Outcome.ALREADY_QUEUED;
        }
        return orders.sendHeldLink(organizationId, token, send, actor) ? Outcome.QUEUED : Outcome.NOT_FOUND;
    }

    private Card card(AccessLink link, String token) {
        PurchaseOrder order = VendorLinks.order(link);
        var vendor = new Vendors.Contact(order.vendor.name, order.vendor.email, order.vendor.phone,
                order.vendor.language);
        OutboxMessage last = OutboxMessage
                .<OutboxMessage> find("linkId = ?1 and kind in ?2 order by createdAt desc, id desc", link.id,
                        List.of(SendOption.PO_AND_LINK.name(), SendOption.LINK_ONLY.name()))
                .firstResult();
        Mailed mailed = last == null ? null : new Mailed(SendOption.valueOf(last.kind), last.recipient, last.createdAt,
                last.status == OutboxMessage.Status.SENT);
        return new Card(order.reference, vendor,
                new Links.Issued(link.id, token, links.url(VendorLinks.SCOPE, token), link.expiresAt), mailed);
    }
}
