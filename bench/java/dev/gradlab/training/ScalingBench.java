package dev.gradlab.training;

import dev.gradlab.bench.BareDl4jLoop;
import dev.gradlab.bench.BenchSpecs;
import dev.gradlab.bench.Stats;
import dev.gradlab.host.HostDescription;
import dev.gradlab.spec.ExperimentSpec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Where two jobs on two cores lose their second core (issue #15, item 3). For one spec, at concurrency 1, 2 and 3,
 * aggregate samples/s of:
 * <ul>
 *   <li>P: that many bare DL4J loops in separate JVMs: the machine's own ceiling (no shared heap, collector, JIT);
 *   <li>T: that many bare DL4J loops on threads of one JVM: what sharing a JVM costs DL4J itself;
 *   <li>C: that many GradLab trainings ({@code ExperimentTrainer.train}, no-op observer) on threads of one JVM,
 *       as the service runs its jobs, minus the database and HTTP.
 * </ul>
 * Each figure is the median over repeats of the aggregate rate; alongside, the collector's share of wall time for
 * the in-JVM modes. Scaling: the aggregate over the first level's per-job rate in the same repeat (levels alternate
 * within a repeat, the first one rotating); median (min–max) of the repeats. Every run is warmed up first.
 *   bench/run ScalingBench [spec=M1] [repeats=3] [concurrency=1,2,3] [modes=P,T,C]
 */
public final class ScalingBench {

    private ScalingBench() {}

    public static void main(String[] args) throws Exception {
        System.out.println(HostDescription.current().line()); // a child's too: the parent reads only its own lines
        if (args.length > 0 && args[0].equals("--child")) {
            child(args[1], Integer.parseInt(args[2]));
            return;
        }
        String name = args.length > 0 ? args[0] : "M1";
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int[] levels = parse(args.length > 2 ? args[2] : "1,2,3");
        String modes = args.length > 3 ? args[3] : "P,T,C";
        ExperimentSpec spec = BenchSpecs.load(name);
        System.out.printf(
                "spec %s, %d repeats, JVM %s%n",
                name, repeats, ManagementFactory.getRuntimeMXBean().getInputArguments());
        String[] modeList = modes.split(",");
        // rate[mode][level][repeat]; levels and modes alternate within each repeat, so drift falls on all alike.
        double[][][] rate = new double[modeList.length][levels.length][repeats];
        double[][][] gcShare = new double[modeList.length][levels.length][repeats];
        for (int r = 0; r < repeats; r++) {
            for (int m = 0; m < modeList.length; m++) {
                for (int l = 0; l < levels.length; l++) {
                    int c = levels[(l + r) % levels.length];
                    int at = (l + r) % levels.length;
                    long gcMillis0 = gcMillis();
                    long t0 = System.nanoTime();
                    rate[m][at][r] = switch (modeList[m]) {
                        case "P" -> processes(name, c);
                        case "T" -> threads(c, true, spec);
                        case "C" -> threads(c, false, spec);
                        default -> throw new IllegalArgumentException("mode " + modeList[m]);
                    };
                    gcShare[m][at][r] = (gcMillis() - gcMillis0) / 1000.0 / ((System.nanoTime() - t0) / 1e9);
                    System.out.printf(
                            Locale.ROOT,
                            "  repeat %d %s c=%d: %.0f samples/s%n",
                            r + 1,
                            modeList[m],
                            c,
                            rate[m][at][r]);
                }
            }
        }
        for (int m = 0; m < modeList.length; m++) {
            for (int l = 0; l < levels.length; l++) {
                double[] scaling = new double[repeats];
                for (int r = 0; r < repeats; r++) {
                    scaling[r] = rate[m][l][r] / (rate[m][0][r] / levels[0]);
                }
                System.out.printf(
                        Locale.ROOT,
                        "%s %s c=%d: %6.0f samples/s (%s), scaling %s%s%n",
                        modeList[m],
                        name,
                        levels[l],
                        Stats.median(rate[m][l]),
                        Stats.spread(rate[m][l], "%.0f"),
                        Stats.spread(scaling, "%.2f"),
                        modeList[m].equals("P")
                                ? ""
                                : String.format(
                                        Locale.ROOT, ", collector %.1f%% of wall", 100 * Stats.median(gcShare[m][l])));
            }
        }
    }

    /** {@code c} threads, started together; each trains its spec's epochs once; aggregate samples/s. */
    private static double threads(int c, boolean isBare, ExperimentSpec spec) throws Exception {
        long samplesPerJob = (long) spec.training().epochs() * spec.dataset().trainSamples();
        ExecutorService pool = Executors.newFixedThreadPool(c);
        try {
            long[] t0 = new long[1];
            // The clock starts once, when the last thread is ready (the barrier's action runs before any is released).
            CyclicBarrier start = new CyclicBarrier(c, () -> t0[0] = System.nanoTime());
            List<Future<Long>> done = new ArrayList<>();
            for (int i = 0; i < c; i++) {
                done.add(pool.submit(() -> {
                    // Built (and, for bare, warmed up) before the barrier: only training is timed.
                    BareDl4jLoop loop = isBare ? new BareDl4jLoop(spec) : null;
                    ExperimentTrainer trainer = new ExperimentTrainer();
                    if (isBare) {
                        loop.run(spec.training().epochs()); // warm-up: the JIT's code for the whole loop
                    } else {
                        trainer.train(spec, m -> {}, () -> false);
                    }
                    start.await();
                    if (isBare) {
                        loop.run(spec.training().epochs());
                    } else {
                        trainer.train(spec, m -> {}, () -> false);
                    }
                    return samplesPerJob;
                }));
            }
            long samples = 0;
            for (Future<Long> f : done) {
                samples += f.get();
            }
            return samples / ((System.nanoTime() - t0[0]) / 1e9);
        } finally {
            pool.shutdown();
        }
    }

    /**
     * {@code c} child JVMs with this JVM's flags and class path; each builds and warms its loop, waits for a line
     * on stdin, trains, and prints its samples and seconds. The aggregate is total samples over the longest.
     */
    private static double processes(String name, int c) throws Exception {
        List<Process> children = new ArrayList<>();
        List<BufferedReader> outs = new ArrayList<>();
        String java = ProcessHandle.current().info().command().orElse("java");
        for (int i = 0; i < c; i++) {
            List<String> command = new ArrayList<>();
            command.add(java);
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            command.addAll(List.of(
                    "-cp", System.getProperty("java.class.path"), ScalingBench.class.getName(), "--child", name, "1"));
            Process p = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            children.add(p);
            outs.add(new BufferedReader(new InputStreamReader(p.getInputStream())));
        }
        for (BufferedReader out : outs) {
            expect(out, "ready");
        }
        for (Process p : children) {
            p.getOutputStream().write('\n');
            p.getOutputStream().flush();
        }
        long samples = 0;
        double longest = 0;
        for (BufferedReader out : outs) {
            String[] result = expect(out, "done").split(" ");
            samples += Long.parseLong(result[1]);
            longest = Math.max(longest, Double.parseDouble(result[2]));
        }
        for (Process p : children) {
            p.waitFor();
        }
        return samples / longest;
    }

    private static String expect(BufferedReader out, String prefix) throws Exception {
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new IllegalStateException("child ended before '" + prefix + "'");
    }

    private static void child(String name, int runs) throws Exception {
        ExperimentSpec spec = BenchSpecs.load(name);
        BareDl4jLoop loop = new BareDl4jLoop(spec);
        loop.run(spec.training().epochs()); // warm-up, as the in-JVM modes do
        System.out.println("ready");
        System.in.read();
        long samples = 0;
        double seconds = 0;
        for (int r = 0; r < runs; r++) {
            var m = loop.run(spec.training().epochs());
            samples += m.samples();
            seconds += m.seconds();
        }
        System.out.println("done " + samples + " " + seconds);
    }

    private static long gcMillis() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += gc.getCollectionTime();
        }
        return n;
    }

    private static int[] parse(String list) {
        String[] parts = list.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Integer.parseInt(parts[i].trim());
        }
        return out;
    }
}
