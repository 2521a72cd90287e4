package dev.gradlab.spec;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The network. Null fields take the defaults of {@link #withDefaults()}.
 *
 * <p>Blocks: the first hidden block projects the input to {@code width} and never has a skip; with
 * {@code residual} every further block computes x + F(x) with a clean identity skip (He et al. 2016).
 */
@Schema(description = "The network to train. Omitted fields take their defaults.")
public record ModelSpec(
        @Schema(description = "Network family (only mlp trains in this version)", defaultValue = "mlp")
        ModelType type,
        @Schema(description = "Number of hidden layers (Dense layers)", minimum = "1", maximum = "200", defaultValue = "20")
        @Min(1) @Max(200) Integer depth,
        @Schema(description = "Units per hidden layer", minimum = "1", maximum = "1024", defaultValue = "64")
        @Min(1) @Max(1024) Integer width,
        @Schema(description = "Nonlinearity of every hidden block", defaultValue = "sigmoid")
        Activation activation,
        @Schema(description = "Weight initialisation", defaultValue = "xavier")
        WeightInit weightInit,
        @Schema(description = "std for weightInit=normal (default 0.1); half-width for uniform (default 1/sqrt(fanIn))",
                minimum = "0", exclusiveMinimum = true, maximum = "10")
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("10") Double initScale,
        @Schema(description = "Identity skip x + F(x) around every hidden block after the first", defaultValue = "false")
        Boolean residual,
        @Schema(description = "Batch normalization in every hidden block", defaultValue = "false")
        Boolean batchNorm,
        @Schema(description = "post: Dense → [BN] → act; pre: [BN] → act → Dense (He et al.'s pre-activation unit). "
                + "Default: pre when residual and batchNorm are both on, else post")
        BlockStyle blockStyle,
        @Schema(description = "Where BN sits in a post-style block", defaultValue = "beforeActivation")
        BatchNormPlacement batchNormPlacement) {

    public static final int DEFAULT_DEPTH = 20;
    public static final int DEFAULT_WIDTH = 64;
    public static final double DEFAULT_NORMAL_STD = 0.1;

    public ModelSpec withDefaults() {
        boolean res = residual != null && residual;
        boolean bn = batchNorm != null && batchNorm;
        WeightInit init = weightInit == null ? WeightInit.XAVIER : weightInit;
        Double scale = initScale;
        if (scale == null && init == WeightInit.NORMAL) {
            scale = DEFAULT_NORMAL_STD;
        }
        return new ModelSpec(
                type == null ? ModelType.MLP : type,
                depth == null ? DEFAULT_DEPTH : depth,
                width == null ? DEFAULT_WIDTH : width,
                activation == null ? Activation.SIGMOID : activation,
                init,
                scale,
                res,
                bn,
                blockStyle == null ? (res && bn ? BlockStyle.PRE : BlockStyle.POST) : blockStyle,
                batchNormPlacement == null ? BatchNormPlacement.BEFORE_ACTIVATION : batchNormPlacement);
    }
}
