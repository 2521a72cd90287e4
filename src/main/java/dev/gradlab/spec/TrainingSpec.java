package dev.gradlab.spec;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

@Schema(description = "How to train. Omitted fields take their defaults.")
public record TrainingSpec(
        @Schema(description = "sgd | momentum (Nesterov, 0.9) | adam", defaultValue = "sgd")
        Optimizer optimizer,
        @Schema(description = "Step size; default 0.1 for sgd, 0.01 for momentum, 0.001 for adam",
                minimum = "0", exclusiveMinimum = true, maximum = "10")
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("10") Double learningRate,
        @Schema(description = "Examples per minibatch (one iteration = one minibatch)", minimum = "1", maximum = "4096",
                defaultValue = "128")
        @Min(1) @Max(4096) Integer batchSize,
        @Schema(description = "Passes over the training split", minimum = "1", maximum = "10000", defaultValue = "20")
        @Min(1) @Max(10_000) Integer epochs,
        @Schema(description = "Seed of weight initialisation and minibatch shuffling", defaultValue = "42")
        Long seed,
        @Valid GradientClipping gradientClipping) {

    public TrainingSpec withDefaults() {
        Optimizer opt = optimizer == null ? Optimizer.SGD : optimizer;
        return new TrainingSpec(
                opt,
                learningRate == null ? opt.defaultLearningRate() : learningRate,
                batchSize == null ? 128 : batchSize,
                epochs == null ? 20 : epochs,
                seed == null ? 42L : seed,
                gradientClipping == null ? GradientClipping.NONE : gradientClipping.withDefaults());
    }
}
