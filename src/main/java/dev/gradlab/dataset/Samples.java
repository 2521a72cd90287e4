package dev.gradlab.dataset;

/**
 * Labelled examples in plain arrays, kept free of ND4J so datasets stay a pure function of a seed.
 * Example i's inputs are {@code features[i*exampleSize() .. (i+1)*exampleSize())}; for sequences they are laid out
 * feature-major, {@code [feature * timeSteps + t]}, which is ND4J's [batch, features, time] order.
 * Classification sets fill {@code labels}; the regression task (adding) fills {@code targets} and has 1 output.
 */
public record Samples(float[] features, int[] labels, float[] targets, int featureCount, int timeSteps, int outputs) {

    /** Flat (one time step) examples with class labels: 2-D points, or random's {@code featureCount} inputs. */
    public Samples(float[] features, int[] labels, int featureCount, int classes) {
        this(features, labels, null, featureCount, 1, classes);
    }

    public int size() {
        return labels != null ? labels.length : targets.length;
    }

    public int exampleSize() {
        return featureCount * timeSteps;
    }

    public boolean regression() {
        return targets != null;
    }

    public boolean sequence() {
        return timeSteps > 1;
    }

    /** Number of classes, for classification sets. */
    public int classes() {
        return outputs;
    }

    public float feature(int example, int column) {
        return features[example * exampleSize() + column];
    }

    /** The examples at {@code order[from..to)}, in that order. */
    public Samples select(int[] order, int from, int to) {
        int size = to - from;
        int stride = exampleSize();
        float[] f = new float[size * stride];
        int[] l = labels == null ? null : new int[size];
        float[] y = targets == null ? null : new float[size];
        for (int k = 0; k < size; k++) {
            int src = order[from + k];
            System.arraycopy(features, src * stride, f, k * stride, stride);
            if (l != null) {
                l[k] = labels[src];
            }
            if (y != null) {
                y[k] = targets[src];
            }
        }
        return new Samples(f, l, y, featureCount, timeSteps, outputs);
    }
}
