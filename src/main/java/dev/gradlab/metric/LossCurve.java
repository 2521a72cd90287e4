package dev.gradlab.metric;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.UUID;

@Schema(description = "Training loss per iteration (minibatch loss), columnar; plus per-epoch accuracy")
public record LossCurve(
        UUID jobId,
        @Schema(description = "Points recorded in the requested range before downsampling") long totalPoints,
        @Schema(description = "True when min/max decimation reduced the points to maxPoints") boolean downsampled,
        List<Long> iterations,
        @Schema(description = "Loss at each iteration; null where the value is non-finite (see nonFinite)")
        List<Double> values,
        List<NonFiniteValue> nonFinite,
        EpochCurve epochs) {
}
