package dev.gradlab.diagnosis;

import dev.gradlab.spec.ExperimentSpec;
import java.util.UUID;

/**
 * What the diagnosis needs to know about a job beyond its stored measurements.
 *
 * @param finished   the job will record nothing more (any final status)
 * @param ranToEnd   it trained to its last epoch or diverged (not cancelled, failed or stopped early)
 * @param divergence where a DIVERGED run went non-finite, or null
 */
public record RunFacts(UUID jobId, ExperimentSpec spec, boolean finished, boolean ranToEnd, NonFiniteAt divergence) {

    /** Where a run first produced NaN or ±Infinity: iteration, layer (null when none could be named), quantity. */
    public record NonFiniteAt(long iteration, Integer layerIndex, String layer, String quantity) {}
}
