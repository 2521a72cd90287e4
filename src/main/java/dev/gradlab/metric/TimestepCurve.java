package dev.gradlab.metric;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.UUID;

@Schema(description = "Gradient through time of a recurrent job: ‖∂L/∂x_t‖ for t = 1..T, L the mean loss on the job's "
        + "fixed probe batch, with the parameters at the start of `iteration` (iteration 1: before any update). "
        + "Computed in float64; null entries are non-finite values, listed in nonFinite.")
public record TimestepCurve(UUID jobId, long iteration, List<Integer> timesteps, List<Double> norms,
                            List<NonFiniteValue> nonFinite) {
}
