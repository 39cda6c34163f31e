package io.portlink.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * A fresh, empty schema on the suite's database (H2, or PostgreSQL with {@code -Dtestdb=postgresql}) for tests that
 * migrate step by step: migrate to a version, seed rows as they were then, migrate on, check what is left. Close it to
 * drop the schema.
 */
public final class MigrationSchema implements AutoCloseable {

    /** The shipped SQL migrations; Java migrations are passed in as Quarkus would find them in the application. */
    public static final String MIGRATIONS = "src/main/resources/db/migration";

    private final String url;
    private final String user;
    private final String schema;
    private final boolean postgres;

    public MigrationSchema(String name) {
        postgres = "postgresql".equals(System.getProperty("testdb"));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        if (postgres) {
            url = System.getProperty("testdb.url", "jdbc:postgresql://127.0.0.1:5432/test");
            user = System.getenv().getOrDefault("QUARKUS_DATASOURCE_USERNAME",
                    System.getProperty("testdb.user", "postgres"));
            schema = name.replace('-', '_') + "_" + suffix;
        } else {
            url = "jdbc:h2:mem:" + name + "-" + suffix + ";DB_CLOSE_DELAY=-1";
            user = "portlink";
            schema = "PUBLIC";
        }
    }

    public boolean postgres() {
        return postgres;
    }

    /** The last shipped SQL migration below {@code version}, whatever it is numbered (others may land before it). */
    public static String lastBefore(String version) throws IOException {
        MigrationVersion limit = MigrationVersion.fromVersion(version);
        try (var files = Files.list(Path.of(MIGRATIONS))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+(_\\d+)*__.*\\.sql"))
                    .map(n -> MigrationVersion.fromVersion(n.substring(1, n.indexOf("__"))))
                    .filter(v -> v.compareTo(limit) < 0).max(MigrationVersion::compareTo)
                    .map(MigrationVersion::getVersion).orElseThrow();
        }
    }

    /** {@link #flyway(String, JavaMigration...)} with every Java migration of the service (each runs up to target). */
    public Flyway flyway(String target) {
        return flyway(target, new db.migration.V14_1__merge_duplicate_vendors(),
                new db.migration.V20_1__timeline_entry_sequence(), new db.migration.V22_1__staff_invitations_as_links(),
                new db.migration.V31_1__order_tracking_to_shipments(), new db.migration.V33_1__manual_eta_from_dates(),
                new db.migration.V34__driver_link_rules(), new db.migration.V42__link_expiry(),
                new db.migration.V50__stock_level_fillfactor(), new db.migration.V57__vendor_search_indexes(),
                new db.migration.V58__order_search_indexes(), new db.migration.V68__retention_indexes(),
                new db.migration.V74__metrics_indexes(), new db.migration.V75__import_write_indexes(),
                new db.migration.V76__regexp_like(), new db.migration.V78__shipment_delivery_due());
    }

    /** Flyway on this schema, up to {@code target}, with the given Java migrations. */
    public Flyway flyway(String target, JavaMigration... javaMigrations) {
        return Flyway.configure().dataSource(url, user, System.getenv("QUARKUS_DATASOURCE_PASSWORD")).schemas(schema)
                .locations("filesystem:" + MIGRATIONS).javaMigrations(javaMigrations)
                .target(MigrationVersion.fromVersion(target)).load();
    }

    /** A connection whose unqualified names resolve in this schema. */
    public Connection connect() throws SQLException {
        Connection db = DriverManager.getConnection(url, user, System.getenv("QUARKUS_DATASOURCE_PASSWORD"));
        if (postgres) {
            try (Statement s = db.createStatement()) {
                s.execute("set search_path to " + schema);
            }
        }
        return db;
    }

    @Override
    public void close() throws SQLException {
        try (Connection db = connect(); Statement s = db.createStatement()) {
            s.execute(postgres ? "drop schema " + schema + " cascade" : "drop all objects delete files");
        }
    }
}
