package dev.gradlab.curve;

import java.util.Arrays;

/** A growable (iteration, value) series in primitive arrays. */
final class SeriesBuilder {

    private long[] iterations;
    private double[] values;
    private int size;

    SeriesBuilder(int capacity) {
        iterations = new long[Math.max(16, capacity)];
        values = new double[iterations.length];
    }

    void add(long iteration, double value) {
        if (size == iterations.length) {
            iterations = Arrays.copyOf(iterations, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        iterations[size] = iteration;
        values[size] = value;
        size++;
    }

    Series build() {
        return new Series(Arrays.copyOf(iterations, size), Arrays.copyOf(values, size));
    }

    /** Iterations ascending; values may be NaN or ±Inf. */
    record Series(long[] iterations, double[] values) {
        int size() {
            return iterations.length;
        }
    }
}
