package dev.gradlab.spec;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** A built-in 2-D classification dataset, generated deterministically from {@code seed}; nothing is downloaded. */
@Schema(description = "Built-in 2-D dataset, generated from a seed. Omitted fields take their defaults.")
public record DatasetSpec(
        @Schema(description = "For mlp: spirals (interleaved arms), circles (concentric rings), xor (quadrants, "
                + "2 classes), gaussians (blobs on a circle); default spirals. For rnn: adding (regression on the "
                + "sum of two marked values), temporal-order (4 classes: order of two symbols), remember-first "
                + "(sign of the first input); default adding")
        DatasetName name,
        @Schema(description = "Points in total, before the test split", minimum = "20", maximum = "100000", defaultValue = "2000")
        @Min(20) @Max(100_000) Integer samples,
        @Schema(description = "Std of Gaussian noise added to each coordinate (data span about [-1, 1])",
                minimum = "0", maximum = "2", defaultValue = "0.05")
        @DecimalMin("0") @DecimalMax("2") Double noise,
        @Schema(description = "Number of classes of the 2-D datasets (xor has exactly 2); the sequence tasks fix "
                + "their own", minimum = "2", maximum = "10", defaultValue = "2")
        @Min(2) @Max(10) Integer classes,
        @Schema(description = "Seed of the generator and of the train/test split", defaultValue = "1")
        Long seed,
        @Schema(description = "Fraction held out as the test set", minimum = "0.05", maximum = "0.5", defaultValue = "0.2")
        @DecimalMin("0.05") @DecimalMax("0.5") Double testFraction,
        @Schema(description = "Time steps per sequence (sequence tasks only)", minimum = "2", maximum = "500",
                defaultValue = "50")
        @Min(2) @Max(500) Integer sequenceLength) {

    public static final int DEFAULT_SEQUENCE_LENGTH = 50;

    /** A 2-D dataset spec (no sequence length). */
    public DatasetSpec(DatasetName name, Integer samples, Double noise, Integer classes, Long seed,
                       Double testFraction) {
        this(name, samples, noise, classes, seed, testFraction, null);
    }

    /** Defaults for an MLP. */
    public DatasetSpec withDefaults() {
        return withDefaults(ModelType.MLP);
    }

    public DatasetSpec withDefaults(ModelType model) {
        DatasetName n = name != null ? name : model == ModelType.RNN ? DatasetName.ADDING : DatasetName.SPIRALS;
        return new DatasetSpec(
                n,
                samples == null ? (n.sequence() ? 1000 : 2000) : samples,
                noise == null ? 0.05 : noise,
                classes == null ? defaultClasses(n) : classes,
                seed == null ? 1L : seed,
                testFraction == null ? 0.2 : testFraction,
                sequenceLength == null && n.sequence() ? Integer.valueOf(DEFAULT_SEQUENCE_LENGTH) : sequenceLength);
    }

    /** Outputs of each task: its classes, or 1 for the adding problem's regression target. */
    static int defaultClasses(DatasetName n) {
        return switch (n) {
            case TEMPORAL_ORDER -> 4;
            case ADDING -> 1;
            default -> 2;
        };
    }

    /** Size of the training split, as the generator will make it. Requires defaults filled in. */
    public int trainSamples() {
        return samples - (int) Math.round(samples * testFraction);
    }
}
