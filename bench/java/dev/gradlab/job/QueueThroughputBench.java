package dev.gradlab.job;

import dev.gradlab.host.HostDescription;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Queue throughput on PostgreSQL: how many tiny jobs per second N GradLab instances get through. Each
 * configuration ("instances x concurrency") gets a fresh database on one embedded PostgreSQL and its own server
 * processes (started as in production: java ... GradLabApplication, OMP_NUM_THREADS=1), a warm-up batch, then a
 * measured batch submitted by 4 client threads. The rate is jobs / (last finishedAt − first createdAt), from the
 * database. A tiny job is one iteration of a 1×2 net on 16 points: what remains is the queue's own cost (claim,
 * dataset and network set-up, metric writes, outcome), not training.
 * <p>
 * {@code bench/run QueueThroughputBench [jobs=200] [configs=1x1,2x1,1x2]}; the servers' JVM options come from
 * {@code SERVER_JVM_OPTS} (default {@code -Xmx512m}).
 */
public final class QueueThroughputBench {

    static final String TINY = """
            {"name": "bench", "model": {"depth": 1, "width": 2}, "dataset": {"name": "gaussians", "samples": 20},
             "training": {"batchSize": 16, "epochs": 1}}""";
    static final HttpClient HTTP = BenchServers.HTTP;

    public static void main(String[] args) throws Exception {
        System.out.println(HostDescription.current().line());
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        String[] configs = (args.length > 1 ? args[1] : "1x1,2x1,1x2").split(",");
        System.out.printf(
                "%d cores; %d measured tiny jobs per configuration%n",
                Runtime.getRuntime().availableProcessors(), jobs);
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            try (Connection c = pg.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("create user gradlab password 'gradlab'");
            }
            List<String> results = new ArrayList<>();
            for (int k = 0; k < configs.length; k++) {
                String[] nc = configs[k].trim().split("x");
                results.add(run(pg, "bench" + k, Integer.parseInt(nc[0]), Integer.parseInt(nc[1]), jobs));
            }
            System.out.println();
            results.forEach(System.out::println);
        }
    }

    static String run(EmbeddedPostgres pg, String database, int instances, int concurrency, int jobs) throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("create database " + database + " owner gradlab");
        }
        List<Process> processes = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + pg.getPort() + "/" + database, "gradlab", "gradlab")) {
            List<Path> logs = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                Path log = Path.of("target", "bench-logs", database + "-" + i + ".log")
                        .toAbsolutePath();
                logs.add(log);
                processes.add(BenchServers.launch(
                        pg.getPort(),
                        database,
                        "bench-" + i,
                        log,
                        "--gradlab.jobs.concurrency=" + concurrency,
                        "--gradlab.jobs.queue-capacity=100000"));
            }
            List<String> bases = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                bases.add(BenchServers.awaitReady(processes.get(i), logs.get(i)));
            }
            submitAndWait(bases, db, Math.max(20, 10 * instances * concurrency)); // warm-up: JIT, nd4j per thread
            try (Statement s = db.createStatement()) {
                s.execute("delete from job");
            }
            long start = System.nanoTime();
            submitAndWait(bases, db, jobs);
            double wall = (System.nanoTime() - start) / 1e9;
            try (Statement s = db.createStatement();
                    ResultSet rs = s.executeQuery("""
                    select count(*), extract(epoch from max(finished_at) - min(created_at)),
                           avg(wall_time_millis), count(distinct worker)
                    from job where status = 'SUCCEEDED'""")) {
                rs.next();
                double seconds = rs.getDouble(2);
                return String.format(
                        "%d instance(s) x concurrency %d: %d jobs in %.1f s = %.1f jobs/s "
                                + "(client wall %.1f s; training %.0f ms per job; %d instance(s) ran jobs)",
                        instances,
                        concurrency,
                        rs.getInt(1),
                        seconds,
                        rs.getInt(1) / seconds,
                        wall,
                        rs.getDouble(3),
                        rs.getInt(4));
            }
        } finally {
            BenchServers.stop(processes);
        }
    }

    /** Submits {@code count} tiny jobs round-robin from 4 client threads, then waits until all have succeeded. */
    static void submitAndWait(List<String> bases, Connection db, int count) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String base = bases.get(i % bases.size());
                sent.add(clients.submit(() -> {
                    HttpResponse<String> r = HTTP.send(
                            BenchServers.request(URI.create(base + "/api/v1/jobs"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(TINY))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 202) {
                        throw new IllegalStateException(r.statusCode() + " " + r.body());
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        while (count(db, "status in ('QUEUED', 'RUNNING')") > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("jobs still unfinished after 600 s");
            }
            Thread.sleep(50);
        }
        long failed = count(db, "status <> 'SUCCEEDED'");
        if (failed > 0) {
            throw new IllegalStateException(failed + " jobs did not succeed");
        }
    }

    static long count(Connection db, String where) throws SQLException {
        try (Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from job where " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
