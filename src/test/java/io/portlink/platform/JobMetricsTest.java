package io.portlink.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.testing.Management;
import io.portlink.testing.TestClock;
import io.portlink.testing.TestProfiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Every job's runs, durations and failures in {@code /q/metrics}, and what the jobs are doing at {@code /q/jobs}, both
 * on the management interface only, with the scheduler on as in production and the two test jobs ({@link TestJobs})
 * firing every second: one succeeds, one fails.
 */
@QuarkusTest
@TestProfile(TestProfiles.ProductionShape.class)
class JobMetricsTest {

    @Inject
    TestClock clock;

    @Test
    void everyJobsRunsDurationsAndFailuresAreCountedByJob() {
        String scrape = awaitMetric("portlink_job_failures_total", Map.of("job", TestJobs.FAILING));
        scrape = awaitMetric("portlink_job_runs_total", Map.of("job", TestJobs.RECORDED, "outcome", "OK"));
        assertTrue(Management
                .value(scrape, "portlink_job_runs_total", Map.of("job", TestJobs.FAILING, "outcome", "FAILED"))
                .orElse(0) >= 1, scrape);
        assertEquals(0.0,
                Management.value(scrape, "portlink_job_failures_total", Map.of("job", TestJobs.RECORDED)).orElseThrow(),
                "a job that never failed shows 0 failures, so an alert can watch it");
        assertTrue(Management.value(scrape, "portlink_job_duration_seconds_count", Map.of("job", TestJobs.RECORDED))
                .orElse(0) >= 1, scrape);
        assertTrue(Management.value(scrape, "portlink_job_duration_seconds_sum", Map.of("job", TestJobs.RECORDED))
                .orElse(-1) >= 0);
        assertEquals((double) clock.instant().getEpochSecond(),
                Management
                        .value(scrape, "portlink_job_last_success_timestamp_seconds", Map.of("job", TestJobs.RECORDED))
                        .orElseThrow(),
                "when the last success ended, by the service's clock");
        assertTrue(Management.value(scrape, "portlink_job_running", Map.of("job", TestJobs.RECORDED)).isPresent());
    }

    @Test
    void theJobsEndpointTellsEachJobsLastRunNextFireAndFailuresOnTheManagementPortOnly() {
        awaitMetric("portlink_job_failures_total", Map.of("job", TestJobs.FAILING));
        awaitMetric("portlink_job_runs_total", Map.of("job", TestJobs.RECORDED, "outcome", "OK"));
        given().get("/q/jobs").then().statusCode(404);

        JsonPath jobs = Management.given().get("/q/jobs").then().statusCode(200).contentType("application/json")
                .header("Cache-Control", "no-store").extract().jsonPath();
        assertEquals(clock.instant(), Instant.parse(jobs.getString("now")));
        List<String> names = jobs.getList("jobs.job");
        assertTrue(
                names.containsAll(
                        List.of("outbox-delivery", "reminders", "lateness", TestJobs.RECORDED, TestJobs.FAILING)),
                names.toString());

        String failing = "jobs.find { it.job == '" + TestJobs.FAILING + "' }";
        assertTrue(jobs.getLong(failing + ".failuresLast24h") >= 1, jobs.prettify());
        assertEquals("FAILED", jobs.getString(failing + ".lastFailure.outcome"));
        assertEquals("IllegalStateException: " + TestJobs.ERROR, jobs.getString(failing + ".lastFailure.error"));
        assertNotNull(jobs.getString(failing + ".lastFailure.instance"));
        assertNotNull(jobs.getString(failing + ".nextFire"), "the scheduler's next fire time");
        assertNotNull(jobs.getList(failing + ".running"));

        String recorded = "jobs.find { it.job == '" + TestJobs.RECORDED + "' }";
        assertEquals(0, jobs.getLong(recorded + ".failuresLast24h"));
        assertNull(jobs.get(recorded + ".lastFailure"));
        assertNotNull(jobs.getString(recorded + ".lastRun.startedAt"));
        assertNotNull(jobs.getString("jobs.find { it.job == 'outbox-delivery' }.nextFire"));
    }

    /** The scrape once the series has counted at least one; the test jobs fire every second (at most 90 s). */
    private static String awaitMetric(String name, Map<String, String> tags) {
        // a slot an earlier test class left due about a minute ago is a misfire (quarkus.quartz.misfire-threshold,
        // 60 s), which Quartz's misfire scan, once a threshold, runs up to 60 s later: the first run may take that long
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String scrape;
        while (Management.value(scrape = Management.metrics(), name, tags).orElse(0) < 1) {
            assertTrue(System.nanoTime() < until, name + tags + " stays below 1 after 90 s:\n" + scrape);
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        return scrape;
    }
}
