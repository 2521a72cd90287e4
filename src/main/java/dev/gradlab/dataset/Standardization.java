package dev.gradlab.dataset;

/**
 * {@code dataset.standardize}: each feature to mean 0 and standard deviation 1 (a z-score), with the mean and the
 * (population) deviation of the training split alone, applied to both splits, so nothing of the test split leaks
 * into training. A feature constant over the training split is only centred. Sums in double.
 */
final class Standardization {

    private Standardization() {}

    /** Standardises the split's arrays in place (they are the job's own copies) and returns it. */
    static SplitDataset standardize(SplitDataset data) {
        Samples train = data.train();
        int width = train.exampleSize();
        int n = train.size();
        double[] mean = new double[width];
        double[] squares = new double[width];
        float[] x = train.features();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < width; j++) {
                mean[j] += x[i * width + j];
            }
        }
        for (int j = 0; j < width; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < width; j++) {
                double d = x[i * width + j] - mean[j];
                squares[j] += d * d;
            }
        }
        double[] scale = new double[width];
        for (int j = 0; j < width; j++) {
            double std = Math.sqrt(squares[j] / n);
            // A constant float feature summed in double leaves a spread of rounding error, not of data: below
            // float's own resolution at the mean (about 6e-8 of it) the feature counts as constant.
            scale[j] = std > 1e-7 * Math.abs(mean[j]) && std > 0 ? 1 / std : 1;
        }
        apply(train.features(), mean, scale);
        apply(data.test().features(), mean, scale);
        return data;
    }

    private static void apply(float[] features, double[] mean, double[] scale) {
        int width = mean.length;
        for (int i = 0; i < features.length; i++) {
            int j = i % width;
            features[i] = (float) ((features[i] - mean[j]) * scale[j]);
        }
    }
}
