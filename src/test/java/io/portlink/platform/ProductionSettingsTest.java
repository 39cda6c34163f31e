package io.portlink.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.LaunchMode;

/**
 * The settings a production start refuses to go on without, and the ones refused everywhere. The refused start itself,
 * with nothing written, is {@code ProductionSettingsIT}.
 */
class ProductionSettingsTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Test
    void productionNeedsThePublicBaseUrlAndTheMailServerAndNamesWhatToSet() {
        List<String> problems = ProductionSettings.problems(LaunchMode.NORMAL, Optional.empty(), false, false, TIMEOUT,
                LEASE);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("Set PORTLINK_PUBLIC_BASE_URL"), problems.get(0));
        assertTrue(problems.get(1).startsWith("Set QUARKUS_MAILER_HOST"), problems.get(1));
        assertEquals(List.of(), ProductionSettings.problems(LaunchMode.NORMAL,
                Optional.of("https://portlink.example.com"), true, false, TIMEOUT, LEASE));
        // the mock mailer sends nothing, so it needs no server
        assertEquals(List.of(), ProductionSettings.problems(LaunchMode.NORMAL,
                Optional.of("https://portlink.example.com"), false, true, TIMEOUT, LEASE));
        // blank is not set
        assertTrue(ProductionSettings.problems(LaunchMode.NORMAL, Optional.of("  "), true, false, TIMEOUT, LEASE).get(0)
                .startsWith("Set PORTLINK_PUBLIC_BASE_URL"));
    }

    /** A real mailer in production needs a sender at a real domain, not the dev placeholder at localhost. */
    @Test
    void productionMailNeedsASenderOfARealDomain() {
        for (String placeholder : new String[] { "Portlink <portlink@localhost>", "portlink@LOCALHOST", "", null,
                "no address", "Portlink <portlink@mail.localhost>" }) {
            var problem = ProductionSettings.senderProblem(LaunchMode.NORMAL, false, placeholder);
            assertTrue(problem.isPresent() && problem.get().startsWith("Set QUARKUS_MAILER_FROM"),
                    placeholder + ": " + problem);
        }
        assertEquals(Optional.empty(),
                ProductionSettings.senderProblem(LaunchMode.NORMAL, false, "Portlink <portlink@example.com>"));
        assertEquals(Optional.empty(), ProductionSettings.senderProblem(LaunchMode.NORMAL, false, "po@acme.example"));
        // the mock mailer sends nothing; dev mode and the tests log or catch their mail
        assertEquals(Optional.empty(),
                ProductionSettings.senderProblem(LaunchMode.NORMAL, true, "Portlink <portlink@localhost>"));
        assertEquals(Optional.empty(),
                ProductionSettings.senderProblem(LaunchMode.DEVELOPMENT, false, "Portlink <portlink@localhost>"));
    }

    /** The first organisation's settings: all three, or none. */
    record Boot(Optional<String> organization, Optional<String> adminEmail, Optional<String> adminPassword)
            implements PortlinkConfig.Bootstrap {

        @Override
        public String country() {
            return "GB";
        }

        @Override
        public Optional<String> apiKey() {
            return Optional.empty();
        }
    }

    @Test
    void theFirstOrganisationsSettingsAreAllThreeOrNone() {
        Optional<String> none = Optional.empty();
        Optional<String> set = Optional.of("x");
        assertEquals(List.of(), ProductionSettings.bootstrapProblems(new Boot(none, none, none)));
        assertEquals(List.of(), ProductionSettings.bootstrapProblems(new Boot(set, set, set)));
        assertEquals(List.of("Set PORTLINK_BOOTSTRAP_ADMIN_EMAIL and PORTLINK_BOOTSTRAP_ADMIN_PASSWORD too, or none of"
                + " the PORTLINK_BOOTSTRAP_* settings: the first organisation and its admin are created from all three"),
                ProductionSettings.bootstrapProblems(new Boot(set, Optional.of(" "), none)));
        assertEquals(1, ProductionSettings.bootstrapProblems(new Boot(none, set, set)).size());
    }

    @Test
    void devAndTestNeedNeither() {
        for (LaunchMode mode : List.of(LaunchMode.DEVELOPMENT, LaunchMode.TEST)) {
            assertEquals(List.of(), ProductionSettings.problems(mode, Optional.empty(), false, false, TIMEOUT, LEASE));
        }
    }

    @Test
    void aBaseUrlThatCannotPrefixLinksIsRefusedAsTyped() {
        for (String bad : List.of("portlink.example.com", "ftp://portlink.example.com", "https://",
                "https://portlink.example.com/?a=1", "https://portlink.example.com/#top", "http://exa mple.com")) {
            List<String> problems = ProductionSettings.problems(LaunchMode.DEVELOPMENT, Optional.of(bad), true, false,
                    TIMEOUT, LEASE);
            assertEquals(1, problems.size(), bad + ": " + problems);
            assertTrue(problems.get(0).contains("got \"" + bad + "\""), problems.get(0));
        }
        for (String good : List.of("https://portlink.example.com", "http://localhost:8080/", "HTTPS://Example.com",
                "https://example.com/portlink")) {
            assertEquals(List.of(),
                    ProductionSettings.problems(LaunchMode.NORMAL, Optional.of(good), true, false, TIMEOUT, LEASE),
                    good);
        }
    }

    @Test
    void aWebhookTimeoutOfTheLeaseOrLongerIsRefusedEverywhere() {
        for (LaunchMode mode : List.of(LaunchMode.NORMAL, LaunchMode.DEVELOPMENT, LaunchMode.TEST)) {
            for (Duration timeout : List.of(LEASE, Duration.ofSeconds(40))) {
                List<String> problems = ProductionSettings.problems(mode, Optional.of("https://portlink.example.com"),
                        true, false, timeout, LEASE);
                assertEquals(1, problems.size(), problems.toString());
                assertTrue(problems.get(0).startsWith("PORTLINK_WEBHOOKS_TIMEOUT (" + timeout + ") must be shorter"
                        + " than PORTLINK_OUTBOX_LEASE (PT30S)"), problems.get(0));
            }
        }
    }
}
