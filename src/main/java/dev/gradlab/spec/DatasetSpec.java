package dev.gradlab.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.UUID;

/**
 * A built-in dataset: generated deterministically from {@code seed} (2-D points, sequence tasks, random inputs
 * with random labels), or recorded images (digits, bundled; mnist and fashion-mnist, fetched once into the
 * dataset cache), of which {@code seed} chooses the examples and the split. A field that does not apply to the
 * dataset ({@code noise} but for the 2-D points, {@code classes} where the dataset fixes its outputs,
 * {@code sequenceLength} but for the sequence tasks) stays null after {@link #withDefaults(ModelType)}, and null
 * fields are left out of the JSON.
 */
@Schema(
        description = "Built-in dataset: generated from a seed, or recorded images of which the seed chooses the "
                + "examples and the split, or a user's upload (name upload, id). Omitted fields take their "
                + "defaults.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetSpec(
        @Schema(
                description = "For mlp: spirals (interleaved arms), circles (concentric rings), xor (quadrants, "
                        + "2 classes), gaussians (blobs on a circle), random (features i.i.d. N(0, 1) inputs, labels "
                        + "uniform over classes and unrelated to them: memorising random labels, as in Zhang et al. 2017, "
                        + "'Understanding deep learning requires rethinking generalization'; test accuracy stays at "
                        + "chance); recorded handwriting and clothing images, 10 classes, inputs scaled to [0, 1]: "
                        + "digits (1,797 8 × 8 images of handwritten digits, 64 inputs; bundled: the UCI 'Optical "
                        + "Recognition of Handwritten Digits' data of E. Alpaydin and C. Kaynak, 1998, licensed "
                        + "CC BY 4.0, as scikit-learn ships it), mnist (LeCun et al. 1998) and fashion-mnist (Xiao, "
                        + "Rasul & Vollgraf 2017), both 28 × 28 images, 784 inputs, fetched on first use into "
                        + "gradlab.datasets.cache-dir and checked by SHA-256 (a job whose file is missing and cannot "
                        + "be fetched ends FAILED, naming the file, its folder and its checksum); upload (a CSV "
                        + "uploaded to POST /api/v1/datasets, named by dataset.id); default spirals. "
                        + "For rnn: adding (regression on the sum of two marked values), temporal-order (4 classes: "
                        + "order of two symbols), remember-first (sign of the first input); default adding")
        DatasetName name,

        @Schema(
                description = "Examples in total, before the test split. Default 2000 for the 2-D datasets and "
                        + "random, 1000 for the sequence tasks, all 1797 for digits, 10000 for mnist and "
                        + "fashion-mnist. Recorded data are subsampled by seed: digits has 1797 examples; mnist and "
                        + "fashion-mnist draw samples × (1 − testFraction) training examples from their 60000 "
                        + "training images and the rest from their 10000 test images; an upload: all its rows, "
                        + "at most 100000, drawn by seed. samples × features is "
                        + "capped by gradlab.limits.max-dataset-values (default: 25510 for mnist)",
                minimum = "20",
                maximum = "100000")
        @Min(20)
        @Max(100_000)
        Integer samples,

        @Schema(
                description = "Std of Gaussian noise added to each coordinate of the 2-D datasets (data span about "
                        + "[-1, 1]); the other datasets have no noise and leave it out of the job's spec",
                minimum = "0",
                maximum = "2",
                defaultValue = "0.05")
        @DecimalMin("0")
        @DecimalMax("2")
        Double noise,

        @Schema(
                description = "Number of classes of the 2-D datasets and of random, 2..10 (xor has exactly 2), "
                        + "default 2. The sequence tasks fix their own outputs (adding 1, temporal-order 4, "
                        + "remember-first 2), digits, mnist and fashion-mnist have 10, and an upload has its own "
                        + "(filled in from it; up to 1000): omit",
                minimum = "2",
                maximum = "1000")
        @Min(2)
        @Max(MAX_CLASSES)
        Integer classes,

        @Schema(
                description = "Seed of the generator (for recorded data: of the examples drawn) and of the "
                        + "train/test split",
                defaultValue = "1")
        Long seed,

        @Schema(
                description = "Fraction held out as the test set",
                minimum = "0.05",
                maximum = "0.5",
                defaultValue = "0.2")
        @DecimalMin("0.05")
        @DecimalMax("0.5")
        Double testFraction,

        @Schema(
                description = "Time steps per sequence: sequence tasks only, default 50; other datasets: omit",
                minimum = "2",
                maximum = "500")
        @Min(2)
        @Max(500)
        Integer sequenceLength,

        @Schema(
                description = "Inputs per example (per time step for the sequence tasks). Chosen only for random "
                        + "(default 784, MNIST's 28 × 28); the 2-D datasets have 2, each sequence task its own "
                        + "(adding 2, temporal-order 6, remember-first 1), digits 64, mnist and fashion-mnist 784, "
                        + "an upload its feature columns (filled in from it), and any other value is rejected",
                minimum = "1",
                maximum = "4096")
        @Min(1)
        @Max(4096)
        Integer features,

        @Schema(
                description = "upload only, and required there: the id of an uploaded dataset (POST "
                        + "/api/v1/datasets answers it; GET /api/v1/datasets lists them). Its feature columns are "
                        + "the net's inputs and its classes the outputs",
                example = "0b9e4d2c-6f51-4c55-9a43-2d7d0f1e8a10")
        UUID id,

        @Schema(
                description = "upload only (default false): standardise each feature to mean 0 and standard "
                        + "deviation 1 (a z-score), with the mean and deviation of the training split alone, "
                        + "applied to both splits; a constant feature is only centred")
        Boolean standardize) {

    public static final int DEFAULT_SEQUENCE_LENGTH = 50;
    public static final int DEFAULT_RANDOM_FEATURES = 784;
    public static final int DEFAULT_CLASSES = 2;
    /** Classes the spec may name: an upload's (gradlab.datasets.upload.max-classes is at most this). */
    public static final int MAX_CLASSES = 1000;
    /** Classes of the generated datasets that choose them (the 2-D points and random). */
    public static final int MAX_GENERATED_CLASSES = 10;

    public static final double DEFAULT_NOISE = 0.05;
    /** Default size of a draw from mnist or fashion-mnist: 8,000 training and 2,000 test images at testFraction 0.2. */
    public static final int DEFAULT_PUBLISHED_SPLIT_SAMPLES = 10_000;

    /** A spec with every field omitted. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Defaults for an MLP. */
    public DatasetSpec withDefaults() {
        return withDefaults(ModelType.MLP);
    }

    /**
     * A copy with every omitted field that applies to the dataset filled in, and every field that does not apply
     * null: a spec stored by an older version (e.g. {@code classes: 1} on adding) loses those here. An upload's
     * samples, features and classes come from the upload ({@link SpecValidator} fills them in before this).
     */
    public DatasetSpec withDefaults(ModelType model) {
        DatasetName n = name != null ? name : model == ModelType.RNN ? DatasetName.ADDING : DatasetName.SPIRALS;
        return toBuilder()
                .name(n)
                .samples(samples == null ? defaultSamples(n) : samples)
                .noise(!n.points() ? null : noise == null ? DEFAULT_NOISE : noise)
                .classes(n.fixedOutputs().isPresent() ? null : classes == null ? DEFAULT_CLASSES : classes)
                .seed(seed == null ? 1L : seed)
                .testFraction(testFraction == null ? 0.2 : testFraction)
                .sequenceLength(
                        !n.sequence() ? null : sequenceLength == null ? DEFAULT_SEQUENCE_LENGTH : sequenceLength)
                // Filled in for every dataset so a stored spec states its input width.
                .features(features == null ? n.fixedInputs().orElse(DEFAULT_RANDOM_FEATURES) : features)
                .id(n.uploaded() ? id : null)
                .standardize(!n.uploaded() ? null : standardize != null && standardize)
                .build();
    }

    /**
     * Generated data: a size that trains in seconds; recorded data: all of digits, a demo-sized share of MNIST's. An
     * upload's default (all its rows, at most 100,000) is filled in by the validator, which knows the upload; the
     * value here only stands in where it could not (an unknown id, already refused).
     */
    static int defaultSamples(DatasetName name) {
        if (name.recorded()) {
            return name.publishedTestExamples().isPresent()
                    ? DEFAULT_PUBLISHED_SPLIT_SAMPLES
                    : name.availableExamples().getAsInt();
        }
        return name.sequence() ? 1000 : 2000;
    }

    /**
     * Width of the network's input: 2 for the 2-D datasets, the task's count per time step for a sequence,
     * {@code features} for random. Taken from the name where the dataset fixes it, so a spec stored before
     * {@code features} existed still reads right. Requires {@code name}.
     */
    public int inputFeatures() {
        return name.fixedInputs().orElseGet(() -> features == null ? DEFAULT_RANDOM_FEATURES : features);
    }

    /**
     * Outputs of the network: the task's own for a sequence task (1 for the adding problem's regression target),
     * else {@code classes}. Taken from the name where the dataset fixes it, so a spec stored with a stale
     * {@code classes} still reads right. Requires {@code name}.
     */
    public int outputs() {
        return name.fixedOutputs().orElseGet(() -> classes == null ? DEFAULT_CLASSES : classes);
    }

    /** Floats the generated inputs take (all examples, all time steps). Requires defaults filled in. */
    public long inputValues() {
        return (long) samples * inputFeatures() * (name.sequence() ? sequenceLength : 1);
    }

    /** Size of the training split, as the generator will make it. Requires defaults filled in. */
    public int trainSamples() {
        return samples - testSamples();
    }

    /** Size of the test split. Requires defaults filled in. */
    public int testSamples() {
        return (int) Math.round(samples * testFraction);
    }

    /** Sets fields one by one; an unset field stays null (omitted). */
    public static final class Builder {
        private DatasetName name;
        private Integer samples;
        private Double noise;
        private Integer classes;
        private Long seed;
        private Double testFraction;
        private Integer sequenceLength;
        private Integer features;
        private UUID id;
        private Boolean standardize;

        private Builder() {}

        private Builder(DatasetSpec s) {
            name = s.name;
            samples = s.samples;
            noise = s.noise;
            classes = s.classes;
            seed = s.seed;
            testFraction = s.testFraction;
            sequenceLength = s.sequenceLength;
            features = s.features;
            id = s.id;
            standardize = s.standardize;
        }

        public Builder name(DatasetName name) {
            this.name = name;
            return this;
        }

        public Builder samples(Integer samples) {
            this.samples = samples;
            return this;
        }

        public Builder noise(Double noise) {
            this.noise = noise;
            return this;
        }

        public Builder classes(Integer classes) {
            this.classes = classes;
            return this;
        }

        public Builder seed(Long seed) {
            this.seed = seed;
            return this;
        }

        public Builder testFraction(Double testFraction) {
            this.testFraction = testFraction;
            return this;
        }

        public Builder sequenceLength(Integer sequenceLength) {
            this.sequenceLength = sequenceLength;
            return this;
        }

        public Builder features(Integer features) {
            this.features = features;
            return this;
        }

        public Builder id(UUID id) {
            this.id = id;
            return this;
        }

        public Builder standardize(Boolean standardize) {
            this.standardize = standardize;
            return this;
        }

        public DatasetSpec build() {
            return new DatasetSpec(
                    name, samples, noise, classes, seed, testFraction, sequenceLength, features, id, standardize);
        }
    }
}
