package dev.gradlab.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** DL4J's gradient normalization modes, applied to each layer's minibatch-mean gradient. */
public enum ClippingMode {
    @JsonProperty("none")
    NONE,
    /** If ‖g_layer‖₂ > threshold, g ← threshold·g/‖g‖ (Pascanu et al.'s clipping, per layer). */
    @JsonProperty("clipL2PerLayer")
    CLIP_L2_PER_LAYER,
    /** Each element clamped to [−threshold, threshold]. */
    @JsonProperty("clipElementWise")
    CLIP_ELEMENT_WISE,
    /** g ← g/‖g_layer‖₂ always (threshold unused). */
    @JsonProperty("renormalizeL2PerLayer")
    RENORMALIZE_L2_PER_LAYER
}
