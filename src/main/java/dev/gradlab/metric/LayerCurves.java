package dev.gradlab.metric;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.UUID;

@Schema(description = "A per-layer statistic for every parameterised layer, ordered input → output, on one shared "
        + "iteration axis. When downsampled, the first and last recorded points are kept as they are and each bucket "
        + "of the consecutive recorded iterations between them becomes two positions "
        + "(the bucket's first and last iteration) and each layer reports there its own minimum and maximum within "
        + "the bucket, in the order they occurred.")
public record LayerCurves(
        UUID jobId,
        @Schema(description = "Which statistic: " + "weightGradientNorm, biasGradientNorm, clippedWeightGradientNorm, "
                + "clippedBiasGradientNorm, updateRatio, activationMean, activationStd") String stat,
        long totalPoints,
        boolean downsampled,
        List<Long> iterations,
        List<LayerCurve> layers) {
}
