package dev.gradlab.diagnosis;

import dev.gradlab.spec.ExperimentSpec;
import java.util.UUID;

/**
 * What the diagnosis needs to know about a job beyond its stored measurements.
 *
 * @param finished   the job will record nothing more (any final status)
 * @param ranToEnd   it trained to its last epoch or diverged (not cancelled, failed or stopped early)
 * @param epochs     epochs completed and stored (the job's progress: stored in the transaction that stores them)
 * @param divergence where a DIVERGED run went non-finite, or null
 */
public record RunFacts(
        UUID jobId, ExperimentSpec spec, boolean finished, boolean ranToEnd, int epochs, NonFiniteAt divergence) {

    /** Where a run first produced NaN or ±Infinity: iteration, layer (null when none could be named), quantity. */
    public record NonFiniteAt(long iteration, Integer layerIndex, String layer, String quantity) {}
}
