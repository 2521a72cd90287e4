package dev.gradlab.web;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gradlab.profile.GradientProfile;
import dev.gradlab.profile.Prediction;
import dev.gradlab.profile.SlopeFit;
import dev.gradlab.study.VariantProfile;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Depth and time profiles: the bodies of /jobs/{id}/profiles and /studies/{id}/profiles. */
final class ProfileResponses {

    private ProfileResponses() {}

    static final String SLOPE = "Decades per layer toward the input (depth) or per step back in time (time): "
            + "negative when the gradient shrinks on its way back (vanishes), positive when it grows (explodes). "
            + "−0.6 means a factor 10^−0.6 ≈ 0.25 per layer.";

    @Schema(name = "ProfileKind", enumAsRef = true, description = "depth: an mlp's dense layers; time: an rnn's steps")
    enum Kind {
        @JsonProperty("depth")
        DEPTH,
        @JsonProperty("time")
        TIME;

        static Kind of(GradientProfile.Kind k) {
            return k == GradientProfile.Kind.DEPTH ? DEPTH : TIME;
        }
    }

    @Schema(
            name = "PredictionMethod",
            enumAsRef = true,
            description = "chain-estimate (mlp): each layer back multiplies the gradient by its mean activation "
                    + "derivative σ̄′ (measured on the probe batch) times its weight scale ‖W‖_F/√n_out. chain-bound "
                    + "(mlp): the same with the derivative at its bound γ (1/4 for sigmoid, 1 otherwise). pascanu-bound "
                    + "(rnn, simple cell): γ·λ₁ per step, λ₁ the largest singular value of W_rec (power iteration), an "
                    + "upper bound (Pascanu, Mikolov & Bengio 2013). mean-derivative-estimate (rnn): σ̄′·λ₁ per step.")
    enum Method {
        @JsonProperty("chain-estimate")
        CHAIN_ESTIMATE,
        @JsonProperty("chain-bound")
        CHAIN_BOUND,
        @JsonProperty("pascanu-bound")
        PASCANU_BOUND,
        @JsonProperty("mean-derivative-estimate")
        MEAN_DERIVATIVE_ESTIMATE;

        static Method of(Prediction.Method m) {
            return switch (m) {
                case CHAIN_ESTIMATE -> CHAIN_ESTIMATE;
                case CHAIN_BOUND -> CHAIN_BOUND;
                case PASCANU_BOUND -> PASCANU_BOUND;
                case MEAN_DERIVATIVE_ESTIMATE -> MEAN_DERIVATIVE_ESTIMATE;
            };
        }
    }

    @Schema(name = "ProfileFit", description = "Least-squares line through the finite points of the profile")
    record Fit(
            @Schema(requiredMode = REQUIRED, description = SLOPE)
            double slope,

            @Schema(requiredMode = REQUIRED, description = "The line's log₁₀ norm at the top (last layer or step)")
            double intercept,

            @Schema(
                    types = {"number", "null"},
                    minimum = "0",
                    maximum = "1",
                    description = "Share of the profile's variance the line explains; null with fewer "
                            + "than three points or a flat profile")
            Double r2,

            @Schema(requiredMode = REQUIRED, description = "Finite points fitted")
            int points) {

        static Fit of(SlopeFit f) {
            return f == null ? null : new Fit(f.slope(), f.intercept(), f.r2(), f.points());
        }
    }

    @Schema(name = "ProfilePrediction", description = "The slope the mechanism predicts from the run's own factors")
    record PredictionBody(
            @Schema(requiredMode = REQUIRED) Method method,

            @Schema(
                    description = SLOPE
                            + " Left out when not finite (listed in nonFinite): e.g. -Infinity when every "
                            + "unit is saturated and the mean derivative is 0.")
            Double slope,

            @Schema(
                    requiredMode = REQUIRED,
                    minimum = "1",
                    description =
                            "The probe iteration whose factors were used: the last at or before the " + "profile's")
            long fromIteration,

            @Schema(
                    requiredMode = REQUIRED,
                    description = "The implied profile, anchored at the measured top; null where not finite "
                            + "(all null if the top is not)")
            @ArraySchema(
                    schema =
                            @Schema(
                                    types = {"number", "null"},
                                    format = "double"))
            List<Double> log10Norms,

            @Schema(
                    requiredMode = REQUIRED,
                    description = "The factors multiplied: per pair of adjacent dense layers, from the "
                            + "input (mlp), or the one per-step factor (rnn); null where not finite")
            @ArraySchema(
                    schema =
                            @Schema(
                                    types = {"number", "null"},
                                    format = "double"))
            List<Double> factors,

            @Schema(requiredMode = REQUIRED, description = "slope, if it is not finite")
            List<NonFinite.InField> nonFinite) {

        static PredictionBody of(Prediction p) {
            List<NonFinite.InField> nonFinite = new java.util.ArrayList<>();
            Double slope = NonFinite.field("slope", p.slope(), nonFinite);
            return new PredictionBody(
                    Method.of(p.method()),
                    slope,
                    p.fromIteration(),
                    finiteOrNull(p.log10Norms()),
                    finiteOrNull(p.factors()),
                    nonFinite);
        }

        private static List<Double> finiteOrNull(List<Double> values) {
            return values.stream().map(v -> Double.isFinite(v) ? v : null).toList();
        }
    }

    @Schema(name = "LayerRef", description = "A parameterised layer")
    record LayerRef(
            @Schema(requiredMode = REQUIRED) int index,
            @Schema(requiredMode = REQUIRED) String name) {}

    @Schema(name = "GradientProfile", description = "log₁₀ gradient norm against position at one recorded iteration")
    record Profile(
            @Schema(requiredMode = REQUIRED, minimum = "1", description = "The recorded iteration profiled")
            long iteration,

            @Schema(
                    requiredMode = REQUIRED,
                    description = "depth: dense layers 1..L from the input (batch-norm layers not counted, "
                            + "the output layer is L); time: steps 1..T")
            List<Integer> positions,

            @Schema(requiredMode = REQUIRED, description = "depth: the layer at each position; time: empty")
            List<LayerRef> layers,

            @Schema(requiredMode = REQUIRED, description = "One per position; null where non-finite (see nonFinite)")
            @ArraySchema(
                    schema =
                            @Schema(
                                    types = {"number", "null"},
                                    format = "double"))
            List<Double> log10Norms,

            @Schema(
                    requiredMode = REQUIRED,
                    description = "Positions whose log₁₀ norm is not finite: -Infinity for a norm of 0")
            List<NonFinite.AtPosition> nonFinite,

            @Schema(description = "Absent with fewer than two finite points")
            Fit fit,

            @Schema(requiredMode = REQUIRED) List<PredictionBody> predictions,

            @Schema(requiredMode = REQUIRED, description = "What the predictions leave out here, or why there are none")
            List<String> notes) {

        static Profile of(GradientProfile p) {
            NonFinite.ArrayBuilder values =
                    new NonFinite.ArrayBuilder(p.log10Norms().size());
            p.log10Norms().forEach(values::add);
            return new Profile(
                    p.iteration(),
                    p.positions(),
                    p.layers().stream()
                            .map(l -> new LayerRef(l.index(), l.name()))
                            .toList(),
                    values.values(),
                    values.nonFinite(),
                    Fit.of(p.fit()),
                    p.predictions().stream().map(PredictionBody::of).toList(),
                    p.notes());
        }
    }

    @Schema(
            name = "JobProfiles",
            description = "A job's gradient profile at some recorded iterations: log₁₀ norm against dense layer (mlp) "
                    + "or against input step (rnn), with the fitted slope and the slopes the mechanism predicts "
                    + "(docs/PROFILES.md)")
    record JobProfiles(
            @Schema(requiredMode = REQUIRED) UUID jobId,
            @Schema(requiredMode = REQUIRED) Kind kind,

            @Schema(
                    requiredMode = REQUIRED,
                    description = "The norm profiled: weightGradientNorm or biasGradientNorm (depth), "
                            + "inputGradientNorm = ‖∂L/∂x_t‖ (time)")
            String statistic,

            @Schema(requiredMode = REQUIRED) List<Profile> profiles) {

        static JobProfiles of(UUID jobId, List<GradientProfile> profiles) {
            GradientProfile first = profiles.get(0);
            return new JobProfiles(
                    jobId,
                    Kind.of(first.kind()),
                    first.statistic(),
                    profiles.stream().map(Profile::of).toList());
        }
    }

    @Schema(name = "PredictedSlope", description = "One prediction method's slope over the variant's repeats")
    record PredictedSlope(
            @Schema(requiredMode = REQUIRED) Method method,
            @Schema(requiredMode = REQUIRED) StudyResponses.StatisticBody slope) {}

    @Schema(name = "VariantRepeatProfile", description = "One completed repeat's profile")
    record RepeatProfile(
            @Schema(requiredMode = REQUIRED) UUID jobId,
            @Schema(requiredMode = REQUIRED, minimum = "0") int repeat,
            @Schema(requiredMode = REQUIRED) Profile profile) {}

    @Schema(
            name = "VariantProfile",
            description = "A variant's profile over its completed repeats: median [min–max] of the fitted slope, "
                    + "its r² and each predicted slope, the median log₁₀ norm per position, and each repeat's profile")
    record VariantProfileBody(
            @Schema(requiredMode = REQUIRED, minimum = "0") int index,

            @Schema(requiredMode = REQUIRED, description = "The varied paths' values")
            Map<String, Object> values,

            @Schema(requiredMode = REQUIRED, description = SLOPE)
            StudyResponses.StatisticBody slope,

            @Schema(requiredMode = REQUIRED) StudyResponses.StatisticBody r2,
            @Schema(requiredMode = REQUIRED) List<PredictedSlope> predictedSlopes,

            @Schema(requiredMode = REQUIRED, description = "Positions of the median profile")
            List<Integer> positions,

            @Schema(
                    requiredMode = REQUIRED,
                    description = "Median over repeats of log₁₀ norm per position; null where no repeat has "
                            + "a finite value")
            @ArraySchema(
                    schema =
                            @Schema(
                                    types = {"number", "null"},
                                    format = "double"))
            List<Double> medianLog10Norms,

            @Schema(requiredMode = REQUIRED) List<RepeatProfile> repeats) {

        static VariantProfileBody of(VariantProfile v) {
            return new VariantProfileBody(
                    v.index(),
                    v.values(),
                    StudyResponses.StatisticBody.from(v.slope()),
                    StudyResponses.StatisticBody.from(v.r2()),
                    v.predictedSlopes().entrySet().stream()
                            .map(e -> new PredictedSlope(
                                    Method.of(e.getKey()), StudyResponses.StatisticBody.from(e.getValue())))
                            .toList(),
                    v.positions(),
                    v.medianLog10Norms(),
                    v.repeats().stream()
                            .map(r -> new RepeatProfile(r.jobId(), r.repeat(), Profile.of(r.profile())))
                            .toList());
        }
    }

    @Schema(
            name = "ProfileAt",
            enumAsRef = true,
            description = "first: the first recorded iteration (the initial weights); last: the last recorded")
    enum At {
        @JsonProperty("first")
        FIRST,
        @JsonProperty("last")
        LAST
    }

    @Schema(
            name = "StudyProfiles",
            description = "Every variant's gradient profile at the first or last recorded iteration, over its "
                    + "completed repeats (a variant without one has empty lists and null statistics)")
    record StudyProfiles(
            @Schema(requiredMode = REQUIRED) UUID studyId,
            @Schema(requiredMode = REQUIRED) At at,

            @Schema(
                    requiredMode = REQUIRED,
                    description = "The norm profiled: weightGradientNorm or biasGradientNorm (mlp), inputGradientNorm "
                            + "(rnn; the stat parameter as given while no repeat has finished)")
            String statistic,

            @Schema(requiredMode = REQUIRED) List<VariantProfileBody> variants) {}
}
