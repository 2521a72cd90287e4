package dev.gradlab.diagnosis;

import dev.gradlab.diagnosis.RunObservations.LayerObservation;
import dev.gradlab.diagnosis.RunObservations.Snapshot;
import dev.gradlab.spec.DatasetName;
import dev.gradlab.spec.ExperimentSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * The rules, as pure functions of a run's observations (docs/DIAGNOSIS.md states each with its source).
 *
 * <p>AUTOTRAINER's gate: a gradient rule (every rule but NON_FINITE and the two about accuracy) only reports while
 * the run has not learned, i.e. until train and test accuracy both reach the satisfied level. A run that learns
 * anyway has no gradient problem worth fixing. Before the judgment point (a share of the epochs, or the end of the
 * run) a finding is provisional: at most a warning, since the run may yet learn.
 */
final class DiagnosisRules {

    /**
     * Variance of the adding problem's target (the sum of two U(0, 1) values): the MSE of always answering the mean,
     * so 1 − loss / this is the share of the variance a regression run explains.
     */
    static final double ADDING_TARGET_VARIANCE = 1.0 / 6.0;

    private static final String DENSE = "dense";
    private static final String OUTPUT = "output";
    private static final String RECURRENT = "recurrent";

    private final RunFacts facts;
    private final ExperimentSpec spec;
    private final RunObservations obs;
    private final DiagnosisProperties p;
    private final Learning learning;
    private final List<Finding> findings = new ArrayList<>();
    /** The snapshot the rule being run looks at. */
    private Snapshot judging;
    /** A critical rule (or a non-finite value) has fired. */
    private boolean causeFound;

    private DiagnosisRules(RunFacts facts, RunObservations obs, DiagnosisProperties p) {
        this.facts = facts;
        this.spec = facts.spec();
        this.obs = obs;
        this.p = p;
        this.learning = learning();
    }

    static Diagnosis diagnose(RunFacts facts, RunObservations obs, DiagnosisProperties properties) {
        return new DiagnosisRules(facts, obs, properties).run();
    }

    /**
     * Whether the run has learned (train and test both at the satisfied level), and whether enough of it has run to
     * say it has not.
     */
    record Learning(boolean trainLearned, boolean testLearned, boolean judged, Evidence train, Evidence test) {
        boolean learned() {
            return trainLearned && testLearned;
        }
    }

    private Learning learning() {
        RunObservations.EpochState epoch = obs.lastEpoch();
        int epochs = epoch == null ? 0 : epoch.epoch();
        int judgeAfter =
                Math.max(1, (int) Math.ceil(p.judgmentPoint() * spec.training().epochs()));
        boolean judged = (facts.finished() && facts.ranToEnd()) || epochs >= judgeAfter;
        if (spec.dataset().name().regression()) {
            double explained = 1 - obs.recentLoss() / ADDING_TARGET_VARIANCE;
            Evidence e = new Evidence("explainedVariance", explained, p.satisfiedProgress());
            boolean learned = explained >= p.satisfiedProgress();
            return new Learning(learned, learned, judged, e, e);
        }
        double chance = 1.0 / spec.dataset().outputs();
        double satisfied = chance + p.satisfiedProgress() * (1 - chance);
        if (epoch == null) {
            Evidence none = new Evidence("trainAccuracy", Double.NaN, satisfied);
            return new Learning(false, false, judged, none, none);
        }
        return new Learning(
                epoch.trainAccuracy() >= satisfied,
                epoch.testAccuracy() >= satisfied,
                judged,
                new Evidence("trainAccuracy", epoch.trainAccuracy(), satisfied),
                new Evidence("testAccuracy", epoch.testAccuracy(), satisfied));
    }

    private Diagnosis run() {
        nonFinite();
        // The gate is the training split: the gradient rules are about optimisation, which shows there. (A net that
        // fits its training data but not the test data has a generalisation problem: NOT_GENERALIZING.)
        if (!learning.trainLearned()) {
            // Each rule on the recent window, then on the initial weights (iteration 1): an explosion at the start
            // that froze the net shows only there. A code found in the recent window is not repeated.
            for (Consumer<Snapshot> rule : List.<Consumer<Snapshot>>of(
                    spec.model().recurrent() ? this::throughTime : this::throughDepth, this::saturated, this::dead)) {
                judge(rule, obs.recent());
                judge(rule, obs.start());
            }
            // The update ratio is a symptom where a critical rule has found the cause (a vanishing net's lower
            // layers barely move while its top layers take the whole step), and a cause of its own elsewhere.
            if (!causeFound) {
                judging = obs.recent();
                updateRatios(judging); // not at the start: Adam's first step is ±lr on every weight
            }
        }
        accuracy();
        if (findings.isEmpty()) {
            findings.add(healthy());
        }
        findings.sort(Comparator.comparing(Finding::severity).reversed().thenComparing(Finding::code));
        return new Diagnosis(List.copyOf(findings));
    }

    private void judge(Consumer<Snapshot> rule, Snapshot at) {
        judging = at;
        rule.accept(at);
    }

    // ---- NON_FINITE: AUTOTRAINER (NaN in loss, weights or gradients), DeepDiagnosis (numerical error)

    private void nonFinite() {
        RunFacts.NonFiniteAt d = facts.divergence();
        causeFound = d != null || obs.nonFiniteAt() != null;
        if (d != null) {
            findings.add(new Finding(
                    FindingCode.NON_FINITE,
                    Severity.CRITICAL,
                    d.layerIndex(),
                    d.layerIndex() == null ? null : d.layer(),
                    d.iteration(),
                    nonFiniteEvidence(d.quantity()),
                    "The run produced NaN or ±Infinity at iteration " + d.iteration() + ", first seen in the "
                            + d.quantity() + (d.layerIndex() == null ? "" : " of " + d.layer())
                            + ", and stopped (DIVERGED).",
                    nonFiniteRemedies()));
        } else if (obs.nonFiniteAt() != null) {
            findings.add(new Finding(
                    FindingCode.NON_FINITE,
                    Severity.CRITICAL,
                    null,
                    null,
                    obs.nonFiniteAt(),
                    nonFiniteEvidence("gradient"),
                    "A loss or gradient norm went NaN or ±Infinity at iteration " + obs.nonFiniteAt() + ".",
                    nonFiniteRemedies()));
        }
    }

    /** The last loss when it is the non-finite value; otherwise NaN standing for the quantity that was. */
    private Evidence nonFiniteEvidence(String quantity) {
        return Double.isFinite(obs.lastLoss())
                ? new Evidence(quantity, Double.NaN, null)
                : new Evidence("loss", obs.lastLoss(), null);
    }

    private List<Remedy> nonFiniteRemedies() {
        return Remedies.forSpec(spec)
                .clipping()
                .lowerLearningRate()
                .recurrentScaleNearOne(false)
                .list();
    }

    // ---- VANISHING_GRADIENT / EXPLODING_GRADIENT: AUTOTRAINER's ratio of the first to the last layer's norm

    private boolean throughDepth(Snapshot at) {
        List<LayerObservation> dense =
                at.layers().stream().filter(l -> DENSE.equals(l.kind())).toList();
        if (dense.isEmpty()) {
            return false;
        }
        LayerObservation first = dense.get(0);
        LayerObservation last = dense.size() >= 2
                ? dense.get(dense.size() - 1)
                : at.layers().stream()
                        .filter(l -> OUTPUT.equals(l.kind()))
                        .findFirst()
                        .orElse(null);
        if (last == null || !(last.gradientNorm() > 0) || !Double.isFinite(first.gradientNorm())) {
            return false; // 0/0 (a dead net) or nothing recorded: no ratio to judge
        }
        double ratio = first.gradientNorm() / last.gradientNorm();
        String statistic = "weightGradientNorm(" + first.name() + ") / weightGradientNorm(" + last.name() + ")";
        if (ratio < p.vanishingRatio() && first.gradientNorm() < p.vanishingFirstNorm()) {
            return add(
                    FindingCode.VANISHING_GRADIENT,
                    Severity.CRITICAL,
                    first,
                    at.layerIteration(),
                    new Evidence(statistic, ratio, p.vanishingRatio()),
                    "The first dense layer (" + first.name() + ") gets " + fmt(ratio) + " of the gradient of "
                            + last.name() + " (‖g‖ = " + fmt(first.gradientNorm()) + " < "
                            + fmt(p.vanishingFirstNorm()) + "): the gradient vanishes on its way down, "
                            + decades(ratio) + " decades, and the lower layers barely learn",
                    Remedies.forSpec(spec)
                            .batchNorm()
                            .residual()
                            .reluWithHeInit()
                            .list());
        } else if (ratio > p.explodingRatio()) {
            return add(
                    FindingCode.EXPLODING_GRADIENT,
                    Severity.CRITICAL,
                    first,
                    at.layerIteration(),
                    new Evidence(statistic, ratio, p.explodingRatio()),
                    "The first dense layer (" + first.name() + ") gets " + fmt(ratio) + " times the gradient of "
                            + last.name() + ": the gradient grows on its way down and the lower layers take steps "
                            + "far too large",
                    Remedies.forSpec(spec)
                            .clipping()
                            .lowerLearningRate()
                            .batchNorm()
                            .residual()
                            .list());
        }
        return false;
    }

    // ---- VANISHING_THROUGH_TIME / EXPLODING_THROUGH_TIME: Pascanu et al.'s ‖∂L/∂x_t‖, AUTOTRAINER's thresholds

    private boolean throughTime(Snapshot at) {
        RunObservations.TimeObservation t = at.time();
        if (t == null || !(t.last() > 0) || !Double.isFinite(t.first())) {
            return false;
        }
        double ratio = t.first() / t.last();
        String statistic = "‖∂L/∂x_1‖ / ‖∂L/∂x_" + t.steps() + "‖";
        if (ratio < p.vanishingThroughTimeRatio() && t.first() < p.vanishingThroughTimeFirstNorm()) {
            return add(
                    FindingCode.VANISHING_THROUGH_TIME,
                    Severity.CRITICAL,
                    firstRecurrent(at),
                    t.iteration(),
                    new Evidence(statistic, ratio, p.vanishingThroughTimeRatio()),
                    "The first time step gets " + fmt(ratio) + " of the gradient that reaches step " + t.steps()
                            + " (" + decades(ratio) + " decades): what the net should remember from early steps "
                            + "cannot be learned",
                    Remedies.forSpec(spec)
                            .lstm()
                            .largerForgetGateBias()
                            .recurrentScaleNearOne(true)
                            .list());
        } else if (ratio > p.explodingThroughTimeRatio()) {
            return add(
                    FindingCode.EXPLODING_THROUGH_TIME,
                    Severity.CRITICAL,
                    firstRecurrent(at),
                    t.iteration(),
                    new Evidence(statistic, ratio, p.explodingThroughTimeRatio()),
                    "The first time step gets " + fmt(ratio) + " times the gradient that reaches step " + t.steps()
                            + ": the gradient grows back through time and the steps are far too large",
                    Remedies.forSpec(spec)
                            .clipping()
                            .recurrentScaleNearOne(false)
                            .lowerLearningRate()
                            .list());
        }
        return false;
    }

    private static LayerObservation firstRecurrent(Snapshot at) {
        return at.layers().stream()
                .filter(l -> RECURRENT.equals(l.kind()))
                .findFirst()
                .orElse(null);
    }

    // ---- SATURATED_ACTIVATIONS: DeepDiagnosis (> 50 % of |pre-activation| ≥ 5)

    private boolean saturated(Snapshot at) {
        List<LayerObservation> over = at.layers().stream()
                .filter(l -> l.saturatedFraction() > p.saturatedFraction())
                .toList();
        LayerObservation worst = worst(over, LayerObservation::saturatedFraction, true);
        if (worst == null) {
            return false;
        }
        Remedies r = Remedies.forSpec(spec);
        if (spec.model().recurrent()) {
            r.recurrentScaleNearOne(false).lstm().lowerLearningRate();
        } else {
            r.batchNorm().reluWithHeInit();
        }
        return add(
                FindingCode.SATURATED_ACTIVATIONS,
                Severity.WARNING,
                worst,
                at.probeIteration(),
                new Evidence("saturatedFraction", worst.saturatedFraction(), p.saturatedFraction()),
                count(over.size(), countWith(at, LayerObservation::saturatedFraction), "layers has", "layers have")
                        + " more than "
                        + percent(p.saturatedFraction()) + " of their "
                        + spec.model().activation().name().toLowerCase(Locale.ROOT)
                        + " units in the flat tails (|z| ≥ 5) on the probe batch, worst " + worst.name() + " at "
                        + percent(worst.saturatedFraction()) + ": they pass almost no gradient",
                r.list());
    }

    // ---- DEAD_UNITS: AUTOTRAINER (dying ReLU, γ = 0.7), DeepDiagnosis (dead layer)

    private boolean dead(Snapshot at) {
        List<LayerObservation> over = at.layers().stream()
                .filter(l -> l.deadFraction() >= p.deadFraction())
                .toList();
        LayerObservation worst = worst(over, LayerObservation::deadFraction, true);
        if (worst == null) {
            return false;
        }
        return add(
                FindingCode.DEAD_UNITS,
                Severity.CRITICAL,
                worst,
                at.probeIteration(),
                new Evidence("deadFraction", worst.deadFraction(), p.deadFraction()),
                count(over.size(), countWith(at, LayerObservation::deadFraction), "ReLU layers has", "ReLU layers have")
                        + " at least "
                        + percent(p.deadFraction()) + " of their units dead (0 for every probe example), worst "
                        + worst.name() + " at " + percent(worst.deadFraction())
                        + ": no gradient passes them, and nothing revives them",
                Remedies.forSpec(spec)
                        .leakyRelu()
                        .wider()
                        .batchNorm()
                        .lowerLearningRate()
                        .list());
    }

    // ---- UPDATE_RATIO_HIGH / UPDATE_RATIO_LOW: CS231n and DL4J's tuning guide (‖ΔW‖/‖W‖ ≈ 10⁻³)

    private void updateRatios(Snapshot at) {
        List<LayerObservation> weighted = at.layers().stream()
                .filter(l -> !"batchNorm".equals(l.kind()) && Double.isFinite(l.updateRatio()))
                .toList();
        List<LayerObservation> high = weighted.stream()
                .filter(l -> l.updateRatio() > p.updateRatioHigh())
                .toList();
        LayerObservation highest = worst(high, LayerObservation::updateRatio, true);
        if (highest != null) {
            add(
                    FindingCode.UPDATE_RATIO_HIGH,
                    Severity.WARNING,
                    highest,
                    at.layerIteration(),
                    new Evidence("updateRatio", highest.updateRatio(), p.updateRatioHigh()),
                    count(high.size(), weighted.size(), "layers moves its", "layers move their")
                            + " weights by more than "
                            + fmt(p.updateRatioHigh()) + " of their norm per step (healthy: about 10⁻³), "
                            + highest.name() + " by " + fmt(highest.updateRatio())
                            + ": steps this large overshoot",
                    Remedies.forSpec(spec).lowerLearningRate().clipping().list());
        }
        List<LayerObservation> low = weighted.stream()
                .filter(l -> l.updateRatio() < p.updateRatioLow())
                .toList();
        LayerObservation lowest = worst(low, LayerObservation::updateRatio, false);
        if (lowest != null) {
            Remedies r = Remedies.forSpec(spec).higherLearningRate().adam();
            if (low.size() < weighted.size()) { // some layers move, others don't: the gradient does not reach them
                r.batchNorm().residual();
            }
            add(
                    FindingCode.UPDATE_RATIO_LOW,
                    Severity.WARNING,
                    lowest,
                    at.layerIteration(),
                    new Evidence("updateRatio", lowest.updateRatio(), p.updateRatioLow()),
                    count(low.size(), weighted.size(), "layers moves its", "layers move their")
                            + " weights by less than "
                            + fmt(p.updateRatioLow()) + " of their norm per step (healthy: about 10⁻³), "
                            + lowest.name() + " by " + fmt(lowest.updateRatio()) + ": they barely learn",
                    r.list());
        }
    }

    // ---- NOT_CONVERGED / NOT_GENERALIZING: AUTOTRAINER's "not converge" once judged

    private void accuracy() {
        if (!learning.judged() || learning.learned()) {
            return;
        }
        if (learning.trainLearned() && !spec.dataset().name().regression()) {
            Evidence test = learning.test();
            findings.add(new Finding(
                    FindingCode.NOT_GENERALIZING,
                    Severity.WARNING,
                    null,
                    null,
                    obs.iteration(),
                    test,
                    "The training split is learned (accuracy "
                            + fmt(learning.train().value())
                            + ") but test accuracy stays at " + fmt(test.value()) + ", below "
                            + fmt(test.threshold()) + ": the net memorises examples rather than a rule"
                            + (spec.dataset().name() == DatasetName.RANDOM
                                    ? " (the random dataset's labels have none to learn)."
                                    : "."),
                    List.of()));
            return;
        }
        boolean explained = findings.stream().anyMatch(f -> f.severity() != Severity.INFO);
        if (explained) {
            return; // another finding says why (AUTOTRAINER reports "not converge" only when none does)
        }
        Evidence train = learning.train();
        findings.add(new Finding(
                FindingCode.NOT_CONVERGED,
                Severity.WARNING,
                null,
                null,
                obs.iteration(),
                train,
                "The run has not learned: " + train.statistic() + " " + fmt(train.value()) + " is below the "
                        + "satisfied level " + fmt(train.threshold()) + ", and no gradient rule explains why.",
                Remedies.forSpec(spec).adam().moreEpochs().list()));
    }

    private Finding healthy() {
        Evidence e = learning.learned()
                ? learning.test()
                : obs.lastEpoch() != null ? learning.train() : new Evidence("loss", obs.recentLoss(), null);
        String summary = learning.learned()
                ? "No rule fires and the run learns: " + e.statistic() + " " + fmt(e.value()) + " (satisfied at "
                        + fmt(e.threshold()) + ")."
                : learning.trainLearned()
                        ? "No rule fires so far (iteration " + obs.iteration() + "): the training split is learned, "
                                + "the test split not yet."
                        : "No rule fires so far (iteration " + obs.iteration() + "), and the run has not learned yet.";
        return new Finding(FindingCode.HEALTHY, Severity.INFO, null, null, obs.iteration(), e, summary, List.of());
    }

    /** @return true: the rule fired */
    private boolean add(
            FindingCode code,
            Severity base,
            LayerObservation layer,
            Long iteration,
            Evidence evidence,
            String summary,
            List<Remedy> remedies) {
        if (findings.stream().anyMatch(f -> f.code() == code)) {
            return false; // found already, in the recent window
        }
        causeFound |= base == Severity.CRITICAL;
        // Before the judgment point the run may still learn: say so, and no more than a warning.
        Severity severity = learning.judged() || base == Severity.INFO ? base : Severity.WARNING;
        String when = judging == obs.start() && obs.start() != obs.recent()
                ? ", at iteration " + iteration + " (the initial weights; not in the last recorded points)"
                : "";
        String text = learning.judged()
                ? summary + when + "."
                : summary + when + " (provisional until " + percent(p.judgmentPoint()) + " of the epochs have run).";
        findings.add(new Finding(
                code,
                severity,
                layer == null ? null : layer.index(),
                layer == null ? null : layer.name(),
                iteration,
                evidence,
                text,
                remedies));
        return true;
    }

    private static LayerObservation worst(
            List<LayerObservation> layers, ToDoubleFunction<LayerObservation> value, boolean highest) {
        Comparator<LayerObservation> order = Comparator.comparingDouble(value);
        return layers.stream().max(highest ? order : order.reversed()).orElse(null);
    }

    private static long countWith(Snapshot at, ToDoubleFunction<LayerObservation> value) {
        return at.layers().stream()
                .filter(l -> !Double.isNaN(value.applyAsDouble(l)))
                .count();
    }

    /** 3 significant digits between 0.01 and 10⁴, else 1.2e-05 style. */
    static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        double a = Math.abs(v);
        if (a == 0 || (a >= 0.01 && a < 1e4)) {
            return new java.math.BigDecimal(v)
                    .round(new java.math.MathContext(3))
                    .stripTrailingZeros()
                    .toPlainString();
        }
        return String.format(Locale.ROOT, "%.1e", v);
    }

    /** "1 of 3 layers has" or "2 of 3 layers have": the verb agrees with the count. */
    private static String count(long found, long of, String one, String many) {
        return found + " of " + of + " " + (found == 1 ? one : many);
    }

    private static String percent(double share) {
        return Math.round(share * 100) + " %";
    }

    private static String decades(double ratio) {
        return String.format(Locale.ROOT, "%.1f", Math.abs(Math.log10(ratio)));
    }
}
