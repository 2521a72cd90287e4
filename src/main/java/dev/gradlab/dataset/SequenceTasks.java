package dev.gradlab.dataset;

import dev.gradlab.spec.DatasetName;
import java.util.SplittableRandom;

/**
 * The pathological long-memory problems of Hochreiter & Schmidhuber (1997), as used by Pascanu, Mikolov &
 * Bengio (2013), plus a one-bit memory task. Each is a pure function of its seed. Their input widths and output
 * counts are {@link DatasetName}'s.
 */
final class SequenceTasks {

    /** Input channels of the adding problem: the values, and the marker of the two that count. */
    static final int ADDING_CHANNELS = width(DatasetName.ADDING);

    static final int VALUE = 0;
    static final int MARKER = 1;
    /** Symbols of the temporal order task: the two that matter, then distractors (four). */
    static final int SYMBOLS = width(DatasetName.TEMPORAL_ORDER);

    static final int X = 0;
    static final int Y = 1;

    private SequenceTasks() {}

    private static int width(DatasetName task) {
        return task.fixedInputs().getAsInt();
    }

    private static int outputs(DatasetName task) {
        return task.fixedOutputs().getAsInt();
    }

    /**
     * Adding: channel 0 holds U[0,1] values, channel 1 marks two steps (one in the first tenth, one in the first
     * half); the target is the sum of the two marked values. Always predicting 1 scores MSE ≈ 0.167.
     */
    static Samples adding(int n, int steps, SplittableRandom r) {
        float[] f = new float[n * ADDING_CHANNELS * steps];
        float[] targets = new float[n];
        for (int i = 0; i < n; i++) {
            int base = i * ADDING_CHANNELS * steps;
            int values = base + VALUE * steps;
            int markers = base + MARKER * steps;
            for (int t = 0; t < steps; t++) {
                f[values + t] = (float) r.nextDouble();
            }
            int tenth = Math.max(1, steps / 10);
            int first = r.nextInt(tenth);
            int second = tenth + r.nextInt(Math.max(1, steps / 2 - tenth));
            second = Math.min(second, steps - 1);
            if (second == first) {
                second = first + 1;
            }
            f[markers + first] = 1f;
            f[markers + second] = 1f;
            targets[i] = f[values + first] + f[values + second];
        }
        return new Samples(f, null, targets, ADDING_CHANNELS, steps, outputs(DatasetName.ADDING));
    }

    /**
     * Temporal order: a sequence of random distractor symbols (one-hot over {@link #SYMBOLS}) with X or Y placed at one step in
     * [T/10, 2T/10) and another in [T/2, 6T/10); the class is their order: XX, XY, YX or YY.
     */
    static Samples temporalOrder(int n, int steps, SplittableRandom r) {
        float[] f = new float[n * SYMBOLS * steps];
        int[] labels = new int[n];
        int lo1 = steps / 10;
        int hi1 = Math.max(lo1 + 1, 2 * steps / 10);
        int lo2 = Math.max(hi1, steps / 2);
        int hi2 = Math.min(steps, Math.max(lo2 + 1, 6 * steps / 10));
        for (int i = 0; i < n; i++) {
            int base = i * SYMBOLS * steps;
            int[] symbol = new int[steps];
            for (int t = 0; t < steps; t++) {
                symbol[t] = 2 + r.nextInt(SYMBOLS - 2);
            }
            int a = r.nextBoolean() ? X : Y;
            int b = r.nextBoolean() ? X : Y;
            symbol[lo1 + r.nextInt(hi1 - lo1)] = a;
            symbol[lo2 + r.nextInt(hi2 - lo2)] = b;
            for (int t = 0; t < steps; t++) {
                f[base + symbol[t] * steps + t] = 1f;
            }
            labels[i] = 2 * a + b;
        }
        return new Samples(f, labels, null, SYMBOLS, steps, outputs(DatasetName.TEMPORAL_ORDER));
    }

    /** Remember-first: U[-1,1] inputs; the label is whether the first one was positive. */
    static Samples rememberFirst(int n, int steps, SplittableRandom r) {
        int width = width(DatasetName.REMEMBER_FIRST); // one value per step
        float[] f = new float[n * width * steps];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int base = i * width * steps;
            for (int t = 0; t < steps; t++) {
                f[base + t] = (float) r.nextDouble(-1, 1);
            }
            labels[i] = f[base] > 0 ? 1 : 0;
        }
        return new Samples(f, labels, null, width, steps, outputs(DatasetName.REMEMBER_FIRST));
    }
}
