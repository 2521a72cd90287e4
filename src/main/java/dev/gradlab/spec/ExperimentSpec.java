package dev.gradlab.spec;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

/** Everything needed to reproduce one training run: same spec, same curves. */
@Schema(description = "A model spec: network, dataset, training and metrics settings")
public record ExperimentSpec(
        @Valid ModelSpec model,
        @Valid DatasetSpec dataset,
        @Valid TrainingSpec training,
        @Valid MetricsSpec metrics) {

    public static ExperimentSpec defaults() {
        return new ExperimentSpec(null, null, null, null).withDefaults();
    }

    /** A copy with every omitted field filled in, so a stored spec says exactly what ran. */
    public ExperimentSpec withDefaults() {
        ModelSpec m = (model == null ? new ModelSpec(null, null, null, null, null, null, null, null, null, null) : model)
                .withDefaults();
        return new ExperimentSpec(
                m,
                (dataset == null ? new DatasetSpec(null, null, null, null, null, null) : dataset).withDefaults(m.type()),
                (training == null ? new TrainingSpec(null, null, null, null, null, null) : training).withDefaults(),
                (metrics == null ? new MetricsSpec(null) : metrics).withDefaults(m.type()));
    }

    /** Minibatches per epoch, counting a smaller last batch. Requires defaults filled in. */
    public int iterationsPerEpoch() {
        int train = dataset.trainSamples();
        int batch = training.batchSize();
        return (train + batch - 1) / batch;
    }

    public long totalIterations() {
        return (long) iterationsPerEpoch() * training.epochs();
    }
}
