package dev.gradlab.job;

import dev.gradlab.host.HostDescription;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How long a crashed instance's job waits, with the production heartbeat settings (or those given as extra
 * server arguments): two instances on one embedded PostgreSQL; each round submits a long job, SIGKILLs the
 * instance training it, and measures from the kill until the job's execution is released for takeover and until
 * the job trains again (attempt 2) on the survivor. The killed instance is then restarted under its name.
 * <p>
 * {@code bench/run TakeoverDelayBench [rounds=3] [--gradlab.jobs.heartbeat-interval=… …]}
 */
public final class TakeoverDelayBench {

    /** Minutes of training: it is still running whenever the bench acts on it. */
    static final String LONG = """
            {"name": "takeover", "model": {"depth": 20, "width": 64}, "dataset": {"samples": 20000},
             "training": {"batchSize": 32, "epochs": 20}}""";

    public static void main(String[] args) throws Exception {
        System.out.println(HostDescription.current().line());
        int rounds = args.length > 0 && !args[0].startsWith("--") ? Integer.parseInt(args[0]) : 3;
        String[] serverArgs =
                java.util.Arrays.stream(args).filter(a -> a.startsWith("--")).toArray(String[]::new);
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            try (Connection c = pg.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("create user gradlab password 'gradlab'");
                s.execute("create database takeover owner gradlab");
            }
            Map<String, Process> processes = new HashMap<>();
            Map<String, String> bases = new HashMap<>();
            List<String> results = new ArrayList<>();
            try (Connection db = DriverManager.getConnection(
                    "jdbc:postgresql://localhost:" + pg.getPort() + "/takeover", "gradlab", "gradlab")) {
                for (String w : List.of("takeover-a", "takeover-b")) {
                    processes.put(w, BenchServers.launch(pg.getPort(), "takeover", w, log(w, 0), serverArgs));
                }
                for (String w : List.of("takeover-a", "takeover-b")) {
                    bases.put(w, BenchServers.awaitReady(processes.get(w), log(w, 0)));
                }
                for (int round = 1; round <= rounds; round++) {
                    String body = BenchServers.post(bases.get("takeover-a") + "/api/v1/jobs", LONG);
                    String id = body.replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
                    String victim = awaitRunning(db, id, 1);
                    Thread.sleep(2000 + 1700L * round); // kill at different points of the heartbeat cycle
                    Timestamp lastBeat = lastHeartbeat(db, id);
                    processes.get(victim).destroyForcibly();
                    processes.get(victim).waitFor(30, TimeUnit.SECONDS);
                    long killed = System.currentTimeMillis();
                    long released = -1;
                    long rerun = -1;
                    while (rerun < 0 && System.currentTimeMillis() - killed < 180_000) {
                        try (PreparedStatement q = db.prepareStatement("select coalesce(t.picked_by, ''), j.attempt, "
                                + "j.status from job j left join scheduled_tasks t on t.task_instance = j.id::text "
                                + "where j.id = ?::uuid")) {
                            q.setString(1, id);
                            try (ResultSet rs = q.executeQuery()) {
                                rs.next();
                                if (released < 0 && !rs.getString(1).equals(victim)) {
                                    released = System.currentTimeMillis() - killed;
                                }
                                if (rs.getInt(2) == 2 && rs.getString(3).equals("RUNNING")) {
                                    rerun = System.currentTimeMillis() - killed;
                                }
                            }
                        }
                        Thread.sleep(100);
                    }
                    String result = String.format(
                            "round %d: last heartbeat %.1f s before the SIGKILL; execution "
                                    + "released after %.1f s; job training again (attempt 2) after %.1f s",
                            round, (killed - lastBeat.getTime()) / 1000.0, released / 1000.0, rerun / 1000.0);
                    System.out.println(result);
                    results.add(result);
                    String survivor = victim.equals("takeover-a") ? "takeover-b" : "takeover-a";
                    BenchServers.post(bases.get(survivor) + "/api/v1/jobs/" + id + "/cancel", null);
                    processes.put(
                            victim,
                            BenchServers.launch(pg.getPort(), "takeover", victim, log(victim, round), serverArgs));
                    bases.put(victim, BenchServers.awaitReady(processes.get(victim), log(victim, round)));
                }
            } finally {
                BenchServers.stop(new ArrayList<>(processes.values()));
            }
            System.out.println();
            results.forEach(System.out::println);
        }
    }

    private static Path log(String worker, int round) {
        return Path.of("target", "bench-logs", worker + "-" + round + ".log").toAbsolutePath();
    }

    /** @return the worker training the job once it has done an iteration */
    private static String awaitRunning(Connection db, String id, int attempt) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            try (PreparedStatement q = db.prepareStatement(
                    "select worker from job where id = ?::uuid and status = 'RUNNING' and attempt = ? and iteration > 0")) {
                q.setString(1, id);
                q.setInt(2, attempt);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return rs.getString(1);
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("job " + id + " not running after 120 s");
    }

    private static Timestamp lastHeartbeat(Connection db, String id) throws Exception {
        try (PreparedStatement q =
                db.prepareStatement("select last_heartbeat from scheduled_tasks where task_instance = ?")) {
            q.setString(1, id);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getTimestamp(1);
            }
        }
    }
}
