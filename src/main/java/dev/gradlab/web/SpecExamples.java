package dev.gradlab.web;

/** Ready-to-send request bodies shown in Swagger UI: the same 20-layer sigmoid net three ways. */
final class SpecExamples {

    private SpecExamples() {
    }

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
}
