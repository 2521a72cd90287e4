package dev.gradlab.bench;

import static dev.gradlab.bench.Stats.max;
import static dev.gradlab.bench.Stats.median;
import static dev.gradlab.bench.Stats.min;

import dev.gradlab.host.HostDescription;
import dev.gradlab.spec.DatasetName;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.training.ExperimentTrainer;
import dev.gradlab.training.TrainingOutcome;
import dev.gradlab.training.TrainingStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue #6's suite: each benchmark spec (bench/specs/*.json) trained by
 * <ol>
 *   <li>BARE: a hand-written DL4J loop, no GradLab code ({@link BareDl4jLoop});</li>
 *   <li>CORE_EVERY_1 / CORE_DEFAULT: GradLab's {@link ExperimentTrainer} with every statistic every iteration, and
 *       at the spec's default metrics.every (rnn: 20; for an mlp the default is 1, so that row is not repeated);</li>
 *   <li>SERVICE: a job through the running service over HTTP, from the POST (the job's createdAt) to SUCCEEDED
 *       (its finishedAt);</li>
 *   <li>PYTORCH: bench/python/torch_reference.py, the same network and minibatch schedule on one thread.</li>
 * </ol>
 * Variants alternate within each repeat (the starting one rotates), so the noise of this shared machine hits all
 * alike; ratios are taken within a repeat. Also measures single-precision GEMM GFLOP/s through nd4j (the BLAS
 * DL4J uses) and through PyTorch, the ceiling for the compute-bound M3.
 *
 * <p>Usage: {@code bench/run PerformanceSuite [repeats] [M1,M2,M3,R1,R2]}
 */
public final class PerformanceSuite {

    enum Variant {
        BARE,
        CORE_EVERY_1,
        CORE_DEFAULT,
        SERVICE,
        PYTORCH
    }

    private static final JsonMapper JSON = BenchSpecs.JSON;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int[][] GEMM_SHAPES = {{256, 512, 784}, {256, 512, 512}, {1024, 1024, 1024}};

    public static void main(String[] args) throws Exception {
        System.out.println(HostDescription.current().line());
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String[] names = (args.length > 1 ? args[1] : "M1,M2,M3,R1,R2").split(",");
        System.out.printf(
                "GradLab performance suite: %d repeats, %s; %s%n",
                repeats, String.join(",", names), java.time.LocalDate.now());
        try (PyTorch torch = new PyTorch();
                BenchApp app = BenchApp.start()) {
            System.out.println("PyTorch: " + torch.ask("describe"));
            System.out.println("nd4j BLAS: " + Nd4j.factory().blas().getBlasVendor() + ", max threads "
                    + Nd4j.getEnvironment().maxMasterThreads());
            List<String> table = new ArrayList<>();
            Map<String, Double> ceiling = gemmCeiling(torch, 3);
            for (String name : names) {
                table.addAll(measure(name.trim(), repeats, torch, app, ceiling));
            }
            System.out.println();
            System.out.println(
                    "| spec | variant | samples/s median (min–max) | ratio to bare DL4J | ratio to PyTorch |");
            System.out.println("|---|---|---|---|---|");
            table.forEach(System.out::println);
        }
    }

    private static List<String> measure(
            String name, int repeats, PyTorch torch, BenchApp app, Map<String, Double> ceiling) throws Exception {
        String body = BenchSpecs.body(name);
        ExperimentSpec spec = BenchSpecs.load(name);
        ExperimentSpec every1 = spec.withMetrics(m -> m.every(1));
        boolean distinctDefault = spec.metrics().every() != 1;
        List<Variant> variants = new ArrayList<>(List.of(Variant.values()));
        if (!distinctDefault) {
            variants.remove(Variant.CORE_DEFAULT);
        }
        int epochs = spec.training().epochs();
        System.out.printf(
                "%n== %s: %s; %d epochs x %d iterations; metrics.every default %d%n",
                name,
                body.lines().findFirst().orElse("").trim(),
                epochs,
                spec.iterationsPerEpoch(),
                spec.metrics().every());

        BareDl4jLoop bare = new BareDl4jLoop(spec);
        int trainSize = bare.trainSize();
        ObjectNode torchRequest = JSON.createObjectNode();
        torchRequest.put("workload", name);
        torchRequest.set("spec", JSON.valueToTree(spec));
        torchRequest.put("trainSize", trainSize);
        ExperimentTrainer trainer = new ExperimentTrainer();
        // Warm-up of the paths BareDl4jLoop's constructor did not warm.
        core(trainer, every1);
        service(app, body);
        torch.train(torchRequest);

        Map<Variant, double[]> rates = new EnumMap<>(Variant.class);
        Map<Variant, double[]> cpuShare = new EnumMap<>(Variant.class); // CPU time of the measuring thread / wall
        variants.forEach(v -> {
            rates.put(v, new double[repeats]);
            cpuShare.put(v, new double[repeats]);
        });
        for (int r = 0; r < repeats; r++) {
            StringBuilder line = new StringBuilder("repeat " + (r + 1) + ":");
            for (int k = 0; k < variants.size(); k++) {
                Variant v = variants.get((k + r) % variants.size());
                Measurement m = switch (v) {
                    case BARE -> bare.run(epochs);
                    case CORE_EVERY_1 -> core(trainer, every1);
                    case CORE_DEFAULT -> core(trainer, spec);
                    case SERVICE -> service(app, body);
                    case PYTORCH -> torch.train(torchRequest);
                };
                rates.get(v)[r] = m.samplesPerSecond();
                cpuShare.get(v)[r] = m.cpuSeconds() / m.seconds();
                line.append(String.format(" %s %.0f/s", v, m.samplesPerSecond()));
            }
            System.out.println(line);
        }

        List<String> rows = new ArrayList<>();
        double flopsPerSample = trainingFlopsPerSample(spec);
        for (Variant v : variants) {
            double[] rate = rates.get(v);
            String gflops = spec.dataset().name() == DatasetName.RANDOM
                    ? String.format(
                            "; %.1f GFLOP/s = %.0f%% of nd4j sgemm ceiling %.1f",
                            median(rate) * flopsPerSample / 1e9,
                            100 * median(rate) * flopsPerSample / 1e9 / ceiling.get("nd4j"),
                            ceiling.get("nd4j"))
                    : "";
            System.out.printf(
                    "%-13s %s samples/s; vs BARE %s; vs PYTORCH %s%s%n",
                    v,
                    Stats.spread(rate, "%.0f"),
                    ratioSpread(rate, rates.get(Variant.BARE)),
                    ratioSpread(rate, rates.get(Variant.PYTORCH)),
                    gflops);
            rows.add(String.format(
                    "| %s | %s | %.0f (%.0f–%.0f) | %s | %s |",
                    name,
                    v,
                    median(rate),
                    min(rate),
                    max(rate),
                    ratioSpread(rate, rates.get(Variant.BARE)),
                    ratioSpread(rate, rates.get(Variant.PYTORCH))));
        }
        System.out.printf(
                "CPU/wall of the measuring thread: BARE %.2f, CORE_EVERY_1 %.2f%n",
                median(cpuShare.get(Variant.BARE)), median(cpuShare.get(Variant.CORE_EVERY_1)));
        Variant core = distinctDefault ? Variant.CORE_DEFAULT : Variant.CORE_EVERY_1;
        System.out.printf(
                "SERVICE / %s per repeat: %s%n", core, ratioSpread(rates.get(Variant.SERVICE), rates.get(core)));
        return rows;
    }

    private static Measurement core(ExperimentTrainer trainer, ExperimentSpec spec) {
        Measurement.Clock clock = Measurement.start();
        TrainingOutcome outcome = trainer.train(spec, metrics -> {}, () -> false);
        if (outcome.status() != TrainingStatus.COMPLETED) {
            throw new IllegalStateException("core run ended " + outcome.status());
        }
        return clock.stop((long) spec.training().epochs() * spec.dataset().trainSamples());
    }

    /** POST the spec; the time is the server's own, from the job's createdAt (the POST accepted) to finishedAt. */
    private static Measurement service(BenchApp app, String body) throws Exception {
        String base = "http://127.0.0.1:" + app.port() + "/api/v1/jobs";
        HttpResponse<String> created = HTTP.send(
                HttpRequest.newBuilder(URI.create(base))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 202) {
            throw new IllegalStateException("POST answered " + created.statusCode() + ": " + created.body());
        }
        BenchSpecs.FinishedJob job = BenchSpecs.awaitSucceeded(
                HTTP, base, JSON.readTree(created.body()).get("id").asString());
        return new Measurement(job.samples(), job.took().toNanos() / 1e9, Double.NaN);
    }

    /** Nominal FLOPs per training example of an MLP: 2 per weight forward, 4 backward (input and weight gradients). */
    private static double trainingFlopsPerSample(ExperimentSpec spec) {
        if (spec.model().recurrent()) {
            return Double.NaN;
        }
        double in = spec.dataset().inputFeatures();
        double w = spec.model().width();
        double weights =
                in * w + (spec.model().depth() - 1) * w * w + w * spec.dataset().outputs();
        return 6 * weights;
    }

    /** Single-precision C = A·B through nd4j and through PyTorch, alternating; the best shape's median is the ceiling. */
    private static Map<String, Double> gemmCeiling(PyTorch torch, int repeats) throws IOException {
        Map<String, Double> best = new LinkedHashMap<>();
        System.out.println();
        for (int[] s : GEMM_SHAPES) {
            double[] nd4j = new double[repeats];
            double[] py = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                nd4j[r] = nd4jGemm(s[0], s[1], s[2]);
                py[r] = torch.ask("gemm " + s[0] + " " + s[1] + " " + s[2])
                        .get("gflops")
                        .asDouble();
            }
            System.out.printf(
                    "sgemm %dx%d·%dx%d GFLOP/s: nd4j %s; PyTorch %s%n",
                    s[0], s[2], s[2], s[1], Stats.spread(nd4j, "%.1f"), Stats.spread(py, "%.1f"));
            best.merge("nd4j", median(nd4j), Math::max);
            best.merge("pytorch", median(py), Math::max);
        }
        return best;
    }

    private static double nd4jGemm(int n, int m, int k) {
        INDArray a = Nd4j.randn(DataType.FLOAT, n, k);
        INDArray b = Nd4j.randn(DataType.FLOAT, k, m);
        INDArray c = Nd4j.create(DataType.FLOAT, n, m);
        Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        int runs = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < 1_000_000_000L) {
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            runs++;
        }
        return 2.0 * n * m * k * runs / ((System.nanoTime() - start) / 1e9) / 1e9;
    }

    private static String ratioSpread(double[] a, double[] b) {
        return a == b ? "1" : Stats.spread(divide(a, b), "%.3f");
    }

    private static double[] divide(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        return r;
    }

    /** bench/python/torch_reference.py as a child process, answering one JSON line per request. */
    private static final class PyTorch implements AutoCloseable {
        private final Process process;
        private final PrintWriter in;
        private final BufferedReader out;

        PyTorch() throws IOException {
            String python = System.getenv().getOrDefault("PYTHON", "/usr/bin/python3");
            process = new ProcessBuilder(python, "bench/python/torch_reference.py")
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        JsonNode ask(String line) throws IOException {
            in.println(line);
            String answer = out.readLine();
            if (answer == null) {
                throw new IOException("torch_reference.py exited: " + process.isAlive());
            }
            return JSON.readTree(answer);
        }

        Measurement train(ObjectNode request) throws IOException {
            JsonNode a = ask(JSON.writeValueAsString(request));
            return new Measurement(
                    a.get("samples").asLong(),
                    a.get("seconds").asDouble(),
                    a.get("cpuSeconds").asDouble());
        }

        @Override
        public void close() {
            in.close();
            process.destroy();
        }
    }
}
