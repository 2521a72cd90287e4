package dev.gradlab.job;

import dev.gradlab.bench.BenchSpecs;
import dev.gradlab.bench.Stats;
import dev.gradlab.host.HostDescription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service as the container runs it (a separate JVM with the Dockerfile's settings for a 4 GB container: the
 * parallel collector, heap 35% = 1434 MB, javacpp's cap 200% of it; the embedded H2 database; SERVER_JVM_OPTS
 * replaces them) with gradlab.jobs.concurrency=2:
 * <ul>
 *   <li>peak resident memory: each benchmark spec (bench/specs) trained alone, the server's VmRSS sampled every
 *       50 ms; then two of the largest (M3) at once;</li>
 *   <li>throughput with one job and with two at once (samples/s over all jobs, POST to the last SUCCEEDED),
 *       alternating 1, 2, 1, 2 … so the ratio is taken under the same conditions.</li>
 * </ul>
 * Usage: {@code bench/run ServiceCapacityBench [repeats] [specs for the throughput ratio, e.g. M1,M3,R1]}
 */
public final class ServiceCapacityBench {

    private static final tools.jackson.databind.json.JsonMapper JSON = BenchSpecs.JSON;
    static final String CONTAINER_JVM =
            "-XX:+UseParallelGC -Xms1434m -Xmx1434m -XX:NewRatio=1 -XX:SurvivorRatio=3 -XX:-UseAdaptiveSizePolicy"
                    + " -Dorg.bytedeco.javacpp.maxphysicalbytes=0";

    public static void main(String[] args) throws Exception {
        System.out.println(HostDescription.current().line());
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String[] specs = (args.length > 1 ? args[1] : "M1,M3,R1").split(",");
        Path dir = Files.createTempDirectory("gradlab-capacity-");
        Path log = dir.resolve("server.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(System.getenv()
                .getOrDefault("SERVER_JVM_OPTS", CONTAINER_JVM)
                .trim()
                .split("\\s+")));
        command.addAll(List.of(
                "dev.gradlab.GradLabApplication",
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("gradlab"),
                "--gradlab.jobs.concurrency=2",
                // BenchServers' requests carry this admin key; local mode (loopback) accepts it as an admin.
                "--gradlab.security.admin-key=" + BenchServers.ADMIN_KEY));
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        b.environment().put("OMP_NUM_THREADS", "1");
        Process server = b.start();
        try {
            String base = BenchServers.awaitReady(server, log) + "/api/v1/jobs";
            System.out.printf(
                    "server pid %d: %s, gradlab.jobs.concurrency=2, OPENBLAS_CORETYPE=%s; idle RSS %d MB%n",
                    server.pid(),
                    String.join(" ", command.subList(1, command.indexOf("dev.gradlab.GradLabApplication"))),
                    System.getenv("OPENBLAS_CORETYPE"),
                    rssKb(server.pid()) / 1024);
            System.out.println("\n== peak resident memory of the server process per job (one at a time)");
            for (String spec : new String[] {"M1", "M2", "M3", "R1", "R2"}) {
                runAndSample(server, base, spec, 1);
            }
            runAndSample(server, base, "M3", 2);

            System.out.println("\n== throughput: one job alone vs two at once (gradlab.jobs.concurrency=2, 2 cores)");
            for (String spec : specs) {
                double[] ratio = new double[repeats];
                double[] one = new double[repeats];
                double[] two = new double[repeats];
                runAndTime(base, spec, 1); // warm-up
                for (int r = 0; r < repeats; r++) {
                    one[r] = runAndTime(base, spec, 1);
                    two[r] = runAndTime(base, spec, 2);
                    ratio[r] = two[r] / one[r];
                }
                System.out.printf(
                        "%s: 1 job %s samples/s; 2 jobs %s samples/s; ratio 2/1 %s%n",
                        spec, Stats.spread(one, "%.0f"), Stats.spread(two, "%.0f"), Stats.spread(ratio, "%.2f"));
            }
            System.out.printf("server VmHWM (peak RSS over the whole run): %d MB%n", hwmKb(server.pid()) / 1024);
        } finally {
            BenchServers.stop(List.of(server));
        }
    }

    /** Runs {@code count} copies of a spec at once, sampling the server's RSS; prints idle and peak. */
    private static void runAndSample(Process server, String base, String spec, int count) throws Exception {
        long idle = rssKb(server.pid());
        AtomicLong peak = new AtomicLong(idle);
        AtomicBoolean done = new AtomicBoolean();
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                peak.accumulateAndGet(rssKb(server.pid()), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        double rate = runAndTime(base, spec, count);
        done.set(true);
        sampler.join();
        System.out.printf(
                "%s x%d: RSS before %d MB, peak %d MB (+%d MB); %.0f samples/s%n",
                spec, count, idle / 1024, peak.get() / 1024, (peak.get() - idle) / 1024, rate);
    }

    /**
     * @return samples per second over all {@code count} jobs, from the first job's createdAt (the server accepted
     *         the POST) to the last one's finishedAt; polled every 100 ms, too rarely to compete for the CPU
     */
    static double runAndTime(String base, String spec, int count) throws Exception {
        String body = BenchSpecs.body(spec);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(JSON.readTree(BenchServers.post(base, body)).get("id").asString());
        }
        long samples = 0;
        Instant first = null;
        Instant last = null;
        for (String id : ids) {
            BenchSpecs.FinishedJob job = BenchSpecs.awaitSucceeded(BenchServers.HTTP, base, id);
            samples += job.samples();
            first = first == null || job.createdAt().isBefore(first) ? job.createdAt() : first;
            last = last == null || job.finishedAt().isAfter(last) ? job.finishedAt() : last;
        }
        return samples / (Duration.between(first, last).toNanos() / 1e9);
    }

    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
    private static final Pattern HWM = Pattern.compile("VmHWM:\\s+(\\d+) kB");

    static long rssKb(long pid) {
        return status(pid, RSS);
    }

    static long hwmKb(long pid) {
        return status(pid, HWM);
    }

    private static long status(long pid, Pattern field) {
        try {
            Matcher m = field.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
