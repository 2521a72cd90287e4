package dev.gradlab.metric;

import dev.gradlab.database.OutageRetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The single thread that writes every job's metrics to the database, so training threads never wait on I/O.
 * Its queue is bounded: if the database falls far behind, training slows rather than memory filling up.
 * <p>
 * A write that fails because the database is unavailable is retried (the same batch, replayed so that no point
 * is stored twice) until the database is back or the outage has lasted the recorder's tolerance; meanwhile the
 * writes behind it wait, and so, once each recorder's few pending writes are queued, does training. The outage
 * is timed from the first failure any write saw, so every job waits for the same outage at most once.
 */
@Component
public class MetricWriter implements DisposableBean {

    /** Points per stored chunk. */
    static final int CHUNK_POINTS = 512;

    /** Used by callers that do not say: long enough for a managed database's fail-over. */
    public static final Duration DEFAULT_OUTAGE_TOLERANCE = Duration.ofSeconds(60);

    private final MetricStore store;
    private final long flushIntervalNanos;
    private final ThreadPoolExecutor executor;
    private volatile boolean abandoning;
    private final OutageRetry retry = new OutageRetry(() -> abandoning);
    private final Counter pointsWritten;

    MetricWriter(
            MetricStore store,
            @Value("${gradlab.metrics.flush-interval-ms:1000}") long flushIntervalMillis,
            MeterRegistry registry) {
        this.store = store;
        this.flushIntervalNanos = TimeUnit.MILLISECONDS.toNanos(flushIntervalMillis);
        this.executor = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(64),
                r -> {
                    Thread t = new Thread(r, "metric-writer");
                    t.setDaemon(true);
                    return t;
                },
                (task, pool) -> {
                    try {
                        pool.getQueue().put(task); // back-pressure: the training thread waits for room
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
        Gauge.builder(
                        "gradlab.metrics.writer.backlog",
                        executor,
                        pool -> pool.getQueue().size())
                .description("Metric writes waiting for the writer thread (at most 64; past that training waits)")
                .register(registry);
        pointsWritten = Counter.builder("gradlab.metrics.points.written")
                .description("Series points (loss and per-layer statistics) stored, each counted once")
                .register(registry);
    }

    /** Counts points a write has stored. */
    void stored(long points) {
        pointsWritten.increment(points);
    }

    /**
     * A recorder for one run of one job: hand it to the trainer as its observer, and {@code close()} it when
     * training returns. {@code progress} is called on the writer thread in each write's transaction, before the
     * points are stored; if it answers false the write is rolled back and the recorder stores nothing more.
     *
     * @param outageTolerance how long a write waits for an unavailable database before the recorder fails with
     *                        {@link dev.gradlab.database.DatabaseUnavailableException}
     */
    public MetricRecorder open(UUID jobId, Duration outageTolerance, ProgressListener progress) {
        return new MetricRecorder(jobId, this, store, progress, flushIntervalNanos, outageTolerance);
    }

    /** A recorder whose writes wait for an unavailable database for {@link #DEFAULT_OUTAGE_TOLERANCE}. */
    public MetricRecorder open(UUID jobId, ProgressListener progress) {
        return open(jobId, DEFAULT_OUTAGE_TOLERANCE, progress);
    }

    void submit(Runnable write) {
        executor.execute(write);
    }

    /** Runs one write on the writer thread, retried while the database is unavailable (tries counted from 0). */
    void store(String what, Duration tolerance, IntConsumer write) {
        retry.call(what, tolerance, tries -> {
            write.accept(tries);
            return null;
        });
    }

    /**
     * Shutdown: a write waiting for the database gives up at its next failure instead of holding the process for
     * the whole tolerance. Its job stays RUNNING and is run again as after a crash.
     */
    public void abandonRetries() {
        abandoning = true;
    }

    @Override
    public void destroy() throws InterruptedException {
        abandoning = true;
        executor.shutdown();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** Told how far the stored metrics will reach, in the transaction that stores them. */
    @FunctionalInterface
    public interface ProgressListener {
        /**
         * @param storedBytes the payload bytes of all the run's points and per-step vectors once this write is
         *                    stored (16 a point, 8 a per-step value)
         * @return false if this run may no longer write the job's metrics (another run has taken the job over, or
         *         the job was deleted)
         */
        boolean storing(long iteration, int epoch, long storedBytes);
    }
}
