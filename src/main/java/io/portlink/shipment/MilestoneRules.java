package io.portlink.shipment;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.portlink.link.AccessLink;
import io.portlink.link.Links;
import io.portlink.link.Target;
import io.portlink.organization.Organization;
import io.portlink.outbox.Outbox;
import io.portlink.outbox.OutboxMessage;
import io.portlink.platform.ConflictException;
import io.portlink.platform.Locales;
import io.portlink.platform.ValidationException;
import io.portlink.timeline.Subject;
import io.portlink.timeline.Timeline;
import io.portlink.timeline.Visibility;

/**
 * An organisation's milestone rules (see {@link MilestoneRule}): list, create, edit, enable/disable, delete, preview
 * and test send, and the observer of {@link ShipmentTriggered} that mails the customer.
 * <p>
 * <b>Once only.</b> A rule fires at most once per shipment and trigger (and stage, for STAGE_REACHED): the observer
 * locks the shipment's row (every writer of a shipment does, so triggers of one shipment take turns on every replica),
 * then inserts a {@code milestone_fired} row keyed (shipment, rule, trigger key) in the change's transaction, and
 * queues the mail (outbox kind {@value #KIND}) in that same transaction. A retried or repeated event finds the row and
 * sends nothing; a rolled-back change leaves neither row nor mail. The primary key is the backstop.
 * <p>
 * <b>The link.</b> The mail carries the shipment's active tracking link, rebuilt from its seed
 * ({@link Links#currentUrl}); with no active link, one is issued as staff would ({@link TrackingLinks#issue}); an
 * active link whose URL cannot be rebuilt (issued before re-derivable tokens, or under another server key) is
 * regenerated once.
 */
@ApplicationScoped
public class MilestoneRules {

    /** The outbox kind of a milestone mail to a customer (or an extra address). */
    public static final String KIND = "MILESTONE";
    /** The outbox kind of a test send to the staff member's own address. */
    public static final String TEST_KIND = "MILESTONE_TEST";

    /** Most rules an organisation may have. */
    public static final int MAX_RULES = 100;
    /** Most extra addresses per rule. */
    public static final int MAX_EXTRA = 10;

    private static final Pattern EMAIL = Pattern.compile("[^@\\s,;<>\"]+@[^@\\s,;<>\"]+\\.[^@\\s,;<>\"]+");

    @Inject
    Clock clock;

    @Inject
    Outbox outbox;

    @Inject
    Links links;

    @Inject
    TrackingLinks trackingLinks;

    @Inject
    Pipelines pipelines;

    @Inject
    Timeline timeline;

    @Inject
    MilestoneMail mail;

    @Inject
    io.portlink.platform.PortlinkConfig config;

    /** A rule as typed (every field text, as a form sends it). */
    public record RuleInput(String trigger, String stageId, boolean mailCustomer, String extraRecipients) {
    }

    /**
     * A rule as staff see it; {@code stageName} for STAGE_REACHED only, its pipeline named ("Delivered (Vehicles)");
     * {@code fired}: shipments it mailed.
     */
    public record RuleView(long id, ShipmentTriggered.Trigger trigger, Long stageId, String stageName,
            boolean mailCustomer, List<String> extraRecipients, boolean enabled, long version, long fired) {

        /** "Stage reached: In transit", "Delivered": what the rule answers, as staff read it. */
        public String describe() {
            return label(trigger) + (stageName == null ? "" : ": " + stageName);
        }
    }

    /** How staff read a trigger. */
    public static String label(ShipmentTriggered.Trigger trigger) {
        return switch (trigger) {
        case CREATED -> "Shipment created";
        case STAGE_REACHED -> "Stage reached";
        case OUT_FOR_DELIVERY -> "Out for delivery";
        case DELIVERED -> "Delivered";
        case DELAY_DETECTED -> "Delay detected";
        case EXCEPTION_REPORTED -> "Exception reported";
        };
    }

    /** The organisation's rules, oldest first (at most {@value #MAX_RULES}). */
    @Transactional
    public List<RuleView> list(long organizationId) {
        return MilestoneRule.<MilestoneRule> find("organization.id = ?1 order by id", organizationId)
                .range(0, MAX_RULES - 1).list().stream().map(this::view).toList();
    }

    @Transactional
    public Optional<RuleView> view(long organizationId, long id) {
        return find(organizationId, id).map(this::view);
    }

    /**
     * A new enabled rule.
     *
     * @throws ValidationException
     *             listing every problem (trigger, stage, recipients)
     */
    @Transactional
    public RuleView create(long organizationId, RuleInput input) {
        if (MilestoneRule.count("organization.id", organizationId) >= MAX_RULES) {
            throw ValidationException.of("trigger", "an organisation has at most " + MAX_RULES + " rules", null);
        }
        Checked c = check(organizationId, input);
        MilestoneRule r = new MilestoneRule();
        r.organization = Organization.getEntityManager().getReference(Organization.class, organizationId);
        r.enabled = true;
        r.createdAt = Instant.now(clock);
        apply(r, c);
        r.persist();
        return view(r);
    }

    /**
     * Replaces a rule's trigger, stage and recipients. Empty for no such rule of this organisation.
     *
     * @throws ConflictException
     *             when it changed since {@code expectedVersion} (null skips the check)
     * @throws ValidationException
     *             listing every problem
     */
    @Transactional
    public Optional<RuleView> update(long organizationId, long id, Long expectedVersion, RuleInput input) {
        Optional<MilestoneRule> found = find(organizationId, id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Checked c = check(organizationId, input);
        MilestoneRule r = found.get();
        if (expectedVersion != null && expectedVersion != r.version) {
            throw new ConflictException("the rule was changed meanwhile; reload the page and edit it again");
        }
        apply(r, c);
        return Optional.of(view(r));
    }

    /** Turns a rule on or off; false for no such rule. */
    @Transactional
    public boolean setEnabled(long organizationId, long id, boolean enabled) {
        return find(organizationId, id).map(r -> {
            r.enabled = enabled;
            r.updatedAt = Instant.now(clock);
            return true;
        }).orElse(false);
    }

    /** Deletes a rule (and its record of where it fired); false for no such rule. */
    @Transactional
    public boolean delete(long organizationId, long id) {
        return find(organizationId, id).map(r -> {
            MilestoneRule.getEntityManager().createNativeQuery("delete from milestone_fired where rule_id = ?1")
                    .setParameter(1, r.id).executeUpdate();
            r.delete();
            return true;
        }).orElse(false);
    }

    /**
     * A rule's mail as its recipients would read it, for a shipment of the organisation ({@code shipmentId}; null or
     * unknown: a sample shipment) in a language (null or unsupported: the shipment customer's, else the
     * organisation's). The link is a placeholder: a preview never shows or issues a real token. Empty for no such rule.
     */
    @Transactional
    public Optional<MilestoneMail.Rendered> preview(long organizationId, long id, Long shipmentId, String language) {
        return find(organizationId, id).map(r -> render(r, shipmentId, language));
    }

    /**
     * Queues a rule's preview (see {@link #preview}) to the staff member's own address, subject marked "[Test]". Empty
     * for no such rule.
     */
    @Transactional
    public Optional<String> sendTest(long organizationId, long id, Long shipmentId, String language,
            String staffEmail) {
        return find(organizationId, id).map(r -> {
            MilestoneMail.Rendered m = render(r, shipmentId, language);
            OutboxMessage message = outbox.mail(r.organization, TEST_KIND, staffEmail, "[Test] " + m.subject());
            message.bodyText = m.text();
            message.bodyHtml = m.html();
            message.withLogo = r.organization.logoDigest != null;
            message.persist();
            return staffEmail;
        });
    }

    /**
     * Answers a trigger inside the change's transaction: every enabled rule of the organisation for it that has not yet
     * fired for this shipment queues its mail (see the class comment for once-only).
     */
    void onTriggered(@Observes ShipmentTriggered event) {
        List<MilestoneRule> rules = MilestoneRule.<MilestoneRule> list(
                "organization.id = ?1 and trigger = ?2 and enabled = true order by id", event.organizationId(),
                event.trigger());
        if (event.trigger() == ShipmentTriggered.Trigger.STAGE_REACHED) {
            rules = rules.stream().filter(r -> r.stageId != null && r.stageId.equals(event.stageId())).toList();
        }
        if (rules.isEmpty()) {
            return;
        }
        // the shipment's row lock: one trigger of a shipment at a time on every replica (a no-op when the change
        // holds it already)
        Shipment s = Shipment.getEntityManager().find(Shipment.class, event.shipmentId(),
                LockModeType.PESSIMISTIC_WRITE);
        if (s == null || s.deletedAt != null) {
            return;
        }
        String key = event.trigger().name()
                + (event.trigger() == ShipmentTriggered.Trigger.STAGE_REACHED ? ":" + event.stageId() : "");
        String url = null;
        boolean urlKnown = false;
        for (MilestoneRule r : rules) {
            if (!markFired(s.id, r.id, key)) {
                continue;
            }
            Set<String> to = recipients(r, s);
            if (to.isEmpty()) {
                timeline.record(Subject.shipment(s.organization.id, s.id), event.actor().timeline(),
                        ShipmentEvent.MILESTONE_MAIL_QUEUED,
                        label(r.trigger) + ": nobody to mail (the customer has no e-mail address)",
                        Visibility.INTERNAL);
                continue;
            }
            boolean toCustomer = r.mailCustomer && s.customerEmail != null && !s.customerEmail.isBlank();
            if (toCustomer && !urlKnown) {
                url = trackingUrl(s, event.actor());
                urlKnown = true;
            }
            String stage = event.stageId() == null ? null : stageName(event.stageId());
            queue(s, r, to, toCustomer ? url : null, stage, event.actor());
        }
    }

    /** Inserts the once-only row; false when it is there already (this rule fired for this shipment and key). */
    private boolean markFired(long shipmentId, long ruleId, String key) {
        var em = MilestoneRule.getEntityManager();
        Number seen = (Number) em.createNativeQuery(
                "select count(*) from milestone_fired where shipment_id = ?1 and rule_id = ?2 and trigger_key = ?3")
                .setParameter(1, shipmentId).setParameter(2, ruleId).setParameter(3, key).getSingleResult();
        if (seen.longValue() > 0) {
            return false;
        }
        em.createNativeQuery(
                "insert into milestone_fired (shipment_id, rule_id, trigger_key, fired_at) values (?1, ?2, ?3, ?4)")
                .setParameter(1, shipmentId).setParameter(2, ruleId).setParameter(3, key)
                .setParameter(4, Instant.now(clock)).executeUpdate();
        return true;
    }

    /**
     * The URL of the shipment's active tracking link, rebuilt from its seed, for a mail to its customer; or null when
     * the mail goes without a link. The caller holds the shipment's lock. A shipment that never had a link gets one
     * (the mail is how the customer learns of it); one whose last link staff revoked or that expired gets none (a mail
     * never undoes staff's decision). An active link made before links had seeds is regenerated once; one whose URL
     * cannot be rebuilt for another reason (the server key changed) is left alone, so the link the customer already
     * holds keeps working.
     */
    String trackingUrl(Shipment s, ShipmentActor actor) {
        Optional<AccessLink> active = links.active(TrackingLinks.SCOPE, Target.shipment(s.id));
        if (active.isPresent()) {
            Optional<String> url = links.currentUrl(active.get());
            if (url.isPresent()) {
                return url.get();
            }
            return active.get().tokenSeed == null
                    ? trackingLinks.regenerate(s.organization.id, s.id, actor).orElseThrow().url() : null;
        }
        if (AccessLink.count("scope = ?1 and shipmentId = ?2", TrackingLinks.SCOPE, s.id) > 0) {
            return null;
        }
        return trackingLinks.issue(s, null, actor).url();
    }

    private void queue(Shipment s, MilestoneRule r, Set<String> to, String url, String stage, ShipmentActor actor) {
        Organization org = s.organization;
        Locales.Format format = org.formatFor(s.customerLanguage);
        // as the tracking page shows it: the stop's zone, a date alone for a date, none while a problem is open, and
        // none when staff hid it on the customer's link
        String eta = etaShownOnLink(s) ? ShipmentEtas.forCustomer(s, format) : null;
        MilestoneMail.Rendered withLink = MilestoneMail.milestone(mail, r.trigger, format.language(), org.name, s.title,
                s.customerName, stage, eta, url, org.logoDigest != null);
        // extra addresses get a copy of their own, in the organisation's language: which shipment and customer, and
        // never the tracking link, which is the customer's own (its opens count as theirs)
        Locales.Format team = org.formatFor(null);
        String teamEta = etaShownOnLink(s) ? ShipmentEtas.forCustomer(s, team) : null;
        MilestoneMail.Rendered copy = MilestoneMail.copy(mail, r.trigger, team.language(), org.name, s.title,
                s.reference, s.customerName, stage, teamEta, org.logoDigest != null);
        String customer = r.mailCustomer && s.customerEmail != null ? s.customerEmail.strip() : null;
        for (String address : to) {
            MilestoneMail.Rendered m = address.equals(customer) ? withLink : copy;
            OutboxMessage message = outbox.mail(org, KIND, address, m.subject());
            message.shipmentId = s.id;
            message.withLogo = org.logoDigest != null;
            message.contactEmail = org.purchasingEmail;
            message.bodyText = m.text();
            message.bodyHtml = m.html();
            message.persist();
        }
        timeline.record(Subject.shipment(org.id, s.id), actor.timeline(), ShipmentEvent.MILESTONE_MAIL_QUEUED,
                label(r.trigger) + (stage == null ? "" : " (" + stage + ")") + ": to " + String.join(", ", to),
                Visibility.INTERNAL);
    }

    private static Set<String> recipients(MilestoneRule r, Shipment s) {
        Set<String> to = new LinkedHashSet<>();
        if (r.mailCustomer && s.customerEmail != null && !s.customerEmail.isBlank()) {
            to.add(s.customerEmail.strip());
        }
        to.addAll(splitAddresses(r.extraRecipients));
        return to;
    }

    /** Comma, semicolon or whitespace separated addresses; blanks dropped. */
    public static List<String> splitAddresses(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(text.split("[,;\\s]+")).map(String::strip).filter(a -> !a.isEmpty()).distinct()
                .toList();
    }

    /** Whether a text is one plausible e-mail address (no header-breaking characters). */
    public static boolean isAddress(String address) {
        return address != null && address.length() <= 254 && EMAIL.matcher(address).matches();
    }

    private MilestoneMail.Rendered render(MilestoneRule r, Long shipmentId, String language) {
        Organization org = r.organization;
        Shipment s = shipmentId == null ? null : Shipments.live(org.id, shipmentId).orElse(null);
        String lang = Locales.isLanguage(language) ? language
                : org.formatFor(s == null ? null : s.customerLanguage).language();
        Locales.Format format = org.formatFor(lang);
        String url = config.publicUrl(TrackingLinks.SCOPE.path + TrackingLinks.SCOPE.prefix + "…");
        String stage = r.stageId == null ? null : stageName(r.stageId);
        if (s == null) {
            return MilestoneMail.milestone(mail, r.trigger, lang, org.name, "Sample shipment", "Sam Sample", stage,
                    new ShipmentTimes(format, java.time.ZoneId.of(org.timeZone))
                            .at(Instant.now(clock).plusSeconds(86_400)),
                    url, org.logoDigest != null);
        }
        return MilestoneMail.milestone(mail, r.trigger, lang, org.name, s.title, s.customerName, stage,
                ShipmentEtas.forCustomer(s, format), url, org.logoDigest != null);
    }

    /** Whether the shipment's active tracking link shows the ETA (its options; no link: the defaults, shown). */
    private boolean etaShownOnLink(Shipment s) {
        return links.active(TrackingLinks.SCOPE, Target.shipment(s.id))
                .map(link -> TrackingLinks.options(link.id).estimatedArrival()).orElse(true);
    }

    private record Checked(ShipmentTriggered.Trigger trigger, Long stageId, boolean mailCustomer, String extra) {
    }

    private Checked check(long organizationId, RuleInput input) {
        ValidationException.Builder errors = new ValidationException.Builder();
        ShipmentTriggered.Trigger trigger = null;
        String t = input.trigger() == null ? "" : input.trigger().strip();
        try {
            trigger = t.isEmpty() ? null : ShipmentTriggered.Trigger.valueOf(t.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            trigger = null;
        }
        if (trigger == null) {
            errors.add("trigger",
                    t.isEmpty() ? "is required: choose what the rule answers" : "is not one of the triggers offered",
                    t);
        }
        Long stageId = null;
        String st = input.stageId() == null ? "" : input.stageId().strip();
        if (trigger == ShipmentTriggered.Trigger.STAGE_REACHED) {
            if (st.isEmpty()) {
                errors.add("stage", "is required for \"Stage reached\": choose the stage", st);
            } else {
                try {
                    stageId = Long.parseLong(st);
                    if (ShipmentStage.count("id = ?1 and pipeline.organization.id = ?2", stageId,
                            organizationId) == 0) {
                        errors.add("stage", "is no stage of your organisation's pipelines", st);
                        stageId = null;
                    }
                } catch (NumberFormatException e) {
                    errors.add("stage", "is no stage of your organisation's pipelines", st);
                }
            }
        }
        List<String> extra = splitAddresses(input.extraRecipients());
        List<String> bad = new ArrayList<>();
        for (String a : extra) {
            if (!isAddress(a)) {
                bad.add(a);
            }
        }
        if (!bad.isEmpty()) {
            errors.add("extraRecipients", "are not e-mail addresses: " + String.join(", ", bad),
                    input.extraRecipients());
        } else if (extra.size() > MAX_EXTRA) {
            errors.add("extraRecipients", "at most " + MAX_EXTRA + " addresses", input.extraRecipients());
        } else if (String.join(", ", extra).length() > 1000) {
            errors.add("extraRecipients", "are longer than 1000 characters together", null);
        }
        if (!input.mailCustomer() && extra.isEmpty() && bad.isEmpty()) {
            errors.add("extraRecipients",
                    "a rule needs someone to mail: tick \"the shipment's customer\" or add" + " an address",
                    input.extraRecipients());
        }
        errors.throwIfAny();
        return new Checked(trigger, stageId, input.mailCustomer(), extra.isEmpty() ? null : String.join(", ", extra));
    }

    private void apply(MilestoneRule r, Checked c) {
        r.trigger = c.trigger();
        r.stageId = c.stageId();
        r.mailCustomer = c.mailCustomer();
        r.extraRecipients = c.extra();
        r.updatedAt = Instant.now(clock);
    }

    private RuleView view(MilestoneRule r) {
        long fired = ((Number) MilestoneRule.getEntityManager()
                .createNativeQuery("select count(*) from milestone_fired where rule_id = ?1").setParameter(1, r.id)
                .getSingleResult()).longValue();
        return new RuleView(r.id, r.trigger, r.stageId, r.stageId == null ? null : stageInPipeline(r.stageId),
                r.mailCustomer, splitAddresses(r.extraRecipients), r.enabled, r.version, fired);
    }

    /**
     * A stage as staff pick it: "Delivered (Vehicles)", its pipeline named, since two pipelines may each have a stage
     * of that name; null for a stage that is gone.
     */
    private static String stageInPipeline(long stageId) {
        ShipmentStage stage = ShipmentStage.findById(stageId);
        return stage == null ? null : stage.name + " (" + stage.pipeline.name + ")";
    }

    private static String stageName(long stageId) {
        ShipmentStage stage = ShipmentStage.findById(stageId);
        return stage == null ? null : stage.name;
    }

    private static Optional<MilestoneRule> find(long organizationId, long id) {
        return MilestoneRule.<MilestoneRule> find("id = ?1 and organization.id = ?2", id, organizationId)
                .firstResultOptional();
    }
}
