package dev.gradlab.web;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gradlab.access.Caller;
import dev.gradlab.job.JobDetails;
import dev.gradlab.job.JobStatus;
import dev.gradlab.spec.ExperimentSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(
        name = "Job",
        description = "A training job. Fields without a value yet (startedAt before it starts, result "
                + "before it finishes, error unless it FAILED) are left out.")
record JobResponse(
        @Schema(requiredMode = REQUIRED) UUID id,

        @Schema(description = "The name it was submitted with, if any")
        String name,

        @Schema(
                requiredMode = REQUIRED,
                description = "Who may see it: the owner of the API key that created it (`local` in local mode and "
                        + "for data from before owners existed). Admins see every owner's",
                example = "alice")
        String owner,

        @Schema(requiredMode = REQUIRED) JobStatus status,

        @Schema(
                minimum = "1",
                description = "While QUEUED: the job's place in the queue, 1 being the next to start (on any "
                        + "instance sharing the database). Counted among all QUEUED jobs, from the database when the "
                        + "request is answered, in the order the queue starts them: by submission time, except that a "
                        + "job handed back by a stopping instance is due again from when it was handed back, and one "
                        + "its owner's running-jobs quota held back is due again a few seconds later (it waits, first "
                        + "or not, while its owner has that many jobs training; the jobs behind it start). Several "
                        + "jobs start at once when several training threads are free (gradlab.jobs.concurrency per "
                        + "instance). Left out unless QUEUED.")
        Integer queuePosition,

        @Schema(
                requiredMode = REQUIRED,
                description = "The spec as it runs, with every default filled in; fields "
                        + "that do not apply to its model type or dataset are left out")
        ExperimentSpec spec,

        @Schema(requiredMode = REQUIRED) Instant createdAt,

        @Schema(description = "When the current attempt started")
        Instant startedAt,

        Instant finishedAt,
        @Schema(requiredMode = REQUIRED) Progress progress,

        @Schema(description = "Set once the job has finished (any of SUCCEEDED, DIVERGED, FAILED, CANCELLED)")
        Result result,

        @Schema(description = "Why the job FAILED, readable")
        String error,

        @Schema(
                description = "The instance that runs (or ran) the job: host and process. Shown to admins only; left "
                        + "out for other callers, whom internal host names do not concern")
        String worker,

        @Schema(requiredMode = REQUIRED, minimum = "0", description = "How many times the job has been started")
        int attempt,

        @Schema(requiredMode = REQUIRED, description = "Parameters of the network")
        long parameters,

        @Schema(
                requiredMode = REQUIRED,
                minimum = "0",
                description = "Approximate bytes the job's measurements take in the database: 16 per recorded point "
                        + "(iteration and value; every statistic of every layer at each recorded iteration) and 8 per "
                        + "value of its per-step gradient vectors (recurrent nets). The database's own row and index "
                        + "overhead comes on top (an H2 file took 1.0 to 1.25 bytes per byte: docs/PERFORMANCE.md). Updated with each "
                        + "metric write while the job runs (about once a second), 0 before it starts; deleting the "
                        + "job frees it.")
        long storedBytes,

        @Schema(description = "Set when the job is one of a study's: the study, the variant and the repeat")
        StudyMembership study,

        @Schema(description = DiagnosisResponses.DESCRIPTION)
        List<DiagnosisResponses.FindingBody> diagnosis) {

    @Schema(
            name = "JobStudy",
            description = "The study a job belongs to: its variant (0-based, in the study's order) with the "
                    + "variant's varied values, and its repeat (0-based; repeat r trains with training.seed + r and "
                    + "dataset.seed + r)")
    record StudyMembership(
            @Schema(requiredMode = REQUIRED) UUID id,
            @Schema(requiredMode = REQUIRED, minimum = "0") int variant,
            @Schema(requiredMode = REQUIRED, minimum = "0") int repeat,

            @Schema(requiredMode = REQUIRED, description = "Varied path → this variant's value")
            Map<String, Object> values) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(
            name = "JobProgress",
            description = "Iterations (minibatch updates) done so far; updated about once a " + "second while running")
    record Progress(
            @Schema(requiredMode = REQUIRED, minimum = "0") long iteration,
            @Schema(requiredMode = REQUIRED, minimum = "1") long totalIterations,
            @Schema(requiredMode = REQUIRED, minimum = "0") int epoch,
            @Schema(requiredMode = REQUIRED, minimum = "1") int totalEpochs,

            @Schema(
                    minimum = "0",
                    description = "While RUNNING, once an iteration is done: estimated seconds until the last "
                            + "iteration, rounded up, if the rest runs at the rate of this attempt so far: "
                            + "(now − startedAt) × (totalIterations − iteration) / iteration, computed when the "
                            + "request is answered. The rate includes building the net and dataset and the stored "
                            + "iteration is up to a second old, so the estimate errs a little long early on. Left out "
                            + "otherwise.")
            Long etaSeconds) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(
            name = "JobResult",
            description = "A finished job's result. A field without a value is left out (no "
                    + "accuracy when no epoch completed; no finalLoss when no iteration ran). A non-finite finalLoss is "
                    + "left out too and listed in `nonFinite`.")
    record Result(
            @Schema(description = "Minibatch loss of the last iteration")
            Double finalLoss,

            @Schema(
                    description = "Accuracy on the training split after the last completed epoch (adding: the "
                            + "share of sums within 0.04)",
                    minimum = "0",
                    maximum = "1")
            Double trainAccuracy,

            @Schema(
                    description = "Accuracy on the held-out test split after the last completed epoch",
                    minimum = "0",
                    maximum = "1")
            Double testAccuracy,

            @Schema(description = "Training time of the attempt that finished", minimum = "0")
            Long wallTimeMillis,

            @Schema(description = "For DIVERGED: the first non-finite iteration and where it appeared")
            DivergenceBody divergence,

            @Schema(
                    description = "How much gradient reaches the bottom of the network, at the start and at the "
                            + "end; left out when no statistics were recorded")
            GradientRatioBody gradientRatio,

            @Schema(requiredMode = REQUIRED, description = "Fields of this object whose number is non-finite")
            List<NonFinite.InField> nonFinite) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Divergence", description = "Where a run first produced NaN or ±Infinity")
    record DivergenceBody(
            @Schema(requiredMode = REQUIRED, minimum = "1") long iteration,

            @Schema(
                    description = "Index of the layer (input → output); left out when no layer could be named",
                    minimum = "0")
            Integer layerIndex,

            @Schema(
                    requiredMode = REQUIRED,
                    description = "The layer's name, or \"loss\" when no layer could be " + "named")
            String layer,

            @Schema(
                    requiredMode = REQUIRED,
                    description = "Where it was seen: activation (forward pass), loss, "
                            + "gradient (backward pass) or parameters",
                    allowableValues = {"activation", "loss", "gradient", "parameters"})
            String quantity) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(
            name = "GradientRatio",
            description = "The headline number: firstToLastDenseLayer (mlp) is the weight-"
                    + "gradient L2 norm of the first dense layer over that of the last dense layer (batch-norm and output "
                    + "layers never count); firstToLastTimestep (rnn) is ‖∂L/∂x₁‖ / ‖∂L/∂x_T‖ on the probe batch. `start` "
                    + "is at the first iteration that recorded statistics (iteration 1: before any update), `end` at the "
                    + "last. A plain 20-layer sigmoid MLP starts near 1e-12; with batch norm or residual connections "
                    + "within a few orders of magnitude of 1.")
    record GradientRatioBody(
            @Schema(requiredMode = REQUIRED) Measure measure,

            @Schema(requiredMode = REQUIRED, description = "Layer (or step) on top of the fraction", example = "dense1")
            String numerator,

            @Schema(requiredMode = REQUIRED, example = "dense20")
            String denominator,

            @Schema(requiredMode = REQUIRED, minimum = "1") long startIteration,

            @Schema(description = "The ratio at startIteration; left out if non-finite (see nonFinite)")
            Double start,

            @Schema(requiredMode = REQUIRED, minimum = "1") long endIteration,

            @Schema(description = "The ratio at endIteration; left out if non-finite (see nonFinite)")
            Double end,

            @Schema(requiredMode = REQUIRED) List<NonFinite.InField> nonFinite) {

        @Schema(name = "GradientRatioMeasure", enumAsRef = true, description = "What the ratio compares")
        enum Measure {
            @JsonProperty("firstToLastDenseLayer")
            FIRST_TO_LAST_DENSE_LAYER,
            @JsonProperty("firstToLastTimestep")
            FIRST_TO_LAST_TIMESTEP
        }
    }

    /** Without a diagnosis: the list, submit and cancel answers. The worker only for an admin. */
    static JobResponse from(JobDetails job, Caller caller) {
        return from(job, caller, null);
    }

    static JobResponse from(JobDetails job, Caller caller, List<DiagnosisResponses.FindingBody> diagnosis) {
        JobDetails.Progress p = job.progress();
        return new JobResponse(
                job.id(),
                job.name(),
                job.owner(),
                job.status(),
                job.queuePosition(),
                job.spec(),
                job.createdAt(),
                job.startedAt(),
                job.finishedAt(),
                new Progress(
                        p.iteration(), p.totalIterations(), p.epoch(), p.totalEpochs(), job.etaSeconds(Instant.now())),
                job.outcome() == null ? null : result(job.outcome()),
                job.error(),
                caller.admin() ? job.worker() : null,
                job.attempt(),
                job.parameters() == null ? 0 : job.parameters(),
                job.storedBytes(),
                job.study() == null
                        ? null
                        : new StudyMembership(
                                job.study().studyId(),
                                job.study().variant(),
                                job.study().repeat(),
                                job.study().values()),
                diagnosis);
    }

    private static Result result(JobDetails.Outcome o) {
        List<NonFinite.InField> nonFinite = new ArrayList<>();
        Double loss = NonFinite.field("finalLoss", o.finalLoss(), nonFinite);
        JobDetails.Divergence d = o.divergence();
        DivergenceBody divergence =
                d == null ? null : new DivergenceBody(d.iteration(), d.layerIndex(), d.layer(), d.quantity());
        return new Result(
                loss,
                o.trainAccuracy(),
                o.testAccuracy(),
                o.wallTimeMillis(),
                divergence,
                ratio(o.gradientRatio()),
                nonFinite);
    }

    private static GradientRatioBody ratio(JobDetails.GradientRatio r) {
        if (r == null) {
            return null;
        }
        List<NonFinite.InField> nonFinite = new ArrayList<>();
        Double start = NonFinite.field("start", r.start(), nonFinite);
        Double end = NonFinite.field("end", r.end(), nonFinite);
        return new GradientRatioBody(
                GradientRatioBody.Measure.valueOf(r.measure()),
                r.numerator(),
                r.denominator(),
                r.startIteration(),
                start,
                r.endIteration(),
                end,
                nonFinite);
    }
}
