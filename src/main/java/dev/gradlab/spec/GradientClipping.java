package dev.gradlab.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;

@Schema(description = "Gradient clipping, applied per layer to the minibatch-mean gradient before the optimizer step")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GradientClipping(
        @Schema(description = "none | clipL2PerLayer | clipElementWise | renormalizeL2PerLayer", defaultValue = "none")
        ClippingMode mode,

        @Schema(
                description = "Clip threshold (L2 norm, or absolute value for clipElementWise); unused by none and "
                        + "renormalizeL2PerLayer",
                minimum = "0",
                exclusiveMinimum = true,
                maximum = "1000000",
                defaultValue = "1.0")
        @DecimalMin(value = "0", inclusive = false)
        @DecimalMax("1000000")
        Double threshold) {

    public static final double DEFAULT_THRESHOLD = 1.0;
    public static final GradientClipping NONE =
            builder().mode(ClippingMode.NONE).build();

    /** A spec with every field omitted. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public GradientClipping withDefaults() {
        ClippingMode m = mode == null ? ClippingMode.NONE : mode;
        Builder b = toBuilder().mode(m);
        if (threshold == null && (m == ClippingMode.CLIP_L2_PER_LAYER || m == ClippingMode.CLIP_ELEMENT_WISE)) {
            b.threshold(DEFAULT_THRESHOLD);
        }
        return b.build();
    }

    public boolean enabled() {
        return mode != null && mode != ClippingMode.NONE;
    }

    /** Sets fields one by one; an unset field stays null (omitted). */
    public static final class Builder {
        private ClippingMode mode;
        private Double threshold;

        private Builder() {}

        private Builder(GradientClipping c) {
            mode = c.mode;
            threshold = c.threshold;
        }

        public Builder mode(ClippingMode mode) {
            this.mode = mode;
            return this;
        }

        public Builder threshold(Double threshold) {
            this.threshold = threshold;
            return this;
        }

        public GradientClipping build() {
            return new GradientClipping(mode, threshold);
        }
    }
}
