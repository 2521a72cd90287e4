package dev.gradlab.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GradLab in a JVM of its own, started the way production starts it ({@code java ... GradLabApplication}) from
 * the test classpath: for the tests that must kill a real process, which an application context in the test's
 * own JVM cannot show. On Linux, {@link Process#destroyForcibly()} is SIGKILL and {@link Process#destroy()} is
 * SIGTERM; the exit codes (137, 143) confirm which signal ended the process.
 */
final class AppProcess implements AutoCloseable {

    static final String ADMIN_KEY_ARGUMENT = "--gradlab.security.admin-key=";

    static final int SIGKILL_EXIT = 128 + 9;
    static final int SIGTERM_EXIT = 128 + 15;

    private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(150);

    private final String name;
    private final Process process;
    private final Path log;
    private final int port;
    /** The admin key it was started with (--gradlab.security.admin-key=), sent by {@link #api()}; or null. */
    private final String adminKey;

    private AppProcess(String name, Process process, Path log, int port, String adminKey) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
        this.adminKey = adminKey;
    }

    /**
     * Starts the server in {@code workDir} with these {@code --key=value} arguments and returns once it is ready
     * for traffic. Its output goes to {@code target/process-logs/<logDir>/<name>.log}.
     */
    static AppProcess start(String name, String logDir, Path workDir, List<String> arguments) {
        return launch(name, logDir, workDir, arguments).awaitReady();
    }

    /** Starts the server without waiting: several instances then start side by side. */
    static AppProcess launch(String name, String logDir, Path workDir, List<String> arguments) {
        try {
            Path logs = Path.of("target", "process-logs", logDir).toAbsolutePath();
            Files.createDirectories(logs);
            Path log = logs.resolve(name + ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    // C1 only and the serial collector: starts about twice as fast on a busy 2-core machine.
                    "-Xmx512m",
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "dev.gradlab.GradLabApplication",
                    "--server.port=0",
                    "--spring.main.banner-mode=off"));
            command.addAll(arguments);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            // Surefire runs tests from a manifest-only jar; it names the real classpath in this property.
            builder.environment()
                    .put(
                            "CLASSPATH",
                            System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
            builder.environment().put("OMP_NUM_THREADS", "1");
            String adminKey = arguments.stream()
                    .filter(a -> a.startsWith(ADMIN_KEY_ARGUMENT))
                    .map(a -> a.substring(ADMIN_KEY_ARGUMENT.length()))
                    .findFirst()
                    .orElse(null);
            return new AppProcess(name, builder.start(), log, -1, adminKey);
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + name, e);
        }
    }

    /** Waits until the server answers its readiness probe. */
    AppProcess awaitReady() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        int found = -1;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(
                        name + " exited with " + process.exitValue() + " while starting:\n" + logTail(60));
            }
            if (found < 0) {
                Matcher m = PORT.matcher(logText());
                if (m.find()) {
                    found = Integer.parseInt(m.group(1));
                }
            }
            if (found > 0) {
                try {
                    if (new ApiClient(found).get("/actuator/health/readiness").status() == 200) {
                        return new AppProcess(name, process, log, found, adminKey);
                    }
                } catch (IllegalStateException notYet) {
                    // connection refused: still starting
                }
            }
            sleep(200);
        }
        process.destroyForcibly();
        throw new AssertionError(name + " not ready within " + STARTUP_TIMEOUT + ":\n" + logTail(60));
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    ApiClient api() {
        return new ApiClient(port).withKey(adminKey);
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no flush, nothing handed back. @return the exit code (137) */
    int sigkill() {
        process.destroyForcibly();
        return awaitExit(Duration.ofSeconds(30));
    }

    /** SIGTERM: Spring's graceful shutdown. @return the exit code (143), once the process has exited */
    int sigterm(Duration timeout) {
        process.destroy();
        return awaitExit(timeout);
    }

    private int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(name + " still running " + timeout + " after the signal:\n" + logTail(60));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    String logTail(int lines) {
        List<String> all = logText().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
