package dev.gradlab.dataset;

import java.util.SplittableRandom;

/**
 * Random inputs with random labels (Zhang et al. 2017, "Understanding deep learning requires rethinking
 * generalization"): the labels carry no information about the inputs, so a net can only memorise the training
 * split and scores chance on the test split. Width is free, which makes it the compute-bound benchmark.
 */
final class RandomLabels {

    private RandomLabels() {}

    /** {@code n} examples of {@code features} i.i.d. N(0, 1) inputs, each with a label uniform over {@code classes}. */
    static Samples generate(int n, int features, int classes, SplittableRandom r) {
        float[] f = new float[Math.multiplyExact(n, features)];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int base = i * features;
            for (int j = 0; j < features; j++) {
                f[base + j] = (float) PointGenerator.gaussian(r);
            }
            labels[i] = r.nextInt(classes);
        }
        return new Samples(f, labels, features, classes);
    }
}
