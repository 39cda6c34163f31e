package io.portlink.shipment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.portlink.organization.Organization;
import io.portlink.organization.StaffUser;
import io.portlink.outbox.Outbox;
import io.portlink.outbox.OutboxMessage;
import io.portlink.platform.Locales;
import io.portlink.platform.Paging;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.ValidationException;
import io.portlink.timeline.Actor;
import io.portlink.timeline.Subject;
import io.portlink.timeline.Timeline;
import io.portlink.timeline.Visibility;

/**
 * Delay alerts. On every {@link ShipmentEtaChanged} (and on delivery, and every few minutes for shipments whose
 * delivery window has passed: {@link LatenessScan}) the shipment's lateness is computed again:
 * <ul>
 * <li><b>Level 1</b>: its current ETA (never earlier than now) is later than the end of its delivery stop's window plus
 * the threshold (the customer's own, else the organisation's, default {@value #DEFAULT_THRESHOLD_MINUTES}
 * minutes).</li>
 * <li><b>Level 2</b>: later than that by {@value #ESCALATION_HOURS} hours more.</li>
 * <li>Level 0 (on time): otherwise, or delivered, or no delivery window end.</li>
 * </ul>
 * Level 1 or 2 puts the shipment in the Late bucket ({@link Shipment#lateLevel}, {@link Shipment#lateSince}); level 0
 * takes it out. Staff get <b>one alert mail per shipment and level, ever</b>: a mail goes out only when the level is
 * higher than every level already alerted for this shipment (a {@code delay_alert} row per level, inserted in the
 * change's transaction under the shipment's row lock, so once across retries and replicas). A shipment that goes back
 * on time and becomes late again at a level already alerted gets no new mail; it is in the Late bucket again. The first
 * alert of a shipment also fires {@link ShipmentTriggered.Trigger#DELAY_DETECTED} (milestone rules mail the customer
 * once). A changed threshold applies from the shipment's next ETA change.
 */
@ApplicationScoped
public class DelayAlerts {

    public static final int DEFAULT_THRESHOLD_MINUTES = 60;
    /** Level 2 starts this many hours after level 1's threshold. */
    public static final int ESCALATION_HOURS = 24;
    /** The outbox kind of a staff alert. */
    public static final String ALERT_KIND = "DELAY_ALERT";
    /** The outbox kind of the delay mail staff send the customer from the shipment page. */
    public static final String NOTICE_KIND = "DELAY_NOTICE";
    /** A second click (or a reload) within this time queues no second delay mail. */
    static final Duration RESEND_GUARD = Duration.ofMinutes(10);
    /** Most minutes a threshold may be (30 days). */
    public static final int MAX_THRESHOLD = 43_200;
    public static final int SUBJECT_MAX = 200;
    public static final int BODY_MAX = 5000;

    @Inject
    Clock clock;

    @Inject
    Outbox outbox;

    @Inject
    Timeline timeline;

    @Inject
    MilestoneMail mail;

    @Inject
    MilestoneRules rules;

    @Inject
    Pipelines pipelines;

    @Inject
    PortlinkConfig config;

    @Inject
    Event<ShipmentTriggered> triggered;

    /** The organisation's alert settings. {@code alertEmails} null: the enabled admins. */
    public record Settings(int thresholdMinutes, int noPositionHours, String alertEmails) {
    }

    /** A customer's threshold. */
    public record Override(long id, String customerName, int thresholdMinutes) {
    }

    /**
     * The prefilled delay mail of the shipment page, in the customer's language ({@code to} null: the customer has no
     * address), with the shipment's Late state ({@code lateLevel} 0 on time; {@code lateSince} UTC).
     */
    public record Notice(String to, String language, String subject, String body, int lateLevel, Instant lateSince) {
    }

    /** What {@link #sendNotice} did. */
    public enum Outcome {
        QUEUED, ALREADY_QUEUED
    }

    void etaChanged(@Observes ShipmentEtaChanged event) {
        recheck(event.shipmentId());
    }

    /**
     * Computes one shipment's level again under its row lock (an ETA change, or {@link LatenessScan} noticing a window
     * pass with no new ETA); alerts and moves it in or out of the Late bucket as the class comment says. A deleted or
     * unknown shipment is left alone.
     */
    @Transactional
    public void recheck(long shipmentId) {
        Shipment s = Shipment.getEntityManager().find(Shipment.class, shipmentId, LockModeType.PESSIMISTIC_WRITE);
        if (s != null && s.deletedAt == null) {
            evaluate(s);
        }
    }

    void delivered(@Observes ShipmentTriggered event) {
        if (event.trigger() == ShipmentTriggered.Trigger.DELIVERED) {
            Shipment s = Shipment.findById(event.shipmentId());
            if (s != null && s.lateLevel > 0) {
                evaluate(s);
            }
        }
    }

    /** The level (0, 1, 2) of a shipment now; see the class comment. */
    int level(Shipment s) {
        Instant windowEnd = windowEnd(s.id);
        if (s.deliveredAt != null || windowEnd == null) {
            return 0;
        }
        Instant eta = effectiveEta(s);
        Instant late = windowEnd.plus(Duration.ofMinutes(threshold(s)));
        if (eta.isAfter(late.plus(Duration.ofHours(ESCALATION_HOURS)))) {
            return 2;
        }
        return eta.isAfter(late) ? 1 : 0;
    }

    /**
     * The ETA lateness is judged by: the current ETA, but never earlier than now, since an undelivered shipment cannot
     * arrive in the past (an ETA nobody updated, or none at all, is late once the window and threshold pass).
     */
    private Instant effectiveEta(Shipment s) {
        Instant now = Instant.now(clock);
        Instant eta = s.currentEta;
        if (eta != null && s.etaDateOnly) {
            // "arrives on the 3rd" says nothing of the hour: late only once that whole day starts after the window
            // (plus threshold), never because the date is stored as the day's last second
            ZoneId zone = ShipmentEtas.zone(s);
            eta = eta.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
        }
        return eta == null || eta.isBefore(now) ? now : eta;
    }

    /** The threshold in minutes of a shipment: its customer's, else its organisation's, else the default. */
    int threshold(Shipment s) {
        if (s.customerKey != null) {
            Optional<CustomerDelayThreshold> own = CustomerDelayThreshold
                    .<CustomerDelayThreshold> find("organization.id = ?1 and customerKey = ?2", s.organization.id,
                            s.customerKey)
                    .firstResultOptional();
            if (own.isPresent()) {
                return own.get().thresholdMinutes;
            }
        }
        return ShipmentSettings.of(s.organization.id).delayThresholdMinutes;
    }

    private void evaluate(Shipment s) {
        int level = level(s);
        Instant now = Instant.now(clock);
        Subject subject = Subject.shipment(s.organization.id, s.id);
        if (level == 0) {
            if (s.lateLevel > 0) {
                s.lateLevel = 0;
                s.lateSince = null;
                timeline.record(subject, Actor.system(), ShipmentEvent.BACK_ON_TIME,
                        s.deliveredAt != null ? "delivered" : "the ETA is within the delivery window and threshold",
                        Visibility.INTERNAL);
            }
            return;
        }
        if (s.lateLevel != level) {
            if (s.lateLevel == 0) {
                s.lateSince = now;
            }
            s.lateLevel = level;
            timeline.record(subject, Actor.system(), ShipmentEvent.LATE, levelText(level), Visibility.INTERNAL);
        }
        var em = Shipment.getEntityManager();
        Number alerted = (Number) em
                .createNativeQuery("select coalesce(max(level), 0) from delay_alert where shipment_id = ?1")
                .setParameter(1, s.id).getSingleResult();
        if (level <= alerted.intValue()) {
            return;
        }
        em.createNativeQuery("insert into delay_alert (shipment_id, level, alerted_at) values (?1, ?2, ?3)")
                .setParameter(1, s.id).setParameter(2, level).setParameter(3, now).executeUpdate();
        alertStaff(s, level);
        if (alerted.intValue() == 0) {
            triggered.fire(new ShipmentTriggered(s.organization.id, s.id, ShipmentTriggered.Trigger.DELAY_DETECTED,
                    null, ShipmentActor.system()));
        }
    }

    static String levelText(int level) {
        return level >= 2 ? "level 2, over the threshold by more than " + ESCALATION_HOURS + " hours"
                : "level 1, over the threshold";
    }

    private void alertStaff(Shipment s, int level) {
        Organization org = s.organization;
        // the shipment's times as its staff page and the queue show them: the delivery stop's zone, named
        ShipmentTimes times = ShipmentTimes.of(s, org.format());
        Instant windowEnd = windowEnd(s.id);
        long minutesLate = Duration.between(windowEnd, effectiveEta(s)).toMinutes();
        var model = new MilestoneMail.AlertModel(org.name, s.reference, s.title, s.customerName, level,
                levelText(level), minutesLate,
                s.currentEta == null ? "none (not delivered and the window has passed)"
                        : s.etaDateOnly && s.estimatedArrival != null ? times.eta(s) + " (no time given)"
                                : times.eta(s),
                times.at(windowEnd), config.publicUrl("/app/shipments/" + s.id));
        MilestoneMail.Rendered m = mail
                .alert("Late shipment " + s.reference + " (level " + level + "): " + minutesLate + " minutes", model);
        List<String> to = alertRecipients(org.id);
        for (String address : to) {
            OutboxMessage message = outbox.mail(org, ALERT_KIND, address, m.subject());
            message.shipmentId = s.id;
            message.bodyText = m.text();
            message.bodyHtml = m.html();
            message.persist();
        }
        timeline.record(Subject.shipment(org.id, s.id), Actor.system(), ShipmentEvent.LATE,
                "alert mail (" + levelText(level) + ") to "
                        + (to.isEmpty() ? "nobody: no admin and no alert address" : String.join(", ", to)),
                Visibility.INTERNAL);
    }

    private static List<String> alertRecipients(long organizationId) {
        ShipmentSettings settings = ShipmentSettings.of(organizationId);
        if (settings.delayAlertEmails != null && !settings.delayAlertEmails.isBlank()) {
            return MilestoneRules.splitAddresses(settings.delayAlertEmails);
        }
        return StaffUser.<StaffUser> find("organization.id = ?1 and role = ?2 and enabled = true order by id",
                organizationId, StaffUser.Role.ADMIN).range(0, 19).list().stream().map(u -> u.email).toList();
    }

    /** The end of the delivery stop's window (UTC), null without one. */
    static Instant windowEnd(long shipmentId) {
        return ShipmentStop.<ShipmentStop> find("shipment.id = ?1 and kind = ?2 order by position desc", shipmentId,
                ShipmentStop.Kind.DELIVERY).firstResultOptional().map(st -> st.windowTo).orElse(null);
    }

    // ------------------------------------------------------------------ the customer's delay mail

    /**
     * The shipment page's prefilled delay mail to the customer, in the customer's language (else the organisation's),
     * with the current ETA as the tracking page shows it ({@link ShipmentEtas#forCustomer}). The tracking link is added
     * when sent (never shown here). Empty for no such shipment.
     */
    @Transactional
    public Optional<Notice> notice(long organizationId, long shipmentId) {
        return Shipments.live(organizationId, shipmentId).map(s -> {
            Locales.Format format = s.organization.formatFor(s.customerLanguage);
            MilestoneMailMessages m = MilestoneMail.texts(format.language());
            StringBuilder body = new StringBuilder(MilestoneMail.greeting(m, s.customerName)).append("\n\n")
                    .append(m.line_delay(s.title));
            String eta = ShipmentEtas.forCustomer(s, format);
            if (eta != null) {
                body.append("\n\n").append(m.eta(eta));
            }
            return new Notice(s.customerEmail, format.language(), m.subject_delay(s.title, s.organization.name),
                    body.toString(), s.lateLevel, s.lateSince);
        });
    }

    /**
     * Queues the delay mail as staff edited it (plain text; paragraphs split on blank lines) with the tracking link
     * (issued when none is active). A second send within {@link #RESEND_GUARD} queues nothing. Empty for no such
     * shipment.
     *
     * @throws ValidationException
     *             naming each problem: no customer address, subject or body empty or too long
     */
    @Transactional
    public Optional<Outcome> sendNotice(long organizationId, long shipmentId, String subject, String body,
            ShipmentActor actor) {
        Optional<Shipment> found = Shipments.locked(organizationId, shipmentId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Shipment s = found.get();
        ValidationException.Builder errors = new ValidationException.Builder();
        if (s.customerEmail == null || s.customerEmail.isBlank()) {
            errors.add("customer.email", "the customer has no e-mail address: add one with Edit", null);
        }
        String sub = subject == null ? "" : subject.strip();
        String text = body == null ? "" : body.strip();
        if (sub.isEmpty()) {
            errors.add("subject", "is required", sub);
        } else if (sub.length() > SUBJECT_MAX) {
            errors.add("subject", "is longer than " + SUBJECT_MAX + " characters", sub);
        }
        if (text.isEmpty()) {
            errors.add("body", "is required", text);
        } else if (text.length() > BODY_MAX) {
            errors.add("body", "is longer than " + BODY_MAX + " characters", null);
        }
        errors.throwIfAny();
        Instant now = Instant.now(clock);
        if (OutboxMessage.count("kind = ?1 and shipmentId = ?2 and createdAt > ?3", NOTICE_KIND, s.id,
                now.minus(RESEND_GUARD)) > 0) {
            return Optional.of(Outcome.ALREADY_QUEUED);
        }
        Organization org = s.organization;
        String language = org.formatFor(s.customerLanguage).language();
        List<String> paragraphs = new ArrayList<>();
        for (String p : text.replace("\r\n", "\n").split("\n\\s*\n")) {
            if (!p.isBlank()) {
                paragraphs.add(p.strip());
            }
        }
        String url = rules.trackingUrl(s, actor);
        MilestoneMail.Rendered m = mail.customer(language, sub,
                new MilestoneMail.CustomerModel(org.name, paragraphs, url, org.logoDigest != null));
        OutboxMessage message = outbox.mail(org, NOTICE_KIND, s.customerEmail.strip(), m.subject());
        message.shipmentId = s.id;
        message.withLogo = org.logoDigest != null;
        message.contactEmail = actor.type() == ShipmentActor.Type.STAFF && actor.label() != null
                && actor.label().contains("@") ? actor.label() : org.purchasingEmail;
        message.bodyText = m.text();
        message.bodyHtml = m.html();
        message.persist();
        timeline.record(Subject.shipment(org.id, s.id), actor.timeline(), ShipmentEvent.DELAY_MAIL_QUEUED,
                "to " + s.customerEmail.strip() + ": " + m.subject(), Visibility.INTERNAL);
        return Optional.of(Outcome.QUEUED);
    }

    // ------------------------------------------------------------------ settings

    /** The organisation's alert settings (the defaults when it has none saved). */
    @Transactional
    public Settings settings(long organizationId) {
        ShipmentSettings s = ShipmentSettings.of(organizationId);
        return new Settings(s.delayThresholdMinutes, s.noPositionHours, s.delayAlertEmails);
    }

    /**
     * Saves the organisation's threshold (minutes, 0 to {@value #MAX_THRESHOLD}), the queue's "no position" hours (1 to
     * 720) and the alert addresses (blank: the admins), all as typed.
     *
     * @throws ValidationException
     *             naming every problem; nothing is saved then
     */
    @Transactional
    public Settings saveSettings(long organizationId, String thresholdMinutes, String noPositionHours,
            String alertEmails) {
        ValidationException.Builder errors = new ValidationException.Builder();
        Integer threshold = number(errors, "thresholdMinutes", thresholdMinutes, 0, MAX_THRESHOLD);
        Integer hours = number(errors, "noPositionHours", noPositionHours, 1, 720);
        List<String> emails = MilestoneRules.splitAddresses(alertEmails);
        List<String> bad = emails.stream().filter(a -> !MilestoneRules.isAddress(a)).toList();
        if (!bad.isEmpty()) {
            errors.add("alertEmails", "are not e-mail addresses: " + String.join(", ", bad), alertEmails);
        } else if (emails.size() > MilestoneRules.MAX_EXTRA) {
            errors.add("alertEmails", "at most " + MilestoneRules.MAX_EXTRA + " addresses", alertEmails);
        }
        errors.throwIfAny();
        pipelines.ensureDefault(organizationId);
        ShipmentSettings s = ShipmentSettings.findById(organizationId);
        s.delayThresholdMinutes = threshold;
        s.noPositionHours = hours;
        s.delayAlertEmails = emails.isEmpty() ? null : String.join(", ", emails);
        return settings(organizationId);
    }

    /** One page of the customers' own thresholds, by name. */
    @Transactional
    public List<Override> overrides(long organizationId, Paging paging) {
        return CustomerDelayThreshold
                .<CustomerDelayThreshold> find("organization.id = ?1 order by customerKey, id", organizationId)
                .range(paging.offset(), paging.offset() + paging.size() - 1).list().stream()
                .map(o -> new Override(o.id, o.customerName, o.thresholdMinutes)).toList();
    }

    /**
     * Sets a customer's threshold (minutes, as typed) by customer name (any case; a second save of the same name
     * replaces it).
     *
     * @throws ValidationException
     *             naming every problem
     */
    @Transactional
    public Override setOverride(long organizationId, String customerName, String minutes) {
        ValidationException.Builder errors = new ValidationException.Builder();
        String name = customerName == null ? "" : customerName.strip();
        if (name.isEmpty()) {
            errors.add("customerName", "is required: the customer's name as on their shipments", name);
        } else if (name.length() > 200) {
            errors.add("customerName", "is longer than 200 characters", name);
        }
        Integer value = number(errors, "customerThreshold", minutes, 0, MAX_THRESHOLD);
        errors.throwIfAny();
        String key = name.toLowerCase(Locale.ROOT);
        CustomerDelayThreshold o = CustomerDelayThreshold
                .<CustomerDelayThreshold> find("organization.id = ?1 and customerKey = ?2", organizationId, key)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional().orElse(null);
        if (o == null) {
            o = new CustomerDelayThreshold();
            o.organization = Organization.getEntityManager().getReference(Organization.class, organizationId);
            o.customerKey = key;
            o.customerName = name;
            o.thresholdMinutes = value;
            o.persist();
        } else {
            o.customerName = name;
            o.thresholdMinutes = value;
        }
        return new Override(o.id, o.customerName, o.thresholdMinutes);
    }

    /** Removes a customer's threshold; false for no such row of this organisation. */
    @Transactional
    public boolean removeOverride(long organizationId, long id) {
        return CustomerDelayThreshold.delete("id = ?1 and organization.id = ?2", id, organizationId) > 0;
    }

    private static Integer number(ValidationException.Builder errors, String field, String text, int min, int max) {
        String t = text == null ? "" : text.strip();
        try {
            int value = Integer.parseInt(t);
            if (value < min || value > max) {
                errors.add(field, "must be a whole number from " + min + " to " + max, t);
                return null;
            }
            return value;
        } catch (NumberFormatException e) {
            errors.add(field, t.isEmpty() ? "is required (a whole number from " + min + " to " + max + ")"
                    : "must be a whole number from " + min + " to " + max, t);
            return null;
        }
    }
}
