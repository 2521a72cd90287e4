package dev.gradlab.web;

/**
 * Response examples shown in Swagger UI and the OpenAPI document, copied from real runs of the Swagger examples
 * plain and rnnExploding on 2026-12-01 (the gradient curve cut to three layers; the diagnosis from reruns of the
 * same specs, which train deterministically, the same day; storedBytes from reruns on 2026-12-01 with this version,
 * in which the rnn diverged at iteration 29). redocly lint checks each against its schema.
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
              "owner": "alice",
              "status": "QUEUED",
              "queuePosition": 1,
            """ + PLAIN_SPEC + """
            ,
              "createdAt": "2026-12-01T13:31:49.822552Z",
              "progress": {"iteration": 0, "totalIterations": 520, "epoch": 0, "totalEpochs": 40},
              "attempt": 0,
              "parameters": 20226,
              "storedBytes": 0
            }""";

    static final String SUCCEEDED_JOB = """
            {
              "id": "babdab0e-dfce-4f01-be4d-88c169b9db09",
              "name": "plain 20-layer sigmoid",
              "owner": "alice",
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
              "attempt": 1,
              "parameters": 20226,
              "storedBytes": 891632,
              "diagnosis": [
                {"code": "VANISHING_GRADIENT", "severity": "critical", "layerIndex": 0, "layer": "dense1", "iteration": 520,
                 "evidence": {"statistic": "weightGradientNorm(dense1) / weightGradientNorm(dense20)", "value": 1.700255362036303e-14, "threshold": 0.001, "nonFinite": []},
                 "summary": "The first dense layer (dense1) gets 1.7e-14 of the gradient of dense20 (‖g‖ = 5.7e-16 < 1.0e-04): the gradient vanishes on its way down, 13.8 decades, and the lower layers barely learn.",
                 "remedies": [
                   {"summary": "Batch normalization before each nonlinearity (Ioffe & Szegedy 2015) keeps every layer's pre-activations near zero mean and unit variance, out of the flat tails, so the gradient keeps its size through the stack.",
                    "changes": [{"field": "model.batchNorm", "value": true}]},
                   {"summary": "Identity skip connections x + F(x) (He et al. 2016) give the gradient a path that reaches every block unchanged, whatever the blocks do to it.",
                    "changes": [{"field": "model.residual", "value": true}]},
                   {"summary": "ReLU passes a gradient of exactly 1 through every active unit instead of at most 1/4 (sigmoid), and He initialisation keeps the activations' scale constant with depth.",
                    "changes": [{"field": "model.activation", "value": "relu"}, {"field": "model.weightInit", "value": "he"}]}]}
              ]
            }""";

    static final String DIVERGED_JOB = """
            {
              "id": "ec6eb190-9901-4064-b6a7-221c29d5e947",
              "name": "rnn exploding (scale 3, no clipping)",
              "owner": "alice",
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
              "attempt": 1,
              "parameters": 4353,
              "storedBytes": 6288,
              "diagnosis": [
                {"code": "NON_FINITE", "severity": "critical", "iteration": 28,
                 "evidence": {"statistic": "loss", "nonFinite": [{"field": "value", "value": "Infinity"}]},
                 "summary": "The run produced NaN or ±Infinity at iteration 28, first seen in the loss, and stopped (DIVERGED).",
                 "remedies": [
                   {"summary": "Clip each layer's gradient norm to 1.0 (Pascanu et al. 2013): a step is then at most the learning rate long, however large the raw gradient.",
                    "changes": [{"field": "training.gradientClipping.mode", "value": "clipL2PerLayer"}, {"field": "training.gradientClipping.threshold", "value": 1.0}]},
                   {"summary": "A tenth of the learning rate makes each update a tenth as large relative to the weights.",
                    "changes": [{"field": "training.learningRate", "value": 0.005}]},
                   {"summary": "Start W_rec with every singular value 1 (orthogonal): the long-term gradient then neither shrinks nor grows by W_rec alone (Pascanu et al. 2013).",
                    "changes": [{"field": "model.recurrentScale", "value": 1.0}]}]},
                {"code": "EXPLODING_THROUGH_TIME", "severity": "critical", "layerIndex": 0, "layer": "rnn1", "iteration": 1,
                 "evidence": {"statistic": "‖∂L/∂x_1‖ / ‖∂L/∂x_100‖", "value": 41193107815596.1, "threshold": 70.0, "nonFinite": []},
                 "summary": "The first time step gets 4.1e+13 times the gradient that reaches step 100: the gradient grows back through time and the steps are far too large, at iteration 1 (the initial weights; not in the last recorded points).",
                 "remedies": [
                   {"summary": "Clip each layer's gradient norm to 1.0 (Pascanu et al. 2013): a step is then at most the learning rate long, however large the raw gradient.",
                    "changes": [{"field": "training.gradientClipping.mode", "value": "clipL2PerLayer"}, {"field": "training.gradientClipping.threshold", "value": 1.0}]},
                   {"summary": "Start W_rec with every singular value 1 (orthogonal): the long-term gradient then neither shrinks nor grows by W_rec alone (Pascanu et al. 2013).",
                    "changes": [{"field": "model.recurrentScale", "value": 1.0}]},
                   {"summary": "A tenth of the learning rate makes each update a tenth as large relative to the weights.",
                    "changes": [{"field": "training.learningRate", "value": 0.005}]}]},
                {"code": "SATURATED_ACTIVATIONS", "severity": "warning", "layerIndex": 0, "layer": "rnn1", "iteration": 21,
                 "evidence": {"statistic": "saturatedFraction", "value": 0.522213134765625, "threshold": 0.5, "nonFinite": []},
                 "summary": "1 of 1 layers has more than 50 % of their tanh units in the flat tails (|z| ≥ 5) on the probe batch, worst rnn1 at 52 %: they pass almost no gradient.",
                 "remedies": [
                   {"summary": "Start W_rec with every singular value 1 (orthogonal): the long-term gradient then neither shrinks nor grows by W_rec alone (Pascanu et al. 2013).",
                    "changes": [{"field": "model.recurrentScale", "value": 1.0}]},
                   {"summary": "An LSTM carries its cell state through an additive, gated path, so the gradient need not shrink at every step (Hochreiter & Schmidhuber 1997).",
                    "changes": [{"field": "model.cell", "value": "lstm"}]},
                   {"summary": "A tenth of the learning rate makes each update a tenth as large relative to the weights.",
                    "changes": [{"field": "training.learningRate", "value": 0.005}]}]}
              ]
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
