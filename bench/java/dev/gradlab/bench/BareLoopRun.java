package dev.gradlab.bench;

import dev.gradlab.host.HostDescription;
import dev.gradlab.spec.ExperimentSpec;

/** Runs one spec's bare DL4J loop repeatedly, printing samples/s per run: a target for perf and profilers. */
public final class BareLoopRun {
    public static void main(String[] args) throws Exception {
        System.out.println(HostDescription.current().line());
        String name = args.length > 0 ? args[0] : "M1";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        ExperimentSpec spec = BenchSpecs.load(name);
        BareDl4jLoop loop = new BareDl4jLoop(spec);
        for (int r = 0; r < runs; r++) {
            Measurement m = loop.run(spec.training().epochs());
            System.out.printf(
                    "%s run %d: %.0f samples/s, cpu/wall %.2f%n",
                    name, r + 1, m.samplesPerSecond(), m.cpuSeconds() / m.seconds());
        }
    }
}
