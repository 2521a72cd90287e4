package dev.gradlab.metric;

import dev.gradlab.training.LayerStatistics;
import java.util.Arrays;
import java.util.function.Function;

/** Every stored series. Layer statistics have one series per layer; the loss has one per job. */
public enum MetricSeries {
    LOSS("loss", null),
    WEIGHT_GRADIENT_NORM("weightGradientNorm", LayerStatistics::weightGradientNorm),
    BIAS_GRADIENT_NORM("biasGradientNorm", LayerStatistics::biasGradientNorm),
    CLIPPED_WEIGHT_GRADIENT_NORM("clippedWeightGradientNorm", LayerStatistics::clippedWeightGradientNorm),
    CLIPPED_BIAS_GRADIENT_NORM("clippedBiasGradientNorm", LayerStatistics::clippedBiasGradientNorm),
    UPDATE_RATIO("updateRatio", LayerStatistics::updateRatio),
    ACTIVATION_MEAN("activationMean", LayerStatistics::activationMean),
    ACTIVATION_STD("activationStd", LayerStatistics::activationStd),
    RECURRENT_WEIGHT_GRADIENT_NORM("recurrentWeightGradientNorm", LayerStatistics::recurrentWeightGradientNorm),
    CLIPPED_RECURRENT_WEIGHT_GRADIENT_NORM("clippedRecurrentWeightGradientNorm",
            LayerStatistics::clippedRecurrentWeightGradientNorm);

    /** Layer index stored for series that belong to no layer. */
    static final int NO_LAYER = -1;
    static final MetricSeries[] LAYER_SERIES = Arrays.stream(values()).filter(s -> s != LOSS).toArray(MetricSeries[]::new);

    private final String key;
    private final Function<LayerStatistics, Double> extractor;

    MetricSeries(String key, Function<LayerStatistics, Double> extractor) {
        this.key = key;
        this.extractor = extractor;
    }

    /** True for the gradient-norm series the gradients endpoint serves (before or after clipping, W, b or W_rec). */
    public boolean gradientNorm() {
        return key.endsWith("GradientNorm");
    }

    /** The name used in the database and in the {@code stat} query parameter. */
    public String key() {
        return key;
    }

    /** @return the value, or null where the layer has none (no clipping; no exposed activations) */
    Double valueOf(LayerStatistics stats) {
        return extractor.apply(stats);
    }

    public static MetricSeries fromKey(String key) {
        for (MetricSeries s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException(key);
    }

    public static String layerStatKeys() {
        return String.join(", ", Arrays.stream(LAYER_SERIES).map(MetricSeries::key).toList());
    }
}
