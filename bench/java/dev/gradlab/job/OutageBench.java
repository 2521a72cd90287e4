package dev.gradlab.job;

import dev.gradlab.host.HostDescription;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a database outage costs: two GradLab instances (production settings, or those given as extra server
 * arguments) on one embedded PostgreSQL, which is stopped for each of the given lengths while both train a job
 * and more wait in the queue. A client keeps submitting to the first instance throughout. Per outage it reports
 * how soon a submission got 503 (and the slowest answer during the outage), how soon after the database returned
 * each instance accepted a submission again and the running jobs trained again, and, once every job accepted with
 * 202 has finished, how many were lost (not SUCCEEDED), how many needed a second attempt, and whether every curve
 * holds each iteration exactly once.
 * <p>
 * {@code bench/run OutageBench [5,20,60] [--gradlab.jobs.database-outage-tolerance=… …]}
 */
public final class OutageBench {

    /** 200 iterations of a 20-layer net: tens of seconds, still training when the database goes away. */
    static final String TRAINING = """
            {"name": "outage-%s", "model": {"depth": 20, "width": 64}, "dataset": {"samples": 2000},
             "training": {"batchSize": 32, "epochs": 4}}""";

    static final String TINY = """
            {"name": "outage-%s", "model": {"depth": 3, "width": 8}, "dataset": {"name": "gaussians", "samples": 200},
             "training": {"optimizer": "adam", "learningRate": 0.01, "batchSize": 32, "epochs": 2}}""";

    static final JsonMapper JSON = JsonMapper.builder().build();

    record Reply(int status, long millis, JsonNode body) {}

    public static void main(String[] args) throws Exception {
        System.out.println(HostDescription.current().line());
        List<Integer> outages = new ArrayList<>();
        for (String s : (args.length > 0 && !args[0].startsWith("--") ? args[0] : "5,20,60").split(",")) {
            outages.add(Integer.parseInt(s.trim()));
        }
        String[] serverArgs =
                java.util.Arrays.stream(args).filter(a -> a.startsWith("--")).toArray(String[]::new);
        Path data = Files.createTempDirectory("outage-bench-pg");
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .start();
        int port = pg.getPort();
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("create user gradlab password 'gradlab'");
            s.execute("create database outage owner gradlab");
        }
        List<Process> processes = new ArrayList<>();
        List<String> bases = new ArrayList<>();
        List<String> results = new ArrayList<>();
        try {
            for (String w : List.of("outage-a", "outage-b")) {
                processes.add(BenchServers.launch(port, "outage", w, log(w), serverArgs));
            }
            for (int i = 0; i < 2; i++) {
                bases.add(BenchServers.awaitReady(processes.get(i), log(i == 0 ? "outage-a" : "outage-b")));
            }
            for (int round = 0; round < outages.size(); round++) {
                int seconds = outages.get(round);
                List<String> accepted = new ArrayList<>();
                // one training job per instance, and tiny ones queued behind them
                List<String> training = List.of(
                        submit(bases.get(0), TRAINING.formatted("r" + round + "a")),
                        submit(bases.get(1), TRAINING.formatted("r" + round + "b")));
                accepted.addAll(training);
                for (int i = 0; i < 4; i++) {
                    accepted.add(submit(bases.get(i % 2), TINY.formatted("r" + round + "q" + i)));
                }
                for (String id : training) {
                    awaitIteration(bases.get(0), id, 10, Duration.ofSeconds(240));
                }
                Map<String, Long> before = new TreeMap<>();
                for (String id : training) {
                    before.put(
                            id,
                            job(bases.get(0), id)
                                    .body()
                                    .get("progress")
                                    .get("iteration")
                                    .asLong());
                }

                pg.close(); // pg_ctl stop, fast: connections cut, as in a restart or fail-over
                long down = System.nanoTime();
                long first503 = -1;
                long slowest = 0;
                int tries = 0;
                while (System.nanoTime() - down < Duration.ofSeconds(seconds).toNanos()) {
                    Reply r = post(bases.get(0), TINY.formatted("r" + round + "-during"), UUID.randomUUID());
                    tries++;
                    slowest = Math.max(slowest, r.millis());
                    if (r.status() == 202) {
                        accepted.add(r.body().get("id").asString());
                    } else if (r.status() != 503) {
                        throw new IllegalStateException("during the outage: " + r.status() + " " + r.body());
                    }
                    if (r.status() == 503 && first503 < 0) {
                        first503 = (System.nanoTime() - down) / 1_000_000;
                    }
                    Thread.sleep(250);
                }
                pg = EmbeddedPostgres.builder()
                        .setDataDirectory(data)
                        .setCleanDataDirectory(false)
                        .setPort(port)
                        .start();
                long back = System.nanoTime();
                long actualDown = (back - down) / 1_000_000;

                long[] accepting = new long[2];
                for (int i = 0; i < 2; i++) {
                    while (true) {
                        Reply r = post(bases.get(i), TINY.formatted("r" + round + "-after"), UUID.randomUUID());
                        if (r.status() == 202) {
                            accepted.add(r.body().get("id").asString());
                            accepting[i] = (System.nanoTime() - back) / 1_000_000;
                            break;
                        }
                        Thread.sleep(100);
                    }
                }
                long resumed = -1;
                while (resumed < 0
                        && System.nanoTime() - back < Duration.ofSeconds(180).toNanos()) {
                    boolean all = true;
                    for (String id : training) {
                        Reply r = job(bases.get(0), id);
                        JsonNode j = r.body();
                        boolean moved = r.status() == 200
                                && (j.get("attempt").asInt() > 1
                                        || j.get("progress").get("iteration").asLong() > before.get(id)
                                        || !j.get("status").asString().equals("RUNNING"));
                        all &= moved;
                    }
                    if (all) {
                        resumed = (System.nanoTime() - back) / 1_000_000;
                    }
                    Thread.sleep(100);
                }

                int lost = 0;
                int secondAttempts = 0;
                int badCurves = 0;
                for (String id : accepted) {
                    JsonNode j = awaitFinished(bases.get(1), id, Duration.ofSeconds(600));
                    if (j == null || !j.get("status").asString().equals("SUCCEEDED")) {
                        lost++;
                        System.out.println("LOST " + id + ": " + (j == null ? "gone" : j));
                        continue;
                    }
                    if (j.get("attempt").asInt() > 1) {
                        secondAttempts++;
                    }
                    if (!eachIterationOnce(
                            bases.get(0),
                            id,
                            j.get("progress").get("totalIterations").asLong())) {
                        badCurves++;
                    }
                }
                String result = String.format(
                        "outage %2d s (database down %.1f s): first 503 after %d ms (%d submissions during it,"
                                + " slowest answer %d ms); accepting again %d ms / %d ms after it returned"
                                + " (instance a / b), running jobs training again after %d ms; %d jobs accepted,"
                                + " %d lost, %d needed a second attempt, %d with a curve not holding each"
                                + " iteration once",
                        seconds,
                        actualDown / 1000.0,
                        first503,
                        tries,
                        slowest,
                        accepting[0],
                        accepting[1],
                        resumed,
                        accepted.size(),
                        lost,
                        secondAttempts,
                        badCurves);
                System.out.println(result);
                results.add(result);
            }
        } finally {
            BenchServers.stop(processes);
            pg.close();
            org.apache.commons.io.FileUtils.deleteDirectory(data.toFile());
        }
        System.out.println();
        results.forEach(System.out::println);
    }

    private static Path log(String worker) {
        return Path.of("target", "bench-logs", "outage-" + worker + ".log").toAbsolutePath();
    }

    private static String submit(String base, String body) throws Exception {
        Reply r = post(base, body, null);
        if (r.status() != 202) {
            throw new IllegalStateException(r.status() + " " + r.body());
        }
        return r.body().get("id").asString();
    }

    private static Reply post(String base, String body, UUID idempotencyKey) throws Exception {
        HttpRequest.Builder b = BenchServers.request(URI.create(base + "/api/v1/jobs"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey.toString());
        }
        return send(b);
    }

    private static Reply job(String base, String id) throws Exception {
        return send(BenchServers.request(URI.create(base + "/api/v1/jobs/" + id))
                .timeout(Duration.ofSeconds(60))
                .GET());
    }

    private static Reply send(HttpRequest.Builder request) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = BenchServers.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(
                r.statusCode(),
                (System.nanoTime() - start) / 1_000_000,
                r.body().isEmpty() ? null : JSON.readTree(r.body()));
    }

    private static void awaitIteration(String base, String id, long iteration, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode j = job(base, id).body();
            if (j.get("status").asString().equals("RUNNING")
                    && j.get("progress").get("iteration").asLong() >= iteration) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("job " + id + " not training after " + timeout);
    }

    /** @return the finished job, or null if it is gone or never finished */
    private static JsonNode awaitFinished(String base, String id, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Reply r = job(base, id);
            if (r.status() == 404) {
                return null;
            }
            if (r.status() == 200) {
                String status = r.body().get("status").asString();
                if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                    return r.body();
                }
            }
            Thread.sleep(500);
        }
        return null;
    }

    private static boolean eachIterationOnce(String base, String id, long total) throws Exception {
        JsonNode loss = send(BenchServers.request(
                                URI.create(base + "/api/v1/jobs/" + id + "/curves/loss?maxPoints=20000"))
                        .GET())
                .body();
        JsonNode iterations = loss.get("iterations");
        if (iterations.size() != total) {
            return false;
        }
        for (int i = 0; i < total; i++) {
            if (iterations.get(i).asLong() != i + 1) {
                return false;
            }
        }
        return true;
    }
}
