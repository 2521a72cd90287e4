package dev.gradlab.dataset;

import dev.gradlab.spec.DatasetName;
import dev.gradlab.spec.DatasetSpec;
import java.util.SplittableRandom;

/**
 * Generates the built-in datasets, and draws from the bundled digits. Same spec, same points, on every machine:
 * the only randomness is a {@link SplittableRandom} seeded from {@code dataset.seed}. 2-D coordinates span roughly
 * [-1, 1]. The fetched datasets (mnist, fashion-mnist) need the dataset cache: {@link DatasetLoader}.
 */
public final class DatasetFactory {

    /** How far each spiral arm winds: three quarters of a turn keeps a deep net's task hard but learnable in minutes. */
    static final double TURNS = 0.75;

    private DatasetFactory() {}

    /** @param spec a dataset spec with defaults filled in */
    public static SplitDataset generate(DatasetSpec spec) {
        if (spec.name() == DatasetName.DIGITS) {
            return draw(Digits.all(), spec);
        }
        if (spec.name().recorded()) {
            throw new IllegalArgumentException(spec.name().label() + " is read from the dataset cache: DatasetLoader");
        }
        if (spec.name().uploaded()) {
            throw new IllegalArgumentException("an upload is read from the database: DatasetLoader");
        }
        if (spec.name().sequence()) {
            return split(sequences(spec), spec);
        }
        if (spec.name() == DatasetName.RANDOM) {
            SplittableRandom random = new SplittableRandom(spec.seed());
            return split(
                    RandomLabels.generate(spec.samples(), spec.inputFeatures(), spec.outputs(), random), spec, random);
        }
        int n = spec.samples();
        int classes = spec.outputs();
        int width = spec.inputFeatures(); // x and y
        SplittableRandom random = new SplittableRandom(spec.seed());
        PointGenerator generator = generatorFor(spec.name());

        float[] features = new float[n * width];
        int[] labels = new int[n];
        double[] xy = new double[2];
        for (int i = 0; i < n; i++) {
            labels[i] = generator.point(i, n, classes, spec.noise(), random, xy);
            features[i * width] = (float) xy[0];
            features[i * width + 1] = (float) xy[1];
        }

        // Generators emit points grouped by class; shuffle before splitting so both splits hold every class.
        return split(new Samples(features, labels, width, classes), spec, random);
    }

    private static Samples sequences(DatasetSpec spec) {
        SplittableRandom random = new SplittableRandom(spec.seed());
        return switch (spec.name()) {
            case ADDING -> SequenceTasks.adding(spec.samples(), spec.sequenceLength(), random);
            case TEMPORAL_ORDER -> SequenceTasks.temporalOrder(spec.samples(), spec.sequenceLength(), random);
            case REMEMBER_FIRST -> SequenceTasks.rememberFirst(spec.samples(), spec.sequenceLength(), random);
            default -> throw new IllegalArgumentException(spec.name() + " is not a sequence task");
        };
    }

    /**
     * {@code dataset.samples} examples of recorded data without a published split, chosen and split by one
     * shuffle from {@code dataset.seed}: the test split first, the training split next. A smaller draw with the
     * same seed is a subset of a larger one.
     */
    static SplitDataset draw(Samples all, DatasetSpec spec) {
        int[] order = Permutations.shuffled(all.size(), new SplittableRandom(spec.seed()));
        int test = spec.testSamples();
        return new SplitDataset(all.select(order, test, spec.samples()), all.select(order, 0, test));
    }

    private static SplitDataset split(Samples all, DatasetSpec spec) {
        return split(all, spec, new SplittableRandom(spec.seed() ^ 0x9E3779B97F4A7C15L));
    }

    private static SplitDataset split(Samples all, DatasetSpec spec, SplittableRandom random) {
        int n = all.size();
        int[] order = Permutations.shuffled(n, random);
        int testSize = n - spec.trainSamples();
        return new SplitDataset(all.select(order, testSize, n), all.select(order, 0, testSize));
    }

    static PointGenerator generatorFor(DatasetName name) {
        return switch (name) {
            case SPIRALS -> DatasetFactory::spiral;
            case CIRCLES -> DatasetFactory::circle;
            case XOR -> DatasetFactory::xor;
            case GAUSSIANS -> DatasetFactory::gaussian;
            default -> throw new IllegalArgumentException(name + " is not a 2-D dataset");
        };
    }

    /** Interleaved arms, one per class, each turning 1.75 times around the origin as the radius grows to 1. */
    private static int spiral(int i, int n, int classes, double noise, SplittableRandom r, double[] xy) {
        int label = i % classes;
        double t = (double) (i / classes) / Math.max(1, (n - 1) / classes);
        double radius = 0.05 + 0.95 * Math.min(1.0, t);
        double angle = TURNS * 2 * Math.PI * t + 2 * Math.PI * label / classes;
        xy[0] = radius * Math.cos(angle) + noise * PointGenerator.gaussian(r);
        xy[1] = radius * Math.sin(angle) + noise * PointGenerator.gaussian(r);
        return label;
    }

    /** Concentric rings: class k at radius (k+1)/classes. */
    private static int circle(int i, int n, int classes, double noise, SplittableRandom r, double[] xy) {
        int label = i % classes;
        double radius = (label + 1.0) / classes;
        double angle = 2 * Math.PI * r.nextDouble();
        xy[0] = radius * Math.cos(angle) + noise * PointGenerator.gaussian(r);
        xy[1] = radius * Math.sin(angle) + noise * PointGenerator.gaussian(r);
        return label;
    }

    /** Uniform in the square; the label is whether x and y have different signs (before noise). */
    private static int xor(int i, int n, int classes, double noise, SplittableRandom r, double[] xy) {
        double x = r.nextDouble(-1, 1);
        double y = r.nextDouble(-1, 1);
        int label = (x > 0) != (y > 0) ? 1 : 0;
        xy[0] = x + noise * PointGenerator.gaussian(r);
        xy[1] = y + noise * PointGenerator.gaussian(r);
        return label;
    }

    /** One isotropic blob per class, centres evenly spaced on a circle of radius 0.7, std 0.1 + noise. */
    private static int gaussian(int i, int n, int classes, double noise, SplittableRandom r, double[] xy) {
        int label = i % classes;
        double angle = 2 * Math.PI * label / classes;
        double std = 0.1 + noise;
        xy[0] = 0.7 * Math.cos(angle) + std * PointGenerator.gaussian(r);
        xy[1] = 0.7 * Math.sin(angle) + std * PointGenerator.gaussian(r);
        return label;
    }
}
