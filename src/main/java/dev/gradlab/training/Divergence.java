package dev.gradlab.training;

/**
 * The first non-finite value of a run. {@code quantity} is where it was seen: {@code activation} (forward pass),
 * {@code loss}, {@code gradient} (backward pass: the layer nearest the output whose gradient is non-finite) or
 * {@code parameters}. A non-finite loss after finite hidden activations names the output layer. {@code layerIndex}
 * is null when no layer can be named (a non-finite loss on an iteration whose activations were not recorded, with
 * finite parameters); {@code layer} is then "loss".
 */
public record Divergence(long iteration, Integer layerIndex, String layer, String quantity) {}
