package io.portlink.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.portlink.portal.TrackingMessages;
import io.portlink.purchasing.VendorMessages;
import io.portlink.shipment.DriverMessages;
import io.portlink.shipment.MilestoneMailMessages;
import io.portlink.shipment.TrackingMailMessages;
import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Every text a partner reads exists in each of {@link Locales#LANGUAGES}: a key missing from a translation would show
 * that text in English in the middle of a German page (Qute falls back to the English default without a word), and a
 * key the interface no longer has is a translation nobody sees. French puts a no-break space before {@code : ; ? !} and
 * inside « », so a line never starts with the mark.
 */
class MessageBundlesTest {

    private static final List<Class<?>> BUNDLES = List.of(VendorMessages.class, TrackingMessages.class,
            TrackingMailMessages.class, MilestoneMailMessages.class, DriverMessages.class);

    /** A plain space before a French high mark, or a plain space inside « » (Qute's own syntax excluded). */
    private static final Pattern FRENCH_SPACE = Pattern.compile(" [:;?!]| »|« ");

    @Test
    void everyTranslationHasExactlyTheKeysOfItsBundle() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Class<?> bundle : BUNDLES) {
            MessageBundle annotation = bundle.getAnnotation(MessageBundle.class);
            assertNotNull(annotation, bundle.getName());
            Set<String> keys = Stream.of(bundle.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(Message.class))
                    .map(java.lang.reflect.Method::getName).collect(Collectors.toCollection(TreeSet::new));
            assertTrue(keys.size() > 3, bundle.getName() + " has its texts");
            for (String language : Locales.LANGUAGES) {
                if (language.equals(annotation.locale())) {
                    continue;
                }
                String file = "messages/" + annotation.value() + "_" + language + ".properties";
                Properties texts = load(file);
                Set<String> missing = new TreeSet<>(keys);
                missing.removeAll(texts.stringPropertyNames());
                Set<String> unknown = new TreeSet<>(texts.stringPropertyNames());
                unknown.removeAll(keys);
                if (!missing.isEmpty()) {
                    problems.add(file + " lacks " + missing);
                }
                if (!unknown.isEmpty()) {
                    problems.add(file + " has keys its bundle does not: " + unknown);
                }
                for (String key : texts.stringPropertyNames()) {
                    if (texts.getProperty(key).isBlank()) {
                        problems.add(file + ": " + key + " is empty");
                    }
                    if (language.equals("fr") && FRENCH_SPACE.matcher(texts.getProperty(key)).find()) {
                        problems.add(file + ": " + key + " has a plain space where French puts a no-break one");
                    }
                }
                assertEquals(language, texts.getProperty("lang", language), file + " names its language");
            }
        }
        assertEquals(List.of(), problems);
    }

    private static Properties load(String resource) throws IOException {
        try (InputStream in = MessageBundlesTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, resource + " exists");
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return p;
        }
    }
}
