package dev.gradlab.web;

import dev.gradlab.access.Caller;
import dev.gradlab.curve.CurveQueries;
import dev.gradlab.job.JobDetails;
import dev.gradlab.job.JobService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/v1/jobs/{id}/curves", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(
        name = "Curves",
        description = "Recorded series as columnar JSON, ready to plot. Available while a job "
                + "runs (about a second behind) and after it ends, whatever its status. Downsampling keeps the first and "
                + "last point and each bucket's minimum and maximum, so spikes survive. JSON has no NaN: a non-finite "
                + "value is null in its array and listed in `nonFinite` as NaN, Infinity or -Infinity.")
class CurveController {

    static final int DEFAULT_MAX_POINTS = 1000;
    private static final String JOB_NOT_FOUND = "No such job";
    private static final String BAD_PARAMETER = "A parameter is out of range, or the id is not a UUID";

    private final JobService jobs;
    private final CurveQueries curves;
    private final int maxPointsLimit;

    CurveController(
            JobService jobs,
            CurveQueries curves,
            @Value("${gradlab.curves.max-points-limit:20000}") int maxPointsLimit) {
        this.jobs = jobs;
        this.curves = curves;
        this.maxPointsLimit = maxPointsLimit;
    }

    @GetMapping("/loss")
    @Operation(summary = "Loss per iteration, and accuracy per epoch")
    @ApiResponse(responseCode = "200", description = "The loss curve")
    @ApiResponse(responseCode = "400", description = BAD_PARAMETER)
    @ApiResponse(responseCode = "404", description = JOB_NOT_FOUND)
    CurveResponses.LossCurve loss(
            @PathVariable UUID id,
            @AuthenticationPrincipal Caller caller,
            @Parameter(description = "At most this many points") @RequestParam(required = false) Integer maxPoints,
            @Parameter(description = "First iteration to include") @RequestParam(required = false) Long from,
            @Parameter(description = "Last iteration to include, not below from") @RequestParam(required = false)
                    Long to) {
        Range r = range(maxPoints, from, to);
        jobs.requireExists(id, caller);
        return CurveResponses.loss(id, curves.loss(id, r.from, r.to, r.maxPoints));
    }

    @GetMapping("/gradients")
    @Operation(
            summary = "Per-layer gradient L2 norms, layers ordered input → output",
            description = "Norm of each layer's minibatch-mean weight gradient before clipping; `stat` picks another "
                    + "gradient series (bias, after clipping, or for recurrent layers W_rec's).")
    @ApiResponse(
            responseCode = "200",
            description = "One `norms` array per layer on a shared `iterations` axis",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = CurveResponses.GradientCurves.class),
                            examples = @ExampleObject(name = "plain", value = ResponseExamples.GRADIENT_CURVES)))
    @ApiResponse(responseCode = "400", description = BAD_PARAMETER)
    @ApiResponse(responseCode = "404", description = JOB_NOT_FOUND)
    CurveResponses.GradientCurves gradients(
            @PathVariable UUID id,
            @AuthenticationPrincipal Caller caller,
            @Parameter(description = "At most this many points") @RequestParam(required = false) Integer maxPoints,
            @Parameter(description = "First iteration to include") @RequestParam(required = false) Long from,
            @Parameter(description = "Last iteration to include, not below from") @RequestParam(required = false)
                    Long to,
            @Parameter(
                            description = "Which gradient series",
                            schema = @Schema(ref = "#/components/schemas/GradientStat"))
                    @RequestParam(defaultValue = "weightGradientNorm")
                    String stat) {
        CurveQueries.requireGradientStatistic(stat); // a bad request is 400 whether or not the job exists
        Range r = range(maxPoints, from, to);
        jobs.requireExists(id, caller);
        return CurveResponses.gradients(id, curves.gradients(id, stat, r.from, r.to, r.maxPoints));
    }

    @GetMapping("/layers")
    @Operation(
            summary = "Any recorded per-layer statistic",
            description = "The gradient norms, updateRatio (‖ΔW‖/‖W‖ per step), activationMean and activationStd "
                    + "(population, over the layer's whole output on the minibatch), for recurrent layers W_rec's "
                    + "gradient norms, and, on a fixed probe batch (the first 64 training examples, every "
                    + "metrics.every·⌈20/metrics.every⌉ iterations, with the parameters the iteration starts from): "
                    + "saturatedFraction, the share of the layer's pre-activations z (every example, unit and time step) "
                    + "with |z| ≥ 5 for sigmoid and tanh, z ≤ −5 for elu (DeepDiagnosis, Wardat et al. 2022), and "
                    + "deadFraction, the share of a ReLU layer's units that are 0 for every probe example (both null where "
                    + "they do not apply: other nonlinearities, batch-norm and output layers); and the factors the "
                    + "profiles' predictions multiply: activationDerivativeMean, the mean of φ′(z) over the same "
                    + "pre-activations (not for LSTM layers), weightScale, ‖W‖_F/√n_out of dense, output and recurrent "
                    + "layers, and recurrentSpectralNorm, the largest singular value of a simple recurrent layer's "
                    + "W_rec (power iteration).")
    @ApiResponse(responseCode = "200", description = "One `values` array per layer on a shared `iterations` axis")
    @ApiResponse(responseCode = "400", description = BAD_PARAMETER)
    @ApiResponse(responseCode = "404", description = JOB_NOT_FOUND)
    CurveResponses.LayerCurves layers(
            @PathVariable UUID id,
            @AuthenticationPrincipal Caller caller,
            @Parameter(description = "Which statistic", schema = @Schema(ref = "#/components/schemas/LayerStat"))
                    @RequestParam
                    String stat,
            @Parameter(description = "At most this many points") @RequestParam(required = false) Integer maxPoints,
            @Parameter(description = "First iteration to include") @RequestParam(required = false) Long from,
            @Parameter(description = "Last iteration to include, not below from") @RequestParam(required = false)
                    Long to) {
        CurveQueries.requireLayerStatistic(stat);
        Range r = range(maxPoints, from, to);
        jobs.requireExists(id, caller);
        return CurveResponses.layers(id, curves.layers(id, stat, r.from, r.to, r.maxPoints));
    }

    @GetMapping("/timesteps")
    @Operation(
            summary = "Gradient through time (recurrent jobs)",
            description = "‖∂L/∂x_t‖ for every input step t = 1..T on the job's fixed probe batch, at one recorded "
                    + "iteration (default: the first, i.e. before any update). Pascanu et al. (2013): with W_rec's "
                    + "singular values below 1 the early steps' gradient vanishes exponentially; above, it can "
                    + "explode.")
    @ApiResponse(responseCode = "200", description = "One norm per time step")
    @ApiResponse(responseCode = "400", description = BAD_PARAMETER)
    @ApiResponse(
            responseCode = "404",
            description = "No such job (code job-not-found), an mlp job, which has no "
                    + "time steps (not-recurrent), or no curve at that iteration yet (iteration-not-recorded)")
    CurveResponses.TimestepCurve timesteps(
            @PathVariable UUID id,
            @AuthenticationPrincipal Caller caller,
            @Parameter(
                            description = "A recorded iteration (see /timesteps/iterations)",
                            schema = @Schema(type = "integer", format = "int64", minimum = "1"))
                    @RequestParam(required = false)
                    Long iteration) {
        if (iteration != null && iteration < 1) {
            throw new BadParameterException("iteration", "must be 1 or more (was " + iteration + ")");
        }
        requireRecurrent(id, caller);
        return CurveResponses.timesteps(id, curves.timesteps(id, iteration));
    }

    @GetMapping("/timesteps/iterations")
    @Operation(
            summary = "Iterations that have a gradient-through-time curve",
            description = "Every metrics.every iterations, plus the first and the last")
    @ApiResponse(responseCode = "200", description = "Recorded iterations, ascending (empty until the first is stored)")
    @ApiResponse(responseCode = "400", description = "The id is not a UUID")
    @ApiResponse(responseCode = "404", description = "No such job (job-not-found), or an mlp job (not-recurrent)")
    CurveResponses.TimestepIterations timestepIterations(
            @PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        requireRecurrent(id, caller);
        return new CurveResponses.TimestepIterations(id, curves.timestepIterations(id));
    }

    private void requireRecurrent(UUID id, Caller caller) {
        JobDetails job = jobs.get(id, caller);
        if (!job.spec().model().recurrent()) {
            throw new NotRecurrentException(id);
        }
    }

    private record Range(long from, long to, int maxPoints) {}

    private Range range(Integer maxPoints, Long from, Long to) {
        int points = maxPoints == null ? DEFAULT_MAX_POINTS : maxPoints;
        if (points < 2 || points > maxPointsLimit) {
            throw new BadParameterException(
                    "maxPoints", "must be between 2 and " + maxPointsLimit + " (was " + points + ")");
        }
        long f = from == null ? 0 : from;
        long t = to == null ? Long.MAX_VALUE : to;
        if (f < 0) {
            throw new BadParameterException("from", "must be 0 or more (was " + f + ")");
        }
        if (t < f) {
            throw new BadParameterException("to", "must not be below from (" + f + "; was " + t + ")");
        }
        return new Range(f, t, points);
    }
}
