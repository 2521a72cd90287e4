package dev.gradlab.spec;

/**
 * Counts a spec's parameters without building the network, so an oversized spec is refused before any
 * native memory is touched. Must agree with what {@code network} builds (a test checks it).
 */
public final class ParameterBudget {

    /** DL4J's batch normalization keeps γ, β, and the running mean and variance per feature. */
    private static final int BATCH_NORM_PARAMS_PER_UNIT = 4;

    private ParameterBudget() {}

    public static long parameterCount(ExperimentSpec spec) {
        if (spec.model().recurrent()) {
            return recurrentParameterCount(spec);
        }
        ModelSpec m = spec.model();
        long w = m.width();
        long depth = m.depth();
        long classes = spec.dataset().outputs();
        long in = spec.dataset().inputFeatures();
        long count = in * w + w; // first block: projection of the input
        count += (depth - 1) * (w * w + w); // further hidden blocks
        if (m.batchNorm()) {
            count += depth * BATCH_NORM_PARAMS_PER_UNIT * w;
        }
        count += w * classes + classes; // softmax output layer
        return count;
    }

    private static long recurrentParameterCount(ExperimentSpec spec) {
        ModelSpec m = spec.model();
        long h = m.width();
        long gates = m.cell() == RnnCell.LSTM ? 4 : 1; // an LSTM has input, forget, output and cell blocks
        long count = 0;
        long in = spec.dataset().inputFeatures();
        for (int l = 0; l < m.depth(); l++) {
            count += gates * (in * h + h * h + h); // W, W_rec, b
            in = h;
        }
        long outputs = spec.dataset().outputs();
        return count + h * outputs + outputs;
    }
}
