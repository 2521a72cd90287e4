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
                "training": {"optimizer": "adam", "learningRate": 0.01, "batchSize": 32, "epochs": 10}
              },
              "vary": {"model.depth": [4, 8, 16], "model.batchNorm": [false, true], "model.residual": [false, true]},
              "repeats": 2,
              "targetLoss": 0.5
            }""";

    /** A tanh RNN whose W_rec has every singular value s, on the adding problem. */
    static final String RECURRENT_SCALE = """
            {
              "name": "recurrent scale (simple RNN, adding, T = 50)",
              "base": {
                "model": {"type": "rnn", "cell": "simple", "width": 32},
                "dataset": {"name": "adding", "samples": 1000, "sequenceLength": 50},
                "training": {"optimizer": "sgd", "learningRate": 0.05, "batchSize": 50, "epochs": 3},
                "metrics": {"every": 4}
              },
              "vary": {"model.recurrentScale": [0.5, 1.0, 1.5, 2.0, 3.0]},
              "repeats": 2
            }""";

    /** Pascanu et al.'s remedy for explosions, at a stable and at an exploding scale. */
    static final String CLIPPING = """
            {
              "name": "gradient clipping on/off (simple RNN, adding, T = 50)",
              "base": {
                "model": {"type": "rnn", "cell": "simple", "width": 32},
                "dataset": {"name": "adding", "samples": 1000, "sequenceLength": 50},
                "training": {"optimizer": "sgd", "learningRate": 0.05, "batchSize": 50, "epochs": 3},
                "metrics": {"every": 4}
              },
              "vary": {
                "model.recurrentScale": [1.0, 3.0],
                "training.gradientClipping": [{"mode": "none"}, {"mode": "clipL2PerLayer", "threshold": 1.0}]
              },
              "repeats": 2
            }""";

    /** The gated cell against the plain one on a task that needs the first input at the last step. */
    static final String SIMPLE_VS_LSTM = """
            {
              "name": "simple RNN vs LSTM (remember the first input, T = 50)",
              "base": {
                "model": {"type": "rnn", "width": 32},
                "dataset": {"name": "remember-first", "samples": 1000, "sequenceLength": 50},
                "training": {"optimizer": "adam", "learningRate": 0.01, "batchSize": 50, "epochs": 5},
                "metrics": {"every": 4}
              },
              "vary": {"model.cell": ["simple", "lstm"]},
              "repeats": 3,
              "targetLoss": 0.1
            }""";

    static final List<Preset> ALL = List.of(
            new Preset(
                    "depth-vs-cures",
                    "Depth vs cures: plain, batch norm, residual (sigmoid MLP)",
                    "Sigmoid MLPs of 4, 8 and 16 hidden layers on the two spirals, plain, with batch norm (Ioffe & "
                            + "Szegedy 2015), with residual connections (He et al. 2016) and with both (pre-activation "
                            + "blocks). The plain net's first/last dense-layer gradient ratio falls about 4× per layer "
                            + "(σ′ ≤ 1/4) and the deep plain nets stay near chance; either cure keeps the ratio near 1 "
                            + "and the net learns. 12 variants × 2 repeats.",
                    DEPTH_VS_CURES),
            new Preset(
                    "recurrent-scale",
                    "Recurrent scale: gradients through time vanish or explode",
                    "A tanh RNN on the adding problem (T = 50) with W_rec = orthogonal × s for s from 0.5 to 3 "
                            + "(Pascanu, Mikolov & Bengio 2013): ‖∂L/∂x₁‖/‖∂L/∂x_T‖ is vanishingly small for s < 1, "
                            + "grows by orders of magnitude with s, and at large s the run can explode and end DIVERGED. "
                            + "5 variants × 2 repeats.",
                    RECURRENT_SCALE),
            new Preset(
                    "clipping",
                    "Gradient clipping on and off",
                    "The same RNN at scale 1 (stable) and 3 (exploding), with and without clipping each layer's "
                            + "gradient norm at 1 (Pascanu et al.'s remedy): unclipped at scale 3 the loss overflows and "
                            + "the run ends DIVERGED; clipped it trains. 4 variants × 2 repeats.",
                    CLIPPING),
            new Preset(
                    "simple-vs-lstm",
                    "Simple RNN vs LSTM",
                    "A tanh simple RNN and an LSTM (forget-gate bias 1) on remember-first (the class is the sign of "
                            + "the first of 50 inputs): the gradient reaching step 1 vanishes through the simple RNN, "
                            + "which stays near chance, while the LSTM's gated memory carries it (Hochreiter & "
                            + "Schmidhuber 1997). 2 variants × 3 repeats, with the iterations to a loss of 0.1.",
                    SIMPLE_VS_LSTM));
}
