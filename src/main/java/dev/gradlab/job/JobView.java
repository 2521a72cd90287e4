package dev.gradlab.job;

import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.training.Divergence;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;

@Schema(description = "A training job. Non-finite numbers in `result` (e.g. the loss of a diverged run) are the "
        + "strings \"NaN\", \"Infinity\" or \"-Infinity\".")
public record JobView(
        UUID id,
        String name,
        JobStatus status,
        @Schema(description = "The spec as it ran, with every default filled in") ExperimentSpec spec,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Progress progress,
        Result result,
        @Schema(description = "Why the job FAILED, readable; null otherwise") String error,
        @Schema(description = "The instance that ran (or runs) the job") String worker,
        @Schema(description = "How many times the job has been started") int attempt,
        @Schema(description = "Parameters of the network") Long parameters) {

    @Schema(description = "Iterations (minibatch updates) done so far; updated about once a second while running")
    public record Progress(long iteration, long totalIterations, int epoch, int totalEpochs) {
    }

    @Schema(description = "Set when the job has finished")
    public record Result(
            @Schema(description = "Loss of the last iteration") Object finalLoss,
            @Schema(description = "Accuracy on the training split after the last completed epoch") Double trainAccuracy,
            @Schema(description = "Accuracy on the held-out test split after the last completed epoch") Double testAccuracy,
            Long wallTimeMillis,
            @Schema(description = "For DIVERGED: the first non-finite iteration and the layer where it appeared")
            Divergence divergence) {
    }
}
