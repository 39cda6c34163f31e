package io.portlink.purchasing;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.portlink.platform.Locales;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;

/** The vendor texts of {@link VendorMessages} in one language, for Java code (templates use {@code msg:}). */
public final class VendorTexts {

    private VendorTexts() {
    }

    /**
     * Every text of {@link VendorMessages} that takes no argument, by its key, in one of {@link Locales#LANGUAGES}
     * (English for anything else): the same words as {@code msg:key} in a template rendered in that language, read once
     * per language, so that a page with many texts looks each one up in a map instead of resolving it on every render.
     */
    public static Map<String, String> plain(String language) {
        return PLAIN.computeIfAbsent(known(language), VendorTexts::read);
    }

    private static final ConcurrentMap<String, Map<String, String>> PLAIN = new ConcurrentHashMap<>();

    private static Map<String, String> read(String language) {
        VendorMessages texts = in(language);
        Map<String, String> plain = new HashMap<>();
        for (Method method : VendorMessages.class.getMethods()) {
            if (method.getParameterCount() == 0 && method.getReturnType() == String.class
                    && !Modifier.isStatic(method.getModifiers())) {
                try {
                    plain.put(method.getName(), (String) method.invoke(texts));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("the vendor text " + method.getName() + " cannot be read", e);
                }
            }
        }
        return Map.copyOf(plain);
    }

    /** The texts in one of {@link Locales#LANGUAGES}; English for anything else. */
    public static VendorMessages in(String language) {
        // kept per language: looking the bundle up in the container cost about 1 % of the vendor page's CPU
        return BUNDLES.computeIfAbsent(known(language), k -> "en".equals(k) ? MessageBundles.get(VendorMessages.class)
                : MessageBundles.get(VendorMessages.class, Localized.Literal.of(k)));
    }

    private static final ConcurrentMap<String, VendorMessages> BUNDLES = new ConcurrentHashMap<>();

    /** One of {@link Locales#LANGUAGES}: {@code language} itself, or English for anything else. */
    private static String known(String language) {
        return Locales.isLanguage(language) ? language : "en";
    }
}
