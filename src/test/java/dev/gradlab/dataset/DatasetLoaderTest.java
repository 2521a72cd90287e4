package dev.gradlab.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.gradlab.spec.DatasetName;
import dev.gradlab.spec.DatasetSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fetched datasets' real reading, checking and fetching code, on small IDX files written here and served by
 * an HTTP server on the loopback address (these machines have no internet access).
 */
class DatasetLoaderTest {

    @TempDir
    Path cache;

    private final IdxTestFiles data = new IdxTestFiles(300, 120);
    private HttpServer server;
    private ExecutorService serverThreads;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    /** When set, the first request waits for it before answering. */
    private volatile CountDownLatch gate;
    /** When set, the server answers every file with these bytes instead. */
    private volatile byte[] wrongBytes;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
            serverThreads.shutdownNow();
        }
    }

    private static DatasetSpec mnist(int samples, double testFraction, long seed) {
        return DatasetSpec.builder()
                .name(DatasetName.MNIST)
                .samples(samples)
                .testFraction(testFraction)
                .seed(seed)
                .build()
                .withDefaults();
    }

    private DatasetLoader loader(String mnistUrl) {
        return new DatasetLoader(
                new DatasetProperties(cache, mnistUrl, "", Duration.ofSeconds(20)),
                Map.of(DatasetName.MNIST, data.catalogue));
    }

    /** Serves the test files under /mirror/, counting requests per file. */
    private String serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serverThreads = Executors.newFixedThreadPool(4);
        server.setExecutor(serverThreads);
        server.createContext("/mirror/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/mirror/".length());
            requests.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            CountDownLatch wait = gate;
            if (wait != null) {
                try {
                    wait.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = wrongBytes != null ? wrongBytes : data.files.get(name);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/mirror"; // no trailing slash: it is added
    }

    @Test
    void readsFilesPutInTheCacheByHandScaledAndLabelled() throws IOException {
        data.writeTo(cache.resolve("mnist"));
        SplitDataset d = loader("").load(mnist(200, 0.25, 1));
        assertThat(d.train().size()).isEqualTo(150);
        assertThat(d.test().size()).isEqualTo(50);
        for (Samples s : List.of(d.train(), d.test())) {
            assertThat(s.featureCount()).isEqualTo(784);
            assertThat(s.classes()).isEqualTo(10);
            for (int i = 0; i < s.size(); i++) {
                assertThat(s.labels()[i]).isEqualTo(IdxTestFiles.index(s, i) % 10);
                assertThat(s.feature(i, 2)).isEqualTo(1f); // 255 → 1
                assertThat(s.feature(i, 3)).isZero();
            }
        }
        // Test examples come from the test file (120 images), training examples from the training file.
        assertThat(indices(d.test())).allMatch(i -> i < 120).hasSize(50);
        assertThat(indices(d.train())).hasSize(150).anyMatch(i -> i >= 120);
    }

    @Test
    void subsamplingIsDeterministicNestedAndWithoutRepeats() throws IOException {
        data.writeTo(cache.resolve("mnist"));
        DatasetLoader loader = loader("");
        SplitDataset a = loader.load(mnist(100, 0.2, 7));
        SplitDataset b = loader.load(mnist(100, 0.2, 7));
        SplitDataset c = loader.load(mnist(100, 0.2, 8));
        SplitDataset larger = loader.load(mnist(200, 0.2, 7));
        assertThat(a.train().features()).containsExactly(b.train().features());
        assertThat(a.test().labels()).containsExactly(b.test().labels());
        assertThat(indices(a.train())).isNotEqualTo(indices(c.train()));
        assertThat(indices(larger.train())).containsAll(indices(a.train()));
        assertThat(indices(larger.test())).containsAll(indices(a.test()));
        assertThat(indices(a.train())).hasSize(80); // a set: no example drawn twice
    }

    @Test
    void fetchesMissingFilesOnceAndServesLaterJobsFromTheCache() throws IOException {
        String url = serve();
        SplitDataset first = loader(url).load(mnist(100, 0.2, 3));
        SplitDataset again = loader(url).load(mnist(100, 0.2, 3));
        assertThat(again.train().features()).containsExactly(first.train().features());
        assertThat(requests.keySet()).containsExactlyInAnyOrderElementsOf(data.files.keySet());
        requests.values().forEach(n -> assertThat(n.get()).isEqualTo(1));
        try (Stream<Path> left = Files.list(cache.resolve("mnist"))) {
            assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".part")))
                    .as("no temporary file left")
                    .isEmpty();
        }
    }

    @Test
    void twoJobsWantingTheSameFileAtOnceMakeOneDownload() throws Exception {
        String url = serve();
        gate = new CountDownLatch(1);
        ExecutorService jobs = Executors.newFixedThreadPool(2);
        try {
            Future<SplitDataset> one = jobs.submit(() -> loader(url).load(mnist(100, 0.2, 5)));
            awaitTrue(() -> requests.containsKey("train-images-idx3-ubyte.gz"), "first download started");
            // Another loader, as another job's would be.
            Future<SplitDataset> two = jobs.submit(() -> loader(url).load(mnist(100, 0.2, 5)));
            Path target = cache.resolve("mnist/train-images-idx3-ubyte.gz")
                    .toAbsolutePath()
                    .normalize();
            awaitTrue(
                    () -> DatasetCache.FETCHING.get(target).hasQueuedThreads(),
                    "second job waits for the first one's download");
            gate.countDown();
            SplitDataset a = one.get(20, TimeUnit.SECONDS);
            SplitDataset b = two.get(20, TimeUnit.SECONDS);
            assertThat(b.train().features()).containsExactly(a.train().features());
            requests.values()
                    .forEach(
                            n -> assertThat(n.get()).as("downloads of one file").isEqualTo(1));
        } finally {
            gate.countDown();
            jobs.shutdownNow();
        }
    }

    @Test
    void aDownloadWithTheWrongChecksumIsNotKept() throws IOException {
        String url = serve();
        wrongBytes = IdxTestFiles.gzip(IdxTestFiles.labels(7));
        assertThatThrownBy(() -> loader(url).load(mnist(100, 0.2, 3)))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("train-images-idx3-ubyte.gz")
                .hasMessageContaining(data.catalogue.trainImages().sha256())
                .hasMessageContaining("the file it sent has SHA-256 " + IdxTestFiles.sha256(wrongBytes))
                .hasMessageContaining("it was not kept");
        try (Stream<Path> left = Files.list(cache.resolve("mnist"))) {
            assertThat(left.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".lock")))
                    .isEmpty();
        }
    }

    @Test
    void aDamagedFileInTheCacheIsReplacedByAFetchedOne() throws IOException {
        data.writeTo(cache.resolve("mnist"));
        Files.write(cache.resolve("mnist/t10k-labels-idx1-ubyte.gz"), new byte[] {1, 2, 3});
        String url = serve();
        SplitDataset d = loader(url).load(mnist(100, 0.2, 3));
        assertThat(d.test().size()).isEqualTo(20);
        assertThat(requests.keySet()).containsExactly("t10k-labels-idx1-ubyte.gz");
    }

    @Test
    void aDamagedFileWithoutFetchingSaysSo() throws IOException {
        data.writeTo(cache.resolve("mnist"));
        Files.write(cache.resolve("mnist/t10k-labels-idx1-ubyte.gz"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> loader("").load(mnist(100, 0.2, 3)))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("t10k-labels-idx1-ubyte.gz")
                .hasMessageContaining("the file there has SHA-256 " + IdxTestFiles.sha256(new byte[] {1, 2, 3}))
                .hasMessageContaining("fetching is off (gradlab.datasets.mnist-url is empty)");
    }

    @Test
    void missingFileWithoutNetworkNamesTheFileTheFolderAndTheChecksum() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort(); // free once closed: nothing listens there
        }
        String url = "http://127.0.0.1:" + closed + "/";
        assertThatThrownBy(() -> loader(url).load(mnist(100, 0.2, 3)))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessage("mnist needs train-images-idx3-ubyte.gz (SHA-256 "
                        + data.catalogue.trainImages().sha256() + ") in "
                        + cache.resolve("mnist").toAbsolutePath()
                        + ", and it is not there; fetching it from " + url + "train-images-idx3-ubyte.gz failed: "
                        + "connection refused. Put the published file in that folder, or set "
                        + "gradlab.datasets.mnist-url to a mirror that has it, and run the job again.");
    }

    @Test
    void aMirrorWithoutTheFileAnswers404() throws IOException {
        String url = serve();
        data.files.remove("t10k-images-idx3-ubyte.gz"); // the server no longer has it
        assertThatThrownBy(() -> loader(url).load(mnist(100, 0.2, 3)))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("t10k-images-idx3-ubyte.gz")
                .hasMessageContaining("failed: HTTP 404");
    }

    @Test
    void aFileThatIsNotIdxIsRefusedWithItsName() throws IOException {
        // Checksums match (the catalogue is made from these bytes), but the images file holds labels.
        Map<String, byte[]> files = new java.util.LinkedHashMap<>(data.files);
        files.put("train-images-idx3-ubyte.gz", IdxTestFiles.gzip(IdxTestFiles.labels(300)));
        Path folder = Files.createDirectories(cache.resolve("mnist"));
        for (var f : files.entrySet()) {
            Files.write(folder.resolve(f.getKey()), f.getValue());
        }
        DatasetLoader loader = new DatasetLoader(
                new DatasetProperties(cache, "", "", null), Map.of(DatasetName.MNIST, IdxTestFiles.catalogue(files)));
        assertThatThrownBy(() -> loader.load(mnist(100, 0.2, 3)))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining(
                        "train-images-idx3-ubyte.gz is not an IDX file of unsigned bytes in 3 dimensions");
    }

    @Test
    void generatedDatasetsNeedNoCache() {
        SplitDataset d = loader("")
                .load(DatasetSpec.builder().name(DatasetName.DIGITS).build().withDefaults());
        assertThat(d.train().size() + d.test().size()).isEqualTo(1797);
        assertThat(cache.resolve("mnist")).doesNotExist();
    }

    private static Set<Integer> indices(Samples s) {
        Set<Integer> out = new HashSet<>();
        for (int i = 0; i < s.size(); i++) {
            out.add(IdxTestFiles.index(s, i));
        }
        return out;
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
