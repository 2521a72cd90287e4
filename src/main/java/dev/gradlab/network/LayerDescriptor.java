package dev.gradlab.network;

import java.util.List;

/**
 * One parameterised layer, numbered input → output. {@code weight} is the slice whose gradient norm the
 * curves show (W for dense and recurrent layers, γ for batch norm); {@code recurrentWeight} is W_rec of a recurrent
 * layer (null elsewhere); {@code slices} is every array of the layer, as DL4J's
 * per-layer clipping sees it. {@code activationVertex} names the graph vertex whose output is reported as this
 * layer's activations: the block's nonlinearity for dense layers, the layer itself otherwise;
 * null for the output layer.
 */
public record LayerDescriptor(
        int index,
        String name,
        LayerKind kind,
        ParameterSlice weight,
        ParameterSlice bias,
        ParameterSlice recurrentWeight,
        List<ParameterSlice> slices,
        String activationVertex) {}
