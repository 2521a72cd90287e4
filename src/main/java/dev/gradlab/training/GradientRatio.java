package dev.gradlab.training;

/**
 * The headline number of a run: how much of the gradient reaches the bottom of the network, as a ratio of two
 * gradient norms, at the first and at the last iteration that recorded statistics. For an MLP it is the
 * weight-gradient norm of the first dense layer over that of the last dense layer (matched by kind, so batch
 * norm and output layers never count); for a recurrent net it is ‖∂L/∂x₁‖ / ‖∂L/∂x_T‖ on the probe batch.
 * Values may be NaN or ±Infinity (a diverged run, or a norm that is exactly zero).
 */
public record GradientRatio(
        Measure measure,
        String numerator,
        String denominator,
        long startIteration,
        double start,
        long endIteration,
        double end) {

    public enum Measure {
        /** ‖∂L/∂W‖ of the first dense layer over the last dense layer's. */
        FIRST_TO_LAST_DENSE_LAYER,
        /** ‖∂L/∂x₁‖ over ‖∂L/∂x_T‖, the gradient reaching the first input step over the last's. */
        FIRST_TO_LAST_TIMESTEP
    }
}
