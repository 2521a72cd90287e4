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
                    SIMPLE_VS_LSTM));
}
