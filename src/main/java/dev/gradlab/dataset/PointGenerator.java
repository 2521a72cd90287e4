package dev.gradlab.dataset;

import java.util.SplittableRandom;

/** Draws one labelled 2-D point; {@code index} runs over 0..samples-1 so classes can be balanced. */
interface PointGenerator {

    /** Writes x, y into {@code xy} and returns the label. */
    int point(int index, int samples, int classes, double noise, SplittableRandom random, double[] xy);

    static double gaussian(SplittableRandom random) {
        // Box–Muller: SplittableRandom has no nextGaussian, and its sequence is the same on every JVM.
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
