package dev.gradlab.spec;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;

@Schema(description = "Gradient clipping, applied per layer to the minibatch-mean gradient before the optimizer step")
public record GradientClipping(
        @Schema(description = "none | clipL2PerLayer | clipElementWise | renormalizeL2PerLayer", defaultValue = "none")
        ClippingMode mode,
        @Schema(description = "Clip threshold (L2 norm, or absolute value for clipElementWise)",
                minimum = "0", exclusiveMinimum = true, maximum = "1000000", defaultValue = "1.0")
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1000000") Double threshold) {

    public static final GradientClipping NONE = new GradientClipping(ClippingMode.NONE, null);

    public GradientClipping withDefaults() {
        ClippingMode m = mode == null ? ClippingMode.NONE : mode;
        Double t = threshold;
        if (t == null && (m == ClippingMode.CLIP_L2_PER_LAYER || m == ClippingMode.CLIP_ELEMENT_WISE)) {
            t = 1.0;
        }
        return new GradientClipping(m, t);
    }

    public boolean enabled() {
        return mode != null && mode != ClippingMode.NONE;
    }
}
