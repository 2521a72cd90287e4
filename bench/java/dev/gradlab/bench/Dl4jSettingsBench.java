package dev.gradlab.bench;

import dev.gradlab.host.HostDescription;
import dev.gradlab.spec.ExperimentSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.WorkspaceMode;

/**
 * DL4J's own levers on bare DL4J (issue #15, item 4): for each spec, training (samples/s over the spec's epochs)
 * and inference (forward passes over the training split in chunks of 1024, as GradLab scores a split) with
 * <ul>
 *   <li>DL4J's defaults: cache mode NONE, workspaces ENABLED for training and inference;
 *   <li>cache mode HOST (an LSTM keeps its training forward pass for backprop; other layers ignore it);
 *   <li>cache mode DEVICE (on a CPU the same memory as HOST);
 *   <li>training workspaces NONE;
 *   <li>inference workspaces NONE.
 * </ul>
 * Each variant is its own network, built and warmed up once; within a repeat the variants alternate (the first one
 * rotating). Figures: median per-variant rate; ratio to the defaults, median (min–max) of per-repeat ratios.
 *   bench/run Dl4jSettingsBench [M1,M2,M3,R1,R2] [repeats=5]
 */
public final class Dl4jSettingsBench {

    private Dl4jSettingsBench() {}

    private record Variant(String name, BareDl4jLoop.Settings settings) {}

    private static final List<Variant> VARIANTS = List.of(
            new Variant("defaults", BareDl4jLoop.Settings.DEFAULTS),
            new Variant(
                    "cache HOST",
                    new BareDl4jLoop.Settings(CacheMode.HOST, WorkspaceMode.ENABLED, WorkspaceMode.ENABLED)),
            new Variant(
                    "cache DEVICE",
                    new BareDl4jLoop.Settings(CacheMode.DEVICE, WorkspaceMode.ENABLED, WorkspaceMode.ENABLED)),
            new Variant(
                    "training ws NONE",
                    new BareDl4jLoop.Settings(CacheMode.NONE, WorkspaceMode.NONE, WorkspaceMode.ENABLED)),
            new Variant(
                    "inference ws NONE",
                    new BareDl4jLoop.Settings(CacheMode.NONE, WorkspaceMode.ENABLED, WorkspaceMode.NONE)));

    public static void main(String[] args) {
        System.out.println(HostDescription.current().line());
        String[] specs = (args.length > 0 ? args[0] : "M1,M2,M3,R1,R2").split(",");
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<String> table = new ArrayList<>();
        table.add(
                "| spec | variant | training samples/s | training / defaults | inference samples/s | inference / defaults |");
        table.add("|---|---|---|---|---|---|");
        for (String name : specs) {
            ExperimentSpec spec = BenchSpecs.load(name);
            int epochs = spec.training().epochs();
            List<BareDl4jLoop> loops = new ArrayList<>();
            for (Variant v : VARIANTS) {
                loops.add(new BareDl4jLoop(spec, v.settings()));
                loops.get(loops.size() - 1).infer(1, 1024); // warm-up of the inference path
            }
            int n = VARIANTS.size();
            double[][] train = new double[n][repeats];
            double[][] infer = new double[n][repeats];
            for (int r = 0; r < repeats; r++) {
                for (int k = 0; k < n; k++) {
                    int v = (k + r) % n;
                    train[v][r] = loops.get(v).run(epochs).samplesPerSecond();
                    infer[v][r] = loops.get(v).infer(3, 1024).samplesPerSecond();
                }
                System.out.printf(Locale.ROOT, "  %s repeat %d done%n", name, r + 1);
            }
            for (int v = 0; v < n; v++) {
                double[] trainRatio = new double[repeats];
                double[] inferRatio = new double[repeats];
                for (int r = 0; r < repeats; r++) {
                    trainRatio[r] = train[v][r] / train[0][r];
                    inferRatio[r] = infer[v][r] / infer[0][r];
                }
                table.add(String.format(
                        Locale.ROOT,
                        "| %s | %s | %.0f | %.3f (%s) | %.0f | %.3f (%s) |",
                        name,
                        VARIANTS.get(v).name(),
                        Stats.median(train[v]),
                        Stats.median(trainRatio),
                        range(trainRatio),
                        Stats.median(infer[v]),
                        Stats.median(inferRatio),
                        range(inferRatio)));
            }
        }
        System.out.println(String.join("\n", table));
    }

    private static String range(double[] v) {
        return String.format(Locale.ROOT, "%.2f–%.2f", Stats.min(v), Stats.max(v));
    }
}
