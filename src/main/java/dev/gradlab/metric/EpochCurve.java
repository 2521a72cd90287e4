package dev.gradlab.metric;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

@Schema(description = "Per-epoch accuracy on the whole train and test splits, columnar")
public record EpochCurve(List<Integer> epochs, List<Long> iterations, List<Double> trainAccuracy,
                         List<Double> testAccuracy, List<Long> elapsedMillis) {
}
