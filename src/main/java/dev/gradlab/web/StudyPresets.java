package dev.gradlab.web;

import java.util.List;

/**
 * Studies that reproduce the seed's claims, each a ready POST /api/v1/studies body (GET /api/v1/presets, and the
 * request examples of that operation). Small enough to finish in a few minutes on two cores with one job at a
 * time; the README gives the outcome measured for each.
 */
final class StudyPresets {

    private StudyPresets() {}

    /** One preset: a name a program can use, a title, what it shows, and the request. */
    record Preset(String name, String title, String description, String request) {}

    /** Sigmoid MLPs over depths, plain and with the two cures (and both: a pre-activation residual net). */
    static final String DEPTH_VS_CURES = """
            {
              "name": "depth vs cures (sigmoid MLP)",
              "base": {
                "model": {"width": 32, "activation": "sigmoid"},
                "dataset": {"name": "spirals", "samples": 600},
                "training": {"optimizer": "adam", "learningRate": 0.01, "batchSize": 32, "epochs": 8}
              },
              "vary": {"model.depth": [4, 8, 16], "model.batchNorm": [false, true], "model.residual": [false, true]},
              "repeats": 2,
              "targetLoss": 0.5
            }""";

    /** A tanh RNN whose W_rec has every singular value s, on the adding problem. */
    static final String RECURRENT_SCALE = """
            {
              "name": "recurrent scale (simple RNN, adding, T = 100)",
              "base": {
                "model": {"type": "rnn", "cell": "simple", "width": 64},
                "dataset": {"name": "adding", "samples": 1000, "sequenceLength": 100},
                "training": {"optimizer": "sgd", "learningRate": 0.05, "batchSize": 50, "epochs": 3},
                "metrics": {"every": 5}
              },
              "vary": {"model.recurrentScale": [0.5, 1.0, 1.5, 2.0, 3.0]},
              "repeats": 2
            }""";

    /** Pascanu et al.'s remedy for explosions, at a stable and at an exploding scale. */
    static final String CLIPPING = """
            {
              "name": "gradient clipping on/off (simple RNN, adding, T = 100)",
              "base": {
                "model": {"type": "rnn", "cell": "simple", "width": 64},
                "dataset": {"name": "adding", "samples": 1000, "sequenceLength": 100},
                "training": {"optimizer": "sgd", "learningRate": 0.05, "batchSize": 50, "epochs": 3},
                "metrics": {"every": 5}
              },
              "vary": {
                "model.recurrentScale": [1.0, 3.0],
                "training.gradientClipping": [{"mode": "none"}, {"mode": "clipL2PerLayer", "threshold": 1.0}]
              },
              "repeats": 2
            }""";

    /** The gated cell against the plain one on the adding problem, at two sequence lengths. */
    static final String SIMPLE_VS_LSTM = """
            {
              "name": "simple RNN vs LSTM (adding, T = 20 and 50)",
              "base": {
                "model": {"type": "rnn", "width": 32},
                "dataset": {"name": "adding", "samples": 2000},
                "training": {"optimizer": "adam", "learningRate": 0.01, "batchSize": 50, "epochs": 10},
                "metrics": {"every": 10}
              },
              "vary": {"model.cell": ["simple", "lstm"], "dataset.sequenceLength": [20, 50]},
              "repeats": 2,
              "targetLoss": 0.05
            }""";

    /**
     * Nielsen's [784, 30, 30, 30, 10] sigmoid net (Neural Networks and Deep Learning, ch. 5) with 2, 3 and 4 hidden
     * layers: the gradient of one full batch of 1,000 training images, as his fig/generate_gradient.py takes it, so
     * iteration 1's biasGradientNorm is his ‖δ^l‖ at initialisation; then his 500 full-batch steps of η = 0.1.
     */
    static final String NIELSEN_MNIST = """
            {
              "name": "Nielsen's table on MNIST ([784, 30, 30, 30, 10] sigmoid)",
              "base": {
                "model": {"width": 30, "activation": "sigmoid", "weightInit": "xavier"},
                "dataset": {"name": "mnist", "samples": 2000, "testFraction": 0.5},
                "training": {"optimizer": "sgd", "learningRate": 0.1, "batchSize": 1000, "epochs": 500}
              },
              "vary": {"model.depth": [2, 3, 4]},
              "repeats": 3
            }""";

    /** The same nets on the bundled digits (64 inputs): 1,000 training images, the other 797 held out. */
    static final String NIELSEN_DIGITS = """
            {
              "name": "Nielsen's table on digits ([64, 30, 30, 30, 10] sigmoid)",
              "base": {
                "model": {"width": 30, "activation": "sigmoid", "weightInit": "xavier"},
                "dataset": {"name": "digits", "samples": 1797, "testFraction": 0.4435},
                "training": {"optimizer": "sgd", "learningRate": 0.1, "batchSize": 1000, "epochs": 500}
              },
              "vary": {"model.depth": [2, 3, 4]},
              "repeats": 3
            }""";

    /** A 20-layer sigmoid MLP on digits, plain and with each cure, trained by plain SGD as Nielsen's nets are. */
    static final String DEPTH_VS_CURES_DIGITS = """
            {
              "name": "depth 20 vs cures (sigmoid MLP, digits)",
              "base": {
                "model": {"depth": 20, "width": 32, "activation": "sigmoid"},
                "dataset": {"name": "digits"},
                "training": {"optimizer": "sgd", "learningRate": 0.1, "batchSize": 32, "epochs": 10}
              },
              "vary": {"model": [
                {"depth": 20, "width": 32, "activation": "sigmoid"},
                {"depth": 20, "width": 32, "activation": "sigmoid", "batchNorm": true},
                {"depth": 20, "width": 32, "activation": "sigmoid", "residual": true}
              ]},
              "repeats": 2,
              "targetLoss": 0.5
            }""";

    static final List<Preset> ALL = List.of(
            new Preset(
                    "depth-vs-cures",
                    "Depth vs cures: plain, batch norm, residual (sigmoid MLP)",
                    "Sigmoid MLPs of 4, 8 and 16 hidden layers (width 32) on the two spirals, plain, with batch norm "
                            + "(Ioffe & Szegedy 2015), with residual connections (He et al. 2016) and with both "
                            + "(pre-activation blocks); 12 variants × 2 repeats, 120 iterations each. The plain net's "
                            + "first/last dense-layer gradient ratio at iteration 1 falls from about 1e-2 (depth 4) to "
                            + "1e-5 (8) and 3e-10 (16), σ′ ≤ 1/4 per layer, and the plain nets of depth 8 and 16 stay "
                            + "at chance; batch norm keeps the ratio above 1 and reaches a loss of 0.5 within about 5 "
                            + "iterations; residual nets keep it at 2–7e-2 at every depth and learn more slowly (a loss "
                            + "of 0.5 after 60–80 iterations).",
                    DEPTH_VS_CURES),
            new Preset(
                    "recurrent-scale",
                    "Recurrent scale: gradients through time vanish or explode",
                    "A tanh RNN (64 units) on the adding problem with T = 100 and W_rec = orthogonal × s, s from 0.5 to "
                            + "3 (Pascanu, Mikolov & Bengio 2013); 5 variants × 2 repeats. ‖∂L/∂x₁‖/‖∂L/∂x_T‖ at "
                            + "iteration 1 spans about 45 orders of magnitude, from 1e-30 at s = 0.5 to 1e+14 at s = 3; "
                            + "from s = 1.5 on runs explode and end DIVERGED (1 of 2 at 1.5, all at 2 and 3).",
                    RECURRENT_SCALE),
            new Preset(
                    "clipping",
                    "Gradient clipping on and off",
                    "The same RNN at s = 1 (stable) and s = 3 (exploding), with and without clipping each layer's "
                            + "gradient norm at 1 (Pascanu et al.'s remedy); 4 variants × 2 repeats. Unclipped at s = 3 "
                            + "every run ends DIVERGED; clipped, every run stays finite to the end. Neither learns the "
                            + "sum in 48 iterations: this shows the gradients, not a solution of the task.",
                    CLIPPING),
            new Preset(
                    "simple-vs-lstm",
                    "Simple RNN vs LSTM",
                    "A tanh simple RNN and an LSTM (forget-gate bias 1, 32 units, Adam) on the adding problem with T = "
                            + "20 and 50 (Hochreiter & Schmidhuber 1997); 4 variants × 2 repeats, 320 iterations each. "
                            + "At T = 20 the LSTM learns the sum (loss 0.05 after about 180 iterations) while the simple "
                            + "RNN stays on the plateau of a constant guess; at T = 50 neither learns in this budget.",
                    SIMPLE_VS_LSTM),
            new Preset(
                    "nielsen-mnist",
                    "Nielsen's table on MNIST: each hidden layer learns about 4–5× slower than the next",
                    "Nielsen's sigmoid nets [784, 30, 30, 10], [784, 30, 30, 30, 10] and [784, 30, 30, 30, 30, 10] "
                            + "(Neural Networks and Deep Learning, ch. 5) on 1,000 MNIST training images (1,000 test "
                            + "images held out), one full batch per step, SGD 0.1, 500 steps; 3 variants × 3 repeats. "
                            + "His ‖δ^l‖ at initialisation is iteration 1's biasGradientNorm of each hidden layer "
                            + "(/curves/gradients?stat=biasGradientNorm&from=1&to=1): the norm of the mean bias "
                            + "gradient over the 1,000 images. His figures: 0.012, 0.060, 0.283 (3 hidden layers) "
                            + "and 0.003, 0.017, 0.070, 0.285 (4). Differs from his code in biases (0, his N(0, 1)), "
                            + "the first and output layers' init (Xavier; his N(0, 1/n_in), equal for 30 → 30), a "
                            + "softmax output and no L2. Needs the four MNIST files in gradlab.datasets.cache-dir "
                            + "(fetched on first use when there is internet; docs/DATASETS.md).",
                    NIELSEN_MNIST),
            new Preset(
                    "nielsen-digits",
                    "Nielsen's table on the bundled digits (offline)",
                    "The same nets with 64 inputs on the bundled 8 × 8 digits: 1,000 training images (the other "
                            + "797 held out), one full batch per step, SGD 0.1, 500 steps; 9 jobs, about 3 minutes. "
                            + "Measured here at iteration 1, median over 3 repeats: hidden-layer bias-gradient norms "
                            + "0.0025, 0.010, 0.041 (3 hidden layers) and 0.0008, 0.0028, 0.010, 0.056 (4); each "
                            + "layer's is 3.6–4.2× the one below it (Nielsen on MNIST: 4.1–5.7×). After 500 steps "
                            + "the 2-layer net reaches 0.49 test accuracy, the 3- and 4-layer nets are still at "
                            + "chance: the early layers have barely moved.",
                    NIELSEN_DIGITS),
            new Preset(
                    "depth-vs-cures-digits",
                    "A 20-layer sigmoid net on digits: plain, batch norm, residual",
                    "20 sigmoid layers of 32 units on the bundled digits, SGD 0.1, batch 32, 10 epochs (450 "
                            + "iterations); plain, with batch norm, with residual connections; 3 variants × 2 "
                            + "repeats, about 7 minutes. Measured here: the plain net's first/last dense-layer "
                            + "gradient ratio at iteration 1 is 2e-12 (about 4× less per layer) and it stays at "
                            + "chance (test accuracy 0.09); batch norm reaches 0.94 (ratio 2.4), residual "
                            + "connections 0.81 (ratio 0.28).",
                    DEPTH_VS_CURES_DIGITS));
}
