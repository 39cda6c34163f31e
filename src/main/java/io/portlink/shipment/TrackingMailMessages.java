package io.portlink.shipment;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * What a customer reads in the tracking-link mail, in English here and translated in
 * {@code messages/trackmail_<language>.properties}. Templates use {@code {trackmail:key}}.
 */
@MessageBundle(value = "trackmail", locale = "en")
public interface TrackingMailMessages {

    /** What WhatsApp and SMS prefill. */
    @Message("{organization}: follow your shipment \"{title}\" here: {url}")
    String share_text(String organization, String title, String url);

    @Message("en")
    String lang();

    @Message("Track your shipment: {title} ({organization})")
    String subject(String title, String organization);

    @Message("Hello {name},")
    String hello(String name);

    @Message("Hello,")
    String hello_anonymous();

    @Message("{organization} has set up a page where you can follow your shipment \"{title}\".")
    String intro(String organization, String title);

    @Message("Track your shipment")
    String open();

    @Message("Open this link on your phone or computer; you need no account:")
    String open_text();

    @Message("The link works until {date}.")
    String expires(String date);

    @Message("This link is for you: anyone who has it can see the tracking page, so please do not forward it.")
    String for_you_only();
}
