package dev.gradlab.bench;

import dev.gradlab.host.HostDescription;
import dev.gradlab.spec.ExperimentSpec;

/**
 * Runs one spec's bare DL4J loop repeatedly, printing samples/s and samples per CPU second of the training thread per
 * run, then their medians: a target for perf and profilers.
 */
public final class BareLoopRun {
    public static void main(String[] args) throws Exception {
        System.out.println(HostDescription.current().line());
        String name = args.length > 0 ? args[0] : "M1";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        ExperimentSpec spec = BenchSpecs.load(name);
        BareDl4jLoop loop = new BareDl4jLoop(spec);
        double[] wall = new double[runs];
        double[] cpu = new double[runs];
        for (int r = 0; r < runs; r++) {
            Measurement m = loop.run(spec.training().epochs());
            wall[r] = m.samplesPerSecond();
            cpu[r] = m.samples() / m.cpuSeconds();
            System.out.printf(
                    "%s run %d: %.0f samples/s, %.0f per CPU second of the training thread, cpu/wall %.2f%n",
                    name, r + 1, wall[r], cpu[r], m.cpuSeconds() / m.seconds());
        }
        // The training thread's CPU leaves out collector pauses and other processes: steadier than wall time here.
        System.out.printf(
                "%s: median %.0f samples/s, %.0f per CPU second of the training thread%n",
                name, Stats.median(wall), Stats.median(cpu));
    }
}
