package dev.gradlab.web;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import dev.gradlab.curve.EpochAccuracy;
import dev.gradlab.curve.LayerHistory;
import dev.gradlab.curve.LossHistory;
import dev.gradlab.curve.TimestepProfile;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** The curve endpoints' bodies: columnar arrays ready to plot, and how domain curves become them. */
final class CurveResponses {

    private CurveResponses() {}

    static final String DOWNSAMPLED = "True when min/max decimation reduced the points to maxPoints";
    static final String TOTAL_POINTS = "Points recorded in the requested range before downsampling";

    @Schema(
            name = "LossCurve",
            description = "Training loss per iteration (minibatch loss), columnar; plus " + "per-epoch accuracy")
    record LossCurve(
            @Schema(requiredMode = REQUIRED) UUID jobId,

            @Schema(requiredMode = REQUIRED, minimum = "0", description = TOTAL_POINTS)
            long totalPoints,

            @Schema(requiredMode = REQUIRED, description = DOWNSAMPLED)
            boolean downsampled,

            @Schema(requiredMode = REQUIRED) List<Long> iterations,

            @Schema(
                    requiredMode = REQUIRED,
                    description = "Loss at each iteration; null where it is non-finite " + "(see nonFinite)")
            @ArraySchema(
                    schema =
                            @Schema(
                                    types = {"number", "null"},
                                    format = "double"))
            List<Double> values,

            @Schema(requiredMode = REQUIRED) List<NonFinite.AtPosition> nonFinite,
            @Schema(requiredMode = REQUIRED) EpochCurve epochs) {}

    @Schema(
            name = "EpochCurve",
            description = "Per-epoch accuracy on the whole train and test splits, columnar "
                    + "(one entry per completed epoch)")
    record EpochCurve(
            @Schema(requiredMode = REQUIRED) List<Integer> epochs,

            @Schema(requiredMode = REQUIRED, description = "The iteration that ended each epoch")
            List<Long> iterations,

            @Schema(requiredMode = REQUIRED) List<Double> trainAccuracy,
            @Schema(requiredMode = REQUIRED) List<Double> testAccuracy,

            @Schema(requiredMode = REQUIRED, description = "Milliseconds since the attempt began")
            List<Long> elapsedMillis) {}

    @Schema(
            name = "GradientCurves",
            description =
                    "A gradient-norm series for every parameterised layer, ordered "
                            + "input → output, on one shared iteration axis. When downsampled, the first and last points are kept "
                            + "and each bucket of the iterations between becomes two positions (its first and last iteration), "
                            + "where each layer reports its own minimum and maximum within the bucket, in the order they occurred.")
    record GradientCurves(
            @Schema(requiredMode = REQUIRED) UUID jobId,

            @Schema(requiredMode = REQUIRED, ref = "#/components/schemas/GradientStat")
            String stat,

            @Schema(requiredMode = REQUIRED, minimum = "0", description = TOTAL_POINTS)
            long totalPoints,

            @Schema(requiredMode = REQUIRED, description = DOWNSAMPLED)
            boolean downsampled,

            @Schema(requiredMode = REQUIRED) List<Long> iterations,
            @Schema(requiredMode = REQUIRED) List<GradientLayer> layers) {}

    @Schema(name = "GradientLayerCurve", description = "One layer's gradient norms, aligned with `iterations`")
    record GradientLayer(
            @Schema(requiredMode = REQUIRED, minimum = "0") int index,

            @Schema(requiredMode = REQUIRED, example = "dense1")
            String name,

            @Schema(requiredMode = REQUIRED, ref = "#/components/schemas/LayerKind")
            String kind,

            @Schema(
                    requiredMode = REQUIRED,
                    description = "null where non-finite (listed in nonFinite) or, without "
                            + "an entry there, not recorded for this layer (e.g. W_rec of a non-recurrent layer)")
            @ArraySchema(
                    schema =
                            @Schema(
                                    types = {"number", "null"},
                                    format = "double"))
            List<Double> norms,

            @Schema(requiredMode = REQUIRED) List<NonFinite.AtPosition> nonFinite) {}

    @Schema(
            name = "LayerCurves",
            description = "Any per-layer statistic for every parameterised layer, ordered "
                    + "input → output, on one shared iteration axis; downsampled as GradientCurves are.")
    record LayerCurves(
            @Schema(requiredMode = REQUIRED) UUID jobId,

            @Schema(requiredMode = REQUIRED, ref = "#/components/schemas/LayerStat")
            String stat,

            @Schema(requiredMode = REQUIRED, minimum = "0", description = TOTAL_POINTS)
            long totalPoints,

            @Schema(requiredMode = REQUIRED, description = DOWNSAMPLED)
            boolean downsampled,

            @Schema(requiredMode = REQUIRED) List<Long> iterations,
            @Schema(requiredMode = REQUIRED) List<Layer> layers) {}

    @Schema(name = "LayerCurve", description = "One layer's values, aligned with `iterations`")
    record Layer(
            @Schema(requiredMode = REQUIRED, minimum = "0") int index,

            @Schema(requiredMode = REQUIRED, example = "dense1")
            String name,

            @Schema(requiredMode = REQUIRED, ref = "#/components/schemas/LayerKind")
            String kind,

            @Schema(
                    requiredMode = REQUIRED,
                    description = "null where non-finite (listed in nonFinite) or, without "
                            + "an entry there, not recorded for this layer (e.g. activations of the output layer)")
            @ArraySchema(
                    schema =
                            @Schema(
                                    types = {"number", "null"},
                                    format = "double"))
            List<Double> values,

            @Schema(requiredMode = REQUIRED) List<NonFinite.AtPosition> nonFinite) {}

    @Schema(
            name = "TimestepCurve",
            description = "Gradient through time of a recurrent job: ‖∂L/∂x_t‖ for t = 1..T, "
                    + "L the mean loss on the job's fixed probe batch, with the parameters at the start of `iteration` "
                    + "(iteration 1: before any update). Computed in float64; null entries are non-finite, listed in "
                    + "nonFinite.")
    record TimestepCurve(
            @Schema(requiredMode = REQUIRED) UUID jobId,
            @Schema(requiredMode = REQUIRED, minimum = "1") long iteration,

            @Schema(requiredMode = REQUIRED, description = "1..T")
            List<Integer> timesteps,

            @Schema(requiredMode = REQUIRED)
            @ArraySchema(
                    schema =
                            @Schema(
                                    types = {"number", "null"},
                                    format = "double"))
            List<Double> norms,

            @Schema(requiredMode = REQUIRED) List<NonFinite.AtPosition> nonFinite) {}

    @Schema(
            name = "TimestepIterations",
            description = "The iterations of a recurrent job that have a " + "gradient-through-time curve, ascending")
    record TimestepIterations(
            @Schema(requiredMode = REQUIRED) UUID jobId,
            @Schema(requiredMode = REQUIRED) List<Long> iterations) {}

    static LossCurve loss(UUID jobId, LossHistory h) {
        NonFinite.ArrayBuilder values = new NonFinite.ArrayBuilder(h.values().size());
        h.values().forEach(values::add);
        List<EpochAccuracy> e = h.epochs();
        EpochCurve epochs = new EpochCurve(
                map(e, EpochAccuracy::epoch),
                map(e, EpochAccuracy::iteration),
                map(e, EpochAccuracy::trainAccuracy),
                map(e, EpochAccuracy::testAccuracy),
                map(e, EpochAccuracy::elapsedMillis));
        return new LossCurve(
                jobId, h.totalPoints(), h.downsampled(), h.iterations(), values.values(), values.nonFinite(), epochs);
    }

    static GradientCurves gradients(UUID jobId, LayerHistory h) {
        List<GradientLayer> layers = h.layers().stream()
                .map(l -> {
                    NonFinite.ArrayBuilder norms = arrayOf(l.values());
                    return new GradientLayer(l.index(), l.name(), l.kind(), norms.values(), norms.nonFinite());
                })
                .toList();
        return new GradientCurves(jobId, h.stat(), h.totalPoints(), h.downsampled(), h.iterations(), layers);
    }

    static LayerCurves layers(UUID jobId, LayerHistory h) {
        List<Layer> layers = h.layers().stream()
                .map(l -> {
                    NonFinite.ArrayBuilder values = arrayOf(l.values());
                    return new Layer(l.index(), l.name(), l.kind(), values.values(), values.nonFinite());
                })
                .toList();
        return new LayerCurves(jobId, h.stat(), h.totalPoints(), h.downsampled(), h.iterations(), layers);
    }

    static TimestepCurve timesteps(UUID jobId, TimestepProfile p) {
        NonFinite.ArrayBuilder norms = arrayOf(p.norms());
        List<Integer> steps = java.util.stream.IntStream.rangeClosed(
                        1, p.norms().size())
                .boxed()
                .toList();
        return new TimestepCurve(jobId, p.iteration(), steps, norms.values(), norms.nonFinite());
    }

    private static NonFinite.ArrayBuilder arrayOf(List<Double> values) {
        NonFinite.ArrayBuilder b = new NonFinite.ArrayBuilder(values.size());
        values.forEach(b::add);
        return b;
    }

    private static <T, R> List<R> map(List<T> items, Function<T, R> f) {
        return items.stream().map(f).toList();
    }
}
