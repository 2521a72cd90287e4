package dev.gradlab.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gradlab.diagnosis.RunObservations.EpochState;
import dev.gradlab.diagnosis.RunObservations.LayerObservation;
import dev.gradlab.diagnosis.RunObservations.Snapshot;
import dev.gradlab.diagnosis.RunObservations.TimeObservation;
import dev.gradlab.spec.Activation;
import dev.gradlab.spec.DatasetName;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.spec.Optimizer;
import dev.gradlab.spec.RnnCell;
import dev.gradlab.spec.SpecLimits;
import dev.gradlab.spec.SpecValidator;
import jakarta.validation.Validation;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Each rule at its threshold's edge: raised just past it, not raised at it or short of it; the AUTOTRAINER gate;
 * and every remedy, applied to the spec it was offered for, gives a spec the service accepts.
 */
class DiagnosisRulesTest {

    private static final DiagnosisProperties DEFAULTS = DiagnosisProperties.defaults();
    private static final double NONE = Double.NaN;

    private static final ExperimentSpec MLP = ExperimentSpec.builder()
            .model(m -> m.depth(3).width(16).activation(Activation.SIGMOID))
            .training(t -> t.epochs(10))
            .build()
            .withDefaults();
    private static final ExperimentSpec RELU =
            MLP.withModel(m -> m.activation(Activation.RELU).weightInit(null)).withDefaults();
    private static final ExperimentSpec RNN = ExperimentSpec.builder()
            .model(m -> m.type(dev.gradlab.spec.ModelType.RNN).width(16).recurrentScale(0.5))
            .dataset(d -> d.name(DatasetName.REMEMBER_FIRST))
            .training(t -> t.epochs(10))
            .build()
            .withDefaults();

    /** A 3-dense-layer MLP's observations; each layer's statistics set by the caller. */
    private static List<LayerObservation> layers(double g1, double g3, double update, double saturated, double dead) {
        return List.of(
                new LayerObservation(0, "dense1", "dense", g1, update, saturated, dead),
                new LayerObservation(1, "dense2", "dense", 1e-2, 1e-3, NONE, NONE),
                new LayerObservation(2, "dense3", "dense", g3, 1e-3, NONE, NONE),
                new LayerObservation(3, "output", "output", 0.1, 1e-3, NONE, NONE));
    }

    private static List<LayerObservation> healthyLayers() {
        return layers(1e-2, 1e-2, 1e-3, 0.1, NONE);
    }

    /** Stuck at chance after every epoch: judged, not learned. */
    private static final EpochState STUCK = new EpochState(10, 0.5, 0.5);

    private static RunObservations observed(List<LayerObservation> layers, EpochState epoch) {
        return new RunObservations(recent(layers, null), Snapshot.NONE, 0.69, 0.69, 100L, null, epoch);
    }

    private static Snapshot recent(List<LayerObservation> layers, TimeObservation time) {
        return new Snapshot(layers, 100L, 100L, time);
    }

    private static RunFacts finished(ExperimentSpec spec) {
        return new RunFacts(UUID.randomUUID(), spec, true, true, 10, null);
    }

    private static RunFacts running(ExperimentSpec spec) {
        return new RunFacts(UUID.randomUUID(), spec, false, false, 2, null);
    }

    private static List<FindingCode> codes(Diagnosis d) {
        return d.findings().stream().map(Finding::code).toList();
    }

    private static Finding only(Diagnosis d, FindingCode code) {
        return d.findings().stream()
                .filter(f -> f.code() == code)
                .findFirst()
                .orElseThrow(() -> new AssertionError(code + " not in " + d));
    }

    private static Diagnosis stuck(ExperimentSpec spec, List<LayerObservation> layers) {
        return DiagnosisRules.diagnose(finished(spec), observed(layers, STUCK), DEFAULTS);
    }

    @Test
    void vanishingGradientNeedsBothTheRatioAndASmallFirstNorm() {
        // ratio 0.99e-3, first 0.99e-4: raised
        Diagnosis d = stuck(MLP, layers(0.99e-4, 0.1, 1e-3, NONE, NONE));
        Finding f = only(d, FindingCode.VANISHING_GRADIENT);
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.layer()).isEqualTo("dense1");
        assertThat(f.evidence().value()).isCloseTo(0.99e-3, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(f.evidence().threshold()).isEqualTo(1e-3);
        assertThat(f.evidence().statistic()).contains("dense1").contains("dense3");
        assertThat(f.remedies())
                .extracting(r -> r.changes().get(0).field())
                .containsExactly("model.batchNorm", "model.residual", "model.activation");
        // ratio exactly at 1e-3: not raised
        assertThat(codes(stuck(MLP, layers(1e-4 * 0.5, 0.05, 1e-3, NONE, NONE))))
                .doesNotContain(FindingCode.VANISHING_GRADIENT);
        // tiny ratio but the first layer's norm is 1e-4: not raised (AUTOTRAINER needs both)
        assertThat(codes(stuck(MLP, layers(1e-4, 1e3, 1e-3, NONE, NONE))))
                .doesNotContain(FindingCode.VANISHING_GRADIENT);
    }

    @Test
    void explodingGradientAboveSeventy() {
        Finding f = only(stuck(MLP, layers(7.01, 0.1, 1e-3, NONE, NONE)), FindingCode.EXPLODING_GRADIENT);
        assertThat(f.evidence().value()).isCloseTo(70.1, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(f.remedies().get(0).changes())
                .containsExactly(
                        new SpecChange("training.gradientClipping.mode", "clipL2PerLayer"),
                        new SpecChange("training.gradientClipping.threshold", 1.0));
        assertThat(codes(stuck(MLP, layers(7.0, 0.1, 1e-3, NONE, NONE))))
                .doesNotContain(FindingCode.EXPLODING_GRADIENT);
    }

    @Test
    void aDeadNetHasNoRatioToJudge() {
        // 0/0: every gradient exactly zero. DEAD_UNITS says why; no vanishing or exploding verdict on a NaN.
        Diagnosis d = stuck(RELU, layers(0, 0, 0, NONE, 1.0));
        assertThat(codes(d))
                .contains(FindingCode.DEAD_UNITS)
                .doesNotContain(FindingCode.VANISHING_GRADIENT, FindingCode.EXPLODING_GRADIENT);
    }

    @Test
    void saturationAboveHalf() {
        Finding f = only(stuck(MLP, layers(1e-2, 1e-2, 1e-3, 0.51, NONE)), FindingCode.SATURATED_ACTIVATIONS);
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.layer()).isEqualTo("dense1");
        assertThat(f.evidence().statistic()).isEqualTo("saturatedFraction");
        assertThat(codes(stuck(MLP, layers(1e-2, 1e-2, 1e-3, 0.5, NONE))))
                .doesNotContain(FindingCode.SATURATED_ACTIVATIONS);
    }

    @Test
    void deadUnitsFromSeventyPercent() {
        Finding f = only(stuck(RELU, layers(1e-2, 1e-2, 1e-3, NONE, 0.7)), FindingCode.DEAD_UNITS);
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.remedies().get(0).changes()).containsExactly(new SpecChange("model.activation", "leakyrelu"));
        assertThat(codes(stuck(RELU, layers(1e-2, 1e-2, 1e-3, NONE, 0.69)))).doesNotContain(FindingCode.DEAD_UNITS);
    }

    @Test
    void updateRatioOutsideOneHundredthToOneTenThousandth() {
        Finding high = only(stuck(MLP, layers(1e-2, 1e-2, 0.0101, NONE, NONE)), FindingCode.UPDATE_RATIO_HIGH);
        assertThat(high.layer()).isEqualTo("dense1");
        assertThat(high.remedies().get(0).changes())
                .containsExactly(new SpecChange("training.learningRate", 0.01)); // sgd 0.1 / 10, no rounding noise
        assertThat(codes(stuck(MLP, layers(1e-2, 1e-2, 0.01, NONE, NONE))))
                .doesNotContain(FindingCode.UPDATE_RATIO_HIGH, FindingCode.UPDATE_RATIO_LOW);
        Finding low = only(stuck(MLP, layers(1e-2, 1e-2, 0.99e-4, NONE, NONE)), FindingCode.UPDATE_RATIO_LOW);
        assertThat(low.remedies().get(0).changes()).containsExactly(new SpecChange("training.learningRate", 1.0));
        assertThat(codes(stuck(MLP, layers(1e-2, 1e-2, 1e-4, NONE, NONE))))
                .doesNotContain(FindingCode.UPDATE_RATIO_LOW);
    }

    private static final List<LayerObservation> RNN_LAYERS = List.of(
            new LayerObservation(0, "rnn1", "recurrent", 1e-2, 1e-3, 0.1, NONE),
            new LayerObservation(1, "output", "output", 1e-1, 1e-3, NONE, NONE));

    private static Diagnosis throughTime(ExperimentSpec spec, double first, double last) {
        RunObservations obs = new RunObservations(
                recent(RNN_LAYERS, new TimeObservation(100, 50, first, last)),
                Snapshot.NONE,
                0.69,
                0.69,
                100L,
                null,
                STUCK);
        return DiagnosisRules.diagnose(finished(spec), obs, DEFAULTS);
    }

    /**
     * An explosion that froze the net (every gradient exactly 0 since: tanh saturated to ±1 in float32) is only
     * visible at the start: the rules look at the initial weights when the recent points say nothing.
     */
    @Test
    void theInitialWeightsAreJudgedWhenTheRecentPointsSayNothing() {
        ExperimentSpec exploding = RNN.withModel(m -> m.recurrentScale(3.0)).withDefaults();
        RunObservations obs = new RunObservations(
                recent(RNN_LAYERS, new TimeObservation(100, 50, 0, 0)),
                new Snapshot(RNN_LAYERS, 1L, 1L, new TimeObservation(1, 50, 4e13, 1.0)),
                0.69,
                0.69,
                100L,
                null,
                STUCK);
        Finding f =
                only(DiagnosisRules.diagnose(finished(exploding), obs, DEFAULTS), FindingCode.EXPLODING_THROUGH_TIME);
        assertThat(f.iteration()).isEqualTo(1);
        assertThat(f.summary()).contains("at iteration 1 (the initial weights");
        // When the recent points show it too, they are the evidence.
        RunObservations both = new RunObservations(
                recent(RNN_LAYERS, new TimeObservation(100, 50, 500, 1.0)), obs.start(), 0.69, 0.69, 100L, null, STUCK);
        Finding recentOne =
                only(DiagnosisRules.diagnose(finished(exploding), both, DEFAULTS), FindingCode.EXPLODING_THROUGH_TIME);
        assertThat(recentOne.iteration()).isEqualTo(100);
        assertThat(recentOne.evidence().value()).isEqualTo(500.0);
        assertThat(recentOne.summary()).doesNotContain("initial weights");
    }

    @Test
    void vanishingThroughTime() {
        Finding f = only(throughTime(RNN, 0.99e-4, 0.1), FindingCode.VANISHING_THROUGH_TIME);
        assertThat(f.layer()).isEqualTo("rnn1");
        assertThat(f.evidence().statistic()).isEqualTo("‖∂L/∂x_1‖ / ‖∂L/∂x_50‖");
        assertThat(f.remedies())
                .extracting(Remedy::changes)
                .containsExactly(
                        List.of(new SpecChange("model.cell", "lstm")),
                        List.of(new SpecChange("model.recurrentScale", 1.0)));
        assertThat(codes(throughTime(RNN, 1e-4, 0.1))).doesNotContain(FindingCode.VANISHING_THROUGH_TIME);
        assertThat(codes(throughTime(RNN, 0.5e-4, 0.05))).doesNotContain(FindingCode.VANISHING_THROUGH_TIME);
        // An LSTM is told to raise its forget-gate bias instead.
        ExperimentSpec lstm = RNN.withModel(m -> m.cell(RnnCell.LSTM)).withDefaults();
        assertThat(only(throughTime(lstm, 1e-9, 0.1), FindingCode.VANISHING_THROUGH_TIME)
                        .remedies()
                        .get(0)
                        .changes())
                .containsExactly(new SpecChange("model.forgetGateBias", 2.0));
    }

    @Test
    void explodingThroughTime() {
        ExperimentSpec exploding = RNN.withModel(m -> m.recurrentScale(3.0)).withDefaults();
        Finding f = only(throughTime(exploding, 7.01, 0.1), FindingCode.EXPLODING_THROUGH_TIME);
        assertThat(f.remedies())
                .extracting(r -> r.changes().get(0).field())
                .containsExactly("training.gradientClipping.mode", "model.recurrentScale", "training.learningRate");
        assertThat(codes(throughTime(exploding, 7.0, 0.1))).doesNotContain(FindingCode.EXPLODING_THROUGH_TIME);
    }

    @Test
    void nonFiniteIsCriticalEvenInARunThatLearned() {
        RunFacts diverged = new RunFacts(
                UUID.randomUUID(), MLP, true, true, 2, new RunFacts.NonFiniteAt(37, 2, "dense3", "gradient"));
        RunObservations obs = new RunObservations(
                recent(healthyLayers(), null), Snapshot.NONE, 0.3, Double.NaN, 37L, 37L, new EpochState(2, 0.9, 0.9));
        Diagnosis d = DiagnosisRules.diagnose(diverged, obs, DEFAULTS);
        Finding f = d.findings().get(0);
        assertThat(f.code()).isEqualTo(FindingCode.NON_FINITE);
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.iteration()).isEqualTo(37);
        assertThat(f.layer()).isEqualTo("dense3");
        assertThat(f.evidence().statistic()).isEqualTo("loss");
        assertThat(f.evidence().value()).isNaN();
        // A running job whose loss has just gone non-finite, before its outcome is written.
        Diagnosis live = DiagnosisRules.diagnose(running(MLP), obs, DEFAULTS);
        assertThat(codes(live)).containsExactly(FindingCode.NON_FINITE);
    }

    @Test
    void aRunThatLearnsHasNoGradientFindingsAndIsHealthy() {
        List<LayerObservation> vanishing = layers(1e-9, 0.1, 1e-5, 0.9, NONE);
        Diagnosis learned =
                DiagnosisRules.diagnose(finished(MLP), observed(vanishing, new EpochState(10, 0.95, 0.93)), DEFAULTS);
        assertThat(codes(learned)).containsExactly(FindingCode.HEALTHY);
        assertThat(learned.findings().get(0).severity()).isEqualTo(Severity.INFO);
        assertThat(learned.findings().get(0).evidence().statistic()).isEqualTo("testAccuracy");
        // 0.7 is the satisfied level on two classes: just below it in train accuracy, the gate is open again.
        Diagnosis justShort =
                DiagnosisRules.diagnose(finished(MLP), observed(vanishing, new EpochState(10, 0.69, 0.75)), DEFAULTS);
        assertThat(codes(justShort)).contains(FindingCode.VANISHING_GRADIENT);
        // The gate is the training split: a net that fits it but not the test split does not generalise, and its
        // gradients are not to blame.
        Diagnosis overfit =
                DiagnosisRules.diagnose(finished(MLP), observed(vanishing, new EpochState(10, 0.95, 0.69)), DEFAULTS);
        assertThat(codes(overfit)).containsExactly(FindingCode.NOT_GENERALIZING);
    }

    @Test
    void updateRatiosAreSymptomsWhereACriticalRuleFoundTheCause() {
        // Vanishing: the lower layers' tiny ratio follows from it and is not reported on its own.
        assertThat(codes(stuck(MLP, layers(1e-9, 0.1, 1e-9, NONE, NONE))))
                .containsExactly(FindingCode.VANISHING_GRADIENT);
        // Saturation is a warning, not a cause found: a too-large step beside it is still named.
        assertThat(codes(stuck(MLP, layers(1e-2, 1e-2, 0.5, 0.9, NONE))))
                .containsExactly(FindingCode.SATURATED_ACTIVATIONS, FindingCode.UPDATE_RATIO_HIGH);
    }

    @Test
    void bothMomentsAreReportedWhenTheyDisagree() {
        // Exploded at the start, saturated and frozen since (∂L/∂x₁ exactly 0 now): both are true.
        ExperimentSpec exploding = RNN.withModel(m -> m.recurrentScale(3.0)).withDefaults();
        RunObservations obs = new RunObservations(
                recent(RNN_LAYERS, new TimeObservation(100, 50, 0, 0.3)),
                new Snapshot(RNN_LAYERS, 1L, 1L, new TimeObservation(1, 50, 4e13, 1.0)),
                0.69,
                0.69,
                100L,
                null,
                STUCK);
        Diagnosis d = DiagnosisRules.diagnose(finished(exploding), obs, DEFAULTS);
        assertThat(codes(d))
                .containsExactlyInAnyOrder(FindingCode.EXPLODING_THROUGH_TIME, FindingCode.VANISHING_THROUGH_TIME);
        assertThat(only(d, FindingCode.EXPLODING_THROUGH_TIME).iteration()).isEqualTo(1);
        assertThat(only(d, FindingCode.VANISHING_THROUGH_TIME).iteration()).isEqualTo(100);
    }

    @Test
    void theSatisfiedLevelIsRelativeToChance() {
        // Four classes: chance 0.25, satisfied at 0.25 + 0.4 · 0.75 = 0.55.
        ExperimentSpec four = MLP.withDataset(d -> d.classes(4)).withDefaults();
        List<LayerObservation> vanishing = layers(1e-9, 0.1, 1e-3, NONE, NONE);
        assertThat(codes(DiagnosisRules.diagnose(
                        finished(four), observed(vanishing, new EpochState(10, 0.56, 0.56)), DEFAULTS)))
                .containsExactly(FindingCode.HEALTHY);
        assertThat(codes(DiagnosisRules.diagnose(
                        finished(four), observed(vanishing, new EpochState(10, 0.54, 0.56)), DEFAULTS)))
                .contains(FindingCode.VANISHING_GRADIENT);
    }

    @Test
    void beforeTheJudgmentPointFindingsAreProvisionalWarnings() {
        List<LayerObservation> vanishing = layers(1e-9, 0.1, 1e-3, NONE, NONE);
        // 2 of 10 epochs done (< 30 %), not learned yet.
        Diagnosis early =
                DiagnosisRules.diagnose(running(MLP), observed(vanishing, new EpochState(2, 0.5, 0.5)), DEFAULTS);
        Finding f = only(early, FindingCode.VANISHING_GRADIENT);
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.summary()).contains("provisional");
        // 3 of 10: judged.
        Diagnosis judged =
                DiagnosisRules.diagnose(running(MLP), observed(vanishing, new EpochState(3, 0.5, 0.5)), DEFAULTS);
        assertThat(only(judged, FindingCode.VANISHING_GRADIENT).severity()).isEqualTo(Severity.CRITICAL);
        // Nothing wrong so far, before any epoch: healthy so far, not a verdict on the accuracy.
        Diagnosis nothing = DiagnosisRules.diagnose(running(MLP), observed(healthyLayers(), null), DEFAULTS);
        assertThat(codes(nothing)).containsExactly(FindingCode.HEALTHY);
        assertThat(nothing.findings().get(0).summary()).contains("so far");
    }

    @Test
    void aStuckRunIsNeverHealthy() {
        // No gradient rule fires, yet the run sits at chance: NOT_CONVERGED, not HEALTHY.
        Diagnosis d = stuck(MLP, healthyLayers());
        assertThat(codes(d)).containsExactly(FindingCode.NOT_CONVERGED);
        Finding f = d.findings().get(0);
        assertThat(f.evidence().statistic()).isEqualTo("trainAccuracy");
        assertThat(f.evidence().threshold()).isEqualTo(0.7);
        // When a rule explains it, that rule is the finding.
        assertThat(codes(stuck(MLP, layers(1e-9, 0.1, 1e-3, NONE, NONE))))
                .containsExactly(FindingCode.VANISHING_GRADIENT);
        // A cancelled run, a tenth of the way in, is not judged.
        RunFacts cancelled = new RunFacts(UUID.randomUUID(), MLP, true, false, 1, null);
        assertThat(codes(DiagnosisRules.diagnose(
                        cancelled, observed(healthyLayers(), new EpochState(1, 0.5, 0.5)), DEFAULTS)))
                .containsExactly(FindingCode.HEALTHY);
    }

    @Test
    void memorisingWithoutGeneralisingIsNamed() {
        ExperimentSpec random = ExperimentSpec.builder()
                .dataset(d -> d.name(DatasetName.RANDOM).features(20).samples(200))
                .model(m -> m.depth(2).width(64).activation(Activation.RELU))
                .build()
                .withDefaults();
        Diagnosis d = DiagnosisRules.diagnose(
                finished(random), observed(healthyLayers(), new EpochState(20, 0.99, 0.48)), DEFAULTS);
        Finding f = only(d, FindingCode.NOT_GENERALIZING);
        assertThat(f.evidence().statistic()).isEqualTo("testAccuracy");
        assertThat(f.summary()).contains("random");
        assertThat(codes(d)).doesNotContain(FindingCode.HEALTHY, FindingCode.NOT_CONVERGED);
    }

    @Test
    void theAddingProblemIsJudgedByExplainedVariance() {
        ExperimentSpec adding = ExperimentSpec.builder()
                .model(m -> m.type(dev.gradlab.spec.ModelType.RNN))
                .training(t -> t.epochs(10))
                .build()
                .withDefaults();
        // Loss 0.1667 ≈ the target's variance: nothing explained.
        RunObservations flat = new RunObservations(
                recent(RNN_LAYERS, null), Snapshot.NONE, 1.0 / 6, 1.0 / 6, 100L, null, new EpochState(10, 0.08, 0.08));
        Finding f = only(DiagnosisRules.diagnose(finished(adding), flat, DEFAULTS), FindingCode.NOT_CONVERGED);
        assertThat(f.evidence().statistic()).isEqualTo("explainedVariance");
        assertThat(f.evidence().value()).isCloseTo(0, org.assertj.core.api.Assertions.within(1e-9));
        // Loss 0.01: 94 % explained.
        RunObservations learned =
                new RunObservations(flat.recent(), Snapshot.NONE, 0.01, 0.01, 100L, null, new EpochState(10, 0.4, 0.4));
        assertThat(codes(DiagnosisRules.diagnose(finished(adding), learned, DEFAULTS)))
                .containsExactly(FindingCode.HEALTHY);
    }

    @Test
    void thresholdsAreConfiguration() {
        DiagnosisProperties strict = new DiagnosisProperties(
                null, null, null, null, 0.2, null, null, null, null, null, null, null, null, null);
        List<LayerObservation> someDead = layers(1e-2, 1e-2, 1e-3, NONE, 0.3);
        assertThat(codes(stuck(RELU, someDead))).doesNotContain(FindingCode.DEAD_UNITS);
        assertThat(codes(DiagnosisRules.diagnose(finished(RELU), observed(someDead, STUCK), strict)))
                .contains(FindingCode.DEAD_UNITS);
        assertThatThrownBy(() -> new DiagnosisProperties(
                        null, null, null, null, 1.5, null, null, null, null, null, null, null, null, null))
                .hasMessageContaining("gradlab.diagnosis.dead-fraction");
        assertThatThrownBy(() -> new DiagnosisProperties(
                        null, null, null, null, null, null, 1e-4, 1e-3, null, null, null, null, null, null))
                .hasMessageContaining("update-ratio-low");
    }

    @Test
    void remediesAreNotOfferedForWhatTheSpecAlreadyHas() {
        ExperimentSpec cured = MLP.withModel(
                        m -> m.batchNorm(true).residual(true).activation(Activation.RELU))
                .withDefaults();
        Finding f = only(stuck(cured, layers(1e-9, 0.1, 1e-3, NONE, NONE)), FindingCode.VANISHING_GRADIENT);
        assertThat(f.remedies()).isEmpty();
        ExperimentSpec clipped = MLP.withTraining(t -> t.optimizer(Optimizer.ADAM)
                        .gradientClipping(c -> c.mode(dev.gradlab.spec.ClippingMode.CLIP_L2_PER_LAYER)))
                .withDefaults();
        Finding e = only(stuck(clipped, layers(100, 0.1, 1e-3, NONE, NONE)), FindingCode.EXPLODING_GRADIENT);
        assertThat(e.remedies())
                .extracting(r -> r.changes().get(0).field())
                .doesNotContain("training.gradientClipping.mode");
    }

    private record Diagnosed(ExperimentSpec spec, Diagnosis diagnosis) {}

    /** Every remedy the rules can offer, on MLP and RNN specs, applied to its spec: the service accepts the result. */
    @Test
    void everyRemedyAppliesToAValidSpec() {
        SpecValidator validator =
                new SpecValidator(Validation.buildDefaultValidatorFactory().getValidator(), SpecLimits.defaults());
        List<Diagnosed> diagnosed = new ArrayList<>();
        ExperimentSpec narrow =
                MLP.withModel(m -> m.width(3).activation(Activation.RELU)).withDefaults();
        for (ExperimentSpec spec : List.of(MLP, RELU, narrow)) {
            diagnosed.add(new Diagnosed(spec, stuck(spec, layers(1e-9, 0.1, 0.5, 0.9, 0.9))));
            diagnosed.add(new Diagnosed(spec, stuck(spec, layers(100, 0.1, 1e-9, 0.9, 0.9))));
            diagnosed.add(new Diagnosed(spec, stuck(spec, healthyLayers())));
            diagnosed.add(new Diagnosed(spec, stuck(spec, layers(1e-2, 1e-2, 0.5, NONE, NONE))));
            diagnosed.add(new Diagnosed(spec, stuck(spec, layers(1e-2, 1e-2, 1e-9, NONE, NONE))));
        }
        ExperimentSpec exploding = RNN.withModel(m -> m.recurrentScale(3.0)).withDefaults();
        ExperimentSpec lstm = RNN.withModel(m -> m.cell(RnnCell.LSTM)).withDefaults();
        for (ExperimentSpec spec : List.of(RNN, exploding, lstm)) {
            diagnosed.add(new Diagnosed(spec, throughTime(spec, 1e-9, 0.1)));
            diagnosed.add(new Diagnosed(spec, throughTime(spec, 100, 0.1)));
        }
        int applied = 0;
        for (Diagnosed d : diagnosed) {
            for (Finding f : d.diagnosis().findings()) {
                for (Remedy r : f.remedies()) {
                    ExperimentSpec changed = validator.validate(apply(d.spec(), r));
                    JsonNode json = JSON.valueToTree(changed);
                    for (SpecChange c : r.changes()) {
                        assertThat(json.at("/" + c.field().replace('.', '/')))
                                .as(f.code() + ": " + c)
                                .isEqualTo(JSON.valueToTree(c.value()));
                    }
                    applied++;
                }
            }
        }
        assertThat(applied).isGreaterThan(30);
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What a client does with a remedy: set each dotted path in the spec's JSON. */
    static ExperimentSpec apply(ExperimentSpec spec, Remedy remedy) {
        ObjectNode root = (ObjectNode) JSON.valueToTree(spec);
        for (SpecChange c : remedy.changes()) {
            String[] path = c.field().split("\\.");
            ObjectNode node = root;
            for (int i = 0; i < path.length - 1; i++) {
                JsonNode child = node.get(path[i]);
                node = child instanceof ObjectNode o ? o : node.putObject(path[i]);
            }
            node.set(path[path.length - 1], JSON.valueToTree(c.value()));
        }
        return JSON.treeToValue(root, ExperimentSpec.class);
    }
}
