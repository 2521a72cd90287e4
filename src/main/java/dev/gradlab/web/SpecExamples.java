package dev.gradlab.web;

/**
 * Ready-to-send request bodies shown in Swagger UI: the same 20-layer sigmoid net three ways, recurrent nets, and a
 * net on real handwriting (the bundled digits).
 */
final class SpecExamples {

    private SpecExamples() {}

    private static final String COMMON = """
              "dataset": {"name": "spirals", "samples": 1000},
              "training": {"optimizer": "adam", "learningRate": 0.01, "batchSize": 64, "epochs": 40}
            }""";

    static final String PLAIN = """
            {
              "name": "plain 20-layer sigmoid",
              "model": {"depth": 20, "width": 32, "activation": "sigmoid"},
            """ + COMMON;

    static final String BATCH_NORM = """
            {
              "name": "batch-norm 20-layer sigmoid",
              "model": {"depth": 20, "width": 32, "activation": "sigmoid", "batchNorm": true},
            """ + COMMON;

    static final String RESIDUAL = """
            {
              "name": "residual 20-layer sigmoid",
              "model": {"depth": 20, "width": 32, "activation": "sigmoid", "residual": true},
            """ + COMMON;

    private static final String RNN_COMMON = """
              "dataset": {"name": "adding", "samples": 1000, "sequenceLength": 100},
            """;

    /** Pascanu et al.'s vanishing regime: W_rec's singular values 0.5, T = 100. */
    static final String RNN_VANISHING = """
            {
              "name": "rnn vanishing (scale 0.5)",
              "model": {"type": "rnn", "cell": "simple", "width": 64, "recurrentScale": 0.5},
            """ + RNN_COMMON + """
              "training": {"optimizer": "sgd", "learningRate": 0.05, "batchSize": 50, "epochs": 3},
              "metrics": {"every": 5}
            }""";

    /** Exploding: singular values 3, no clipping; the run ends DIVERGED. */
    static final String RNN_EXPLODING = """
            {
              "name": "rnn exploding (scale 3, no clipping)",
              "model": {"type": "rnn", "cell": "simple", "width": 64, "recurrentScale": 3.0},
            """ + RNN_COMMON + """
              "training": {"optimizer": "sgd", "learningRate": 0.05, "batchSize": 50, "epochs": 3},
              "metrics": {"every": 5}
            }""";

    /** The same with Pascanu et al.'s remedy: clip each layer's gradient norm at 1. */
    static final String RNN_CLIPPED = """
            {
              "name": "rnn exploding, clipped at 1",
              "model": {"type": "rnn", "cell": "simple", "width": 64, "recurrentScale": 3.0},
            """ + RNN_COMMON + """
              "training": {"optimizer": "sgd", "learningRate": 0.05, "batchSize": 50, "epochs": 3,
                           "gradientClipping": {"mode": "clipL2PerLayer", "threshold": 1.0}},
              "metrics": {"every": 5}
            }""";

    /**
     * A two-layer ReLU net on the bundled UCI handwritten digits (Alpaydin & Kaynak 1998, CC BY 4.0): about 0.98
     * test accuracy after 10 epochs (RecordedDatasetJobIntegrationTest runs it).
     */
    static final String DIGITS = """
            {
              "name": "digits, 2 × 64 relu",
              "model": {"depth": 2, "width": 64, "activation": "relu", "weightInit": "he"},
              "dataset": {"name": "digits"},
              "training": {"optimizer": "adam", "learningRate": 0.003, "batchSize": 32, "epochs": 10},
              "metrics": {"every": 10}
            }""";
}
