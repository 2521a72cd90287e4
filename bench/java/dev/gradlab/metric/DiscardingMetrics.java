package dev.gradlab.metric;

import dev.gradlab.training.EpochMetrics;
import dev.gradlab.training.LayerInfo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The service's MetricRecorder and MetricWriter around a store that keeps nothing: what a job's training thread
 * does to hand its points off (buffering, a flush a second, the writer thread's queue), without a database.
 */
public final class DiscardingMetrics {

    private final MetricWriter writer = new MetricWriter(new DiscardingStore(), 1000, new SimpleMeterRegistry());

    /** A recorder for one run; close it when training returns, as JobRunner does. */
    public MetricRecorder open() {
        return writer.open(UUID.randomUUID(), (iteration, epoch, bytes) -> true);
    }

    private static final class DiscardingStore extends MetricStore {

        DiscardingStore() {
            super(null);
        }

        @Override
        void saveLayers(UUID jobId, List<LayerInfo> layers, BooleanSupplier claim) {
            claim.getAsBoolean();
        }

        @Override
        void write(
                List<ChunkWrite> chunks,
                UUID jobId,
                List<EpochMetrics> epochs,
                List<TimestepGradients> timesteps,
                BooleanSupplier claim,
                boolean replay) {
            claim.getAsBoolean();
        }
    }
}
