package io.portlink.shipment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.link.AccessLink;
import io.portlink.link.Links;
import io.portlink.outbox.Outbox;
import io.portlink.outbox.OutboxEvents;
import io.portlink.outbox.OutboxMessage;
import io.portlink.platform.Locales;
import io.portlink.platform.ValidationException;
import io.portlink.timeline.Actor;
import io.portlink.timeline.Subject;
import io.portlink.timeline.Timeline;
import io.portlink.timeline.Visibility;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;

/**
 * The customer's tracking-link mail: queued in the outbox (kind {@value #KIND}, subject the shipment) in the customer's
 * language, carrying the link's URL, and put on the shipment's timeline when queued, delivered or given up.
 * <p>
 * The mail is built from {@link MailModel}, an allow-list of what a customer may read (the organisation's name, the
 * shipment's title, the customer's own name, the URL and its expiry): no internal field or internal note can reach it.
 */
@ApplicationScoped
public class TrackingMail {

    /** The outbox kind of this mail. */
    public static final String KIND = "TRACKING_LINK";

    /** A form sent again by a reload must not mail the customer twice: the same link's mail again waits this long. */
    static final Duration RESEND_GUARD = Duration.ofMinutes(10);

    @Inject
    Outbox outbox;

    @Inject
    Links links;

    @Inject
    Timeline timeline;

    @Inject
    Clock clock;

    /**
     * Everything the mail shows, and nothing else. {@code expires} is already written for the customer (date and time
     * in the organisation's zone and the customer's language), null when the link does not expire.
     */
    public record MailModel(String organization, String title, String customerName, String url, String expires,
            boolean withLogo) {
    }

    /** What {@link #send} did. */
    public enum Outcome {
        QUEUED,
        /** The same link's mail was queued less than {@link #RESEND_GUARD} ago: nothing new was queued. */
        ALREADY_QUEUED
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance trackingLinkHtml(MailModel mail);

        static native TemplateInstance trackingLinkText(MailModel mail);
    }

    /**
     * E-mails a tracking link whose token staff still hold (the sheet that showed it posts it back; only its hash is
     * stored) to the shipment's customer. The token must be the shipment's active tracking link in this organisation.
     * Empty when it is not (unknown, revoked, expired, another shipment's or organisation's) or the shipment is gone.
     *
     * @throws ValidationException
     *             on {@code customer.email} when the customer has no e-mail address
     */
    @Transactional
    public Optional<Outcome> send(long organizationId, long shipmentId, String token, ShipmentActor actor) {
        // the shipment's row first, as its other writers take it: two presses at once are served one after the other
        Optional<Shipment> found = Shipments.locked(organizationId, shipmentId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Shipment s = found.get();
        Instant now = Instant.now(clock);
        Optional<AccessLink> link = links.findByToken(organizationId, token, AccessLink.Scope.CUSTOMER_SHIPMENT)
                .filter(l -> l.shipmentId != null && l.shipmentId == shipmentId)
                .filter(l -> l.expiresAt == null || l.expiresAt.isAfter(now));
        if (link.isEmpty()) {
            return Optional.empty();
        }
        if (OutboxMessage.count("kind = ?1 and linkId = ?2 and createdAt > ?3", KIND, link.get().id,
                now.minus(RESEND_GUARD)) > 0) {
            return Optional.of(Outcome.ALREADY_QUEUED);
        }
        queue(s, link.get().id, links.url(AccessLink.Scope.CUSTOMER_SHIPMENT, token), link.get().expiresAt, actor);
        return Optional.of(Outcome.QUEUED);
    }

    /**
     * The link whose token staff still hold, when it is the shipment's active tracking link in this organisation (so
     * the sheet can show it again with every way to share it); empty otherwise.
     */
    @Transactional
    public Optional<Links.Issued> held(long organizationId, long shipmentId, String token) {
        Instant now = Instant.now(clock);
        return Shipments.live(organizationId, shipmentId)
                .flatMap(s -> links.findByToken(organizationId, token, AccessLink.Scope.CUSTOMER_SHIPMENT))
                .filter(l -> l.shipmentId != null && l.shipmentId == shipmentId)
                .filter(l -> l.expiresAt == null || l.expiresAt.isAfter(now)).map(l -> new Links.Issued(l.id, token,
                        links.url(AccessLink.Scope.CUSTOMER_SHIPMENT, token), l.expiresAt));
    }

    /**
     * The message WhatsApp and SMS prefill for a tracking link, in the customer's language (else the organisation's):
     * the organisation, the shipment's title (customer-facing) and the URL.
     */
    @Transactional
    public Optional<String> shareText(long organizationId, long shipmentId, String url) {
        return Shipments.live(organizationId, shipmentId).map(s -> {
            var format = s.organization.formatFor(s.customerLanguage);
            return texts(format.language()).share_text(s.organization.name, s.title, url);
        });
    }

    /**
     * Queues the mail of a link just issued or held by staff. Must run inside the caller's transaction: the mail exists
     * if and only if the change commits. Reply-To is the staff member who sends it, else the organisation's purchasing
     * contact (none without one).
     *
     * @throws ValidationException
     *             on {@code customer.email} when the customer has no e-mail address
     */
    public OutboxMessage queue(Shipment s, long linkId, String url, Instant expiresAt, ShipmentActor actor) {
        if (s.customerEmail == null || s.customerEmail.isBlank()) {
            throw ValidationException.of("customer.email",
                    "the customer has no e-mail address: add one with Edit, or share the link by WhatsApp, SMS, QR"
                            + " code or copy instead",
                    null);
        }
        var org = s.organization;
        Locales.Format format = org.formatFor(s.customerLanguage);
        TrackingMailMessages text = texts(format.language());
        var model = new MailModel(org.name, s.title, s.customerName, url,
                expiresAt == null ? null : ShipmentTimes.of(s, format).at(expiresAt), org.logoDigest != null);
        OutboxMessage message = outbox.mail(org, KIND, s.customerEmail, text.subject(s.title, org.name));
        message.shipmentId = s.id;
        message.linkId = linkId;
        message.withLogo = model.withLogo();
        message.contactEmail = actor.type() == ShipmentActor.Type.STAFF && actor.label() != null
                && actor.label().contains("@") ? actor.label() : org.purchasingEmail;
        message.bodyText = Templates.trackingLinkText(model).setLocale(format.language()).render();
        message.bodyHtml = Templates.trackingLinkHtml(model).setLocale(format.language()).render();
        message.persist();
        timeline.record(Subject.shipment(org.id, s.id), actor.timeline(), ShipmentEvent.TRACKING_MAIL_QUEUED,
                "to " + s.customerEmail + " (link #" + linkId + ")", Visibility.INTERNAL);
        return message;
    }

    void delivered(@Observes OutboxEvents.Delivered mail) {
        if (KIND.equals(mail.kind()) && mail.subject().shipmentId() != null) {
            timeline.record(Subject.shipment(mail.organizationId(), mail.subject().shipmentId()), Actor.system(),
                    ShipmentEvent.TRACKING_MAIL_SENT,
                    "delivered to " + mail.recipient() + " (link #" + mail.linkId() + ")", Visibility.INTERNAL);
        }
    }

    void gaveUp(@Observes OutboxEvents.GaveUp mail) {
        if (KIND.equals(mail.kind()) && mail.subject().shipmentId() != null) {
            timeline.record(Subject.shipment(mail.organizationId(), mail.subject().shipmentId()), Actor.system(),
                    ShipmentEvent.TRACKING_MAIL_DEAD, "to " + mail.recipient() + " could not be delivered after "
                            + mail.attempts() + " tries: " + mail.error(),
                    Visibility.INTERNAL);
        }
    }

    /** The mail's texts in one of {@link Locales#LANGUAGES}; English for anything else. */
    static TrackingMailMessages texts(String language) {
        return "en".equals(language) || !Locales.isLanguage(language) ? MessageBundles.get(TrackingMailMessages.class)
                : MessageBundles.get(TrackingMailMessages.class, Localized.Literal.of(language));
    }
}
