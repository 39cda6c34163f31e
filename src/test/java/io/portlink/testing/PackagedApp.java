package io.portlink.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}) as a real process in the prod profile, configured
 * through environment variables as in production, on its own PostgreSQL database. For the integration tests
 * ({@code *IT}, run by {@code ./mvnw verify} after {@code package}) that need what only a real process shows: signals,
 * exit codes, the whole log.
 */
public final class PackagedApp implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Path logFile;
    private volatile boolean outputEnded;
    public final int port;
    /** The management interface's port: health, metrics, jobs. */
    public final int managementPort;

    private PackagedApp(Process process, int port, int managementPort, Path logFile) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.logFile = logFile;
        Thread reader = new Thread(this::readOutput, "packaged-app-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * The JDBC URL of a fresh database for the packaged service, on the PostgreSQL server of the suite's PostgreSQL
     * pass ({@code -Dtestdb=postgresql -Dtestdb.url=...}); skips the calling test on any other run, since the prod
     * build only speaks PostgreSQL.
     *
     * @param name
     *            suffix of the database's name (the suite's database name plus this, or {@code -Dtestitdb=} as given);
     *            dropped and created anew
     */
    public static String freshDatabase(String name) throws SQLException {
        String url = System.getProperty("testdb.url");
        Assumptions.assumeTrue("postgresql".equals(System.getProperty("testdb")) && url != null,
                "the packaged service runs on PostgreSQL only: this runs in the PostgreSQL pass"
                        + " (./mvnw verify -Dtestdb=postgresql -Dtestdb.url=jdbc:postgresql://host:5432/db)");
        int slash = url.lastIndexOf('/');
        int query = url.indexOf('?', slash);
        // -Dtestitdb= names the database outright (a checkout that may use only the databases it was given)
        String database = System.getProperty("testitdb",
                url.substring(slash + 1, query < 0 ? url.length() : query) + "_" + name);
        String server = url.substring(0, slash + 1) + "postgres";
        try (Connection c = DriverManager.getConnection(server, user(), System.getProperty("testdb.password"));
                var statement = c.createStatement()) {
            statement.execute("drop database if exists " + database + " with (force)");
            statement.execute("create database " + database);
        }
        return url.substring(0, slash + 1) + database;
    }

    /** The database user of the PostgreSQL pass. */
    public static String user() {
        return System.getProperty("testdb.user", "postgres");
    }

    /**
     * Starts the packaged service on a free port and waits until it listens.
     *
     * @param env
     *            environment variables on top of the database, session key and port
     * @param log
     *            file name (under target/) that receives the process's output, for reading after a failure
     */
    public static PackagedApp start(String jdbcUrl, Map<String, String> env, String log) throws Exception {
        PackagedApp app = launch(jdbcUrl, env, log);
        app.awaitLine("Listening on", Duration.ofSeconds(120));
        return app;
    }

    /**
     * Starts the packaged service as {@link #start} does, without waiting: for a start that must be refused.
     *
     * @param env
     *            environment variables on top of the database, session key, ports and public base URL; one mapped to
     *            null is left unset (e.g. the session key)
     */
    public static PackagedApp launch(String jdbcUrl, Map<String, String> env, String log) throws Exception {
        Path jar = Path.of(System.getProperty("portlink.jar", "target/quarkus-app/quarkus-run.jar"));
        Assumptions.assumeTrue(Files.exists(jar), "no packaged service at " + jar + ": run ./mvnw verify");
        int port = appPort(0);
        int managementPort = appPort(1);
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // start-up speed over peak speed: the tests run for seconds
                "-XX:TieredStopAtLevel=1", "-Xmx256m", "-jar", jar.toString()).redirectErrorStream(true)
                        .redirectOutput(Path.of("target", log).toFile());
        Map<String, String> environment = builder.environment();
        environment.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        environment.put("QUARKUS_DATASOURCE_USERNAME", user());
        if (System.getProperty("testdb.password") != null) {
            environment.put("QUARKUS_DATASOURCE_PASSWORD", System.getProperty("testdb.password"));
        }
        environment.put("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY", "packaged-app-test-session-key-0123456789");
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        environment.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        environment.put("PORTLINK_PUBLIC_BASE_URL", "http://localhost:" + port);
        env.forEach((name, value) -> {
            if (value == null) {
                environment.remove(name);
            } else {
                environment.put(name, value);
            }
        });
        return new PackagedApp(builder.start(), port, managementPort, Path.of("target", log));
    }

    /** Waits until a line of the output contains this text; fails with the output when it never comes. */
    public void awaitLine(String text, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        synchronized (lines) {
            while (lines.stream().noneMatch(l -> l.contains(text))) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || outputEnded) {
                    throw new AssertionError("the service never logged \"" + text + "\"; its output:\n" + output());
                }
                lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /** Sends SIGTERM, as Kubernetes does, and returns at once. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the process to end; fails when it is still running after {@code within}. */
    public int awaitExit(Duration within) throws InterruptedException {
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running " + within.toSeconds() + " s after SIGTERM; output:\n" + output());
        }
        synchronized (lines) {
            // the process has ended; its last lines may still be in the pipe
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!outputEnded && System.nanoTime() < deadline) {
                lines.wait(100);
            }
        }
        return process.exitValue();
    }

    /** Every line the process wrote so far (stdout and stderr). */
    public String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** The lines logged at ERROR level. */
    public List<String> errors() {
        synchronized (lines) {
            return lines.stream().filter(l -> l.contains(" ERROR ")).toList();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Follows the log file the process writes to. (Reading a pipe instead loses the last lines: when the process exits,
     * the JDK closes the pipe under a reader that is blocked in it.)
     */
    private void readOutput() {
        try (var in = Files.newInputStream(logFile)) {
            var line = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (true) {
                boolean ended = !process.isAlive(); // checked before reading, so nothing written before the end is lost
                int n = in.read(buffer);
                if (n <= 0) {
                    if (ended) {
                        return;
                    }
                    Thread.sleep(20); // nothing new yet: the file does not signal writes
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        String text = line.toString(StandardCharsets.UTF_8);
                        line.reset();
                        synchronized (lines) {
                            lines.add(text);
                            lines.notifyAll();
                        }
                    } else {
                        line.write(buffer[i]);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (lines) {
                outputEnded = true;
                lines.notifyAll();
            }
        }
    }

    /**
     * The service's port ({@code offset} 0) or its management port (1): {@code -Dtestitport=P} puts them on P and P+1
     * (so that checkouts running side by side stay on their own ports; the tests start one service at a time), a free
     * port otherwise.
     */
    private static int appPort(int offset) {
        Integer base = Integer.getInteger("testitport");
        return base == null ? freePort() : base + offset;
    }

    /** A port nothing listens on right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
