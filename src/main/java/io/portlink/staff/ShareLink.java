package io.portlink.staff;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import io.portlink.link.Links;
import io.portlink.organization.Organizations;
import io.portlink.platform.Locales;
import io.portlink.platform.QrCodes;
import io.portlink.purchasing.VendorTexts;

/** One freshly issued link with every way staff can hand it over. Exists only in the response that shows it. */
public record ShareLink(String reference, String vendorName, String email, String url, String token, String whatsappUrl,
        String smsUrl, String qrSvg) {

    /**
     * A vendor's link to purchase order {@code reference}, its WhatsApp and SMS text in the recipient's
     * {@code language} (a vendor's or contact's; null or one Portlink does not write: the organisation's), as the
     * vendor's mails are.
     */
    public static ShareLink of(Organizations.OrgView organization, String reference, String vendorName, String email,
            String phone, String language, Links.Issued issued) {
        String text = VendorTexts.in(Locales.languageFor(organization.language(), language)).share_text(reference,
                organization.name(), issued.url());
        return withText(text, reference, vendorName, email, phone, issued);
    }

    /**
     * A link with the message that WhatsApp and SMS prefill ({@code text}, which should carry the URL), for any kind of
     * link; {@code name}, {@code email} and {@code phone} are the recipient's (each may be null).
     */
    public static ShareLink withText(String text, String reference, String name, String email, String phone,
            Links.Issued issued) {
        String encoded = URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
        String digits = phone == null ? "" : phone.replaceAll("[^0-9]", "");
        String whatsapp = "https://wa.me/" + digits + "?text=" + encoded;
        String sms = "sms:" + (phone == null ? "" : phone.replaceAll("[^0-9+]", "")) + "?&body=" + encoded;
        return new ShareLink(reference, name, email, issued.url(), issued.token(), whatsapp, sms,
                QrCodes.svg(issued.url()));
    }
}
