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
        @Schema(description = "mlp (a deep stack of Dense layers) or rnn (recurrent layers over a sequence)",
                defaultValue = "mlp")
        ModelType type,
        @Schema(description = "mlp: hidden (Dense) layers, 1..200, default 20; rnn: stacked recurrent layers, 1..8, "
                + "default 1", minimum = "1", maximum = "200")
        @Min(1) @Max(200) Integer depth,
        @Schema(description = "Units per hidden layer", minimum = "1", maximum = "1024", defaultValue = "64")
        @Min(1) @Max(1024) Integer width,
        @Schema(description = "Nonlinearity of every hidden block (mlp, default sigmoid) or of the recurrent cell "
                + "(rnn, default tanh)")
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
        BatchNormPlacement batchNormPlacement,
        @Schema(description = "rnn only: simple (DL4J SimpleRnn) or lstm", defaultValue = "simple")
        RnnCell cell,
        @Schema(description = "rnn only: W_rec starts as a random orthogonal matrix times this number, so every "
                + "singular value equals it (Pascanu et al. 2013: below 1 gradients vanish through time, above "
                + "1 they can explode). For lstm, each gate's block.", minimum = "0", exclusiveMinimum = true,
                maximum = "10", defaultValue = "1.0")
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("10") Double recurrentScale,
        @Schema(description = "lstm only: initial forget-gate bias (DL4J's default 1; larger keeps memory longer)",
                minimum = "-10", maximum = "10", defaultValue = "1.0")
        @DecimalMin("-10") @DecimalMax("10") Double forgetGateBias) {

    public static final int DEFAULT_DEPTH = 20;
    public static final int DEFAULT_WIDTH = 64;
    public static final double DEFAULT_NORMAL_STD = 0.1;
    public static final int MAX_RNN_DEPTH = 8;

    /** An MLP spec (the recurrent fields left out). */
    public ModelSpec(ModelType type, Integer depth, Integer width, Activation activation, WeightInit weightInit,
                     Double initScale, Boolean residual, Boolean batchNorm, BlockStyle blockStyle,
                     BatchNormPlacement batchNormPlacement) {
        this(type, depth, width, activation, weightInit, initScale, residual, batchNorm, blockStyle,
                batchNormPlacement, null, null, null);
    }

    /** A recurrent spec. */
    public static ModelSpec rnn(Integer depth, Integer width, RnnCell cell, Activation activation,
                                Double recurrentScale, Double forgetGateBias) {
        return new ModelSpec(ModelType.RNN, depth, width, activation, null, null, null, null, null, null, cell,
                recurrentScale, forgetGateBias);
    }

    public boolean recurrent() {
        return type == ModelType.RNN;
    }

    public ModelSpec withDefaults() {
        if (recurrent()) {
            RnnCell c = cell == null ? RnnCell.SIMPLE : cell;
            return new ModelSpec(ModelType.RNN, depth == null ? 1 : depth, width == null ? DEFAULT_WIDTH : width,
                    activation == null ? Activation.TANH : activation,
                    weightInit == null ? WeightInit.XAVIER : weightInit,
                    initScale == null && weightInit == WeightInit.NORMAL ? Double.valueOf(DEFAULT_NORMAL_STD) : initScale,
                    residual, batchNorm, blockStyle, batchNormPlacement, c,
                    recurrentScale == null ? 1.0 : recurrentScale,
                    forgetGateBias == null && c == RnnCell.LSTM ? Double.valueOf(1.0) : forgetGateBias);
        }
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
                batchNormPlacement == null ? BatchNormPlacement.BEFORE_ACTIVATION : batchNormPlacement,
                cell, recurrentScale, forgetGateBias);
    }
}
