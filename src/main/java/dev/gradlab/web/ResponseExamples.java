package dev.gradlab.web;

/**
 * Response examples shown in Swagger UI and the OpenAPI document, taken from real runs of the Swagger examples
 * (shortened where marked). redocly lint checks each against its schema.
 */
final class ResponseExamples {

    private ResponseExamples() {
    }

    private static final String PLAIN_SPEC = """
            "spec": {
                "model": {"type": "mlp", "depth": 20, "width": 32, "activation": "sigmoid", "weightInit": "xavier",
                          "residual": false, "batchNorm": false, "blockStyle": "post",
                          "batchNormPlacement": "beforeActivation"},
                "dataset": {"name": "spirals", "samples": 1000, "noise": 0.05, "classes": 2, "seed": 1,
                            "testFraction": 0.2, "features": 2},
                "training": {"optimizer": "adam", "learningRate": 0.01, "batchSize": 64, "epochs": 40, "seed": 42,
                             "gradientClipping": {"mode": "none"}},
                "metrics": {"every": 1}
              }""";

    static final String QUEUED_JOB = """
            {
              "id": "0d6f7f3e-8a53-4c34-9a43-2b8f2b7f9c10",
              "name": "plain 20-layer sigmoid",
              "status": "QUEUED",
            """ + PLAIN_SPEC + """
            ,
              "createdAt": "2026-12-01T12:00:00.120Z",
              "progress": {"iteration": 0, "totalIterations": 520, "epoch": 0, "totalEpochs": 40},
              "attempt": 0,
              "parameters": 19298
            }""";

    static final String SUCCEEDED_JOB = """
            {
              "id": "0d6f7f3e-8a53-4c34-9a43-2b8f2b7f9c10",
              "name": "plain 20-layer sigmoid",
              "status": "SUCCEEDED",
            """ + PLAIN_SPEC + """
            ,
              "createdAt": "2026-12-01T12:00:00.120Z",
              "startedAt": "2026-12-01T12:00:00.310Z",
              "finishedAt": "2026-12-01T12:00:08.402Z",
              "progress": {"iteration": 520, "totalIterations": 520, "epoch": 40, "totalEpochs": 40},
              "result": {
                "finalLoss": 0.6931,
                "trainAccuracy": 0.51,
                "testAccuracy": 0.46,
                "wallTimeMillis": 8012,
                "gradientRatio": {"measure": "firstToLastDenseLayer", "numerator": "dense1", "denominator": "dense20",
                                  "startIteration": 1, "start": 2.1e-12, "endIteration": 520, "end": 3.4e-12,
                                  "nonFinite": []},
                "nonFinite": []
              },
              "worker": "gradlab-7f9c-12345",
              "attempt": 1,
              "parameters": 19298
            }""";

    static final String DIVERGED_JOB = """
            {
              "id": "5b0e1c2d-3f4a-4b5c-8d6e-7f8091a2b3c4",
              "name": "rnn exploding (scale 3, no clipping)",
              "status": "DIVERGED",
              "spec": {
                "model": {"type": "rnn", "depth": 1, "width": 64, "activation": "tanh", "weightInit": "xavier",
                          "cell": "simple", "recurrentScale": 3.0},
                "dataset": {"name": "adding", "samples": 1000, "noise": 0.05, "seed": 1, "testFraction": 0.2,
                            "sequenceLength": 100, "features": 2},
                "training": {"optimizer": "sgd", "learningRate": 0.05, "batchSize": 50, "epochs": 3, "seed": 42,
                             "gradientClipping": {"mode": "none"}},
                "metrics": {"every": 5}
              },
              "createdAt": "2026-12-01T12:01:00.000Z",
              "startedAt": "2026-12-01T12:01:00.200Z",
              "finishedAt": "2026-12-01T12:01:03.900Z",
              "progress": {"iteration": 28, "totalIterations": 48, "epoch": 1, "totalEpochs": 3},
              "result": {
                "trainAccuracy": 0.0,
                "testAccuracy": 0.0,
                "wallTimeMillis": 3650,
                "divergence": {"iteration": 28, "layerIndex": 1, "layer": "output", "quantity": "loss"},
                "gradientRatio": {"measure": "firstToLastTimestep", "numerator": "t=1", "denominator": "t=100",
                                  "startIteration": 1, "start": 1.2e+40, "endIteration": 26, "nonFinite":
                                  [{"field": "end", "value": "Infinity"}]},
                "nonFinite": [{"field": "finalLoss", "value": "NaN"}]
              },
              "worker": "gradlab-7f9c-12345",
              "attempt": 1,
              "parameters": 4353
            }""";

    static final String INVALID_SPEC = """
            {
              "type": "about:blank",
              "title": "Invalid model spec",
              "status": 400,
              "detail": "model.depth: must be less than or equal to 200 (was 500)",
              "instance": "/api/v1/jobs",
              "code": "invalid-spec",
              "errors": [{"field": "model.depth", "message": "must be less than or equal to 200 (was 500)"}]
            }""";

    static final String GRADIENT_CURVES = """
            {
              "jobId": "0d6f7f3e-8a53-4c34-9a43-2b8f2b7f9c10",
              "stat": "weightGradientNorm",
              "totalPoints": 520,
              "downsampled": true,
              "iterations": [1, 2, 3, 520],
              "layers": [
                {"index": 0, "name": "dense1", "kind": "dense", "norms": [1.1e-13, 1.3e-13, 1.2e-13, 2.0e-13],
                 "nonFinite": []},
                {"index": 19, "name": "dense20", "kind": "dense", "norms": [0.052, 0.049, 0.047, 0.031],
                 "nonFinite": []},
                {"index": 20, "name": "output", "kind": "output", "norms": [0.41, 0.39, 0.38, 0.22], "nonFinite": []}
              ]
            }""";
}
