package io.portlink.platform;

import java.time.Duration;
import java.util.Optional;

import org.hibernate.validator.constraints.time.DurationMin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Portlink's own settings ({@code portlink.*}, or {@code PORTLINK_*} in the environment). */
@ConfigMapping(prefix = "portlink")
public interface PortlinkConfig {

    /**
     * {@code portlink.public-base-url}: the base of every link handed out, never taken from a request's Host header.
     * Production refuses to start without it ({@link ProductionSettings}); dev and test set it in
     * application.properties.
     */
    @io.smallrye.config.WithName("public-base-url")
    Optional<String> publicBaseUrlSetting();

    /**
     * The base of every link ({@link #publicBaseUrlSetting}).
     *
     * @throws IllegalStateException
     *             when it is not set (a start in production has refused that already)
     */
    default String publicBaseUrl() {
        return publicBaseUrlSetting().filter(u -> !u.isBlank())
                .orElseThrow(() -> new IllegalStateException("portlink.public-base-url is not set"));
    }

    /** An absolute URL of this service for a path starting with "/". */
    default String publicUrl(String path) {
        String base = publicBaseUrl();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
    }

    /**
     * Addresses or CIDR ranges of the reverse proxy whose X-Forwarded-* headers are believed; read by Quarkus through
     * {@code quarkus.http.proxy.trusted-proxies} (application.properties). Unset: nobody's.
     */
    Optional<String> trustedProxies();

    Link link();

    @io.smallrye.config.WithName("import")
    Import importLimits();

    Outbox outbox();

    Webhooks webhooks();

    Bootstrap bootstrap();

    Demo demo();

    AccessLog accessLog();

    Operator operator();

    Reminders reminders();

    Notices notices();

    Delays delays();

    Retention retention();

    SignIn signIn();

    Routing routing();

    @io.smallrye.config.WithName("map")
    MapTiles map();

    Dropship dropship();

    Metrics metrics();

    Jobs jobs();

    /** This replica's job scheduler (platform.SchedulerStart). */
    interface Jobs {
        /**
         * How long after the service started the scheduler begins to fire jobs (0: as it starts); below
         * {@code quarkus.quartz.misfire-threshold}.
         */
        @WithDefault("5s")
        Duration startDelay();
    }

    /** What {@code /q/metrics} on the management interface reads from the database (platform.ScrapedGauges). */
    interface Metrics {
        /**
         * How long one reading of the database's gauges (outbox depth, dead messages, sync lag) serves scrapes: many
         * scrapers (several Prometheus servers, a person with curl) cost one query per this interval.
         */
        @WithDefault("5s")
        Duration cache();

        /** The most merchants whose sync lag is reported (the longest lags first); bounds the series. */
        @WithDefault("500")
        int syncLagMerchants();
    }

    /** The dropship merchants' sync (dropship.Sync). */
    interface Dropship {
        /**
         * How often the scheduler looks for merchants whose own interval has come (a Quarkus scheduler interval such as
         * 1m); each merchant still syncs at its own interval (10 minutes to daily).
         */
        @DurationMin(seconds = 1, message = "must be a positive interval such as 30s, 15m or 1h (set PORTLINK_DROPSHIP_SYNC_EVERY)")
        @WithDefault("1m")
        Duration syncEvery();

        /** Supplier stock changes written back per transaction. */
        @WithDefault("10000")
        int writeBackBatch();

        /**
         * "Sync now" runs one replica does at once; more are answered "try again in a minute". Each holds two database
         * connections for its length, so keep it at most a quarter of {@code quarkus.datasource.jdbc.max-size}.
         */
        @WithDefault("4")
        int manualRuns();
    }

    /** The routing engine for computed ETAs (shipment.ShipmentEtas); none: the great-circle estimate. */
    interface Routing {
        /** An OSRM HTTP API's base URL, e.g. http://osrm.internal:5000. */
        Optional<String> osrmUrl();

        /** How long one route request may take, connecting included, before the estimate is used. */
        @WithDefault("2s")
        Duration timeout();
    }

    /** The tracking page's map. */
    interface MapTiles {
        /** A tile URL template with {z}, {x}, {y}; none (the default): no map, no third-party request. */
        Optional<String> tileUrl();
    }

    /**
     * Staff sign-in throttling (organization.SignInThrottle). Each counter allows some failures, then makes the next
     * attempt wait {@link #firstDelay()}, doubling with each further failure, and at its lock threshold refuses for
     * {@link #lockDuration()}. Failures older than {@link #forgetAfter()} are forgotten.
     */
    interface SignIn {
        /** One e-mail address from one client address. */
        @WithDefault("5")
        int clientDelayAfter();

        @WithDefault("10")
        int clientLockAfter();

        /** One client address, whatever e-mail it tries. */
        @WithDefault("20")
        int addressDelayAfter();

        @WithDefault("50")
        int addressLockAfter();

        /** One e-mail address from every client address together; clients it signed in from are let through. */
        @WithDefault("20")
        int accountDelayAfter();

        @WithDefault("30")
        int accountLockAfter();

        @WithDefault("1m")
        Duration firstDelay();

        @WithDefault("15m")
        Duration lockDuration();

        @WithDefault("24h")
        Duration forgetAfter();

        /** A client address that signed in to an account this recently is let in while the account is locked. */
        @WithDefault("90d")
        Duration knownAddressFor();
    }

    interface Reminders {
        /** How often the reminder job looks for due reminders. */
        @DurationMin(seconds = 1, message = "must be a positive interval such as 30s, 15m or 1h (set PORTLINK_REMINDERS_EVERY)")
        @WithDefault("15m")
        Duration every();
    }

    /** What needs a buyer, told to staff (purchasing.BuyerNotices). */
    interface Notices {
        /** How often the digest job looks for staff whose daily digest hour has come. */
        @DurationMin(seconds = 1, message = "must be a positive interval such as 30s, 15m or 1h (set PORTLINK_NOTICES_DIGEST_EVERY)")
        @WithDefault("15m")
        Duration digestEvery();
    }

    interface Delays {
        /** How often the lateness scan looks at open shipments past their delivery window. */
        @DurationMin(seconds = 1, message = "must be a positive interval such as 30s, 15m or 1h (set PORTLINK_DELAYS_EVERY)")
        @WithDefault("5m")
        Duration every();
    }

    /** Data that must not live forever (shipment.ShipmentRetention; the days are each organisation's settings). */
    interface Retention {
        /** How often the retention job removes delivered shipments' images and positions past their days. */
        @DurationMin(seconds = 1, message = "must be a positive interval such as 30s, 15m or 1h (set PORTLINK_RETENTION_EVERY)")
        @WithDefault("1h")
        Duration every();
    }

    interface Operator {
        /** Bearer token of the operator endpoints (billing, provisioning); they are off while it is unset. */
        Optional<String> token();
    }

    interface AccessLog {
        /** Portlink's own access log, with link tokens masked. */
        @WithDefault("true")
        boolean enabled();
    }

    interface Link {
        /** Days a vendor link keeps working after its order is delivered, declined or cancelled. */
        @WithDefault("30")
        int expiryDays();

        /** How often the expiry job ends links that reached their end (io.portlink.link.LinkExpiry). */
        @DurationMin(seconds = 1, message = "must be a positive interval such as 30s, 15m or 1h (set PORTLINK_LINK_EXPIRY_EVERY)")
        @WithDefault("1h")
        Duration expiryEvery();

        /**
         * Key (≥ 32 characters) from which rebuildable tracking-link tokens are derived ({@link Signer#linkToken});
         * unset: derived from the session encryption key.
         */
        Optional<String> tokenKey();

        /**
         * How often each replica writes the repeat opens it counted in memory (io.portlink.link.OpenCounts); what a
         * replica that dies without stopping had not written is lost.
         */
        @DurationMin(seconds = 1, message = "must be a positive interval such as 30s, 15m or 1h (set PORTLINK_LINK_OPEN_FLUSH_EVERY)")
        @WithDefault("5s")
        Duration openFlushEvery();
    }

    interface Import {
        @WithDefault("33554432")
        long maxBytes();

        @WithDefault("200000")
        int maxRows();

        @WithDefault("1000")
        int maxFieldLength();
    }

    interface Outbox {
        /** How often the delivery job runs (a Quarkus scheduler interval such as 10s). */
        @DurationMin(seconds = 1, message = "must be a positive interval such as 30s, 15m or 1h (set PORTLINK_OUTBOX_EVERY)")
        @WithDefault("10s")
        Duration every();

        @WithDefault("20")
        int batchSize();

        @WithDefault("6")
        int maxAttempts();

        @WithDefault("30s")
        Duration firstRetry();

        /**
         * How long a delivery run owns the message it is sending; extended while the send lasts longer. After a crash,
         * the message it held is sent again once this has passed.
         */
        @WithDefault("30s")
        Duration lease();
    }

    /**
     * Signed outbound webhooks (outbox.Webhooks), delivered by the outbox's job. A failed try is retried after
     * {@link #firstRetry()}, doubling with each further failure up to {@link #maxRetry()}, each delay plus a random 0
     * to 25 %; after {@link #maxAttempts()} tries the delivery is dead.
     */
    interface Webhooks {
        @WithDefault("8")
        int maxAttempts();

        @WithDefault("30s")
        Duration firstRetry();

        /** The longest delay between two tries (before jitter). */
        @WithDefault("6h")
        Duration maxRetry();

        /** How long connecting to a receiver may take. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** How long one whole try may take, connecting and reading the answer included; below the outbox lease. */
        @WithDefault("15s")
        Duration timeout();

        /**
         * How many endpoints one delivery run sends to at the same time (each endpoint's events still go one after the
         * other, in order), so that one slow receiver does not hold up the others' events by its whole timeout.
         */
        @WithDefault("4")
        int concurrency();

        /**
         * Allows plain {@code http://} and loopback, private and link-local addresses (a receiver on this machine or
         * network); off in production, where an endpoint must be {@code https://} on a public address.
         */
        @WithDefault("false")
        boolean allowLocal();

        /**
         * Key (≥ 32 characters) from which endpoints' signing secrets are derived ({@link Signer#webhookSecret});
         * unset: derived from the session encryption key.
         */
        Optional<String> secretKey();
    }

    interface Bootstrap {
        Optional<String> organization();

        @WithDefault("GB")
        String country();

        Optional<String> adminEmail();

        Optional<String> adminPassword();

        Optional<String> apiKey();
    }

    interface Demo {
        @WithDefault("false")
        boolean enabled();
    }
}
