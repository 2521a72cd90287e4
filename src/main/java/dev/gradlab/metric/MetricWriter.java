package dev.gradlab.metric;

import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The single thread that writes every job's metrics to the database, so training threads never wait on I/O.
 * Its queue is bounded: if the database falls far behind, training slows rather than memory filling up.
 */
@Component
public class MetricWriter implements DisposableBean {

    /** Points per stored chunk. */
    static final int CHUNK_POINTS = 512;

    private final MetricStore store;
    private final long flushIntervalNanos;
    private final ThreadPoolExecutor executor;

    MetricWriter(MetricStore store, @Value("${gradlab.metrics.flush-interval-ms:1000}") long flushIntervalMillis) {
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
    }

    /**
     * A recorder for one run of one job: hand it to the trainer as its observer, and {@code close()} it when
     * training returns. {@code progress} is called on the writer thread in each write's transaction, before the
     * points are stored; if it answers false the write is rolled back and the recorder stores nothing more.
     */
    public MetricRecorder open(UUID jobId, ProgressListener progress) {
        return new MetricRecorder(jobId, this, store, progress, flushIntervalNanos);
    }

    void submit(Runnable write) {
        executor.execute(write);
    }

    @Override
    public void destroy() throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** Told how far the stored metrics will reach, in the transaction that stores them. */
    @FunctionalInterface
    public interface ProgressListener {
        /** @return false if this run may no longer write the job's metrics (another run has taken the job over) */
        boolean storing(long iteration, int epoch);
    }
}
