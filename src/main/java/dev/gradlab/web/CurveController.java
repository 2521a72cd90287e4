package dev.gradlab.web;

import dev.gradlab.job.JobService;
import dev.gradlab.metric.CurveQueries;
import dev.gradlab.metric.LayerCurves;
import dev.gradlab.metric.LossCurve;
import dev.gradlab.metric.MetricSeries;
import dev.gradlab.metric.TimestepCurve;
import dev.gradlab.metric.TimestepIterations;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/v1/jobs/{id}/curves", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Curves", description = "Recorded series as columnar JSON, ready to plot. Available while a job "
        + "runs (about a second behind) and after it ends, whatever its status. Downsampling keeps the first and "
        + "last point and each bucket's minimum and maximum, so spikes survive. JSON has no NaN: a non-finite "
        + "value is null in its array and listed in `nonFinite` as NaN, Infinity or -Infinity.")
@ApiResponse(responseCode = "400", description = "A parameter is out of range", content = @Content(
        mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
@ApiResponse(responseCode = "404", description = "No such job", content = @Content(
        mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
class CurveController {

    static final int DEFAULT_MAX_POINTS = 1000;

    private final JobService jobs;
    private final CurveQueries curves;
    private final int maxPointsLimit;

    CurveController(JobService jobs, CurveQueries curves,
                    @Value("${gradlab.curves.max-points-limit:20000}") int maxPointsLimit) {
        this.jobs = jobs;
        this.curves = curves;
        this.maxPointsLimit = maxPointsLimit;
    }

    @GetMapping("/loss")
    @Operation(summary = "Loss per iteration, and accuracy per epoch")
    @ApiResponse(responseCode = "200", description = "The loss curve")
    LossCurve loss(@PathVariable UUID id,
                   @Parameter(description = "At most this many points (2..limit, default 1000)")
                   @RequestParam(required = false) Integer maxPoints,
                   @Parameter(description = "First iteration to include") @RequestParam(required = false) Long from,
                   @Parameter(description = "Last iteration to include") @RequestParam(required = false) Long to) {
        Range r = range(maxPoints, from, to);
        jobs.requireExists(id);
        return curves.loss(id, r.from, r.to, r.maxPoints);
    }

    @GetMapping("/gradients")
    @Operation(summary = "Per-layer gradient L2 norms, layers ordered input → output",
            description = "Norm of each layer's minibatch-mean weight gradient before clipping (`stat` picks "
                    + "another gradient series: biasGradientNorm, clippedWeightGradientNorm, clippedBiasGradientNorm, "
                    + "and for recurrent layers recurrentWeightGradientNorm and clippedRecurrentWeightGradientNorm, "
                    + "the gradient of W_rec).")
    @ApiResponse(responseCode = "200", description = "One `norms` array per layer on a shared `iterations` axis")
    LayerCurves gradients(@PathVariable UUID id,
                          @RequestParam(required = false) Integer maxPoints,
                          @RequestParam(required = false) Long from,
                          @RequestParam(required = false) Long to,
                          @Parameter(description = "weightGradientNorm (default), biasGradientNorm, "
                                  + "clippedWeightGradientNorm, clippedBiasGradientNorm, recurrentWeightGradientNorm, "
                                  + "clippedRecurrentWeightGradientNorm")
                          @RequestParam(defaultValue = "weightGradientNorm") String stat) {
        MetricSeries series = stat(stat);
        if (!series.gradientNorm()) {
            throw new BadParameterException("stat", "must be a gradient series: weightGradientNorm, "
                    + "biasGradientNorm, clippedWeightGradientNorm, clippedBiasGradientNorm, "
                    + "recurrentWeightGradientNorm, clippedRecurrentWeightGradientNorm; other statistics are at "
                    + "/curves/layers");
        }
        Range r = range(maxPoints, from, to);
        jobs.requireExists(id);
        return curves.layers(id, series, r.from, r.to, r.maxPoints, true);
    }

    @GetMapping("/layers")
    @Operation(summary = "Any recorded per-layer statistic",
            description = "stat = weightGradientNorm | biasGradientNorm | clippedWeightGradientNorm | "
                    + "clippedBiasGradientNorm | updateRatio (‖ΔW‖/‖W‖) | activationMean | activationStd | "
                    + "recurrentWeightGradientNorm | clippedRecurrentWeightGradientNorm")
    @ApiResponse(responseCode = "200", description = "One `values` array per layer on a shared `iterations` axis")
    LayerCurves layers(@PathVariable UUID id,
                       @RequestParam String stat,
                       @RequestParam(required = false) Integer maxPoints,
                       @RequestParam(required = false) Long from,
                       @RequestParam(required = false) Long to) {
        MetricSeries series = stat(stat);
        Range r = range(maxPoints, from, to);
        jobs.requireExists(id);
        return curves.layers(id, series, r.from, r.to, r.maxPoints, false);
    }

    @GetMapping("/timesteps")
    @Operation(summary = "Gradient through time (recurrent jobs)",
            description = "‖∂L/∂x_t‖ for every input step t = 1..T on the job's fixed probe batch, at one recorded "
                    + "iteration (default: the first, i.e. before any update). Pascanu et al. (2013): with W_rec's "
                    + "singular values below 1 the early steps' gradient vanishes exponentially; above, it can "
                    + "explode. Empty arrays for an MLP job.")
    @ApiResponse(responseCode = "200", description = "One norm per time step")
    TimestepCurve timesteps(@PathVariable UUID id,
                            @Parameter(description = "A recorded iteration (see /timesteps/iterations)")
                            @RequestParam(required = false) Long iteration) {
        jobs.requireExists(id);
        try {
            return curves.timesteps(id, iteration);
        } catch (java.util.NoSuchElementException e) {
            throw new IterationNotRecordedException(e.getMessage());
        }
    }

    @GetMapping("/timesteps/iterations")
    @Operation(summary = "Iterations that have a gradient-through-time curve",
            description = "Every metrics.every iterations, plus the first and the last")
    @ApiResponse(responseCode = "200", description = "Recorded iterations, ascending")
    TimestepIterations timestepIterations(@PathVariable UUID id) {
        jobs.requireExists(id);
        return curves.timestepIterations(id);
    }

    private static MetricSeries stat(String stat) {
        try {
            MetricSeries s = MetricSeries.fromKey(stat);
            if (s != MetricSeries.LOSS) {
                return s;
            }
        } catch (IllegalArgumentException e) {
            // fall through to the message below
        }
        throw new BadParameterException("stat", "must be one of " + MetricSeries.layerStatKeys() + " (was '" + stat + "')");
    }

    private record Range(long from, long to, int maxPoints) {
    }

    private Range range(Integer maxPoints, Long from, Long to) {
        int points = maxPoints == null ? DEFAULT_MAX_POINTS : maxPoints;
        if (points < 2 || points > maxPointsLimit) {
            throw new BadParameterException("maxPoints", "must be between 2 and " + maxPointsLimit + " (was " + points + ")");
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
