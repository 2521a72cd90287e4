package dev.gradlab.dataset;

/**
 * Labelled points in plain arrays, row-major: example i's features are
 * {@code features[i*featureCount .. (i+1)*featureCount)}. Kept free of ND4J so datasets stay a pure function of a seed.
 */
public record Samples(float[] features, int[] labels, int featureCount, int classes) {

    public int size() {
        return labels.length;
    }

    public float feature(int example, int column) {
        return features[example * featureCount + column];
    }
}
