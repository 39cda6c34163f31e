package io.portlink.shipment;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.portlink.platform.Locales;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;

/**
 * Renders the mails of milestone rules and delay alerts: the customer's mail (milestone or delay notice, in the
 * customer's language, built from an allow-list: organisation, paragraphs meant for the customer, the tracking URL) and
 * the staff's delay alert (English, like every staff page).
 */
@ApplicationScoped
public class MilestoneMail {

    /** A mail as it goes into the outbox (or onto the preview page). */
    public record Rendered(String subject, String text, String html) {
    }

    /**
     * What a customer's mail shows, and nothing else: {@code paragraphs} are plain text (escaped by the template),
     * {@code url} the tracking link (null: the mail has none).
     */
    public record CustomerModel(String organization, List<String> paragraphs, String url, boolean withLogo) {
    }

    /** What a staff delay alert shows. Times already written in the organisation's zone. */
    public record AlertModel(String organization, String reference, String title, String customer, int level,
            String levelText, long minutesLate, String eta, String windowEnd, String pageUrl) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance customerHtml(CustomerModel mail);

        static native TemplateInstance customerText(CustomerModel mail);

        static native TemplateInstance alertHtml(AlertModel mail);

        static native TemplateInstance alertText(AlertModel mail);
    }

    /** The customer's mail in a language of {@link Locales#LANGUAGES} (English for anything else). */
    Rendered customer(String language, String subject, CustomerModel model) {
        String lang = Locales.isLanguage(language) ? language : "en";
        return new Rendered(subject, Templates.customerText(model).setLocale(lang).render(),
                Templates.customerHtml(model).setLocale(lang).render());
    }

    Rendered alert(String subject, AlertModel model) {
        return new Rendered(subject, Templates.alertText(model).render(), Templates.alertHtml(model).render());
    }

    /**
     * The subject and paragraphs of a trigger's mail for a shipment, in a language: the trigger's line, and the
     * expected arrival ({@code eta}, already written for the customer; null: not shown).
     */
    static Rendered milestone(MilestoneMail mail, ShipmentTriggered.Trigger trigger, String language, String org,
            String title, String customerName, String stage, String eta, String url, boolean withLogo) {
        MilestoneMailMessages m = texts(language);
        String subject = switch (trigger) {
        case CREATED -> m.subject_created(title, org);
        case STAGE_REACHED -> m.subject_stage(title, stage == null ? "" : stage, org);
        case OUT_FOR_DELIVERY -> m.subject_out_for_delivery(title, org);
        case DELIVERED -> m.subject_delivered(title, org);
        case DELAY_DETECTED -> m.subject_delay(title, org);
        case EXCEPTION_REPORTED -> m.subject_exception(title, org);
        };
        List<String> paragraphs = new ArrayList<>();
        paragraphs.add(greeting(m, customerName));
        paragraphs.add(switch (trigger) {
        case CREATED -> m.line_created(org, title);
        case STAGE_REACHED -> m.line_stage(title, stage == null ? "" : stage);
        case OUT_FOR_DELIVERY -> m.line_out_for_delivery(title);
        case DELIVERED -> m.line_delivered(title);
        case DELAY_DETECTED -> m.line_delay(title);
        case EXCEPTION_REPORTED -> m.line_exception(title);
        });
        if (eta != null && trigger != ShipmentTriggered.Trigger.DELIVERED
                && trigger != ShipmentTriggered.Trigger.EXCEPTION_REPORTED) {
            paragraphs.add(m.eta(eta));
        }
        return mail.customer(language, subject, new CustomerModel(org, paragraphs, url, withLogo));
    }

    /**
     * The same news for an extra address of a rule (a colleague, a forwarder), in the organisation's {@code language}:
     * a neutral greeting, which shipment ({@code title}, {@code reference}) and customer ({@code customerName}, or the
     * customer's address without one) it is about, the expected arrival as the customer reads it, and no tracking link:
     * that link is the customer's own.
     */
    static Rendered copy(MilestoneMail mail, ShipmentTriggered.Trigger trigger, String language, String org,
            String title, String reference, String customerName, String stage, String eta, boolean withLogo) {
        MilestoneMailMessages m = texts(language);
        String customer = customerName == null || customerName.isBlank() ? m.copy_customer_unknown() : customerName;
        String event = switch (trigger) {
        case CREATED -> m.event_created();
        case STAGE_REACHED -> m.event_stage(stage == null ? "" : stage);
        case OUT_FOR_DELIVERY -> m.event_out_for_delivery();
        case DELIVERED -> m.event_delivered();
        case DELAY_DETECTED -> m.event_delay();
        case EXCEPTION_REPORTED -> m.event_exception();
        };
        List<String> paragraphs = new ArrayList<>();
        paragraphs.add(m.hello_anonymous());
        paragraphs.add(m.copy_line(title, reference, customer, event));
        if (eta != null && trigger != ShipmentTriggered.Trigger.DELIVERED
                && trigger != ShipmentTriggered.Trigger.EXCEPTION_REPORTED) {
            paragraphs.add(m.eta(eta));
        }
        paragraphs.add(m.copy_why(org));
        return mail.customer(language, m.copy_subject(title, customer, event, org),
                new CustomerModel(org, paragraphs, null, withLogo));
    }

    static String greeting(MilestoneMailMessages m, String customerName) {
        return customerName == null || customerName.isBlank() ? m.hello_anonymous() : m.hello(customerName);
    }

    /**
     * The neutral title of the n-th shipment (from 1) a vendor ships of an order, in the receiver's language (English
     * for anything else): "Delivery 2", "Lieferung 2". Staff may retitle it.
     */
    public static String deliveryTitle(String language, int n) {
        return texts(language).delivery_title(n);
    }

    /** The texts in one of {@link Locales#LANGUAGES}; English for anything else. */
    static MilestoneMailMessages texts(String language) {
        return "en".equals(language) || !Locales.isLanguage(language) ? MessageBundles.get(MilestoneMailMessages.class)
                : MessageBundles.get(MilestoneMailMessages.class, Localized.Literal.of(language));
    }
}
