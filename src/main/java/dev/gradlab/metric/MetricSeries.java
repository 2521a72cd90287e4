package dev.gradlab.metric;

import dev.gradlab.training.LayerStatistics;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
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
    CLIPPED_RECURRENT_WEIGHT_GRADIENT_NORM(
            "clippedRecurrentWeightGradientNorm", LayerStatistics::clippedRecurrentWeightGradientNorm),
    SATURATED_FRACTION("saturatedFraction", LayerStatistics::saturatedFraction),
    DEAD_FRACTION("deadFraction", LayerStatistics::deadFraction),
    ACTIVATION_DERIVATIVE_MEAN("activationDerivativeMean", LayerStatistics::activationDerivativeMean),
    WEIGHT_SCALE("weightScale", LayerStatistics::weightScale),
    RECURRENT_SPECTRAL_NORM("recurrentSpectralNorm", LayerStatistics::recurrentSpectralNorm);

    /** Layer index stored for series that belong to no layer. */
    public static final int NO_LAYER = -1;

    static final MetricSeries[] LAYER_SERIES =
            Arrays.stream(values()).filter(s -> s != LOSS).toArray(MetricSeries[]::new);

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

    /** The series recorded per layer (every one but the loss), in declaration order. */
    public static List<MetricSeries> layerSeries() {
        return List.of(LAYER_SERIES);
    }

    /** @return the series with this key, if any */
    public static Optional<MetricSeries> fromKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }
}
