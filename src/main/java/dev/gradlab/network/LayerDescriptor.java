package dev.gradlab.network;

import java.util.List;

/**
 * One parameterised layer, numbered input → output. {@code weight} is the slice whose gradient norm the
 * curves show (W for dense and recurrent layers, γ for batch norm); {@code recurrentWeight} is W_rec of a recurrent
 * layer (null elsewhere); {@code slices} is every array of the layer, as DL4J's
 * per-layer clipping sees it. {@code activationVertex} names the graph vertex whose output is reported as this
 * layer's activations: the block's nonlinearity for dense layers, the layer itself otherwise;
 * null for the output layer. {@code nonlinearityVertex} names the vertex that applies the hidden nonlinearity
 * (model.activation) of this layer's block, whose output the activation probe reads: the dense layer itself (or its
 * act vertex when batch norm sits before the activation) in post-style blocks, the act vertex in front of the dense
 * layer in pre-style blocks (none for dense1, the input projection, and none for the closing act before the
 * output), the recurrent layer itself; null for batch-norm and output layers.
 */
public record LayerDescriptor(
        int index,
        String name,
        LayerKind kind,
        ParameterSlice weight,
        ParameterSlice bias,
        ParameterSlice recurrentWeight,
        List<ParameterSlice> slices,
        String activationVertex,
        String nonlinearityVertex) {

    /** A layer without a probed nonlinearity. */
    public LayerDescriptor(
            int index,
            String name,
            LayerKind kind,
            ParameterSlice weight,
            ParameterSlice bias,
            ParameterSlice recurrentWeight,
            List<ParameterSlice> slices,
            String activationVertex) {
        this(index, name, kind, weight, bias, recurrentWeight, slices, activationVertex, null);
    }
}
