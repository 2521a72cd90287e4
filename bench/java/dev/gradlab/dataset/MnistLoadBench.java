package dev.gradlab.dataset;

import static dev.gradlab.bench.Stats.spread;

import com.sun.net.httpserver.HttpServer;
import dev.gradlab.host.HostDescription;
import dev.gradlab.spec.DatasetName;
import dev.gradlab.spec.DatasetSpec;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Loading MNIST into a job: writes a synthetic MNIST in the published format (60,000 + 10,000 gzipped 28 × 28
 * images and their labels; each image a ring over about a fifth of the central 20 × 20 pixels, saturated inside
 * and grey at its edges, the rest zero, so it compresses about as MNIST does), serves it from a loopback HTTP
 * server, and times {@link DatasetLoader#load}: the first load (fetch + SHA-256 + decode), then loads from the
 * cache (SHA-256 of the four files + decode + draw into the job's train and test {@link Samples}), of the whole
 * published split and of the default draw. Target: under 2 s after the first fetch (issue 14).
 * {@code bench/run MnistLoadBench [repeats=7]}
 */
public final class MnistLoadBench {

    public static void main(String[] args) throws Exception {
        System.out.println(HostDescription.current().line());
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path work = Files.createTempDirectory("mnist-load-bench");
        Path source = Files.createDirectories(work.resolve("mirror"));
        try {
            long t0 = System.nanoTime();
            writeImages(source.resolve("train-images-idx3-ubyte.gz"), 60_000, 1);
            writeLabels(source.resolve("train-labels-idx1-ubyte.gz"), 60_000, 2);
            writeImages(source.resolve("t10k-images-idx3-ubyte.gz"), 10_000, 3);
            writeLabels(source.resolve("t10k-labels-idx1-ubyte.gz"), 10_000, 4);
            System.out.printf(
                    "synthetic MNIST written in %.1f s: train images %.1f MB gz (MNIST's: 9.9 MB)%n",
                    seconds(t0), Files.size(source.resolve("train-images-idx3-ubyte.gz")) / 1e6);
            ImageFiles files = new ImageFiles(
                    "mnist",
                    "gradlab.datasets.mnist-url",
                    entry(source, "train-images-idx3-ubyte.gz"),
                    entry(source, "train-labels-idx1-ubyte.gz"),
                    entry(source, "t10k-images-idx3-ubyte.gz"),
                    entry(source, "t10k-labels-idx1-ubyte.gz"));
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/mnist/", exchange -> {
                Path file = source.resolve(exchange.getRequestURI().getPath().substring("/mnist/".length()));
                exchange.sendResponseHeaders(200, Files.size(file));
                try (OutputStream out = exchange.getResponseBody()) {
                    Files.copy(file, out);
                }
            });
            server.start();
            try {
                String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/mnist/";
                DatasetLoader loader = new DatasetLoader(
                        new DatasetProperties(work.resolve("cache"), url, "", Duration.ofMinutes(1)),
                        Map.of(DatasetName.MNIST, files));
                DatasetSpec full = spec(70_000, 1.0 / 7);
                long first = System.nanoTime();
                SplitDataset d = loader.load(full);
                System.out.printf(
                        "first load (fetch over loopback HTTP + SHA-256 + decode), %d train + %d test: %.2f s%n",
                        d.train().size(), d.test().size(), seconds(first));
                report(loader, full, repeats, "60,000 train + 10,000 test (the whole published split)");
                report(loader, spec(10_000, 0.2), repeats, "default draw, 8,000 train + 2,000 test");
                double[] sha = new double[repeats];
                for (int r = 0; r < repeats; r++) {
                    long t = System.nanoTime();
                    for (IdxFile f : files.all()) {
                        DatasetCache.checksumIfPresent(
                                work.resolve("cache/mnist").resolve(f.name()));
                    }
                    sha[r] = seconds(t);
                }
                System.out.printf("  of which SHA-256 of the four files: %s s%n", spread(sha, "%.3f"));
            } finally {
                server.stop(0);
            }
        } finally {
            try (Stream<Path> all = Files.walk(work)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void report(DatasetLoader loader, DatasetSpec spec, int repeats, String what) {
        loader.load(spec); // warm-up
        double[] s = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long t = System.nanoTime();
            SplitDataset d = loader.load(spec);
            s[r] = seconds(t);
            if (d.train().size() != spec.trainSamples()) {
                throw new AssertionError("drew " + d.train().size());
            }
        }
        System.out.printf("load from the cache, %s: %s s (%d runs)%n", what, spread(s, "%.3f"), repeats);
    }

    private static DatasetSpec spec(int samples, double testFraction) {
        return DatasetSpec.builder()
                .name(DatasetName.MNIST)
                .samples(samples)
                .testFraction(testFraction)
                .seed(1L)
                .build()
                .withDefaults();
    }

    private static IdxFile entry(Path folder, String name) {
        return new IdxFile(name, DatasetCache.checksumIfPresent(folder.resolve(name)));
    }

    private static void writeImages(Path file, int count, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        try (DataOutputStream out = new DataOutputStream(
                new BufferedOutputStream(new GZIPOutputStream(Files.newOutputStream(file), 1 << 16), 1 << 16))) {
            out.writeInt(IdxReader.IMAGES_MAGIC);
            out.writeInt(count);
            out.writeInt(28);
            out.writeInt(28);
            byte[] image = new byte[784];
            for (int i = 0; i < count; i++) {
                java.util.Arrays.fill(image, (byte) 0);
                double cx = 14 + random.nextDouble(-3, 3);
                double cy = 14 + random.nextDouble(-3, 3);
                double rx = random.nextDouble(3, 7);
                double ry = random.nextDouble(5, 9);
                for (int y = 4; y < 24; y++) {
                    for (int x = 4; x < 24; x++) {
                        double d = Math.hypot((x - cx) / rx, (y - cy) / ry);
                        if (d < 1.1 && d > 0.35) { // a ring, like a stroke: saturated inside, grey at its edges
                            image[y * 28 + x] =
                                    (byte) (d > 0.75 || d < 0.55 ? random.nextInt(1, 256) : 255 - random.nextInt(8));
                        }
                    }
                }
                out.write(image);
            }
        }
    }

    private static void writeLabels(Path file, int count, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(IdxReader.LABELS_MAGIC);
            out.writeInt(count);
            for (int i = 0; i < count; i++) {
                out.writeByte(random.nextInt(10));
            }
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
