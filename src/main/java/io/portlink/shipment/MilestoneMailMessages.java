package io.portlink.shipment;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * What a customer reads in milestone and delay mails, in English here and translated in
 * {@code messages/milestonemail_<language>.properties}. Templates use {@code {milestonemail:key}}.
 */
@MessageBundle(value = "milestonemail", locale = "en")
public interface MilestoneMailMessages {

    @Message("en")
    String lang();

    @Message("Hello {name},")
    String hello(String name);

    @Message("Hello,")
    String hello_anonymous();

    @Message("Your shipment \"{title}\" is registered ({organization})")
    String subject_created(String title, String organization);

    @Message("Your shipment \"{title}\": {stage} ({organization})")
    String subject_stage(String title, String stage, String organization);

    @Message("Your shipment \"{title}\" is out for delivery ({organization})")
    String subject_out_for_delivery(String title, String organization);

    @Message("Your shipment \"{title}\" is delivered ({organization})")
    String subject_delivered(String title, String organization);

    @Message("Your shipment \"{title}\" is delayed ({organization})")
    String subject_delay(String title, String organization);

    @Message("A problem was reported on your shipment \"{title}\" ({organization})")
    String subject_exception(String title, String organization);

    @Message("{organization} has registered your shipment \"{title}\". You can follow it on its tracking page.")
    String line_created(String organization, String title);

    @Message("Your shipment \"{title}\" has reached a new stage: {stage}.")
    String line_stage(String title, String stage);

    @Message("Your shipment \"{title}\" is out for delivery and should reach you soon.")
    String line_out_for_delivery(String title);

    @Message("Your shipment \"{title}\" has been delivered.")
    String line_delivered(String title);

    @Message("Your shipment \"{title}\" is running late. We are sorry for the delay.")
    String line_delay(String title);

    @Message("A problem was reported on your shipment \"{title}\". We are on it and will keep you informed.")
    String line_exception(String title);

    /**
     * The title of a shipment a vendor shipped from its link: the n-th delivery of an order, as its receiver reads it
     * (never the purchase order's reference, which is the buyer's business with the vendor).
     */
    @Message("Delivery {n}")
    String delivery_title(int n);

    @Message("Shipment \"{title}\" for {customer}: {event} ({organization})")
    String copy_subject(String title, String customer, String event, String organization);

    @Message("An update on the shipment \"{title}\" (reference {reference}) for the customer {customer}: {event}.")
    String copy_line(String title, String reference, String customer, String event);

    @Message("{organization} sends you a copy of this shipment's updates. The customer's tracking link is theirs"
            + " alone and is not part of this copy.")
    String copy_why(String organization);

    @Message("an unnamed customer")
    String copy_customer_unknown();

    @Message("registered")
    String event_created();

    @Message("reached the stage {stage}")
    String event_stage(String stage);

    @Message("out for delivery")
    String event_out_for_delivery();

    @Message("delivered")
    String event_delivered();

    @Message("running late")
    String event_delay();

    @Message("a problem was reported")
    String event_exception();

    @Message("Expected arrival: {date}.")
    String eta(String date);

    @Message("Track your shipment")
    String open();

    @Message("Open this link on your phone or computer; you need no account:")
    String open_text();

    @Message("This link is for you: anyone who has it can see the tracking page, so please do not forward it.")
    String for_you_only();
}
