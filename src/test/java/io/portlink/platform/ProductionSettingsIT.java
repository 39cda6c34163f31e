package io.portlink.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.portlink.testing.PackagedApp;

/**
 * A production start with settings missing or wrong is refused before the bootstrap creates anything (Flyway has
 * migrated the schema by then): on an empty database with the bootstrap settings given, the packaged service started
 * without the session key, the public base URL and the mail server, with a webhook timeout as long as the outbox lease,
 * both optional keys too short, a bootstrap API key without its form and an admin password the rules refuse, exits
 * naming all eight in one message (an operator mends them in one go) and creates no organisation, admin or API key. The
 * next start, mended, bootstraps with the mended settings (the admin's corrected address). Runs in the PostgreSQL pass
 * of {@code ./mvnw verify}.
 */
class ProductionSettingsIT {

    @Test
    void aRefusedStartNamesEverySettingWritesNothingAndTheMendedStartBootstraps() throws Exception {
        String database = PackagedApp.freshDatabase("settings");
        String password = "Settings-" + UUID.randomUUID();
        // an admin password the rules refuse, an API key logs could not mask, both optional keys too short
        Map<String, String> refused = new HashMap<>(Map.of("PORTLINK_BOOTSTRAP_ORGANIZATION", "Settings Test Ltd",
                "PORTLINK_BOOTSTRAP_ADMIN_EMAIL", "typo@settings.example", "PORTLINK_BOOTSTRAP_ADMIN_PASSWORD",
                "password", "PORTLINK_BOOTSTRAP_API_KEY", "pk_bad", "PORTLINK_WEBHOOKS_TIMEOUT", "30s",
                "PORTLINK_LINK_TOKEN_KEY", "short", "PORTLINK_WEBHOOKS_SECRET_KEY", "also-short"));
        refused.put("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY", null);
        refused.put("PORTLINK_PUBLIC_BASE_URL", null);

        try (PackagedApp app = PackagedApp.launch(database, refused, "settings-refused.log")) {
            int exit = app.awaitExit(Duration.ofSeconds(120));
            String output = app.output();
            assertNotEquals(0, exit, output);
            // a JSON log line of its own whose message is the list, not only the failed start's generic line
            assertTrue(output.lines().anyMatch(l -> l.startsWith("{") && l.contains("\"level\":\"ERROR\"")
                    && l.contains("\"message\":\"Portlink cannot start with these settings")), output);
            for (String named : List.of("Set QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY", "Set PORTLINK_PUBLIC_BASE_URL",
                    "Set QUARKUS_MAILER_HOST", "Set QUARKUS_MAILER_FROM",
                    "PORTLINK_WEBHOOKS_TIMEOUT (PT30S) must be shorter",
                    "PORTLINK_LINK_TOKEN_KEY must be at least 32 characters when set (it has 5)",
                    "PORTLINK_WEBHOOKS_SECRET_KEY must be at least 32 characters when set (it has 10)",
                    "PORTLINK_BOOTSTRAP_API_KEY (portlink.bootstrap.api-key) must be",
                    "The first organisation cannot be created from these settings: PORTLINK_BOOTSTRAP_ADMIN_PASSWORD")) {
                assertTrue(output.contains(named), named + " is not in the output:\n" + output);
            }
            assertFalse(output.contains("Created organisation"), output);
        }
        assertEquals(List.of(), column(database, "select name from organization"));
        assertEquals(List.of(), column(database, "select email from staff_user"));
        assertEquals(List.of(), column(database, "select name from api_key"));

        Map<String, String> mended = Map.of("PORTLINK_BOOTSTRAP_ORGANIZATION", "Settings Test Ltd",
                "PORTLINK_BOOTSTRAP_ADMIN_EMAIL", "admin@settings.example", "PORTLINK_BOOTSTRAP_ADMIN_PASSWORD",
                password, "QUARKUS_MAILER_HOST", "127.0.0.1", "QUARKUS_MAILER_FROM",
                "Portlink <portlink@settings.example>", "QUARKUS_MAILER_PORT",
                Integer.toString(PackagedApp.freePort()));
        // a job's interval of zero or below is named with its variable before anything starts (Quartz would refuse
        // zero deep in a stack trace, and take -5s as 5s)
        Map<String, String> intervals = new HashMap<>(mended);
        intervals.put("PORTLINK_RETENTION_EVERY", "0s");
        intervals.put("PORTLINK_OUTBOX_EVERY", "-5s");
        try (PackagedApp app = PackagedApp.launch(database, intervals, "settings-intervals.log")) {
            int exit = app.awaitExit(Duration.ofSeconds(120));
            String output = app.output();
            assertNotEquals(0, exit, output);
            for (String named : List.of(
                    "portlink.retention.every must be a positive interval such as 30s, 15m or 1h (set"
                            + " PORTLINK_RETENTION_EVERY)",
                    "portlink.outbox.every must be a positive interval such as 30s, 15m or 1h (set PORTLINK_OUTBOX_EVERY)")) {
                assertTrue(output.contains(named), named + " is not in the output:\n" + output);
            }
        }
        assertEquals(List.of(), column(database, "select name from organization"));

        try (PackagedApp app = PackagedApp.start(database, mended, "settings-mended.log")) {
            app.awaitLine("Created organisation Settings Test Ltd", Duration.ofSeconds(30));
            assertEquals(List.of("admin@settings.example"), column(database, "select email from staff_user"));
            // a fresh replica's first scrape has the link and tracking page counters at 0, before any page is asked
            String scrape = io.restassured.RestAssured.given().baseUri("http://localhost:" + app.managementPort)
                    .get("/q/metrics").then().statusCode(200).extract().asString();
            for (String series : List.of("portlink_link_opens_total{by=\"person\",kind=\"vendor\"} 0.0",
                    "portlink_link_opens_total{by=\"bot\",kind=\"tracking\"} 0.0",
                    "portlink_tracking_page_views_total 0.0")) {
                assertTrue(scrape.contains(series), series + " is not in:\n" + scrape);
            }
        }
    }

    private static List<String> column(String database, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(database, PackagedApp.user(),
                System.getProperty("testdb.password")); ResultSet rows = c.createStatement().executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }
}
