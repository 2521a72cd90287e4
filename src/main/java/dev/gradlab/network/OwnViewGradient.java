package dev.gradlab.network;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network's gradient handed to its updater with the network's own flat gradient array as {@link #gradient()}.
 *
 * <p>Why: in DL4J 1.0.0-M2.1, {@code DefaultGradient.gradient()} returns a new reshaped view of the flat array on
 * every call, so {@code BaseMultiLayerUpdater.update}'s identity test ({@code gradient.gradient() !=
 * getFlattenedGradientsView()}) always takes the gradient for an "external" one (computed by another network) and
 * every update block then cuts a parameter view and a gradient view per variable, twice per step (before and after
 * the updater), for regularization GradLab never configures. Each view is a native shape buffer and a data buffer
 * that nd4j tracks until the collector finds it dead: on M1 (20 dense layers) about half of all the buffers a step
 * makes. Same memory, same arithmetic: only the views go (docs/PERFORMANCE.md, "DL4J's updater").
 */
final class OwnViewGradient implements Gradient {

    private final Gradient gradient;
    private final INDArray flat;

    private OwnViewGradient(Gradient gradient, INDArray flat) {
        this.gradient = gradient;
        this.flat = flat;
    }

    /**
     * {@code gradient} with {@code networkView} as its flat array when both are the same memory, else
     * {@code gradient} itself (a gradient really computed elsewhere keeps DL4J's external path).
     */
    static Gradient of(Gradient gradient, INDArray networkView) {
        INDArray flat = gradient.gradient();
        boolean same = flat != null
                && networkView != null
                && flat.length() == networkView.length()
                && flat.data().address() == networkView.data().address()
                && flat.offset() == networkView.offset();
        return same ? new OwnViewGradient(gradient, networkView) : gradient;
    }

    @Override
    public INDArray gradient() {
        return flat;
    }

    @Override
    public Map<String, INDArray> gradientForVariable() {
        return gradient.gradientForVariable();
    }

    @Override
    public INDArray gradient(List<String> order) {
        return gradient.gradient(order);
    }

    @Override
    public void clear() {
        gradient.clear();
    }

    @Override
    public INDArray getGradientFor(String variable) {
        return gradient.getGradientFor(variable);
    }

    @Override
    public INDArray setGradientFor(String variable, INDArray newGradient) {
        return gradient.setGradientFor(variable, newGradient);
    }

    @Override
    public INDArray setGradientFor(String variable, INDArray newGradient, Character flatteningOrder) {
        return gradient.setGradientFor(variable, newGradient, flatteningOrder);
    }

    @Override
    public Character flatteningOrderForVariable(String variable) {
        return gradient.flatteningOrderForVariable(variable);
    }
}
