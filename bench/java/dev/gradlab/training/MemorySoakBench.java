package dev.gradlab.training;

import dev.gradlab.host.HostDescription;
import dev.gradlab.spec.ExperimentSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Trains N models one after another in this JVM (run it with -Xmx512m) and prints the process's resident memory
 * after each, to show that a finished model's native memory is given back rather than accumulating.
 * Alternates a plain and a batch-norm 20×64 net so buffers of different sizes come and go.
 */
public final class MemorySoakBench {

    public static void main(String[] args) throws IOException {
        System.out.println(HostDescription.current().line());
        int models = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        long[] rss = new long[models + 1];
        rss[0] = rssKb();
        System.out.printf(
                "before: RSS %d MB, max heap %d MB%n",
                rss[0] / 1024, Runtime.getRuntime().maxMemory() >> 20);
        for (int i = 1; i <= models; i++) {
            boolean bn = i % 2 == 0;
            long seed = i;
            ExperimentSpec spec = ExperimentSpec.builder()
                    .model(m -> m.depth(20).width(64).residual(false).batchNorm(bn))
                    .dataset(d -> d.samples(2000).seed(seed))
                    .training(t -> t.batchSize(128).epochs(2).seed(seed))
                    .metrics(m -> m.every(1))
                    .build()
                    .withDefaults();
            TrainingOutcome outcome = new ExperimentTrainer().train(spec, metrics -> {}, () -> false);
            rss[i] = rssKb();
            System.out.printf(
                    "model %2d (%s): %s, %d iterations, RSS %d MB%n",
                    i, bn ? "bn   " : "plain", outcome.status(), outcome.iterations(), rss[i] / 1024);
        }
        long after10 = rss[Math.min(10, models)];
        long max = 0;
        for (int i = 1; i <= models; i++) {
            max = Math.max(max, rss[i]);
        }
        System.out.printf(
                "RSS after model 1: %d MB, after model %d: %d MB, after model %d: %d MB, peak %d MB; "
                        + "growth from model %d to %d: %+d MB%n",
                rss[1] / 1024,
                Math.min(10, models),
                after10 / 1024,
                models,
                rss[models] / 1024,
                max / 1024,
                Math.min(10, models),
                models,
                (rss[models] - after10) / 1024);
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
