package io.portlink.platform;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * The settings a start must not go on without, checked before anything else that runs at start: this observer comes
 * first ({@code @Priority(1)}), before {@code organization.Bootstrap} creates the first organisation (priority 10) and
 * before the signer's own key check, so a refused start creates no organisation, admin or API key (Flyway has migrated
 * the schema by then: it runs before any observer) and the next start, with the settings mended, bootstraps with them.
 * Every problem is named at once, each with the environment variable to set.
 * <p>
 * In production (the packaged service): {@code PORTLINK_PUBLIC_BASE_URL} (every link is built from it; a default would
 * hand out links to {@code localhost}), {@code QUARKUS_MAILER_HOST} unless the mock mailer is on (Quarkus would try
 * {@code localhost}, and every mail would end dead), {@code QUARKUS_MAILER_FROM} at a real domain
 * ({@link #senderProblem}), and the session key ({@link Signer#keyProblems}). Everywhere: the first organisation's
 * settings all or none ({@link #bootstrapProblems}), the base URL an absolute http(s) address without query or
 * fragment, {@code portlink.webhooks.timeout} below {@code portlink.outbox.lease} (or a second delivery run could send
 * a webhook the first still waits on), and {@code portlink.jobs.start-delay} below
 * {@code quarkus.quartz.misfire-threshold} ({@link SchedulerStart#checkDelay}). And what each {@link StartCheck} of a
 * feature finds (the bootstrap's API key and, on an empty database, its organisation and admin).
 */
@ApplicationScoped
public class ProductionSettings {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ProductionSettings.class);

    @Inject
    PortlinkConfig config;

    @ConfigProperty(name = "quarkus.http.auth.session.encryption-key")
    Optional<String> sessionKey;

    @ConfigProperty(name = "portlink.link.token-key")
    Optional<String> linkKey;

    @ConfigProperty(name = "portlink.webhooks.secret-key")
    Optional<String> webhookKey;

    @ConfigProperty(name = "quarkus.mailer.mock", defaultValue = "false")
    boolean mockMailer;

    @ConfigProperty(name = "quarkus.mailer.from")
    Optional<String> mailFrom;

    @ConfigProperty(name = "quarkus.quartz.misfire-threshold")
    Duration misfireThreshold;

    @Inject
    @jakarta.enterprise.inject.Any
    jakarta.enterprise.inject.Instance<StartCheck> featureChecks;

    /**
     * @throws IllegalStateException
     *             listing every setting to mend, which stops the start
     */
    void onStart(@Observes @Priority(1) StartupEvent event) {
        List<String> problems = problems(LaunchMode.current(), config.publicBaseUrlSetting(), mailerHostGiven(),
                mockMailer, config.webhooks().timeout(), config.outbox().lease());
        problems.addAll(0, Signer.keyProblems(sessionKey, linkKey, webhookKey, LaunchMode.current()));
        senderProblem(LaunchMode.current(), mockMailer, mailFrom.orElse(null)).ifPresent(problems::add);
        problems.addAll(bootstrapProblems(config.bootstrap()));
        try {
            SchedulerStart.checkDelay(config.jobs().startDelay(), misfireThreshold);
        } catch (IllegalStateException e) {
            problems.add(e.getMessage());
        }
        featureChecks.forEach(check -> problems.addAll(check.problems()));
        if (!problems.isEmpty()) {
            String refused = "Portlink cannot start with these settings (no organisation, user or key was created):\n- "
                    + String.join("\n- ", problems);
            // said as a line of its own: in JSON logs the failed start's own line carries only "Failed to start
            // application" in its message, the reasons deep in its exception's fields
            LOG.error(refused);
            throw new IllegalStateException(refused);
        }
    }

    /**
     * What is wrong with these settings, one sentence each naming the environment variable; empty when nothing is.
     *
     * @param publicBaseUrl
     *            {@code portlink.public-base-url}, empty when not set
     * @param mailerHostGiven
     *            whether {@code quarkus.mailer.host} was set (Quarkus's own default does not count)
     */
    static List<String> problems(LaunchMode mode, Optional<String> publicBaseUrl, boolean mailerHostGiven,
            boolean mockMailer, Duration webhookTimeout, Duration outboxLease) {
        List<String> problems = new ArrayList<>();
        boolean production = mode == LaunchMode.NORMAL;
        if (publicBaseUrl.filter(u -> !u.isBlank()).isEmpty()) {
            if (production) {
                problems.add("Set PORTLINK_PUBLIC_BASE_URL to the address vendors, customers and drivers reach this"
                        + " service at (for example https://portlink.example.com): every link is built from it");
            }
        } else {
            baseUrlProblem(publicBaseUrl.get()).ifPresent(problems::add);
        }
        if (production && !mailerHostGiven && !mockMailer) {
            problems.add("Set QUARKUS_MAILER_HOST (and QUARKUS_MAILER_PORT, …) to the SMTP server that sends Portlink's"
                    + " mail; without it every mail would be tried on localhost and end dead");
        }
        if (webhookTimeout.compareTo(outboxLease) >= 0) {
            problems.add("PORTLINK_WEBHOOKS_TIMEOUT (" + webhookTimeout
                    + ") must be shorter than PORTLINK_OUTBOX_LEASE (" + outboxLease
                    + "), or another delivery run could send the same webhook while the first still"
                    + " waits for its answer");
        }
        return problems;
    }

    /**
     * In production with a real mailer, a sender at {@code localhost} (application.properties' placeholder, there for
     * dev mode) is refused: submission servers refuse or junk such mail, and every mail would end dead after its tries
     * with the service looking healthy.
     */
    static Optional<String> senderProblem(LaunchMode mode, boolean mockMailer, String from) {
        if (mode != LaunchMode.NORMAL || mockMailer) {
            return Optional.empty();
        }
        String address = from == null ? "" : from.strip();
        int lt = address.lastIndexOf('<');
        if (lt >= 0 && address.endsWith(">")) {
            address = address.substring(lt + 1, address.length() - 1);
        }
        int at = address.lastIndexOf('@');
        String domain = at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
        if (domain.isEmpty() || domain.equals("localhost") || domain.endsWith(".localhost")) {
            return Optional.of("Set QUARKUS_MAILER_FROM to the sender Portlink's mail goes out as, an address of your"
                    + " domain that the SMTP server accepts (for example \"Portlink <portlink@example.com>\"); got \""
                    + (from == null ? "" : from) + "\", which mail servers refuse");
        }
        return Optional.empty();
    }

    /**
     * The first organisation's settings are all three or none: with some of them the bootstrap would create nothing,
     * and nobody could sign in without a word said.
     */
    static List<String> bootstrapProblems(PortlinkConfig.Bootstrap boot) {
        var given = new java.util.LinkedHashMap<String, Boolean>();
        given.put("PORTLINK_BOOTSTRAP_ORGANIZATION", present(boot.organization()));
        given.put("PORTLINK_BOOTSTRAP_ADMIN_EMAIL", present(boot.adminEmail()));
        given.put("PORTLINK_BOOTSTRAP_ADMIN_PASSWORD", present(boot.adminPassword()));
        if (!given.containsValue(true) || !given.containsValue(false)) {
            return List.of();
        }
        List<String> missing = given.entrySet().stream().filter(e -> !e.getValue()).map(e -> e.getKey()).toList();
        return List.of("Set " + String.join(" and ", missing) + " too, or none of the PORTLINK_BOOTSTRAP_* settings:"
                + " the first organisation and its admin are created from all three");
    }

    private static boolean present(Optional<String> value) {
        return value.filter(v -> !v.isBlank()).isPresent();
    }

    /** Why {@code url} cannot be the base of links: not absolute http(s) with a host, or with a query or fragment. */
    static Optional<String> baseUrlProblem(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            uri = null;
        }
        String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        // the authority, not getHost(), which is null for names java.net.URI does not parse as a host (an "_" in it)
        if (uri == null || !(scheme.equals("https") || scheme.equals("http")) || uri.getRawAuthority() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return Optional.of("PORTLINK_PUBLIC_BASE_URL must be an absolute http or https address with a host and no"
                    + " query or fragment, such as https://portlink.example.com; got \"" + url + "\"");
        }
        return Optional.empty();
    }

    /** Whether an operator set {@code quarkus.mailer.host}: Quarkus's own default ({@code localhost}) is not set. */
    private static boolean mailerHostGiven() {
        ConfigValue value = ConfigProvider.getConfig().getConfigValue("quarkus.mailer.host");
        // Quarkus's defaults come from a source of the lowest ordinal; anything an operator wrote ranks above it
        return value.getValue() != null && value.getSourceOrdinal() > Integer.MIN_VALUE;
    }
}
