package dev.gradlab.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.function.Consumer;

@Schema(description = "How to train. Omitted fields take their defaults.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingSpec(
        @Schema(description = "sgd | momentum (Nesterov, 0.9) | adam", defaultValue = "sgd")
        Optimizer optimizer,

        @Schema(
                description = "Step size; default 0.1 for sgd, 0.01 for momentum, 0.001 for adam",
                minimum = "0",
                exclusiveMinimum = true,
                maximum = "10")
        @DecimalMin(value = "0", inclusive = false)
        @DecimalMax("10")
        Double learningRate,

        @Schema(
                description = "Examples per minibatch (one iteration = one minibatch). batchSize × model.depth × "
                        + "model.width (× sequenceLength for rnn), one step's hidden activations, is capped by "
                        + "gradlab.limits.max-activation-values (default 16,000,000): it sets a job's memory",
                minimum = "1",
                maximum = "4096",
                defaultValue = "128")
        @Min(1)
        @Max(4096)
        Integer batchSize,

        @Schema(description = "Passes over the training split", minimum = "1", maximum = "10000", defaultValue = "20")
        @Min(1)
        @Max(10_000)
        Integer epochs,

        @Schema(description = "Seed of weight initialisation and minibatch shuffling", defaultValue = "42")
        Long seed,

        @Valid GradientClipping gradientClipping,

        @Schema(
                description = "Score accuracy on both splits after every N-th epoch; the last epoch is always scored. "
                        + "Default 1: one point of the accuracy curves per epoch",
                minimum = "1",
                maximum = "10000",
                defaultValue = "1")
        @Min(1)
        @Max(10_000)
        Integer evaluateEvery,

        @Schema(
                description = "Score at most this many examples of each split: a fixed, evenly spaced subset, the "
                        + "same at every scoring. The last epoch scores the whole splits, so a job's final accuracies "
                        + "are exact. Default 1024 (one forward pass per split): a standard error of at most 1.6 "
                        + "points on an intermediate accuracy, where scoring whole splits every epoch could take a "
                        + "large share of training time (docs/PERFORMANCE.md, issue #15)",
                minimum = "1",
                maximum = "1000000",
                defaultValue = "1024")
        @Min(1)
        @Max(1_000_000)
        Integer evaluationSamples) {

    public static final int DEFAULT_EVALUATION_SAMPLES = 1024;

    /** A spec with every field omitted. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public TrainingSpec withDefaults() {
        Optimizer opt = optimizer == null ? Optimizer.SGD : optimizer;
        return toBuilder()
                .optimizer(opt)
                .learningRate(learningRate == null ? opt.defaultLearningRate() : learningRate)
                .batchSize(batchSize == null ? 128 : batchSize)
                .epochs(epochs == null ? 20 : epochs)
                .seed(seed == null ? 42L : seed)
                .gradientClipping(gradientClipping == null ? GradientClipping.NONE : gradientClipping.withDefaults())
                .evaluateEvery(evaluateEvery == null ? 1 : evaluateEvery)
                .evaluationSamples(evaluationSamples == null ? DEFAULT_EVALUATION_SAMPLES : evaluationSamples)
                .build();
    }

    /** Sets fields one by one; an unset field stays null (omitted). */
    public static final class Builder {
        private Optimizer optimizer;
        private Double learningRate;
        private Integer batchSize;
        private Integer epochs;
        private Long seed;
        private GradientClipping gradientClipping;
        private Integer evaluateEvery;
        private Integer evaluationSamples;

        private Builder() {}

        private Builder(TrainingSpec s) {
            optimizer = s.optimizer;
            learningRate = s.learningRate;
            batchSize = s.batchSize;
            epochs = s.epochs;
            seed = s.seed;
            gradientClipping = s.gradientClipping;
            evaluateEvery = s.evaluateEvery;
            evaluationSamples = s.evaluationSamples;
        }

        public Builder optimizer(Optimizer optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        public Builder learningRate(Double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        public Builder batchSize(Integer batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder epochs(Integer epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder seed(Long seed) {
            this.seed = seed;
            return this;
        }

        public Builder gradientClipping(GradientClipping gradientClipping) {
            this.gradientClipping = gradientClipping;
            return this;
        }

        /** Changes the clipping set so far (or, if none, an empty one). */
        public Builder gradientClipping(Consumer<GradientClipping.Builder> change) {
            GradientClipping.Builder b =
                    gradientClipping == null ? GradientClipping.builder() : gradientClipping.toBuilder();
            change.accept(b);
            this.gradientClipping = b.build();
            return this;
        }

        public Builder evaluateEvery(Integer evaluateEvery) {
            this.evaluateEvery = evaluateEvery;
            return this;
        }

        public Builder evaluationSamples(Integer evaluationSamples) {
            this.evaluationSamples = evaluationSamples;
            return this;
        }

        public TrainingSpec build() {
            return new TrainingSpec(
                    optimizer,
                    learningRate,
                    batchSize,
                    epochs,
                    seed,
                    gradientClipping,
                    evaluateEvery,
                    evaluationSamples);
        }
    }
}
