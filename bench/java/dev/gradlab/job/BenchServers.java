package dev.gradlab.job;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** GradLab server processes for the queue benches, started as in production, on the postgres profile. */
final class BenchServers {

    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

    /**
     * The postgres profile runs in keys mode: the servers get this admin key, and every request the benches send
     * carries it (an admin sees every owner's jobs, so the benches' counts are the whole queue's).
     */
    static final String ADMIN_KEY = "bench-admin-" + UUID.randomUUID() + UUID.randomUUID();

    private BenchServers() {}

    /** JVM options from SERVER_JVM_OPTS (default -Xmx512m); OMP_NUM_THREADS=1 as the README asks. */
    static Process launch(int pgPort, String database, String worker, Path log, String... arguments)
            throws IOException {
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(System.getenv()
                .getOrDefault("SERVER_JVM_OPTS", "-Xmx512m")
                .trim()
                .split("\\s+")));
        command.addAll(List.of(
                "dev.gradlab.GradLabApplication",
                "--spring.profiles.active=postgres",
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--GRADLAB_DB_PORT=" + pgPort,
                "--GRADLAB_DB_NAME=" + database,
                "--gradlab.jobs.worker-id=" + worker,
                "--gradlab.security.admin-key=" + ADMIN_KEY));
        command.addAll(List.of(arguments));
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        b.environment().put("OMP_NUM_THREADS", "1");
        return b.start();
    }

    /** @return the server's base URL, once its readiness probe answers */
    static String awaitReady(Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("server exited; see " + log);
            }
            Matcher m = PORT.matcher(Files.readString(log));
            if (m.find()) {
                String base = "http://localhost:" + m.group(1);
                try {
                    if (HTTP.send(
                                            HttpRequest.newBuilder(URI.create(base + "/actuator/health/readiness"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200) {
                        return base;
                    }
                } catch (IOException notYet) {
                    // still starting
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("server not ready within 180 s; see " + log);
    }

    /** A request that carries the admin key. */
    static HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + ADMIN_KEY);
    }

    static String post(String url, String body) throws Exception {
        HttpRequest.Builder r = request(URI.create(url)).header("Content-Type", "application/json");
        HttpResponse<String> response = HTTP.send(
                r.POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    /** SIGTERM, then SIGKILL whatever is still running 30 s later. */
    static void stop(List<Process> processes) throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
