package dev.gradlab.metric;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.UUID;

@Schema(description = "The iterations of a recurrent job that have a per-time-step gradient curve, ascending")
public record TimestepIterations(UUID jobId, List<Long> iterations) {
}
