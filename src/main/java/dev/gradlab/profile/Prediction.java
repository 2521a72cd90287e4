package dev.gradlab.profile;

import java.util.List;

/**
 * A slope the mechanism predicts, and the profile it implies anchored at the measured top (the last dense layer or
 * the last step), so the two can be drawn together.
 *
 * @param method        which rule ({@link Method})
 * @param slope         decades per layer toward the input, or per step back in time, as the measured fit
 * @param fromIteration the iteration whose recorded factors were used (at or before the profile's)
 * @param log10Norms    the implied profile, aligned with the measured one; NaN where it cannot be anchored
 * @param factors       the per-layer (or per-step) factors multiplied, as plain numbers, e.g. σ̄′·‖W‖_F/√n_out
 */
public record Prediction(
        Method method, double slope, long fromIteration, List<Double> log10Norms, List<Double> factors) {

    public enum Method {
        /** MLP: each layer multiplies δ by its mean activation derivative times its weight scale. */
        CHAIN_ESTIMATE,
        /** MLP: the same with the derivative at its bound (σ′ ≤ 1/4 for sigmoid, 1 for the others). */
        CHAIN_BOUND,
        /** RNN: Pascanu et al.'s bound γ·λ₁ per step, γ the derivative's bound, λ₁ W_rec's largest singular value. */
        PASCANU_BOUND,
        /** RNN: the mean activation derivative in place of its bound: σ̄′·λ₁ per step. */
        MEAN_DERIVATIVE_ESTIMATE
    }
}
