package io.portlink.organization;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.Tokens;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * First start on an empty database: creates the configured organisation, its admin and (optionally) an API key, so a
 * new installation is usable without any manual SQL. Does nothing once any organisation exists.
 */
@ApplicationScoped
public class Bootstrap implements io.portlink.platform.StartCheck {

    private static final Logger LOG = Logger.getLogger(Bootstrap.class);

    /** The environment variable of each field {@link Organizations#create} names in its problems. */
    private static final java.util.Map<String, String> SETTING_OF = java.util.Map.of("name",
            "PORTLINK_BOOTSTRAP_ORGANIZATION", "country", "PORTLINK_BOOTSTRAP_COUNTRY", "adminEmail",
            "PORTLINK_BOOTSTRAP_ADMIN_EMAIL", "adminPassword", "PORTLINK_BOOTSTRAP_ADMIN_PASSWORD");

    @Inject
    PortlinkConfig config;

    @Inject
    Organizations organizations;

    @Inject
    ApiKeys apiKeys;

    /**
     * Asked by {@code platform.ProductionSettings} before this bean's start: a bootstrap API key that logs could not
     * mask (whenever it is set), and on an empty database what would stop the first organisation's creation (its name,
     * country, admin address, a password the rules refuse), so that they are named with every other setting to mend.
     */
    @Override
    @Transactional
    public java.util.List<String> problems() {
        var boot = config.bootstrap();
        var problems = new java.util.ArrayList<String>();
        boot.apiKey().flatMap(Bootstrap::apiKeyProblem).ifPresent(problems::add);
        if (boot.organization().isPresent() && boot.adminEmail().isPresent() && boot.adminPassword().isPresent()
                && organizations.isEmpty()) {
            try {
                organizations.check(boot.organization().get(), boot.country(), boot.adminEmail().get(),
                        boot.adminPassword().get());
            } catch (io.portlink.platform.ValidationException e) {
                problems.add(refusal(e));
            }
        }
        return problems;
    }

    @Transactional
    void onStart(@Observes @jakarta.annotation.Priority(10) StartupEvent event) {
        var boot = config.bootstrap();
        if (!organizations.isEmpty()) {
            return;
        }
        if (boot.organization().isEmpty() || boot.adminEmail().isEmpty() || boot.adminPassword().isEmpty()) {
            // all three or none: ProductionSettings refuses a start with some of them
            if (LaunchMode.current() == LaunchMode.NORMAL && !config.demo().enabled()) {
                LOG.warn("No organisation exists yet, so nobody can sign in: set PORTLINK_BOOTSTRAP_ORGANIZATION,"
                        + " PORTLINK_BOOTSTRAP_ADMIN_EMAIL and PORTLINK_BOOTSTRAP_ADMIN_PASSWORD and start again"
                        + " (or create one through the operator API)");
            }
            return;
        }
        Organization org;
        try {
            org = organizations.create(boot.organization().get(), boot.country(), boot.adminEmail().get(),
                    boot.adminPassword().get());
        } catch (io.portlink.platform.ValidationException e) {
            // e.g. a common password: the first admin's password follows the same rules as every other
            throw new IllegalStateException(refusal(e), e);
        }
        boot.apiKey().ifPresent(key -> apiKeys.store(org.id, "bootstrap", "configuration", key));
        // the address masked, as every log line writes one: logs outlive the person's account
        LOG.infof("Created organisation %s with admin %s", org.name,
                io.portlink.platform.Addresses.mask(boot.adminEmail().get()));
    }

    /**
     * Why the first organisation cannot be created, each problem under the environment variable that set the value:
     * {@code PORTLINK_BOOTSTRAP_ADMIN_PASSWORD is one of the most commonly used passwords…}, not the field's name.
     */
    static String refusal(io.portlink.platform.ValidationException e) {
        return "The first organisation cannot be created from these settings: " + String.join("; ", e.errors().stream()
                .map(f -> SETTING_OF.getOrDefault(f.field(), f.field()) + " " + f.message()).toList());
    }

    /**
     * The bootstrap API key is an API key like any other: {@code pk_} and at least 32 random characters of base64url,
     * so that the log masking and secret scanners recognise it (SECURITY.md, Tokens).
     *
     * @return what the setting must look like; empty when {@code key} does
     */
    static java.util.Optional<String> apiKeyProblem(String key) {
        if (!key.startsWith(Tokens.API_KEY) || !key.substring(Tokens.API_KEY.length()).matches("[A-Za-z0-9_-]{32,}")) {
            return java.util.Optional.of("PORTLINK_BOOTSTRAP_API_KEY (portlink.bootstrap.api-key) must be"
                    + " \"pk_\" followed by at least 32 letters, digits, '-' or '_', so that logs can mask it;"
                    + " for example: pk_$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=')");
        }
        return java.util.Optional.empty();
    }
}
