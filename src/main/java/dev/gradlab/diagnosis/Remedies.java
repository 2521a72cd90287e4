package dev.gradlab.diagnosis;

import dev.gradlab.spec.Activation;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.spec.ModelSpec;
import dev.gradlab.spec.Optimizer;
import dev.gradlab.spec.RnnCell;
import dev.gradlab.spec.TrainingSpec;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed's cures as spec changes, each offered only where it applies to this spec and is not already there (no
 * "turn on batch norm" for a net that has it, no LSTM advice for an MLP). Every change keeps the spec valid
 * (DiagnosisRulesTest applies each one and validates the result).
 */
final class Remedies {

    /** Pascanu et al.'s clipping at the spec's own default threshold. */
    static final double CLIP_THRESHOLD = 1.0;
    /** The spec's bounds on a learning rate and on epochs. */
    private static final double MAX_LEARNING_RATE = 10.0;

    private static final int MAX_EPOCHS = 10_000;
    private static final int MAX_WIDTH = 1024;
    private static final double MAX_FORGET_GATE_BIAS = 10.0;

    private final ModelSpec model;
    private final TrainingSpec training;
    private final List<Remedy> out = new ArrayList<>();

    private Remedies(ExperimentSpec spec) {
        this.model = spec.model();
        this.training = spec.training();
    }

    static Remedies forSpec(ExperimentSpec spec) {
        return new Remedies(spec);
    }

    List<Remedy> list() {
        return List.copyOf(out);
    }

    Remedies batchNorm() {
        if (!model.recurrent() && !Boolean.TRUE.equals(model.batchNorm())) {
            add(
                    "Batch normalization before each nonlinearity (Ioffe & Szegedy 2015) keeps every layer's "
                            + "pre-activations near zero mean and unit variance, out of the flat tails, so the gradient "
                            + "keeps its size through the stack.",
                    change("model.batchNorm", true));
        }
        return this;
    }

    Remedies residual() {
        if (!model.recurrent() && !Boolean.TRUE.equals(model.residual()) && model.depth() >= 2) {
            add(
                    "Identity skip connections x + F(x) (He et al. 2016) give the gradient a path that reaches "
                            + "every block unchanged, whatever the blocks do to it.",
                    change("model.residual", true));
        }
        return this;
    }

    Remedies reluWithHeInit() {
        if (!model.recurrent() && (model.activation() == Activation.SIGMOID || model.activation() == Activation.TANH)) {
            add(
                    "ReLU passes a gradient of exactly 1 through every active unit instead of at most 1/4 "
                            + "(sigmoid), and He initialisation keeps the activations' scale constant with depth.",
                    change("model.activation", "relu"),
                    change("model.weightInit", "he"));
        }
        return this;
    }

    Remedies leakyRelu() {
        if (model.activation() == Activation.RELU) {
            add(
                    "Leaky ReLU keeps a small gradient (0.01) on the negative side, so a unit that no input "
                            + "activates can still recover.",
                    change("model.activation", "leakyrelu"));
        }
        return this;
    }

    /** Wider layers, for deep and narrow ReLU nets, which are born dead with high probability (Lu et al. 2019). */
    Remedies wider() {
        if (model.width() < 16) {
            add(
                    "Wider layers: a deep, narrow ReLU net is likely to start with a whole layer dead (Lu et al. "
                            + "2019), a wide one is not.",
                    change("model.width", Math.min(MAX_WIDTH, model.width() * 4)));
        }
        return this;
    }

    Remedies clipping() {
        if (!training.gradientClipping().enabled()) {
            add(
                    "Clip each layer's gradient norm to " + CLIP_THRESHOLD + " (Pascanu et al. 2013): a step is then "
                            + "at most the learning rate long, however large the raw gradient.",
                    change("training.gradientClipping.mode", "clipL2PerLayer"),
                    change("training.gradientClipping.threshold", CLIP_THRESHOLD));
        }
        return this;
    }

    Remedies lowerLearningRate() {
        add(
                "A tenth of the learning rate makes each update a tenth as large relative to the weights.",
                change("training.learningRate", round(training.learningRate() / 10)));
        return this;
    }

    Remedies higherLearningRate() {
        double raised = Math.min(MAX_LEARNING_RATE, training.learningRate() * 10);
        if (raised > training.learningRate()) {
            add(
                    "Ten times the learning rate makes each update ten times as large relative to the weights.",
                    change("training.learningRate", round(raised)));
        }
        return this;
    }

    Remedies adam() {
        if (training.optimizer() != Optimizer.ADAM) {
            add(
                    "Adam scales each parameter's step by its own gradient history, so layers whose gradients are "
                            + "small still move.",
                    change("training.optimizer", "adam"),
                    change("training.learningRate", Optimizer.ADAM.defaultLearningRate()));
        }
        return this;
    }

    Remedies moreEpochs() {
        int more = Math.min(MAX_EPOCHS, training.epochs() * 2);
        if (more > training.epochs()) {
            add(
                    "Twice the epochs, in case the run is learning slowly rather than not at all.",
                    change("training.epochs", more));
        }
        return this;
    }

    Remedies lstm() {
        if (model.recurrent() && model.cell() == RnnCell.SIMPLE) {
            add(
                    "An LSTM carries its cell state through an additive, gated path, so the gradient need not "
                            + "shrink at every step (Hochreiter & Schmidhuber 1997).",
                    change("model.cell", "lstm"));
        }
        return this;
    }

    Remedies largerForgetGateBias() {
        if (model.recurrent() && model.cell() == RnnCell.LSTM && model.forgetGateBias() < MAX_FORGET_GATE_BIAS) {
            double bias = Math.min(MAX_FORGET_GATE_BIAS, Math.max(2.0, model.forgetGateBias() + 1));
            add(
                    "A larger forget-gate bias starts the LSTM remembering (gate near 1), so the cell state "
                            + "carries the gradient back further.",
                    change("model.forgetGateBias", bias));
        }
        return this;
    }

    /** W_rec's singular values at 1 (Pascanu et al.: below 1 the long-term gradient vanishes, above it can explode). */
    Remedies recurrentScaleNearOne(boolean fromBelow) {
        if (model.recurrent()
                && model.cell() == RnnCell.SIMPLE
                && (fromBelow ? model.recurrentScale() < 1.0 : model.recurrentScale() > 1.0)) {
            add(
                    "Start W_rec with every singular value 1 (orthogonal): the long-term gradient then neither "
                            + "shrinks nor grows by W_rec alone (Pascanu et al. 2013).",
                    change("model.recurrentScale", 1.0));
        }
        return this;
    }

    private void add(String summary, SpecChange... changes) {
        out.add(new Remedy(summary, List.of(changes)));
    }

    private static SpecChange change(String field, Object value) {
        return new SpecChange(field, value);
    }

    /** Three significant digits: 0.1 / 10 is 0.01, not 0.010000000000000002. */
    private static double round(double v) {
        return new BigDecimal(v).round(new MathContext(3)).doubleValue();
    }
}
