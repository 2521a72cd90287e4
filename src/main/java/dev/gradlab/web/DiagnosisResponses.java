package dev.gradlab.web;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gradlab.diagnosis.Diagnosis;
import dev.gradlab.diagnosis.Evidence;
import dev.gradlab.diagnosis.Finding;
import dev.gradlab.diagnosis.Remedy;
import dev.gradlab.diagnosis.RunFacts;
import dev.gradlab.diagnosis.SpecChange;
import dev.gradlab.job.JobDetails;
import dev.gradlab.job.JobStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;

/** The job's {@code diagnosis}: findings with evidence and applicable remedies, and how domain findings become them. */
final class DiagnosisResponses {

    private DiagnosisResponses() {}

    static final String DESCRIPTION = "Automatic diagnosis of the training (GET /api/v1/jobs/{id} only: the list, "
            + "submit and cancel answers leave it out; also left out until the job has recorded anything). Problems "
            + "worst first, or a single HEALTHY finding. Computed from the last gradlab.diagnosis.window (10) recorded "
            + "points of each statistic, by their median. Rules (docs/DIAGNOSIS.md; thresholds are configuration, "
            + "defaults the published values): "
            + "VANISHING_GRADIENT when ‖g‖ of the first dense layer / ‖g‖ of the last dense layer < 1e-3 "
            + "(gradlab.diagnosis.vanishing-ratio) and the first < 1e-4 (vanishing-first-norm); EXPLODING_GRADIENT "
            + "when that ratio > 70 (exploding-ratio) — both AUTOTRAINER (Zhang et al., ICSE 2021); "
            + "NON_FINITE on NaN or ±Infinity in loss, activations, gradients or parameters (AUTOTRAINER, "
            + "DeepDiagnosis); SATURATED_ACTIVATIONS when a layer has more than 50 % (saturated-fraction) of its "
            + "sigmoid/tanh pre-activations at |z| ≥ 5 on the probe batch (DeepDiagnosis, Wardat et al., ICSE 2022); "
            + "DEAD_UNITS when a ReLU layer has at least 70 % (dead-fraction) of its units at 0 for every probe "
            + "example (AUTOTRAINER's dying ReLU, DeepDiagnosis's dead layer); UPDATE_RATIO_HIGH / UPDATE_RATIO_LOW "
            + "when a layer's ‖ΔW‖/‖W‖ > 1e-2 (update-ratio-high) / < 1e-4 (update-ratio-low), healthy ≈ 1e-3 "
            + "(CS231n, DL4J's tuning guide); VANISHING_THROUGH_TIME when ‖∂L/∂x₁‖/‖∂L/∂x_T‖ < 1e-3 and ‖∂L/∂x₁‖ < "
            + "1e-4, EXPLODING_THROUGH_TIME when it is > 70 (Pascanu et al., ICML 2013, with AUTOTRAINER's "
            + "thresholds; vanishing-through-time-ratio, vanishing-through-time-first-norm, "
            + "exploding-through-time-ratio); NOT_CONVERGED when the run has not learned and no other rule says why, "
            + "NOT_GENERALIZING when the training split is learned and the test split is not. As in AUTOTRAINER, the "
            + "gradient rules report only while the run has not learned: until train and test accuracy are 40 % "
            + "(satisfied-progress) of the way from chance (1/classes) to 1 (0.7 on two classes; for the adding "
            + "problem, until the loss explains 40 % of the target's variance). Before 30 % of the epochs "
            + "(judgment-point) a finding is provisional: at most a warning.";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Finding", description = "One thing the diagnosis found")
    record FindingBody(
            @Schema(requiredMode = REQUIRED, ref = "#/components/schemas/FindingCode")
            String code,

            @Schema(requiredMode = REQUIRED) Severity severity,

            @Schema(
                    description = "Index (input → output) of the layer it concerns; left out when it concerns the run",
                    minimum = "0")
            Integer layerIndex,

            @Schema(description = "Name of that layer", example = "dense1")
            String layer,

            @Schema(description = "Last iteration of the window it was judged on", minimum = "1")
            Long iteration,

            @Schema(requiredMode = REQUIRED) EvidenceBody evidence,

            @Schema(requiredMode = REQUIRED, description = "One sentence: what was found, with its numbers")
            String summary,

            @Schema(
                    requiredMode = REQUIRED,
                    description = "Cures as spec changes, most direct first; empty when none applies (or the "
                            + "spec has them all)")
            List<RemedyBody> remedies) {}

    @Schema(
            name = "FindingSeverity",
            enumAsRef = true,
            description = "info: nothing to fix (HEALTHY); warning: a problem found so far (before the judgment "
                    + "point), or one that slows training rather than stopping it; critical: a problem that stops a "
                    + "run that has not learned, or a non-finite value")
    enum Severity {
        @JsonProperty("info")
        INFO,
        @JsonProperty("warning")
        WARNING,
        @JsonProperty("critical")
        CRITICAL
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(
            name = "Evidence",
            description = "The measurement behind a finding: a statistic (a stored series' name, a ratio of two, "
                    + "trainAccuracy, testAccuracy, explainedVariance or loss), its value (median over the window) and "
                    + "the rule's threshold. A non-finite value is left out and listed in nonFinite.")
    record EvidenceBody(
            @Schema(requiredMode = REQUIRED, example = "updateRatio")
            String statistic,

            Double value,

            @Schema(description = "The rule's threshold; left out when the rule has none")
            Double threshold,

            @Schema(requiredMode = REQUIRED) List<NonFinite.InField> nonFinite) {}

    @Schema(
            name = "Remedy",
            description = "A cure: set every change's field in the spec (together) and submit it again")
    record RemedyBody(
            @Schema(requiredMode = REQUIRED, description = "Why it helps, one sentence")
            String summary,

            @Schema(requiredMode = REQUIRED) List<SpecChangeBody> changes) {}

    @Schema(name = "SpecChange", description = "One field of the spec to set")
    record SpecChangeBody(
            @Schema(
                    requiredMode = REQUIRED,
                    description = "Dotted path into the spec's JSON",
                    example = "model.batchNorm")
            String field,

            @Schema(
                    requiredMode = REQUIRED,
                    types = {"boolean", "number", "string"},
                    description = "The JSON value to put there (an enum as the spec spells it, e.g. relu)")
            Object value) {}

    /** What the diagnosis needs from the job row. */
    static RunFacts facts(JobDetails job) {
        JobDetails.Divergence d = job.outcome() == null ? null : job.outcome().divergence();
        return new RunFacts(
                job.id(),
                job.spec(),
                job.status().finished(),
                job.status() == JobStatus.SUCCEEDED || job.status() == JobStatus.DIVERGED,
                job.progress().epoch(),
                d == null ? null : new RunFacts.NonFiniteAt(d.iteration(), d.layerIndex(), d.layer(), d.quantity()));
    }

    static List<FindingBody> body(Diagnosis diagnosis) {
        if (diagnosis == null) {
            return null;
        }
        return diagnosis.findings().stream().map(DiagnosisResponses::finding).toList();
    }

    private static FindingBody finding(Finding f) {
        return new FindingBody(
                f.code().name(),
                Severity.valueOf(f.severity().name()),
                f.layerIndex(),
                f.layer(),
                f.iteration(),
                evidence(f.evidence()),
                f.summary(),
                f.remedies().stream().map(DiagnosisResponses::remedy).toList());
    }

    private static EvidenceBody evidence(Evidence e) {
        List<NonFinite.InField> nonFinite = new ArrayList<>();
        Double value = NonFinite.field("value", e.value(), nonFinite);
        return new EvidenceBody(e.statistic(), value, e.threshold(), nonFinite);
    }

    private static RemedyBody remedy(Remedy r) {
        return new RemedyBody(
                r.summary(),
                r.changes().stream()
                        .map((SpecChange c) -> new SpecChangeBody(c.field(), c.value()))
                        .toList());
    }
}
