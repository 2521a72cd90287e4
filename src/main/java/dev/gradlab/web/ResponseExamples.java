package dev.gradlab.web;

/**
 * Response examples shown in Swagger UI and the OpenAPI document, copied from real runs of the Swagger examples
 * plain and rnnExploding on 2026-12-01 (the gradient curve cut to three layers). redocly lint checks each against
 * its schema.
 */
final class ResponseExamples {

    private ResponseExamples() {}

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
              "id": "babdab0e-dfce-4f01-be4d-88c169b9db09",
              "name": "plain 20-layer sigmoid",
              "status": "QUEUED",
              "queuePosition": 1,
            """ + PLAIN_SPEC + """
            ,
              "createdAt": "2026-12-01T13:31:49.822552Z",
              "progress": {"iteration": 0, "totalIterations": 520, "epoch": 0, "totalEpochs": 40},
              "attempt": 0,
              "parameters": 20226
            }""";

    static final String SUCCEEDED_JOB = """
            {
              "id": "babdab0e-dfce-4f01-be4d-88c169b9db09",
              "name": "plain 20-layer sigmoid",
              "status": "SUCCEEDED",
            """ + PLAIN_SPEC + """
            ,
              "createdAt": "2026-12-01T13:31:49.822552Z",
              "startedAt": "2026-12-01T13:31:49.926790Z",
              "finishedAt": "2026-12-01T13:32:37.490746Z",
              "progress": {"iteration": 520, "totalIterations": 520, "epoch": 40, "totalEpochs": 40},
              "result": {
                "finalLoss": 0.6920289397239685,
                "trainAccuracy": 0.51125,
                "testAccuracy": 0.455,
                "wallTimeMillis": 47455,
                "gradientRatio": {"measure": "firstToLastDenseLayer", "numerator": "dense1", "denominator": "dense20",
                                  "startIteration": 1, "start": 2.1043525546523815e-12, "endIteration": 520,
                                  "end": 5.776647012517345e-14, "nonFinite": []},
                "nonFinite": []
              },
              "worker": "vm-6193",
              "attempt": 1,
              "parameters": 20226
            }""";

    static final String DIVERGED_JOB = """
            {
              "id": "ec6eb190-9901-4064-b6a7-221c29d5e947",
              "name": "rnn exploding (scale 3, no clipping)",
              "status": "DIVERGED",
              "spec": {
                "model": {"type": "rnn", "depth": 1, "width": 64, "activation": "tanh", "weightInit": "xavier",
                          "cell": "simple", "recurrentScale": 3.0},
                "dataset": {"name": "adding", "samples": 1000, "seed": 1, "testFraction": 0.2, "sequenceLength": 100,
                            "features": 2},
                "training": {"optimizer": "sgd", "learningRate": 0.05, "batchSize": 50, "epochs": 3, "seed": 42,
                             "gradientClipping": {"mode": "none"}},
                "metrics": {"every": 5}
              },
              "createdAt": "2026-12-01T13:31:38.047038Z",
              "startedAt": "2026-12-01T13:31:39.393783Z",
              "finishedAt": "2026-12-01T13:31:44.408256Z",
              "progress": {"iteration": 28, "totalIterations": 48, "epoch": 1, "totalEpochs": 3},
              "result": {
                "trainAccuracy": 0.0,
                "testAccuracy": 0.0,
                "wallTimeMillis": 4896,
                "divergence": {"iteration": 28, "layer": "loss", "quantity": "loss"},
                "gradientRatio": {"measure": "firstToLastTimestep", "numerator": "t=1", "denominator": "t=100",
                                  "startIteration": 1, "start": 41193107815596.1, "endIteration": 26,
                                  "nonFinite": [{"field": "end", "value": "NaN"}]},
                "nonFinite": [{"field": "finalLoss", "value": "Infinity"}]
              },
              "worker": "vm-6193",
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
              "jobId": "babdab0e-dfce-4f01-be4d-88c169b9db09",
              "stat": "weightGradientNorm",
              "totalPoints": 520,
              "downsampled": true,
              "iterations": [1, 2, 519, 520],
              "layers": [
                {"index": 0, "name": "dense1", "kind": "dense",
                 "norms": [1.0974604506316153e-13, 1.510146546084608e-13, 4.323984402307627e-16, 5.852275369631353e-16],
                 "nonFinite": []},
                {"index": 19, "name": "dense20", "kind": "dense",
                 "norms": [0.052151929019940535, 0.28301326298791246, 0.00017547886185461525, 0.010130920855905043],
                 "nonFinite": []},
                {"index": 20, "name": "output", "kind": "output",
                 "norms": [0.1799449147462614, 0.9774890328944466, 0.0008248594163475519, 0.04447644654069138],
                 "nonFinite": []}
              ]
            }""";

    static final String INVALID_STUDY = """
            {
              "type": "about:blank",
              "title": "Invalid study",
              "status": 400,
              "detail": "vary.model.depth[3]: must be less than or equal to 200 (was 500) (in the variant model.depth=500, model.batchNorm=false, and 1 more variant)",
              "instance": "/api/v1/studies",
              "code": "invalid-study",
              "errors": [{"field": "vary.model.depth[3]",
                          "message": "must be less than or equal to 200 (was 500) (in the variant model.depth=500, model.batchNorm=false, and 1 more variant)"}]
            }""";
}
