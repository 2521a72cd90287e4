package dev.gradlab.training;

/**
 * One layer at one iteration. Gradient norms are L2 norms of the minibatch-mean gradient (DL4J's raw gradient
 * divided by the batch size) before clipping; the clipped norms are after DL4J's per-layer clipping and are null
 * when clipping is off. {@code updateRatio} is ‖ΔW‖/‖W‖ for the weight array (γ for batch norm). Activation
 * mean and std (population) are over every element of the layer's output on this minibatch; null for the
 * output layer, whose softmax DL4J does not expose during training. Recurrent layers also report W_rec's gradient
 * norm (before and after clipping); null elsewhere. For a recurrent layer, "weight" is the input weight W.
 * {@code saturatedFraction} and {@code deadFraction} come from the fixed probe batch ({@link ActivationProbe}), only
 * on the iterations it runs; null elsewhere and where they do not apply to the layer's nonlinearity. So do
 * {@code activationDerivativeMean} (mean φ′(z) of the layer's hidden nonlinearity), {@code weightScale}
 * (‖W‖_F/√n_out of dense, output and recurrent layers) and {@code recurrentSpectralNorm} (λ₁ of a simple recurrent
 * layer's W_rec): the quantities the vanishing-gradient mechanism multiplies, recorded to predict the profile.
 */
public record LayerStatistics(
        int layer,
        double weightGradientNorm,
        double biasGradientNorm,
        Double clippedWeightGradientNorm,
        Double clippedBiasGradientNorm,
        double updateRatio,
        Double activationMean,
        Double activationStd,
        Double recurrentWeightGradientNorm,
        Double clippedRecurrentWeightGradientNorm,
        Double saturatedFraction,
        Double deadFraction,
        Double activationDerivativeMean,
        Double weightScale,
        Double recurrentSpectralNorm) {

    /** Without probe measurements (the iterations the activation probe skips). */
    public LayerStatistics(
            int layer,
            double weightGradientNorm,
            double biasGradientNorm,
            Double clippedWeightGradientNorm,
            Double clippedBiasGradientNorm,
            double updateRatio,
            Double activationMean,
            Double activationStd,
            Double recurrentWeightGradientNorm,
            Double clippedRecurrentWeightGradientNorm) {
        this(
                layer,
                weightGradientNorm,
                biasGradientNorm,
                clippedWeightGradientNorm,
                clippedBiasGradientNorm,
                updateRatio,
                activationMean,
                activationStd,
                recurrentWeightGradientNorm,
                clippedRecurrentWeightGradientNorm,
                null,
                null,
                null,
                null,
                null);
    }
}
