package io.portlink.platform;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Every route of the service gets its own HTTP metrics. Quarkus denies new {@code http.server.*} meters once
 * {@code quarkus.micrometer.binder.http-server.max-uri-tags} distinct {@code uri} values were seen, so a cap below the
 * number of route templates would silently leave the routes requested last without a series (in production, whichever
 * routes happen to be used after the first hundred). Reads the compiled resources, starts nothing.
 */
class MetricRouteCapTest {

    private static final Set<Class<? extends java.lang.annotation.Annotation>> METHODS = Set.of(GET.class, POST.class,
            PUT.class, DELETE.class, PATCH.class, HEAD.class, OPTIONS.class);

    @Test
    void theUriCapLeavesRoomForEveryRouteTemplate() throws IOException {
        Set<String> templates = new TreeSet<>();
        for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.portlink")) {
            String base = type.tryGetAnnotationOfType(Path.class).map(Path::value).orElse("");
            for (JavaMethod method : type.getMethods()) {
                if (METHODS.stream().noneMatch(method::isAnnotatedWith)) {
                    continue;
                }
                String sub = method.tryGetAnnotationOfType(Path.class).map(Path::value).orElse("");
                templates.add(("/" + base + "/" + sub).replaceAll("/+", "/").replaceAll("(.)/$", "$1"));
            }
        }
        Properties settings = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            settings.load(in);
        }
        int cap = Integer.parseInt(settings.getProperty("quarkus.micrometer.binder.http-server.max-uri-tags"));
        // Quarkus's own values (NOT_FOUND, REDIRECTION, UNKNOWN, root), the static files and the sign-in form's address
        int others = 4 + 3 + 1;

        assertTrue(templates.size() > 150, "the scan found the routes: " + templates.size());
        assertTrue(cap >= 2 * (templates.size() + others), "max-uri-tags " + cap + " must leave room for "
                + templates.size() + " route templates and " + others + " other uri values, and for new routes");
    }
}
