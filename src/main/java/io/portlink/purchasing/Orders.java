package io.portlink.purchasing;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.portlink.link.AccessLink;
import io.portlink.link.Links;
import io.portlink.organization.Organization;
import io.portlink.outbox.OutboxMessage;
import io.portlink.platform.ConflictException;
import io.portlink.platform.Fields;
import io.portlink.platform.ValidationException;
import io.portlink.purchasing.mail.VendorMail;
import io.portlink.timeline.Actor;
import io.portlink.timeline.Subject;
import io.portlink.timeline.Timeline;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;

/** Creating purchase orders (one at a time or a whole file, all or nothing) and the staff's actions on them. */
@ApplicationScoped
public class Orders {

    /** References looked up per query when checking a file against what exists. */
    private static final int LOOKUP_CHUNK = 500;
    /** Orders written between two flushes of the persistence context, to keep big imports flat in memory. */
    private static final int FLUSH_EVERY = 200;

    @Inject
    Clock clock;

    @Inject
    Links links;

    @Inject
    VendorLinks vendorLinks;

    @Inject
    Vendors vendors;

    @Inject
    OrderTimeline timeline;

    @Inject
    Timeline orderTimeline;

    @Inject
    VendorMail mail;

    @Inject
    EntityManager em;

    @Inject
    OrderLocks locks;

    @Inject
    io.portlink.platform.PortlinkConfig config;

    /**
     * Whether the organisation has any purchase order at all, open or closed: one probe of
     * {@code purchase_order_org_created_ix} reading at most one row. The staff's home page asks it after sign-in.
     */
    public boolean any(long organizationId) {
        return PurchaseOrder.find("organization.id", organizationId).page(0, 1).firstResultOptional().isPresent();
    }

    public enum Outcome {
        CREATED, UNCHANGED
    }

    /** One order of an import: its link is only known when it was created now. */
    public record Created(String reference, OrderStatus status, Outcome outcome, Links.Issued link,
            Vendors.Contact vendor) {
    }

    /**
     * What an import did: its orders, and what its buyer should check ({@code notes}: vendors created, lines repeated;
     * at most {@link ImportNotes#LISTED}, {@code notesUnlisted} the rest).
     */
    public record ImportReport(int created, int unchanged, List<Created> orders, List<ImportNotes.Note> notes,
            int notesUnlisted) {
    }

    /** Validates an order sent by an integration, then creates it (see below). */
    public Created create(long organizationId, OrderInput input, Actor actor) {
        OrderDraft draft = input.toDraft(config.importLimits().maxFieldLength());
        return create(organizationId, draft, actor, input.send() == null ? SendOption.NONE : input.send());
    }

    /**
     * Creates one order sent by an integration or a file (its timeline says {@link OrderEvent#IMPORTED}). The same
     * reference with the same content again changes nothing; with other content it is a conflict.
     */
    @Transactional
    public Created create(long organizationId, OrderDraft draft, Actor actor, SendOption send) {
        return create(organizationId, draft, actor, send, OrderEvent.IMPORTED);
    }

    /**
     * As {@link #create(long, OrderDraft, Actor, SendOption)}, the timeline's first entry being {@code origin}:
     * {@link OrderEvent#CREATED} for an order typed in the staff's form, {@link OrderEvent#IMPORTED} for an import.
     */
    @Transactional
    public Created create(long organizationId, OrderDraft draft, Actor actor, SendOption send, OrderEvent origin) {
        // the same order sent twice at once: the second waits here, then finds the first's order (200 or 409, never
        // a unique-key error)
        Organization org = Organization.lockForCreating(organizationId);
        Optional<PurchaseOrder> existing = PurchaseOrder.findByReference(organizationId, draft.reference());
        if (existing.isPresent()) {
            PurchaseOrder order = existing.get();
            if (draft.sameContent(order.contentHash)) {
                return new Created(order.reference, order.status, Outcome.UNCHANGED, null, draft.vendor());
            }
            throw new ConflictException("purchase order " + draft.reference()
                    + " already exists with different content; use a new reference for a new order, or amend this one"
                    + " (PUT /api/v1/purchase-orders/" + draft.reference() + " with If-Match, or Amend on its page)");
        }
        Vendor vendor = vendors.findOrCreate(org, draft.vendor());
        return write(org, vendor, draft, actor, send, origin);
    }

    /** Imports every order of a file, or none: any problem and nothing is written. */
    @Transactional
    @TransactionConfiguration(timeout = 900)
    public ImportReport importAll(long organizationId, List<OrderDraft> drafts, Actor actor, SendOption send) {
        // imports and creates of one organisation run one after the other: the second file sees the first's orders
        Organization org = Organization.lockForCreating(organizationId);
        Map<String, String> existing = existingHashes(organizationId, drafts);
        var errors = new ValidationException.Builder().capped(io.portlink.platform.CsvFile.MAX_ERRORS);
        for (OrderDraft draft : drafts) {
            String hash = existing.get(draft.reference());
            if (hash != null && !draft.sameContent(hash)) {
                errors.add(draft.firstRow(), "reference",
                        "order " + draft.reference()
                                + " already exists with different content; use a new reference for a new order",
                        draft.reference());
            }
        }
        errors.throwIfAny();
        Map<String, Vendor> vendorCache = new HashMap<>();
        var notes = new ImportNotes();
        // once per import: a format builds its formatters
        io.portlink.platform.Locales.Format format = org.format();
        java.time.LocalDate today = format.today(clock);
        List<Created> results = new ArrayList<>(drafts.size());
        int created = 0;
        if (send == SendOption.NONE && !BuyerNotices.KINDS.contains(OrderEvent.IMPORTED)) {
            // Nothing to mail and no one to tell: the rows go out in bulk, without managed entities.
            var writer = new OrderBulkWriter(em, links, organizationId, actor, Instant.now(clock));
            for (OrderDraft draft : drafts) {
                if (existing.containsKey(draft.reference())) {
                    results.add(new Created(draft.reference(), null, Outcome.UNCHANGED, null, draft.vendor()));
                    continue;
                }
                Vendor vendor = vendorCache.computeIfAbsent(draft.vendor().key(), k -> resolve(org, draft, notes));
                notes.order(draft, today, format);
                results.add(writer.add(vendor, draft)); // ids are assigned at persist (sequences)
                created++;
            }
            writer.flush();
            return new ImportReport(created, drafts.size() - created, results, notes.listed(), notes.unlisted());
        }
        for (OrderDraft draft : drafts) {
            if (existing.containsKey(draft.reference())) {
                results.add(new Created(draft.reference(), null, Outcome.UNCHANGED, null, draft.vendor()));
                continue;
            }
            Vendor vendor = vendorCache.computeIfAbsent(draft.vendor().key(), k -> resolve(org, draft, notes));
            notes.order(draft, today, format);
            results.add(write(org, vendor, draft, actor, send, OrderEvent.IMPORTED));
            if (++created % FLUSH_EVERY == 0) {
                // Written rows leave the persistence context; the organisation and cached vendors
                // are then detached, which is fine: they are only used as foreign keys from here on.
                em.flush();
                em.clear();
            }
        }
        return new ImportReport(created, drafts.size() - created, results, notes.listed(), notes.unlisted());
    }

    /** The vendor of a new order of an import; a vendor created for it is noted. */
    private Vendor resolve(Organization org, OrderDraft draft, ImportNotes notes) {
        return notes.vendor(vendors.resolve(org, draft.vendor()), draft);
    }

    private Map<String, String> existingHashes(long organizationId, List<OrderDraft> drafts) {
        Map<String, String> hashes = new HashMap<>();
        List<String> references = drafts.stream().map(OrderDraft::reference).toList();
        for (int i = 0; i < references.size(); i += LOOKUP_CHUNK) {
            String[] chunk = references.subList(i, Math.min(references.size(), i + LOOKUP_CHUNK))
                    .toArray(String[]::new);
            // One array parameter, not an IN list of 500: PostgreSQL's generic plan for "= any(array)"
            // stays an index lookup on (organization_id, reference) even before the table has statistics.
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em
                    .createNativeQuery("select reference, content_hash from purchase_order"
                            + " where organization_id = ?1 and reference = any(?2)")
                    .setParameter(1, organizationId).setParameter(2, chunk).getResultList();
            rows.forEach(row -> hashes.put((String) row[0], (String) row[1]));
        }
        return hashes;
    }

    /**
     * Writes a new order (its lines, timeline entry {@code origin} and first link); must run inside the caller's
     * transaction.
     */
    Created write(Organization org, Vendor vendor, OrderDraft draft, Actor actor, SendOption send, OrderEvent origin) {
        Instant now = Instant.now(clock);
        PurchaseOrder order = new PurchaseOrder();
        order.organization = org;
        order.vendor = vendor;
        order.reference = draft.reference();
        order.status = OrderStatus.PENDING;
        order.deliveryAddress = draft.deliveryAddress();
        order.requestedDate = draft.requestedDate();
        order.consigneeName = draft.consignee().name();
        order.consigneeEmail = draft.consignee().email();
        order.consigneePhone = draft.consignee().phone();
        order.consigneeLanguage = draft.consignee().language();
        order.contentHash = draft.contentHash();
        order.createdAt = now;
        order.updatedAt = now;
        int lineNo = 1;
        for (OrderDraft.Line l : draft.lines()) {
            OrderLine line = new OrderLine();
            line.order = order;
            line.lineNo = lineNo++;
            line.sku = l.sku();
            line.description = l.description();
            line.quantity = l.quantity();
            line.unit = l.unit();
            line.unitPrice = l.unitPrice();
            line.currency = l.currency();
            order.lines.add(line);
        }
        order.persist();
        if (send != SendOption.NONE) {
            // the order's row goes in before anything names it by a plain id: the mail's queries flush, and inserts are
            // ordered by table (hibernate.order_inserts), which would put this order's timeline entry before its row
            // when the vendor, cached from an earlier order of the file, flushed nothing since
            em.flush();
        }
        timeline.record(order, actor, origin, draft.lines().size() + (draft.lines().size() == 1 ? " line" : " lines"));
        Links.Issued link = vendorLinks.issue(order, null, null, actor.label());
        if (send != SendOption.NONE) {
            if (vendor.email == null && draft.firstRow() > 0) {
                // a file: name the row, so the clerk knows which vendor needs an address (nothing is imported)
                new ValidationException.Builder().add(draft.firstRow(), "vendor_email",
                        "is needed to e-mail " + vendor.name + " (the file is imported with an e-mail to every"
                                + " vendor): add the address, or import without e-mail and share the links another way",
                        null).throwIfAny();
            }
            mail.queue(order, link, send, actor);
        }
        // the vendor as stored: a row without an address matched to a vendor with one gets its e-mail buttons
        return new Created(order.reference, order.status, Outcome.CREATED, link, Vendors.Contact.of(vendor));
    }

    // ----------------------------------------------------------------------------------------
    // Staff actions on one order. Each finds the order within the caller's organisation only.
    // ----------------------------------------------------------------------------------------

    /** Revokes the old link and issues a new one for the same recipient; optionally e-mails it. */
    @Transactional
    public Optional<Links.Issued> regenerateLink(long organizationId, String reference, long linkId, Actor actor,
            SendOption send) {
        // two staff regenerating the same link at once are served one after the other: the second sees it revoked
        return linkOf(organizationId, reference, linkId).map(old -> {
            if (old.revokedAt != null) {
                throw new ConflictException(
                        "link #" + old.id + " was already revoked or regenerated; reload the order");
            }
            PurchaseOrder order = VendorLinks.order(old);
            if (send != SendOption.NONE && order.status.isClosed()) {
                // a closed order is not sent again; its links can still be revoked
                throw new ConflictException("order " + order.reference + " is " + order.status.label.toLowerCase()
                        + ": its links are no longer e-mailed");
            }
            Links.Issued issued = vendorLinks.regenerate(old, actor.label());
            timeline.record(order, actor, OrderEvent.LINK_REGENERATED,
                    "link #" + old.id + " revoked, link #" + issued.linkId() + " issued");
            if (send != SendOption.NONE) {
                // a link made for one person goes back to that person, not to the vendor's default address
                mail.queue(order, issued, send == SendOption.PO_AND_LINK, VendorMail.Purpose.NEW_ORDER, actor,
                        recipientOf(order, old));
            }
            return issued;
        });
    }

    /**
     * Who a link was made for, when that was someone with an e-mail address: the vendor's contact with that address
     * (its language), else that address under the link's name (the vendor's language); null for the vendor itself.
     */
    private static VendorContact recipientOf(PurchaseOrder order, AccessLink link) {
        if (link.recipientContact == null || !Fields.EMAIL.matcher(link.recipientContact).matches()) {
            return null;
        }
        String email = link.recipientContact.toLowerCase(java.util.Locale.ROOT);
        VendorContact known = VendorContact
                .<VendorContact> find("vendor.id = ?1 and email = ?2", order.vendor.id, email).firstResult();
        if (known != null) {
            return known;
        }
        VendorContact someone = new VendorContact(); // a value only, never stored
        someone.name = link.recipientName != null ? link.recipientName : order.vendor.name;
        someone.email = email;
        return someone;
    }

    /**
     * Issues the vendor a fresh link by e-mail: the newest active link is regenerated (or one issued). For an order
     * never sent this is its first e-mail ("send").
     *
     * @throws ConflictException
     *             when no link can be e-mailed: the order is closed or its vendor has no e-mail address (the message
     *             says what to do instead)
     */
    @Transactional
    public boolean resendLink(long organizationId, String reference, Actor actor) {
        return resendLink(organizationId, reference, actor, null);
    }

    /**
     * Issues a fresh link by e-mail to the vendor ({@code contactId} null: the newest active link is regenerated, or
     * one issued) or to one of its contacts (that contact's newest active link is regenerated, or one issued for them),
     * in the recipient's language: the link only, or with the order's PDF when a mail with the PDF and the replaced
     * link is still waiting to go out (the outbox withdraws that one).
     *
     * @throws ValidationException
     *             when the contact is not one of the vendor's, or the recipient has no e-mail address
     */
    @Transactional
    public boolean resendLink(long organizationId, String reference, Actor actor, Long contactId) {
        Optional<PurchaseOrder> found = locks.order(organizationId, reference);
        if (found.isEmpty()) {
            return false;
        }
        PurchaseOrder order = found.get();
        VendorContact contact = contactId == null ? null : VendorRecords.contactFor(order, contactId);
        if (contact != null && contact.email == null) {
            throw ValidationException.of("contact", contact.name + " has no e-mail address: add one on the vendor's"
                    + " page, or share the link by WhatsApp, SMS or copy", null);
        }
        // a chosen contact with an address can be mailed even when the vendor's own address is missing
        String refusal = contact != null && !order.status.isClosed() ? null : QueueActions.mailRefusal(order, false);
        if (refusal != null) {
            throw new ConflictException(refusal);
        }
        Instant now = Instant.now(clock);
        Optional<AccessLink> newest = locks.links(order).stream()
                .filter(l -> l.revokedAt == null && (l.expiresAt == null || l.expiresAt.isAfter(now)))
                .filter(l -> contact == null || contact.email.equalsIgnoreCase(l.recipientContact))
                .reduce((first, second) -> second);
        Links.Issued issued = newest.map(old -> vendorLinks.regenerate(old, actor.label()))
                .orElseGet(() -> contact == null ? vendorLinks.issue(order, null, null, actor.label())
                        : vendorLinks.issue(order, contact.name, contact.email, actor.label()));
        timeline.record(order, actor, newest.isPresent() ? OrderEvent.LINK_REGENERATED : OrderEvent.LINK_CREATED,
                newest.map(old -> "link #" + old.id + " revoked, ").orElse("") + "link #" + issued.linkId() + " issued"
                        + (contact == null ? "" : " for " + contact.name));
        // a mail with the order's PDF and the replaced link, still waiting, is withdrawn when the outbox comes to it:
        // this one carries the PDF instead, so the vendor still gets the order itself
        boolean pdf = newest.isPresent()
                && OutboxMessage.count("purchaseOrderId = ?1 and linkId = ?2 and kind = ?3 and status = ?4", order.id,
                        newest.get().id, SendOption.PO_AND_LINK.name(), OutboxMessage.Status.PENDING) > 0;
        mail.queue(order, issued, pdf, VendorMail.Purpose.NEW_ORDER, actor, contact);
        answerRequests(order, actor);
        return true;
    }

    /** A link for another contact of the vendor, with its own name, e-mail or phone, and expiry. */
    @Transactional
    public Optional<Links.Issued> addLink(long organizationId, String reference, String name, String contact,
            java.time.LocalDate expires, Actor actor) {
        return addLink(organizationId, reference, name, contact, null, false, expires, actor);
    }

    /**
     * A link for another contact: one of the vendor's contacts ({@code contactId}: its name and e-mail, else phone) or
     * the {@code name} and {@code contact} typed; with {@code email}, it is also e-mailed to the chosen contact.
     *
     * @throws ValidationException
     *             naming every problem (nothing is issued)
     */
    @Transactional
    public Optional<Links.Issued> addLink(long organizationId, String reference, String name, String contact,
            Long contactId, boolean email, java.time.LocalDate expires, Actor actor) {
        return locks.order(organizationId, reference).map(order -> {
            if (email && order.status.isClosed()) {
                throw closedForMail(order);
            }
            var errors = new ValidationException.Builder();
            Fields f = new Fields(errors, null, 254);
            VendorContact chosen = contactId == null ? null : VendorRecords.contactFor(order, contactId);
            if (email && (chosen == null || chosen.email == null)) {
                errors.add("contact", chosen == null ? "choose one of the vendor's contacts to e-mail the link to"
                        : chosen.name + " has no e-mail address to send the link to", null);
            }
            String who = chosen != null ? chosen.name : f.line("name", name, true, 200);
            String reach = chosen != null ? (chosen.email != null ? chosen.email : chosen.phone)
                    : f.line("contact", contact, false, 254);
            if (reach != null && !Fields.EMAIL.matcher(reach).matches() && !Fields.PHONE.matcher(reach).matches()) {
                errors.add("contact", "must be an e-mail address or a phone number", reach);
            }
            if (expires != null && !expires.isAfter(order.organization.format().today(clock))) {
                errors.add("expires", "must be a date after today", expires.toString());
            }
            errors.throwIfAny();
            Links.Issued issued = vendorLinks.issue(order, who, reach, actor.label());
            if (expires != null) {
                vendorLinks.setExpiry(order, issued.linkId(), expires);
            }
            timeline.record(order, actor, OrderEvent.LINK_CREATED, "link #" + issued.linkId() + " for " + who
                    + (reach == null ? "" : " (" + reach + ")") + (expires == null ? "" : ", until " + expires));
            if (email) {
                mail.queue(order, issued, false, VendorMail.Purpose.NEW_ORDER, actor, chosen);
            }
            return issued;
        });
    }

    /** The refusal to e-mail a closed order's link. */
    private static ConflictException closedForMail(PurchaseOrder order) {
        return new ConflictException("order " + order.reference + " is "
                + order.status.label.toLowerCase(java.util.Locale.ROOT) + ": its links are no longer e-mailed");
    }

    /** Open "ask for a new link" requests of the organisation, oldest first. */
    @Transactional
    public List<LinkRequestView> openLinkRequests(long organizationId) {
        // the purchasing side's requests: those of vendor links, with their orders joined on the link's subject id
        return PurchaseOrder.getEntityManager()
                .createQuery("select o.reference, v.name, r.requestedAt"
                        + " from LinkRequest r join r.link l join PurchaseOrder o on o.id = l.purchaseOrderId"
                        + " join Vendor v on v.id = o.vendor.id where r.organization.id = ?1 and l.scope = ?2"
                        + " and r.handledAt is null order by r.requestedAt", Object[].class)
                .setParameter(1, organizationId).setParameter(2, VendorLinks.SCOPE).setMaxResults(50).getResultStream()
                .map(r -> new LinkRequestView((String) r[0], (String) r[1], (Instant) r[2])).toList();
    }

    public record LinkRequestView(String reference, String vendorName, Instant requestedAt) {
    }

    private void answerRequests(PurchaseOrder order, Actor actor) {
        io.portlink.link.LinkRequest.update(
                "handledAt = ?1, handledBy = ?2 where handledAt is null and link.id in"
                        + " (select l.id from AccessLink l where l.purchaseOrderId = ?3 and l.scope = ?4)",
                Instant.now(clock), actor.label(), order.id, VendorLinks.SCOPE);
    }

    @Transactional
    public boolean revokeLink(long organizationId, String reference, long linkId, Actor actor) {
        return linkOf(organizationId, reference, linkId).map(link -> {
            if (link.revokedAt == null) {
                links.revoke(link);
                timeline.record(VendorLinks.order(link), actor, OrderEvent.LINK_REVOKED,
                        "link #" + link.id + " revoked");
            }
            return true;
        }).orElse(false);
    }

    /**
     * E-mails a link whose token staff still hold (the import screen shows each token once); false for no such active
     * link.
     *
     * @throws ConflictException
     *             when the order is closed (cancelled, declined, delivered): its links are no longer e-mailed
     */
    @Transactional
    public boolean sendHeldLink(long organizationId, String token, SendOption send, Actor actor) {
        return links.findByToken(organizationId, token, VendorLinks.SCOPE)
                .flatMap(found -> locks.link(locks.order(found.purchaseOrderId), found.id))
                .filter(link -> link.revokedAt == null).map(link -> {
                    PurchaseOrder order = VendorLinks.order(link);
                    if (order.status.isClosed()) {
                        throw closedForMail(order);
                    }
                    mail.queue(VendorLinks.order(link),
                            new Links.Issued(link.id, token, vendorLinks.url(token), link.expiresAt), send, actor);
                    return true;
                }).orElse(false);
    }

    /** Staff shared the link themselves (WhatsApp, SMS, phone): the order counts as sent. */
    @Transactional
    public Optional<PurchaseOrder> markSent(long organizationId, String reference, Actor actor, String how) {
        return locks.order(organizationId, reference).map(order -> {
            if (order.status.isClosed()) {
                throw new ConflictException(
                        "order " + order.reference + " is " + order.status.label.toLowerCase(java.util.Locale.ROOT)
                                + ": there is nothing to send to the vendor now, so it was not marked as sent");
            }
            notified(order, actor, "shared by " + how);
            return order;
        });
    }

    /** Staff have seen that the vendor reopened the order after declining: it leaves "Reopened by vendor". */
    @Transactional
    public Optional<PurchaseOrder> reopenNoted(long organizationId, String reference, Actor actor) {
        return locks.order(organizationId, reference).map(order -> {
            if (order.reopenedAt != null) {
                // a bulk update: the vendor's open form stays valid, nothing of the order itself changed
                PurchaseOrder.update("reopenedAt = null where id = ?1", order.id);
                timeline.record(order, actor, OrderEvent.REOPEN_NOTED, "reopened order noted");
            }
            return order;
        });
    }

    /** Must run inside the caller's transaction. */
    public void notified(PurchaseOrder order, Actor actor, String detail) {
        timeline.record(order, actor, OrderEvent.LINK_SENT, detail);
        if (order.notifiedAt == null) {
            order.notifiedAt = Instant.now(clock);
        }
        if (order.status == OrderStatus.PENDING) {
            order.status = OrderStatus.NOTIFIED;
            order.updatedAt = Instant.now(clock);
        }
    }

    /**
     * Cancels an order with a reason (required, at most 1000 characters, one or more lines) that the vendor is told:
     * when the order had been sent, by a mail with the reason (to the vendor's e-mail, if any) and a banner on the
     * portal, where the vendor acknowledges the cancellation ({@link VendorDesk#acknowledgeCancel}). Cancelling a
     * cancelled order changes nothing.
     *
     * @throws ConflictException
     *             the order's {@code @Version} is no longer {@code expectedVersion}
     * @throws ValidationException
     *             no reason, or the order is delivered or declined
     */
    @Transactional
    public Optional<PurchaseOrder> cancel(long organizationId, String reference, long expectedVersion, Actor actor,
            String reason) {
        return cancel(organizationId, reference, (Long) expectedVersion, actor, reason);
    }

    /**
     * {@link #cancel(long, String, long, Actor, String)} for integrations, which do not know the {@code @Version}: null
     * {@code expectedVersion} cancels the order as it is when its lock is granted.
     */
    @Transactional
    public Optional<PurchaseOrder> cancel(long organizationId, String reference, Long expectedVersion, Actor actor,
            String reason) {
        // locked before the version is compared: a vendor's change either committed already (and the version says
        // so) or waits for this cancel and then finds its own form outdated
        return locks.order(organizationId, reference).map(order -> {
            if (order.status == OrderStatus.CANCELLED) {
                // a double click or a retry of the cancel that went through: done, nothing written. A form (it knows
                // the version) with another reason is told when, by whom and why; the first reason stays.
                if (expectedVersion != null && !sameReason(order.cancelReason, reason)) {
                    throw alreadyCancelled(order);
                }
                return order;
            }
            if (expectedVersion != null && order.version != expectedVersion) {
                throw new ConflictException("order " + reference + " was changed meanwhile; reload and try again");
            }
            return cancel(order, actor, reason);
        });
    }

    /**
     * {@link #cancel(long, String, Long, Actor, String)} of the order as it is at {@code expectedRevision} (an
     * integration's If-Match): the revision is compared under the order's row lock, so an amendment that commits first
     * makes this cancel stale rather than cancelling what the caller never saw. A cancelled order is returned as it is
     * (cancelling again changes nothing), whatever its revision.
     *
     * @throws StaleRevisionException
     *             the order is open and no longer at {@code expectedRevision}
     * @throws ValidationException
     *             as the other cancel
     */
    @Transactional
    public Optional<PurchaseOrder> cancelAtRevision(long organizationId, String reference, int expectedRevision,
            Actor actor, String reason) {
        return locks.order(organizationId, reference).map(order -> {
            if (order.revision != expectedRevision && order.status != OrderStatus.CANCELLED) {
                throw new StaleRevisionException(order.reference, expectedRevision, order.revision);
            }
            return cancel(order, actor, reason);
        });
    }

    /** Cancels the locked order; see {@link #cancel(long, String, long, Actor, String)}. */
    private PurchaseOrder cancel(PurchaseOrder order, Actor actor, String reason) {
        {
            if (order.status == OrderStatus.CANCELLED) {
                return order;
            }
            if (order.status.isClosed()) {
                throw ValidationException.of("status",
                        "a " + order.status.label.toLowerCase() + " order cannot be cancelled", order.status.label);
            }
            var errors = new ValidationException.Builder();
            // blank as the vendor would read it: a no-break or zero-width space alone says nothing either
            String typed = io.portlink.platform.Unicode.typed(reason);
            if (typed.isEmpty()) {
                errors.add("reason", "is required: the vendor is told why the order is cancelled", null);
            }
            String why = new Fields(errors, null, 1000).text("reason", typed, false, 1000);
            errors.throwIfAny();
            Instant now = Instant.now(clock);
            boolean vendorHasIt = order.vendorHasIt(); // asked before the status says cancelled
            order.status = OrderStatus.CANCELLED;
            order.closedAt = now;
            order.updatedAt = now;
            order.cancelReason = why;
            timeline.record(order, actor, OrderEvent.CANCELLED, why);
            vendorLinks.orderClosed(order);
            if (!vendorHasIt) {
                // the vendor never had the order: there is nothing to tell, nothing to acknowledge
                order.cancelAcknowledgedAt = now;
            } else if (order.vendor.email != null) {
                mail.queueCancel(order, vendorLinks.issue(order, null, null, actor.label()), why, actor);
            }
            return order;
        }
    }

    private static boolean sameReason(String saved, String typed) {
        String why = new Fields(new ValidationException.Builder(), null, 1000).text("reason", typed, false, 1000);
        return saved != null && saved.equals(why);
    }

    /**
     * A second cancel with another reason: refused, saying when (the organisation's date and time, as its pages write
     * them), by whom and why the order was cancelled.
     */
    private ConflictException alreadyCancelled(PurchaseOrder order) {
        var first = orderTimeline.latestOf(Subject.purchaseOrder(order.organization.id, order.id),
                OrderEvent.CANCELLED);
        Instant at = first.map(Timeline.Entry::at).orElse(order.closedAt);
        String by = first.map(e -> " by " + e.actor()).orElse("");
        return new ConflictException("order " + order.reference + " is already cancelled (on "
                + (at == null ? "?" : order.organization.format().dateTime(at)) + by
                + (order.cancelReason == null ? "" : ", reason: " + order.cancelReason) + "); nothing was changed");
    }

    /** The order, then its link, locked in that order (see {@link OrderLocks}). */
    private Optional<AccessLink> linkOf(long organizationId, String reference, long linkId) {
        return locks.order(organizationId, reference).flatMap(order -> locks.link(order, linkId));
    }
}
