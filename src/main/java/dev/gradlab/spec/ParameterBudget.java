package dev.gradlab.spec;

/**
 * Counts a spec's parameters without building the network, so an oversized spec is refused before any
 * native memory is touched. Must agree with what {@code network} builds (a test checks it).
 */
public final class ParameterBudget {

    /** Every spec's input: 2-D points. */
    public static final int INPUT_FEATURES = 2;
    /** DL4J's batch normalization keeps γ, β, and the running mean and variance per feature. */
    private static final int BATCH_NORM_PARAMS_PER_UNIT = 4;

    private ParameterBudget() {
    }

    public static long parameterCount(ExperimentSpec spec) {
        ModelSpec m = spec.model();
        long w = m.width();
        long depth = m.depth();
        long classes = spec.dataset().classes();
        long count = INPUT_FEATURES * w + w;            // first block: projection of the input
        count += (depth - 1) * (w * w + w);             // further hidden blocks
        if (m.batchNorm()) {
            count += depth * BATCH_NORM_PARAMS_PER_UNIT * w;
        }
        count += w * classes + classes;                 // softmax output layer
        return count;
    }
}
