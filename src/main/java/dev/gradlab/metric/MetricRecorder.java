package dev.gradlab.metric;

import dev.gradlab.database.DatabaseUnavailableException;
import dev.gradlab.database.StorageLosses;
import dev.gradlab.training.EpochMetrics;
import dev.gradlab.training.IterationMetrics;
import dev.gradlab.training.LayerStatistics;
import dev.gradlab.training.TrainingObserver;
import dev.gradlab.training.TrainingPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.slf4j.MDC;

/**
 * Buffers one run's points on the training thread and hands finished (or, once a second, growing) chunks to
 * the {@link MetricWriter}. Curves are therefore live within about a second, and the training thread does no
 * I/O. Not thread-safe: used by the one training thread.
 * <p>
 * At most {@value #MAX_PENDING_WRITES} of its writes wait to be stored at a time: while the database is away (the
 * writer retries), the next flush blocks the training thread, so training pauses within a few flush intervals
 * instead of piling up copies of its chunks. If the outage outlasts the tolerance the recorder fails with
 * {@link DatabaseUnavailableException} and training stops.
 */
public final class MetricRecorder implements TrainingObserver, AutoCloseable {

    /** Writes handed to the writer and not yet stored; normally one at most. */
    static final int MAX_PENDING_WRITES = 4;

    /** The MDC key of the job a log line is about (as {@code job}'s runner sets it on the training thread). */
    static final String JOB_ID = "jobId";

    private final UUID jobId;
    private final MetricWriter writer;
    private final MetricStore store;
    private final MetricWriter.ProgressListener progress;
    private final long flushIntervalNanos;
    private final Duration outageTolerance;
    private final AtomicReference<RuntimeException> writeFailure = new AtomicReference<>();
    private final Semaphore pending = new Semaphore(MAX_PENDING_WRITES);
    /** Losses of acknowledged commits seen before this run wrote anything: one more, and it cannot trust them. */
    private final long storageLosses = StorageLosses.count();

    private OpenChunk loss;
    private OpenChunk[][] layerChunks = new OpenChunk[0][];
    private final List<EpochMetrics> pendingEpochs = new ArrayList<>();
    private final List<MetricStore.TimestepGradients> pendingTimesteps = new ArrayList<>();
    private long lastIteration;
    private int lastEpoch;
    /** Payload bytes of every point and per-step vector handed to the writer so far (the job's storedBytes). */
    private long storedBytes;

    private long lastFlush = System.nanoTime();

    MetricRecorder(
            UUID jobId,
            MetricWriter writer,
            MetricStore store,
            MetricWriter.ProgressListener progress,
            long flushIntervalNanos,
            Duration outageTolerance) {
        this.jobId = jobId;
        this.writer = writer;
        this.store = store;
        this.progress = progress;
        this.flushIntervalNanos = flushIntervalNanos;
        this.outageTolerance = outageTolerance;
        this.loss = new OpenChunk(MetricSeries.LOSS, MetricSeries.NO_LAYER);
    }

    @Override
    public void onStart(TrainingPlan plan) {
        var layers = List.copyOf(plan.layers());
        // saveLayers replaces the job's layer list: a replay after an unknown outcome needs nothing more
        submitWrite("the layer list", 0, tries -> store.saveLayers(jobId, layers, () -> progress.storing(0, 0, 0)));
        layerChunks = new OpenChunk[layers.size()][MetricSeries.LAYER_SERIES.length];
        for (int l = 0; l < layers.size(); l++) {
            for (int s = 0; s < MetricSeries.LAYER_SERIES.length; s++) {
                layerChunks[l][s] = new OpenChunk(MetricSeries.LAYER_SERIES[s], l);
            }
        }
    }

    @Override
    public void onIteration(IterationMetrics m) {
        lastIteration = m.iteration();
        lastEpoch = m.epoch() - 1; // epochs completed so far
        append(loss, m.iteration(), m.loss());
        if (m.timestepGradients() != null) {
            pendingTimesteps.add(new MetricStore.TimestepGradients(
                    m.iteration(), m.timestepGradients().clone()));
        }
        for (LayerStatistics stats : m.layers()) {
            OpenChunk[] chunks = layerChunks[stats.layer()];
            for (OpenChunk chunk : chunks) {
                Double value = chunk.series.valueOf(stats);
                if (value != null) {
                    append(chunk, m.iteration(), value);
                }
            }
        }
        if (System.nanoTime() - lastFlush >= flushIntervalNanos) {
            flush();
        }
    }

    /**
     * The epoch is stored with the next flush (within the flush interval, or at close()), not at once: a flush
     * rewrites every growing chunk, and with small datasets epochs end every dozen iterations.
     */
    @Override
    public void onEpoch(EpochMetrics m) {
        pendingEpochs.add(m);
        lastEpoch = m.epoch();
    }

    private void append(OpenChunk chunk, long iteration, double value) {
        if (chunk.count == MetricWriter.CHUNK_POINTS) {
            flush(); // writes every full chunk and opens its successor
        }
        chunk.iterations[chunk.count] = iteration;
        chunk.values[chunk.count] = value;
        chunk.count++;
    }

    /** Hands every chunk that grew since the last flush to the writer. */
    private void flush() {
        lastFlush = System.nanoTime();
        List<ChunkWrite> writes = new ArrayList<>();
        long points = loss.drainInto(jobId, writes);
        for (OpenChunk[] chunks : layerChunks) {
            for (OpenChunk chunk : chunks) {
                points += chunk.drainInto(jobId, writes);
            }
        }
        List<EpochMetrics> epochs = List.copyOf(pendingEpochs);
        pendingEpochs.clear();
        List<MetricStore.TimestepGradients> timesteps = List.copyOf(pendingTimesteps);
        pendingTimesteps.clear();
        long added = points * PointCodec.BYTES_PER_POINT;
        for (MetricStore.TimestepGradients t : timesteps) {
            added += (long) t.norms().length * Double.BYTES;
        }
        long iteration = lastIteration;
        int epoch = lastEpoch;
        if (writes.isEmpty() && epochs.isEmpty() && timesteps.isEmpty()) {
            return;
        }
        storedBytes += added;
        // The total, not the increment: a write replayed after an unknown outcome sets the same figure again.
        long bytes = storedBytes;
        submitWrite(
                "metrics up to iteration " + iteration,
                points,
                tries -> store.write(
                        writes, jobId, epochs, timesteps, () -> progress.storing(iteration, epoch, bytes), tries > 0));
    }

    /**
     * Hands one write to the writer, first waiting (training paused) while too many are still pending. It runs with
     * the job's id in the MDC, so that what the writer thread logs about it names the job.
     *
     * @param points the series points it stores for the first time (counted once stored)
     */
    private void submitWrite(String what, long points, IntConsumer write) {
        try {
            pending.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writeFailure.compareAndSet(
                    null, new DatabaseUnavailableException("interrupted while metric writes were pending", e));
            return;
        }
        String described = what + " of job " + jobId;
        writer.submit(() -> {
            try (MDC.MDCCloseable job = MDC.putCloseable(JOB_ID, jobId.toString())) {
                if (writeFailure.get() != null) {
                    return; // after a failed write the series has a gap; don't pretend otherwise by writing more
                }
                requireNoStorageLoss();
                writer.store(described, outageTolerance, write);
                requireNoStorageLoss();
                writer.stored(points);
            } catch (RuntimeException e) {
                writeFailure.compareAndSet(null, e);
            } finally {
                pending.release();
            }
        });
    }

    /** The database dropped commits since this run began: some of its stored points may be gone. */
    private void requireNoStorageLoss() {
        if (StorageLosses.count() != storageLosses) {
            throw new DatabaseUnavailableException(
                    "the database dropped commits it had acknowledged (H2 could not write its file): metrics of job "
                            + jobId + " stored so far may have gaps, so the run starts over",
                    null);
        }
    }

    /** True once a write has failed: the curves have a gap, so training may as well stop. */
    public boolean failed() {
        return writeFailure.get() != null;
    }

    /** Flushes what is left and waits until all of it is stored. @throws IllegalStateException if a write failed */
    @Override
    public void close() {
        flush();
        CompletableFuture<Void> drained = new CompletableFuture<>();
        writer.submit(() -> drained.complete(null));
        try {
            drained.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing metrics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        try {
            requireNoStorageLoss(); // after the last write too: what it stored may be gone
        } catch (DatabaseUnavailableException e) {
            writeFailure.compareAndSet(null, e);
        }
        RuntimeException failure = writeFailure.get();
        if (failure instanceof DatabaseUnavailableException outage) {
            throw outage; // not the job's fault: its runner hands it back to the queue
        }
        if (failure != null) {
            throw new IllegalStateException("could not store metrics: " + failure.getMessage(), failure);
        }
    }

    /** The chunk of one series currently being filled. */
    private static final class OpenChunk {
        final MetricSeries series;
        final int layer;
        final long[] iterations = new long[MetricWriter.CHUNK_POINTS];
        final double[] values = new double[MetricWriter.CHUNK_POINTS];
        int index;
        int count;
        int storedCount;
        boolean stored;

        OpenChunk(MetricSeries series, int layer) {
            this.series = series;
            this.layer = layer;
        }

        /** @return the points that no write of this chunk has carried before (an update rewrites it, longer) */
        long drainInto(UUID jobId, List<ChunkWrite> out) {
            long added = count - storedCount;
            if (count > storedCount) {
                out.add(new ChunkWrite(
                        jobId,
                        series,
                        layer,
                        index,
                        iterations[0],
                        iterations[count - 1],
                        count,
                        PointCodec.encode(iterations, values, count),
                        !stored));
            }
            if (count == MetricWriter.CHUNK_POINTS) {
                index++;
                count = 0;
                storedCount = 0;
                stored = false;
            } else if (count > storedCount) {
                storedCount = count;
                stored = true;
            }
            return added;
        }
    }
}
