package dev.gradlab.spec;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.OptionalInt;

/**
 * A built-in dataset, generated deterministically from {@code seed}; nothing is downloaded: 2-D points, sequence
 * tasks, or random inputs with random labels.
 */
@Schema(description = "Built-in dataset, generated from a seed. Omitted fields take their defaults.")
public record DatasetSpec(
        @Schema(description = "For mlp: spirals (interleaved arms), circles (concentric rings), xor (quadrants, "
                + "2 classes), gaussians (blobs on a circle), random (features i.i.d. N(0, 1) inputs, labels "
                + "uniform over classes and unrelated to them: memorising random labels, as in Zhang et al. 2017, "
                + "'Understanding deep learning requires rethinking generalization'; test accuracy stays at "
                + "chance); default spirals. For rnn: adding (regression on the sum of two marked values), temporal-order (4 classes: "
                + "order of two symbols), remember-first (sign of the first input); default adding")
        DatasetName name,
        @Schema(description = "Examples in total, before the test split; for random, samples × features is capped "
                + "by gradlab.limits.max-dataset-values", minimum = "20", maximum = "100000", defaultValue = "2000")
        @Min(20) @Max(100_000) Integer samples,
        @Schema(description = "Std of Gaussian noise added to each coordinate (2-D datasets; data span about [-1, 1])",
                minimum = "0", maximum = "2", defaultValue = "0.05")
        @DecimalMin("0") @DecimalMax("2") Double noise,
        @Schema(description = "Number of classes of the 2-D datasets and of random (xor has exactly 2); the "
                + "sequence tasks fix their own", minimum = "2", maximum = "10", defaultValue = "2")
        @Min(2) @Max(10) Integer classes,
        @Schema(description = "Seed of the generator and of the train/test split", defaultValue = "1")
        Long seed,
        @Schema(description = "Fraction held out as the test set", minimum = "0.05", maximum = "0.5", defaultValue = "0.2")
        @DecimalMin("0.05") @DecimalMax("0.5") Double testFraction,
        @Schema(description = "Time steps per sequence (sequence tasks only)", minimum = "2", maximum = "500",
                defaultValue = "50")
        @Min(2) @Max(500) Integer sequenceLength,
        @Schema(description = "Inputs per example (per time step for the sequence tasks). Chosen only for random "
                + "(default 784, MNIST's 28 × 28); the 2-D datasets have 2 and each sequence task its own, and "
                + "any other value is rejected", minimum = "1", maximum = "4096")
        @Min(1) @Max(4096) Integer features) {

    public static final int DEFAULT_SEQUENCE_LENGTH = 50;
    /** Inputs of a 2-D dataset: x and y. */
    public static final int POINT_FEATURES = 2;
    public static final int DEFAULT_RANDOM_FEATURES = 784;

    /** A 2-D dataset spec (no sequence length, features fixed). */
    public DatasetSpec(DatasetName name, Integer samples, Double noise, Integer classes, Long seed,
                       Double testFraction) {
        this(name, samples, noise, classes, seed, testFraction, null, null);
    }

    /** A spec without {@code features}: any dataset but random, or random with its default width. */
    public DatasetSpec(DatasetName name, Integer samples, Double noise, Integer classes, Long seed,
                       Double testFraction, Integer sequenceLength) {
        this(name, samples, noise, classes, seed, testFraction, sequenceLength, null);
    }

    /** Random inputs with random labels. */
    public static DatasetSpec random(Integer samples, Integer features, Integer classes, Long seed) {
        return new DatasetSpec(DatasetName.RANDOM, samples, null, classes, seed, null, null, features);
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
                sequenceLength == null && n.sequence() ? Integer.valueOf(DEFAULT_SEQUENCE_LENGTH) : sequenceLength,
                // Filled in for every dataset so a stored spec states its input width.
                features == null ? Integer.valueOf(fixedFeatures(n).orElse(DEFAULT_RANDOM_FEATURES)) : features);
    }

    /** Inputs per example (per time step) that a dataset fixes itself; empty for random, whose width is chosen. */
    static OptionalInt fixedFeatures(DatasetName n) {
        if (n == DatasetName.RANDOM) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(n.sequence() ? ParameterBudget.sequenceFeatures(n) : POINT_FEATURES);
    }

    /**
     * Width of the network's input: 2 for the 2-D datasets, the task's count per time step for a sequence,
     * {@code features} for random. Taken from the name where the dataset fixes it, so a spec stored before
     * {@code features} existed still reads right. Requires defaults filled in.
     */
    public int inputFeatures() {
        return fixedFeatures(name).orElseGet(() -> features == null ? DEFAULT_RANDOM_FEATURES : features);
    }

    /** Floats the generated inputs take (all examples, all time steps). Requires defaults filled in. */
    public long inputValues() {
        return (long) samples * inputFeatures() * (name.sequence() ? sequenceLength : 1);
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
