package dev.gradlab.training;

import dev.gradlab.network.BuiltNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Measures how much gradient reaches each input step of a recurrent net: ‖∂L/∂x_t‖ for t = 1..T, where L is the
 * mean loss over a fixed probe batch (the same examples every time, so curves of different runs compare).
 * Pascanu et al.'s picture of vanishing and exploding gradients through time.
 */
final class TimestepGradientProbe {

    static final int PROBE_SIZE = 64;

    private final INDArray features;
    private final INDArray labels;
    private final int batch;
    private final int inputs;
    private final int steps;
    private double[] gradient;

    TimestepGradientProbe(INDArray features, INDArray labels) {
        this.features = features;
        this.labels = labels;
        this.batch = (int) features.size(0);
        this.inputs = (int) features.size(1);
        this.steps = (int) features.size(2);
    }

    /** Norms in double, index t−1 for step t; the net must be float64 or early steps underflow to 0. */
    double[] measure(BuiltNetwork network) {
        gradient = FlatReader.read(network.inputGradient(features, labels), gradient); // [batch, inputs, steps]
        double[] norms = new double[steps];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < inputs; i++) {
                int row = (b * inputs + i) * steps;
                for (int t = 0; t < steps; t++) {
                    double g = gradient[row + t];
                    norms[t] += g * g;
                }
            }
        }
        for (int t = 0; t < steps; t++) {
            norms[t] = Math.sqrt(norms[t]) / batch; // DL4J's input gradient is for the summed loss
        }
        return norms;
    }
}
