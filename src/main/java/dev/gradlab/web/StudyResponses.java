package dev.gradlab.web;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gradlab.job.JobStatus;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.study.StudyDetails;
import dev.gradlab.study.StudyPage;
import dev.gradlab.study.StudyStatus;
import dev.gradlab.study.StudySummary;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The bodies of /api/v1/studies and /api/v1/presets. */
final class StudyResponses {

    private StudyResponses() {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(
            name = "Study",
            description = "A study and its table: one row per variant with its jobs and its results over the "
                    + "repeats. Fields without a value are left out (cancelledAt, targetLoss).")
    record StudyResponse(
            @Schema(requiredMode = REQUIRED) UUID id,
            String name,

            @Schema(
                    requiredMode = REQUIRED,
                    description = "Who may see it: the owner of the API key that created it (`local` in local mode and "
                            + "for data from before owners existed). Admins see every owner's",
                    example = "alice")
            String owner,

            @Schema(requiredMode = REQUIRED) StudyStatus status,
            @Schema(requiredMode = REQUIRED) Instant createdAt,

            @Schema(description = "When the study was cancelled")
            Instant cancelledAt,

            @Schema(requiredMode = REQUIRED, minimum = "1") int repeats,
            @Schema(requiredMode = REQUIRED, minimum = "1") int variantCount,

            @Schema(requiredMode = REQUIRED, minimum = "1", description = "variantCount × repeats")
            int jobCount,

            Double targetLoss,

            @Schema(requiredMode = REQUIRED) JobCounts jobs,

            @Schema(requiredMode = REQUIRED, description = "The base spec as it was sent")
            ExperimentSpec base,

            @Schema(requiredMode = REQUIRED, description = "The varied paths and their values, as sent, in order")
            Map<String, List<Object>> vary,

            @Schema(requiredMode = REQUIRED, description = "One row per variant, the first varied path slowest")
            List<VariantBody> variants) {

        static StudyResponse from(StudyDetails d) {
            StudySummary s = d.summary();
            return new StudyResponse(
                    s.id(),
                    s.name(),
                    s.owner(),
                    s.status(),
                    s.createdAt(),
                    s.cancelledAt(),
                    s.repeats(),
                    s.variantCount(),
                    s.jobCount(),
                    s.targetLoss(),
                    JobCounts.from(s.jobStatusCounts()),
                    d.base(),
                    d.vary(),
                    d.variants().stream().map(VariantBody::from).toList());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "StudySummary", description = "A study without its table")
    record StudySummaryResponse(
            @Schema(requiredMode = REQUIRED) UUID id,
            String name,

            @Schema(
                    requiredMode = REQUIRED,
                    description = "Who may see it: the owner of the API key that created it (`local` in local mode and "
                            + "for data from before owners existed). Admins see every owner's",
                    example = "alice")
            String owner,

            @Schema(requiredMode = REQUIRED) StudyStatus status,
            @Schema(requiredMode = REQUIRED) Instant createdAt,
            Instant cancelledAt,
            @Schema(requiredMode = REQUIRED, minimum = "1") int repeats,
            @Schema(requiredMode = REQUIRED, minimum = "1") int variantCount,
            @Schema(requiredMode = REQUIRED, minimum = "1") int jobCount,
            Double targetLoss,
            @Schema(requiredMode = REQUIRED) JobCounts jobs) {

        static StudySummaryResponse from(StudySummary s) {
            return new StudySummaryResponse(
                    s.id(),
                    s.name(),
                    s.owner(),
                    s.status(),
                    s.createdAt(),
                    s.cancelledAt(),
                    s.repeats(),
                    s.variantCount(),
                    s.jobCount(),
                    s.targetLoss(),
                    JobCounts.from(s.jobStatusCounts()));
        }
    }

    @Schema(name = "StudyPage", description = "One page of studies, newest first")
    record StudyPageResponse(
            @Schema(requiredMode = REQUIRED) List<StudySummaryResponse> items,
            @Schema(requiredMode = REQUIRED, minimum = "0") int page,

            @Schema(requiredMode = REQUIRED, minimum = "1", maximum = "100")
            int size,

            @Schema(requiredMode = REQUIRED, minimum = "0", description = "Studies on all pages")
            long total) {

        static StudyPageResponse from(StudyPage p) {
            return new StudyPageResponse(
                    p.items().stream().map(StudySummaryResponse::from).toList(), p.page(), p.size(), p.total());
        }
    }

    @Schema(name = "StudyJobCounts", description = "How many of the study's jobs are in each status")
    record JobCounts(
            @Schema(requiredMode = REQUIRED, minimum = "0") long total,

            @JsonProperty("QUEUED") @Schema(requiredMode = REQUIRED, minimum = "0")
            long queued,

            @JsonProperty("RUNNING") @Schema(requiredMode = REQUIRED, minimum = "0")
            long running,

            @JsonProperty("SUCCEEDED") @Schema(requiredMode = REQUIRED, minimum = "0")
            long succeeded,

            @JsonProperty("FAILED") @Schema(requiredMode = REQUIRED, minimum = "0")
            long failed,

            @JsonProperty("CANCELLED") @Schema(requiredMode = REQUIRED, minimum = "0")
            long cancelled,

            @JsonProperty("DIVERGED") @Schema(requiredMode = REQUIRED, minimum = "0")
            long diverged) {

        static JobCounts from(Map<JobStatus, Long> c) {
            return new JobCounts(
                    c.values().stream().mapToLong(Long::longValue).sum(),
                    c.getOrDefault(JobStatus.QUEUED, 0L),
                    c.getOrDefault(JobStatus.RUNNING, 0L),
                    c.getOrDefault(JobStatus.SUCCEEDED, 0L),
                    c.getOrDefault(JobStatus.FAILED, 0L),
                    c.getOrDefault(JobStatus.CANCELLED, 0L),
                    c.getOrDefault(JobStatus.DIVERGED, 0L));
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(
            name = "StudyVariant",
            description = "One variant: its values, its jobs (one per repeat) and its results over the repeats that "
                    + "completed (SUCCEEDED or DIVERGED; cancelled and failed jobs count in no statistic).")
    record VariantBody(
            @Schema(requiredMode = REQUIRED, minimum = "0", description = "0-based, in the study's order")
            int index,

            @Schema(requiredMode = REQUIRED, description = "Varied path → this variant's value, as sent")
            Map<String, Object> values,

            @Schema(requiredMode = REQUIRED, description = "The variant's jobs, by repeat")
            List<VariantJobBody> jobs,

            @Schema(requiredMode = REQUIRED, minimum = "0", description = "Repeats that completed")
            int completed,

            @Schema(requiredMode = REQUIRED, minimum = "0", description = "Repeats that ended DIVERGED")
            int diverged,

            @Schema(
                    description = "What the gradient ratios compare: firstToLastDenseLayer (mlp: first over last "
                            + "dense layer's weight-gradient norm) or firstToLastTimestep (rnn: ‖∂L/∂x₁‖ / ‖∂L/∂x_T‖); "
                            + "left out until a repeat completed")
            JobResponse.GradientRatioBody.Measure gradientRatioMeasure,

            @Schema(requiredMode = REQUIRED, description = "The job result's gradientRatio.start: at iteration 1")
            StatisticBody gradientRatioStart,

            @Schema(
                    requiredMode = REQUIRED,
                    description = "The job result's gradientRatio.end: at the last " + "recorded iteration")
            StatisticBody gradientRatioEnd,

            @Schema(requiredMode = REQUIRED, description = "Train accuracy after the last completed epoch")
            StatisticBody finalTrainAccuracy,

            @Schema(requiredMode = REQUIRED, description = "Test accuracy after the last completed epoch")
            StatisticBody finalTestAccuracy,

            @Schema(requiredMode = REQUIRED, description = "Highest test accuracy at the end of any epoch")
            StatisticBody bestTestAccuracy,

            @Schema(
                    description = "With targetLoss: the first iteration whose minibatch loss is at most targetLoss "
                            + "(a repeat that never got there counts in `missing`)")
            StatisticBody iterationsToTargetLoss,

            @Schema(requiredMode = REQUIRED, description = "Training time of each job, milliseconds")
            StatisticBody wallTimeMillis) {

        static VariantBody from(StudyDetails.VariantRow r) {
            return new VariantBody(
                    r.index(),
                    r.values(),
                    r.jobs().stream()
                            .map(j -> new VariantJobBody(j.id(), j.repeat(), j.status()))
                            .toList(),
                    r.completed(),
                    r.diverged(),
                    r.gradientRatioMeasure() == null
                            ? null
                            : JobResponse.GradientRatioBody.Measure.valueOf(r.gradientRatioMeasure()),
                    StatisticBody.from(r.gradientRatioStart()),
                    StatisticBody.from(r.gradientRatioEnd()),
                    StatisticBody.from(r.finalTrainAccuracy()),
                    StatisticBody.from(r.finalTestAccuracy()),
                    StatisticBody.from(r.bestTestAccuracy()),
                    r.iterationsToTargetLoss() == null ? null : StatisticBody.from(r.iterationsToTargetLoss()),
                    StatisticBody.from(r.wallTimeMillis()));
        }
    }

    @Schema(name = "StudyVariantJob", description = "One job of a variant")
    record VariantJobBody(
            @Schema(requiredMode = REQUIRED) UUID id,
            @Schema(requiredMode = REQUIRED, minimum = "0") int repeat,
            @Schema(requiredMode = REQUIRED) JobStatus status) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(
            name = "StudyStatistic",
            description = "A quantity over a variant's completed repeats: the median (of an even count, the mean of "
                    + "the middle two), min and max of its finite values, `n` of them. Non-finite values (a "
                    + "diverged run's ratio) are left out of those and listed in `nonFinite`; `missing` counts "
                    + "completed repeats without a value. median, min and max are left out when n is 0.")
    record StatisticBody(
            Double median,
            Double min,
            Double max,
            @Schema(requiredMode = REQUIRED, minimum = "0") int n,
            @Schema(requiredMode = REQUIRED, minimum = "0") int missing,

            @Schema(requiredMode = REQUIRED, description = "Each non-finite value left out")
            List<NonFinite.Kind> nonFinite) {

        static StatisticBody from(StudyDetails.Statistic s) {
            return new StatisticBody(
                    s.median(),
                    s.min(),
                    s.max(),
                    s.n(),
                    s.missing(),
                    s.nonFinite().stream().map(NonFinite.Kind::of).toList());
        }
    }

    @Schema(
            name = "StudyPreset",
            description = "A named study that reproduces a claim of the literature; `request` is a ready body for "
                    + "POST /api/v1/studies")
    record PresetBody(
            @Schema(requiredMode = REQUIRED, example = "depth-vs-cures")
            String name,

            @Schema(requiredMode = REQUIRED) String title,

            @Schema(requiredMode = REQUIRED, description = "What it shows and why")
            String description,

            @Schema(requiredMode = REQUIRED) StudyRequest request) {}
}
