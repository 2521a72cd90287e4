package dev.gradlab.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import java.util.function.Consumer;

/**
 * Everything needed to reproduce one training run: same spec, same curves.
 *
 * <p>To vary one field, change a copy through its section's builder, e.g.
 * {@code spec.withModel(m -> m.depth(5))}; {@code ExperimentSpec.builder().build()} is the all-defaults spec.
 */
@Schema(description = "A model spec: network, dataset, training and metrics settings")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExperimentSpec(
        @Valid ModelSpec model,
        @Valid DatasetSpec dataset,
        @Valid TrainingSpec training,
        @Valid MetricsSpec metrics) {

    /** A spec with every section omitted. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static ExperimentSpec defaults() {
        return builder().build().withDefaults();
    }

    /** A copy whose model is this one's (or, if none, an empty one) changed by {@code change}. */
    public ExperimentSpec withModel(Consumer<ModelSpec.Builder> change) {
        return toBuilder().model(change).build();
    }

    /** A copy whose dataset is this one's (or, if none, an empty one) changed by {@code change}. */
    public ExperimentSpec withDataset(Consumer<DatasetSpec.Builder> change) {
        return toBuilder().dataset(change).build();
    }

    /** A copy whose training is this one's (or, if none, an empty one) changed by {@code change}. */
    public ExperimentSpec withTraining(Consumer<TrainingSpec.Builder> change) {
        return toBuilder().training(change).build();
    }

    /** A copy whose metrics are this one's (or, if none, an empty one) changed by {@code change}. */
    public ExperimentSpec withMetrics(Consumer<MetricsSpec.Builder> change) {
        return toBuilder().metrics(change).build();
    }

    /** A copy with every omitted field filled in, so a stored spec says exactly what ran. */
    public ExperimentSpec withDefaults() {
        ModelSpec m = (model == null ? ModelSpec.builder().build() : model).withDefaults();
        return new Builder()
                .model(m)
                .dataset((dataset == null ? DatasetSpec.builder().build() : dataset).withDefaults(m.type()))
                .training((training == null ? TrainingSpec.builder().build() : training).withDefaults())
                .metrics((metrics == null ? MetricsSpec.builder().build() : metrics).withDefaults(m.type()))
                .build();
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

    /**
     * Sets sections whole, or changes each through its own builder: {@code model(m -> m.depth(5))} starts from
     * the model set so far, or from an empty one.
     */
    public static final class Builder {
        private ModelSpec model;
        private DatasetSpec dataset;
        private TrainingSpec training;
        private MetricsSpec metrics;

        private Builder() {}

        private Builder(ExperimentSpec s) {
            model = s.model;
            dataset = s.dataset;
            training = s.training;
            metrics = s.metrics;
        }

        public Builder model(ModelSpec model) {
            this.model = model;
            return this;
        }

        public Builder model(Consumer<ModelSpec.Builder> change) {
            ModelSpec.Builder b = model == null ? ModelSpec.builder() : model.toBuilder();
            change.accept(b);
            this.model = b.build();
            return this;
        }

        public Builder dataset(DatasetSpec dataset) {
            this.dataset = dataset;
            return this;
        }

        public Builder dataset(Consumer<DatasetSpec.Builder> change) {
            DatasetSpec.Builder b = dataset == null ? DatasetSpec.builder() : dataset.toBuilder();
            change.accept(b);
            this.dataset = b.build();
            return this;
        }

        public Builder training(TrainingSpec training) {
            this.training = training;
            return this;
        }

        public Builder training(Consumer<TrainingSpec.Builder> change) {
            TrainingSpec.Builder b = training == null ? TrainingSpec.builder() : training.toBuilder();
            change.accept(b);
            this.training = b.build();
            return this;
        }

        public Builder metrics(MetricsSpec metrics) {
            this.metrics = metrics;
            return this;
        }

        public Builder metrics(Consumer<MetricsSpec.Builder> change) {
            MetricsSpec.Builder b = metrics == null ? MetricsSpec.builder() : metrics.toBuilder();
            change.accept(b);
            this.metrics = b.build();
            return this;
        }

        public ExperimentSpec build() {
            return new ExperimentSpec(model, dataset, training, metrics);
        }
    }
}
