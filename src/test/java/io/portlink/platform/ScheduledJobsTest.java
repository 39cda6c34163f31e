package io.portlink.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.portlink.testing.MigrationSchema;
import io.quarkus.quartz.Nonconcurrent;
import io.quarkus.scheduler.Scheduled;

/**
 * What makes every scheduled job a clustered one, checked without starting the service: the migrations create Quartz's
 * tables (and the run record) on the suite's database, H2 or PostgreSQL, and every {@code @Scheduled} method of the
 * service is {@link Nonconcurrent}, the one thing clustering cannot give a job by configuration alone (without it, a
 * run that outlasts its interval overlaps with the next slot's run on another replica).
 */
class ScheduledJobsTest {

    static final Set<String> QUARTZ_TABLES = Set.of("qrtz_job_details", "qrtz_triggers", "qrtz_simple_triggers",
            "qrtz_cron_triggers", "qrtz_simprop_triggers", "qrtz_blob_triggers", "qrtz_calendars",
            "qrtz_paused_trigger_grps", "qrtz_fired_triggers", "qrtz_scheduler_state", "qrtz_locks");

    @Test
    void theMigrationsCreateQuartzsTablesAndTheRunRecordAndDropTheOldLease() throws Exception {
        try (MigrationSchema schema = new MigrationSchema("quartz-tables")) {
            schema.flyway("latest").migrate();
            try (Connection db = schema.connect()) {
                Set<String> tables = tables(db, schema.postgres());
                for (String table : QUARTZ_TABLES) {
                    assertTrue(tables.contains(table), table + " missing from " + tables);
                }
                assertTrue(tables.contains("job_run"), "job_run missing");
                assertTrue(!tables.contains("job_lock"), "the lease table is gone");
                // Quartz's own statements, as its JDBC delegate writes them, work on the tables as created
                try (var insert = db.prepareStatement("insert into qrtz_job_details (sched_name, job_name,"
                        + " job_group, job_class_name, is_durable, is_nonconcurrent, is_update_data,"
                        + " requests_recovery, job_data) values ('s', 'j', 'g', 'x.Job', ?, ?, ?, ?, ?)");
                        var s = db.createStatement()) {
                    insert.setBoolean(1, false);
                    insert.setBoolean(2, true);
                    insert.setBoolean(3, false);
                    insert.setBoolean(4, true);
                    insert.setBytes(5, new byte[] { 1, 2, 3 });
                    insert.executeUpdate();
                    try (ResultSet rows = s.executeQuery("select is_nonconcurrent, requests_recovery, job_data"
                            + " from qrtz_job_details where job_name = 'j'")) {
                        rows.next();
                        assertTrue(rows.getBoolean(1) && rows.getBoolean(2));
                        assertEquals(3, rows.getBytes(3).length);
                    }
                }
            }
        }
    }

    @Test
    void everyScheduledMethodOfTheServiceIsNonconcurrent() {
        List<JavaMethod> scheduled = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
                .importPackages("io.portlink").stream().flatMap(c -> c.getMethods().stream())
                .filter(m -> m.isAnnotatedWith(Scheduled.class) || m.isAnnotatedWith(Scheduled.Schedules.class))
                .toList();
        assertTrue(scheduled.size() >= 4, "the service's jobs were found: " + scheduled);
        List<String> concurrent = scheduled.stream().filter(m -> !m.isAnnotatedWith(Nonconcurrent.class))
                .map(JavaMethod::getFullName).toList();
        assertEquals(List.of(), concurrent, "@Scheduled methods without @Nonconcurrent (io.quarkus.quartz):"
                + " they would overlap across replicas when a run outlasts its interval");
    }

    private static Set<String> tables(Connection db, boolean postgres) throws SQLException {
        Set<String> names = new TreeSet<>();
        try (ResultSet rows = db.getMetaData().getTables(null, postgres ? db.getSchema() : "PUBLIC", "%",
                new String[] { "TABLE" })) {
            while (rows.next()) {
                names.add(rows.getString("TABLE_NAME").toLowerCase());
            }
        }
        return names;
    }
}
