package io.portlink.organization;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.portlink.platform.PortlinkConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * First start on an empty database: creates the configured organisation, its admin and (optionally) an API key, so a
 * new installation is usable without any manual SQL. Does nothing once any organisation exists.
 */
@ApplicationScoped
public class Bootstrap {

    private static final Logger LOG = Logger.getLogger(Bootstrap.class);

    @Inject
    PortlinkConfig config;

    @Inject
    Organizations organizations;

    @Inject
    ApiKeys apiKeys;

    @Transactional
    void onStart(@Observes @jakarta.annotation.Priority(10) StartupEvent event) {
        var boot = config.bootstrap();
        if (boot.organization().isEmpty() || boot.adminEmail().isEmpty() || boot.adminPassword().isEmpty()
                || !organizations.isEmpty()) {
            return;
        }
        Organization org;
        try {
            org = organizations.create(boot.organization().get(), boot.country(), boot.adminEmail().get(),
                    boot.adminPassword().get());
        } catch (io.portlink.platform.ValidationException e) {
            // e.g. a common password: the first admin's password follows the same rules as every other
            throw new IllegalStateException("PORTLINK_BOOTSTRAP_* cannot create the first organisation: "
                    + e.errors().stream().map(f -> f.describe()).toList(), e);
        }
        boot.apiKey().ifPresent(key -> {
            if (key.length() < 32) {
                throw new IllegalStateException("portlink.bootstrap.api-key must be at least 32 characters long");
            }
            apiKeys.store(org.id, "bootstrap", "configuration", key);
        });
        LOG.infof("Created organisation %s with admin %s", org.name, boot.adminEmail().get());
    }
}
