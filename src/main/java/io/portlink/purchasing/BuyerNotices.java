package io.portlink.purchasing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.portlink.organization.Organization;
import io.portlink.organization.StaffUser;
import io.portlink.outbox.Outbox;
import io.portlink.outbox.OutboxMessage;
import io.portlink.platform.ConflictException;
import io.portlink.platform.Locales;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.ValidationException;
import io.portlink.timeline.Actor;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Tells staff what needs a buyer: a vendor declined an order, reopened a declined one, wrote a note, or expects it
 * later than requested; a mail to the vendor died; a vendor asked for a new link. Each is an entry on the order's
 * timeline, seen here as {@link OrderRecorded} inside the transaction of the change.
 *
 * <p>
 * Who: the order's buyer (the staff user who last sent it by hand) when enabled; for an order without one, the enabled
 * admins and each enabled colleague who saved a choice other than none (at most {@value #MAX_RECIPIENTS}, oldest
 * accounts first); never the staff user who made the change. How: each user's {@link BuyerNoticeSetting} (no row: at
 * once). One {@link BuyerNotice} row per entry and user (unique) makes a repeated event tell nobody twice; an at-once
 * mail is queued in the outbox in the same transaction, a digest notice waits for {@link #digest(long)}. Mails are in
 * English, as the staff pages, with the organisation's date format and time zone.
 */
@ApplicationScoped
public class BuyerNotices {

    /** Outbox kind of the mail sent at once (no subject ids: it is not a mail to the order's vendor). */
    public static final String AT_ONCE_KIND = "BUYER_NOTICE";
    /** Outbox kind of the daily digest. */
    public static final String DIGEST_KIND = "BUYER_DIGEST";
    /** The kinds of timeline entry that need a buyer (EXPECTED_DATE only when later than the requested date). */
    public static final Set<OrderEvent> KINDS = EnumSet.of(OrderEvent.DECLINED, OrderEvent.REOPENED, OrderEvent.NOTE,
            OrderEvent.EXPECTED_DATE, OrderEvent.MAIL_DEAD, OrderEvent.LINK_REQUESTED);
    /** Most staff told of one order without a buyer. */
    static final int MAX_RECIPIENTS = 50;
    /** Most events one digest lists; it says how many more there were. */
    static final int DIGEST_LINES = 200;
    /** Staff the digest job reads per query. */
    static final int USER_BATCH = 100;

    @Inject
    Clock clock;

    @Inject
    Outbox outbox;

    @Inject
    PortlinkConfig config;

    /** What a notice mail shows. */
    public record NoticeModel(String organization, String reference, String vendor, String headline, String detail,
            String at, String orderUrl, String settingsUrl) {
    }

    /** One line of a digest. */
    public record DigestItem(String reference, String headline, String detail, String at, String orderUrl) {
    }

    /**
     * What a digest mail shows: {@code total} events, of which {@code items} lists the first {@value #DIGEST_LINES};
     * {@code more} counts the rest.
     */
    public record DigestModel(String organization, String day, long total, List<DigestItem> items, long more,
            String queueUrl, String settingsUrl) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance noticeHtml(NoticeModel mail);

        static native TemplateInstance noticeText(NoticeModel mail);

        static native TemplateInstance digestHtml(DigestModel mail);

        static native TemplateInstance digestText(DigestModel mail);
    }

    /** A user's choice as the page shows it; {@code version} is empty while the user has the defaults. */
    public record SettingView(BuyerNoticeSetting.Mode mode, int digestHour, String version, String zone) {
    }

    // ---- events

    /**
     * Records the entry as a notice for each recipient and queues the at-once mails, in the change's transaction. An
     * entry already recorded for a user (the same event seen twice) is skipped, and nothing is recorded for a locked
     * organisation (a link request from its gone page: {@code link.Links#requestNewLink}).
     */
    void recorded(@Observes OrderRecorded event) {
        PurchaseOrder order = event.order();
        if (!needsBuyer(event.kind(), order) || !order.organization.isActive()) {
            // a locked organisation sends no mail (its staff cannot sign in); what happened stays on the order's
            // timeline and in the staff queue for when it is active again
            return;
        }
        List<StaffUser> recipients = recipients(order);
        if (recipients.isEmpty()) {
            return;
        }
        List<Long> ids = recipients.stream().map(u -> u.id).toList();
        List<BuyerNoticeSetting> settings = BuyerNoticeSetting.list("staffUserId in ?1", ids);
        Instant now = Instant.now(clock);
        for (StaffUser user : recipients) {
            if (event.actor().type() == Actor.Type.STAFF && user.id.equals(event.actor().id())) {
                continue; // they did it themselves
            }
            BuyerNoticeSetting.Mode mode = settings.stream().filter(s -> s.staffUserId.equals(user.id)).map(s -> s.mode)
                    .findFirst().orElse(BuyerNoticeSetting.Mode.AT_ONCE);
            if (mode == BuyerNoticeSetting.Mode.NONE
                    || BuyerNotice.count("timelineEntryId = ?1 and staffUserId = ?2", event.entry().id, user.id) > 0) {
                continue;
            }
            BuyerNotice notice = new BuyerNotice();
            notice.organizationId = order.organization.id;
            notice.staffUserId = user.id;
            notice.purchaseOrderId = order.id;
            notice.timelineEntryId = event.entry().id;
            notice.kind = event.kind().name();
            notice.detail = event.entry().detail;
            notice.delivery = mode;
            notice.createdAt = now;
            notice.digestPending = mode == BuyerNoticeSetting.Mode.DIGEST;
            if (mode == BuyerNoticeSetting.Mode.AT_ONCE) {
                notice.outboxMessageId = queueAtOnce(order, user, event.kind(), notice.detail, now);
            }
            notice.persist();
        }
    }

    static boolean needsBuyer(OrderEvent kind, PurchaseOrder order) {
        if (!KINDS.contains(kind)) {
            return false;
        }
        return kind != OrderEvent.EXPECTED_DATE || order.requestedDate != null && order.expectedDate != null
                && order.expectedDate.isAfter(order.requestedDate);
    }

    private static List<StaffUser> recipients(PurchaseOrder order) {
        StaffUser buyer = order.buyer;
        if (buyer != null && buyer.enabled && buyer.organization.id.equals(order.organization.id)) {
            return List.of(buyer);
        }
        // nobody's own order: the admins, and each colleague who asked to be told (saved a choice other than none)
        return StaffUser.<StaffUser> find(
                "from StaffUser u where u.organization.id = ?1 and u.enabled = true"
                        + " and (u.role = ?2 or exists (select 1 from BuyerNoticeSetting s where s.staffUserId = u.id"
                        + " and s.mode <> ?3)) order by u.id",
                order.organization.id, StaffUser.Role.ADMIN, BuyerNoticeSetting.Mode.NONE).range(0, MAX_RECIPIENTS - 1)
                .list();
    }

    private long queueAtOnce(PurchaseOrder order, StaffUser user, OrderEvent kind, String detail, Instant at) {
        Organization org = order.organization;
        String headline = headline(kind, order);
        NoticeModel model = new NoticeModel(org.name, order.reference, order.vendor.name, headline,
                detailLine(kind, detail), org.format().dateTime(at), orderUrl(order.reference), settingsUrl());
        OutboxMessage m = outbox.mail(org, AT_ONCE_KIND, user.email, order.reference + ": " + headline);
        m.bodyText = Templates.noticeText(model).render();
        m.bodyHtml = Templates.noticeHtml(model).render();
        m.persist();
        return m.id;
    }

    /** The line that says what happened, e.g. "Northwind declined the order". */
    static String headline(OrderEvent kind, PurchaseOrder order) {
        String vendor = order.vendor.name;
        return switch (kind) {
        case DECLINED -> vendor + " declined the order";
        case REOPENED -> vendor + " can supply the order after all (it had declined it)";
        case NOTE -> vendor + " wrote a note";
        case EXPECTED_DATE -> vendor + " expects it on " + order.organization.format().date(order.expectedDate)
                + ", later than requested (" + order.organization.format().date(order.requestedDate) + ")";
        case MAIL_DEAD -> "A mail to " + vendor + " could not be delivered";
        case LINK_REQUESTED -> vendor + " asked for a new link";
        default -> kind.name();
        };
    }

    private static String detailLine(OrderEvent kind, String detail) {
        if (detail == null || detail.isBlank()) {
            return null;
        }
        return switch (kind) {
        case DECLINED -> "Reason: " + detail;
        case NOTE -> "Note: " + detail;
        default -> detail;
        };
    }

    private String orderUrl(String reference) {
        return config
                .publicUrl("/app/orders/" + URLEncoder.encode(reference, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    private String settingsUrl() {
        return config.publicUrl("/app/account/notifications");
    }

    // ---- the daily digest

    /**
     * Users with events waiting for a digest and an id above {@code after}, at most {@code max}, by id (the digest job
     * pages through them; served by the (digest_pending, staff_user_id, created_at) index).
     */
    @Transactional
    public List<Long> waitingForDigest(long after, int max) {
        return BuyerNotice.getEntityManager()
                .createQuery("select distinct n.staffUserId from BuyerNotice n where n.digestPending = true"
                        + " and n.staffUserId > ?1 order by n.staffUserId", Long.class)
                .setParameter(1, after).setMaxResults(max).getResultList();
    }

    /**
     * One user's digest, if it is due: the latest occurrence of the user's digest hour (organisation's time zone) has
     * passed, no digest was sent for that day yet, and events from before that hour wait. Queues one mail listing each
     * of them once and marks them digested, in one transaction that holds the user's setting row (another replica's run
     * waits, then finds the day sent). A user who is disabled or chose "none" meanwhile gets nothing: their waiting
     * events are dropped. Returns whether a digest was queued.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean digest(long userId) {
        Instant now = Instant.now(clock);
        BuyerNoticeSetting setting = BuyerNoticeSetting.findById(userId, LockModeType.PESSIMISTIC_WRITE);
        StaffUser user = StaffUser.findById(userId);
        if (setting == null || user == null || !user.enabled || setting.mode == BuyerNoticeSetting.Mode.NONE) {
            BuyerNotice.update("digestPending = false, digestedAt = ?1 where staffUserId = ?2 and digestPending = true",
                    now, userId);
            return false;
        }
        Organization org = user.organization;
        Locales.Format format = org.format();
        ZoneId zone = format.zone();
        ZonedDateTime local = now.atZone(zone);
        ZonedDateTime due = local.toLocalDate().atTime(setting.digestHour, 0).atZone(zone);
        if (due.isAfter(local)) {
            due = local.toLocalDate().minusDays(1).atTime(setting.digestHour, 0).atZone(zone);
        }
        LocalDate day = due.toLocalDate();
        if (setting.lastDigestDay != null && !setting.lastDigestDay.isBefore(day)) {
            return false;
        }
        Instant until = due.toInstant();
        List<BuyerNotice> notices = BuyerNotice.<BuyerNotice> find(
                "staffUserId = ?1 and digestPending = true and createdAt < ?2 order by createdAt, id", userId, until)
                .page(0, DIGEST_LINES).list();
        if (notices.isEmpty()) {
            return false;
        }
        long total = BuyerNotice.count("staffUserId = ?1 and digestPending = true and createdAt < ?2", userId, until);
        List<DigestItem> items = new ArrayList<>();
        for (BuyerNotice n : notices) {
            PurchaseOrder order = PurchaseOrder.findById(n.purchaseOrderId);
            OrderEvent kind = OrderEvent.valueOf(n.kind);
            items.add(new DigestItem(order.reference, headline(kind, order), detailLine(kind, n.detail),
                    format.dateTime(n.createdAt), orderUrl(order.reference)));
        }
        BuyerNotice.update(
                "digestPending = false, digestedAt = ?1 where staffUserId = ?2 and digestPending = true and createdAt < ?3",
                now, userId, until);
        setting.lastDigestDay = day;
        DigestModel model = new DigestModel(org.name, format.date(day), total, items, total - items.size(),
                config.publicUrl("/app/orders"), settingsUrl());
        OutboxMessage m = outbox.mail(org, DIGEST_KIND, user.email, "Portlink daily digest, " + format.date(day) + ": "
                + total + (total == 1 ? " event" : " events") + " that need a buyer");
        m.bodyText = Templates.digestText(model).render();
        m.bodyHtml = Templates.digestHtml(model).render();
        m.persist();
        return true;
    }

    /** Sends every digest that is due, {@value #USER_BATCH} users a query; returns how many were queued. */
    public int runDigests() {
        int sent = 0;
        long after = 0;
        List<Long> users;
        do {
            users = waitingForDigest(after, USER_BATCH);
            for (Long user : users) {
                if (digest(user)) {
                    sent++;
                }
            }
            after = users.isEmpty() ? after : users.get(users.size() - 1);
        } while (users.size() == USER_BATCH);
        return sent;
    }

    // ---- each user's choice

    /** The user's choice (defaults when none was saved) and the organisation's time zone it is read in. */
    @Transactional
    public SettingView setting(long organizationId, long userId) {
        Organization org = Organization.findById(organizationId);
        BuyerNoticeSetting s = BuyerNoticeSetting.findById(userId);
        String zone = org.format().zone().getId();
        return s == null || !s.organizationId.equals(organizationId)
                ? new SettingView(BuyerNoticeSetting.Mode.AT_ONCE, BuyerNoticeSetting.DEFAULT_HOUR, "", zone)
                : new SettingView(s.mode, s.digestHour, Long.toString(s.version), zone);
    }

    /**
     * Saves the user's choice as typed: {@code mode} AT_ONCE, DIGEST or NONE; {@code hour} a whole number 0 to 23 (the
     * digest's hour in the organisation's time zone; kept for the other modes too). {@code version} is the one the form
     * was drawn with (empty for defaults).
     *
     * @throws ValidationException
     *             naming every field that is wrong, before anything is written
     * @throws ConflictException
     *             when the choice was saved elsewhere (another tab) since the form was drawn
     */
    @Transactional
    public void save(long organizationId, long userId, String mode, String hour, String version) {
        ValidationException.Builder problems = new ValidationException.Builder();
        BuyerNoticeSetting.Mode chosen = null;
        try {
            chosen = BuyerNoticeSetting.Mode.valueOf(mode == null ? "" : mode.trim());
        } catch (IllegalArgumentException e) {
            problems.add("mode", "choose at once, a daily digest or none", mode);
        }
        Integer digestHour = null;
        try {
            digestHour = Integer.valueOf(hour == null ? "" : hour.trim());
        } catch (NumberFormatException e) {
            // reported below
        }
        if (digestHour == null || digestHour < 0 || digestHour > 23) {
            problems.add("digestHour", "must be a whole hour from 0 to 23", hour);
        }
        problems.throwIfAny();
        BuyerNoticeSetting s = BuyerNoticeSetting.findById(userId, LockModeType.PESSIMISTIC_WRITE);
        String stored = s == null ? "" : Long.toString(s.version);
        if (version != null && !stored.equals(version.trim())) {
            throw new ConflictException("Your notification settings were changed in another window meanwhile;"
                    + " this is what is saved now. Make your choice again.");
        }
        if (s == null) {
            s = new BuyerNoticeSetting();
            s.staffUserId = userId;
            s.organizationId = organizationId;
            s.mode = chosen;
            s.digestHour = digestHour;
            try {
                s.persistAndFlush();
            } catch (jakarta.persistence.PersistenceException e) {
                // the same user's first save from another window committed first (its row exists now)
                throw new ConflictException("Your notification settings were saved in another window at the same"
                        + " moment; this is what is saved now. Make your choice again if it differs.");
            }
        } else {
            s.mode = chosen;
            s.digestHour = digestHour;
        }
    }
}
