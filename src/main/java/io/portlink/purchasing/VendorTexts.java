package io.portlink.purchasing;

import io.portlink.platform.Locales;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;

/** The vendor texts of {@link VendorMessages} in one language, for Java code (templates use {@code msg:}). */
public final class VendorTexts {

    private VendorTexts() {
    }

    /** The texts in one of {@link Locales#LANGUAGES}; English for anything else. */
    public static VendorMessages in(String language) {
        return "en".equals(language) || !Locales.isLanguage(language) ? MessageBundles.get(VendorMessages.class)
                : MessageBundles.get(VendorMessages.class, Localized.Literal.of(language));
    }
}
