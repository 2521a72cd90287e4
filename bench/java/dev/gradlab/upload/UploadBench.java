package dev.gradlab.upload;

import static dev.gradlab.bench.Stats.spread;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.gradlab.dataset.DatasetLoader;
import dev.gradlab.dataset.DatasetProperties;
import dev.gradlab.dataset.SplitDataset;
import dev.gradlab.host.HostDescription;
import dev.gradlab.spec.DatasetName;
import dev.gradlab.spec.DatasetSpec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Parsing a large CSV upload: writes a CSV of about {@code megabytes} MB ({@code features} Gaussian features printed
 * with six decimals, as a spreadsheet or pandas would, and a label of 10 classes), then times
 * {@link CsvDatasetParser#parse} from a file stream ({@code repeats} times after a warm-up) and measures the heap it
 * needs against the floats it produces: the live heap after every garbage collection during a parse (its peak is
 * what the parse needed at most, garbage not counted) and the heap still held once it is done, each above the
 * heap before. With {@code JVM_OPTS=-Xmx48m} a 50 MB CSV still parses: the text is never held. Then stores it in an
 * in-memory H2 (the real schema) and times a job's draw of 100,000 rows from it.
 * {@code bench/run UploadBench [megabytes=50] [features=16] [repeats=5]}
 */
public final class UploadBench {

    public static void main(String[] args) throws Exception {
        System.out.println(HostDescription.current().line());
        int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int features = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path csv = Files.createTempFile("upload-bench", ".csv");
        try {
            long t0 = System.nanoTime();
            int rows = write(csv, megabytes * 1_000_000L, features);
            long bytes = Files.size(csv);
            System.out.printf(
                    "CSV written in %.1f s: %,d bytes, %,d rows × %d features + label (%.1f bytes per value)%n",
                    (System.nanoTime() - t0) / 1e9, bytes, rows, features, bytes / (double) rows / (features + 1));
            UploadProperties limits =
                    new UploadProperties(org.springframework.util.unit.DataSize.ofBytes(bytes), rows, null, null, null);

            GcWatch gc = new GcWatch();
            Runtime runtime = Runtime.getRuntime();
            System.gc();
            long before = heapUsed();
            gc.reset();
            long t1 = System.nanoTime();
            ParsedUpload parsed = parse(csv, limits);
            double first = (System.nanoTime() - t1) / 1e9;
            Thread.sleep(200); // GC notifications arrive on their own thread
            // The result is live at the end, so the peak is at least what is held then.
            long peakLive = gc.peakAfterGc();
            int collections = gc.collections();
            System.gc();
            long held = heapUsed() - before;
            long floats = (long) parsed.rows() * parsed.features() * Float.BYTES;
            long labels = (long) parsed.rows() * Integer.BYTES;
            System.out.printf(
                    "parsed %,d rows × %d features, %d classes, SHA-256 %s…%n",
                    parsed.rows(),
                    parsed.features(),
                    parsed.classes(),
                    parsed.sha256().substring(0, 16));
            System.out.printf(
                    "parsed floats %.1f MB + labels %.1f MB = %.1f MB (the CSV text: %.1f MB)%n",
                    floats / 1e6, labels / 1e6, (floats + labels) / 1e6, bytes / 1e6);
            System.out.printf(
                    "heap held after the parse (result referenced, after a full GC): +%.1f MB (%.2f × floats + labels)%n",
                    held / 1e6, held / (double) (floats + labels));
            System.out.printf(
                    "peak live heap during the parse (heap after each of its %d GCs, max): %s (max heap %d MB)%n",
                    collections,
                    collections == 0
                            ? "no GC ran during the parse"
                            : String.format(
                                    "+%.1f MB (%.2f × floats + labels)",
                                    (peakLive - before) / 1e6, (peakLive - before) / (double) (floats + labels)),
                    runtime.maxMemory() >> 20);
            System.out.printf("first parse (cold JIT): %.2f s = %.0f MB/s%n", first, bytes / 1e6 / first);
            parsed = null;

            double[] rates = new double[repeats];
            double[] cpuRates = new double[repeats];
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            for (int r = 0; r < repeats; r++) {
                System.gc();
                long t = System.nanoTime();
                long cpu = threads.getCurrentThreadCpuTime();
                ParsedUpload again = parse(csv, limits);
                double s = (System.nanoTime() - t) / 1e9;
                double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
                rates[r] = bytes / 1e6 / s;
                cpuRates[r] = bytes / 1e6 / cpuSeconds;
                if (again.rows() != rows) {
                    throw new IllegalStateException("parsed " + again.rows() + " rows, wrote " + rows);
                }
                System.out.printf(
                        "  parse %d: %.2f s (%.2f s of CPU on the parsing thread), %.0f MB/s%n",
                        r + 1, s, cpuSeconds, rates[r]);
            }
            System.out.println("parse rate, MB of CSV per second of wall time: " + spread(rates, "%.0f"));
            System.out.println(
                    "parse rate, MB of CSV per CPU second of the parsing thread: " + spread(cpuRates, "%.0f"));
            storeAndDraw(parse(csv, limits));
            System.out.printf(
                    "load average while it ran: %.1f on %d cores%n",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    Runtime.getRuntime().availableProcessors());
        } finally {
            Files.deleteIfExists(csv);
        }
    }

    /**
     * The rest of an upload's life, on an in-memory H2 with the real schema (Flyway's migrations): storing it in one
     * transaction, then a job's draw of 100,000 rows from it (every block read, the content hash checked), as
     * {@code DatasetLoader} does for a job, with and without standardisation.
     */
    private static void storeAndDraw(ParsedUpload parsed) {
        String url = "jdbc:h2:mem:upload-bench;DB_CLOSE_DELAY=-1";
        Flyway.configure()
                .dataSource(url, "sa", "")
                .locations("classpath:db/migration/h2")
                .load()
                .migrate();
        DriverManagerDataSource data = new DriverManagerDataSource(url, "sa", "");
        UploadedDatasetStore store = new UploadedDatasetStore(new JdbcTemplate(data));
        TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(data));
        UUID id = UUID.randomUUID();
        long t = System.nanoTime();
        transaction.executeWithoutResult(tx -> store.insert(id, "bench", "bench", parsed, Instant.now()));
        System.out.printf(
                "stored in H2 (in memory, one transaction, %d blocks): %.2f s%n",
                parsed.blocks().size(), (System.nanoTime() - t) / 1e9);
        DatasetLoader loader = new DatasetLoader(DatasetProperties.defaults(), store);
        for (boolean standardize : new boolean[] {false, true, false, true}) {
            DatasetSpec spec = DatasetSpec.builder()
                    .name(DatasetName.UPLOAD)
                    .id(id)
                    .samples(Math.min(100_000, parsed.rows()))
                    .features(parsed.features())
                    .classes(parsed.classes())
                    .standardize(standardize)
                    .build()
                    .withDefaults();
            long d = System.nanoTime();
            SplitDataset split = loader.load(spec);
            System.out.printf(
                    "  a job's draw of %,d + %,d rows%s: %.2f s%n",
                    split.train().size(),
                    split.test().size(),
                    standardize ? ", standardised" : "",
                    (System.nanoTime() - d) / 1e9);
        }
    }

    private static ParsedUpload parse(Path csv, UploadProperties limits) throws IOException {
        try (InputStream in = Files.newInputStream(csv)) {
            return CsvDatasetParser.parse(in, null, limits);
        }
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Rows of six-decimal Gaussians and a label 0..9 until the file reaches {@code target} bytes. */
    private static int write(Path csv, long target, int features) throws IOException {
        SplittableRandom random = new SplittableRandom(14);
        long written = 0;
        int rows = 0;
        StringBuilder line = new StringBuilder();
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.US_ASCII)) {
            for (int j = 0; j < features; j++) {
                line.append('x').append(j).append(',');
            }
            line.append("label\n");
            while (written < target) {
                out.append(line);
                written += line.length();
                line.setLength(0);
                int label = random.nextInt(10);
                for (int j = 0; j < features; j++) {
                    long micros = Math.round((random.nextGaussian() + (j == label ? 2 : 0)) * 1e6);
                    if (micros < 0) {
                        line.append('-');
                        micros = -micros;
                    }
                    String fraction =
                            Long.toString(1_000_000 + micros % 1_000_000).substring(1);
                    line.append(micros / 1_000_000).append('.').append(fraction).append(',');
                }
                line.append(label).append('\n');
                rows++;
            }
            out.append(line);
            rows++;
        }
        return rows - 1;
    }

    /** The heap in use right after each garbage collection (the live set then), summed over the heap's pools. */
    private static final class GcWatch {
        private final AtomicLong peak = new AtomicLong();
        private final AtomicLong count = new AtomicLong();

        GcWatch() {
            for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) bean)
                        .addNotificationListener(
                                (notification, handback) -> {
                                    if (!notification
                                            .getType()
                                            .equals(
                                                    GarbageCollectionNotificationInfo
                                                            .GARBAGE_COLLECTION_NOTIFICATION)) {
                                        return;
                                    }
                                    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                                            (CompositeData) notification.getUserData());
                                    long used = 0;
                                    for (var pool : info.getGcInfo()
                                            .getMemoryUsageAfterGc()
                                            .entrySet()) {
                                        if (!pool.getKey().contains("Metaspace")
                                                && !pool.getKey().contains("Code")
                                                && !pool.getKey().contains("Compressed")) {
                                            MemoryUsage u = pool.getValue();
                                            used += u.getUsed();
                                        }
                                    }
                                    peak.accumulateAndGet(used, Math::max);
                                    count.incrementAndGet();
                                },
                                null,
                                null);
            }
        }

        void reset() {
            peak.set(0);
            count.set(0);
        }

        long peakAfterGc() {
            return peak.get();
        }

        int collections() {
            return (int) count.get();
        }
    }
}
