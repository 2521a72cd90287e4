package dev.gradlab.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The network. Null fields take the defaults of {@link #withDefaults()}; a field that does not apply to the model
 * type (the mlp block fields on an rnn, the recurrent fields on an mlp) stays null, and null fields are left out
 * of the JSON.
 *
 * <p>Blocks: the first hidden block projects the input to {@code width} and never has a skip; with
 * {@code residual} every further block computes x + F(x) with a clean identity skip (He et al. 2016).
 *
 * <p>Schema defaults: a generated client sends every {@code defaultValue} back, so only a default that is valid
 * for every model type is declared as one; the others are stated in the description.
 */
@Schema(description = "The network to train. Omitted fields take their defaults.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelSpec(
        @Schema(
                description = "mlp (a deep stack of Dense layers) or rnn (recurrent layers over a sequence)",
                defaultValue = "mlp")
        ModelType type,

        @Schema(
                description = "mlp: hidden (Dense) layers, 1..200, default 20; rnn: stacked recurrent layers, 1..8, "
                        + "default 1",
                minimum = "1",
                maximum = "200")
        @Min(1)
        @Max(200)
        Integer depth,

        @Schema(description = "Units per hidden layer", minimum = "1", maximum = "1024", defaultValue = "64")
        @Min(1)
        @Max(1024)
        Integer width,

        @Schema(
                description = "Nonlinearity of every hidden block (mlp, default sigmoid) or of the recurrent cell "
                        + "(rnn, default tanh)")
        Activation activation,

        @Schema(description = "Weight initialisation", defaultValue = "xavier")
        WeightInit weightInit,

        @Schema(
                description =
                        "std for weightInit=normal (default 0.1); half-width for uniform (default 1/sqrt(fanIn)); "
                                + "other weightInit: omit",
                minimum = "0",
                exclusiveMinimum = true,
                maximum = "10")
        @DecimalMin(value = "0", inclusive = false)
        @DecimalMax("10")
        Double initScale,

        @Schema(
                description = "mlp only: identity skip x + F(x) around every hidden block after the first. "
                        + "Default false for mlp; rnn: omit")
        Boolean residual,

        @Schema(description = "mlp only: batch normalization in every hidden block. Default false for mlp; rnn: omit")
        Boolean batchNorm,

        @Schema(
                description =
                        "mlp only: post: Dense → [BN] → act; pre: [BN] → act → Dense (He et al.'s "
                                + "pre-activation unit). Default: pre when residual and batchNorm are both on, else post; rnn: omit")
        BlockStyle blockStyle,

        @Schema(
                description = "mlp only: where BN sits in a post-style block. Default beforeActivation for mlp; "
                        + "rnn: omit")
        BatchNormPlacement batchNormPlacement,

        @Schema(description = "rnn only: simple (DL4J SimpleRnn) or lstm. Default simple for rnn; mlp: omit")
        RnnCell cell,

        @Schema(
                description = "rnn only: W_rec starts as a random orthogonal matrix times this number, so every "
                        + "singular value equals it (Pascanu et al. 2013: below 1 gradients vanish through time, above "
                        + "1 they can explode). For lstm, each gate's block. Default 1.0 for rnn; mlp: omit",
                minimum = "0",
                exclusiveMinimum = true,
                maximum = "10")
        @DecimalMin(value = "0", inclusive = false)
        @DecimalMax("10")
        Double recurrentScale,

        @Schema(
                description = "lstm only: initial forget-gate bias (DL4J's default 1; larger keeps memory longer). "
                        + "Default 1.0 for cell lstm; mlp and cell simple: omit",
                minimum = "-10",
                maximum = "10")
        @DecimalMin("-10")
        @DecimalMax("10")
        Double forgetGateBias) {

    public static final int DEFAULT_DEPTH = 20;
    public static final int DEFAULT_WIDTH = 64;
    public static final double DEFAULT_NORMAL_STD = 0.1;
    public static final int MAX_RNN_DEPTH = 8;
    public static final double DEFAULT_RECURRENT_SCALE = 1.0;
    /** DL4J's own default for an LSTM. */
    public static final double DEFAULT_FORGET_GATE_BIAS = 1.0;

    /** A spec with every field omitted (type mlp by default). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder for an MLP. */
    public static Builder mlp() {
        return builder().type(ModelType.MLP);
    }

    /** A builder for a recurrent net. */
    public static Builder rnn() {
        return builder().type(ModelType.RNN);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public boolean recurrent() {
        return type == ModelType.RNN;
    }

    /** A copy with every omitted field that applies filled in, and every field that does not apply null. */
    public ModelSpec withDefaults() {
        Builder b = toBuilder()
                .width(width == null ? DEFAULT_WIDTH : width)
                .weightInit(weightInit == null ? WeightInit.XAVIER : weightInit);
        if (initScale == null && b.weightInit == WeightInit.NORMAL) {
            b.initScale(DEFAULT_NORMAL_STD);
        }
        if (recurrent()) {
            RnnCell c = cell == null ? RnnCell.SIMPLE : cell;
            return b.depth(depth == null ? 1 : depth)
                    .activation(activation == null ? Activation.TANH : activation)
                    .residual(null)
                    .batchNorm(null)
                    .blockStyle(null)
                    .batchNormPlacement(null)
                    .cell(c)
                    .recurrentScale(recurrentScale == null ? DEFAULT_RECURRENT_SCALE : recurrentScale)
                    .forgetGateBias(
                            c != RnnCell.LSTM
                                    ? null
                                    : forgetGateBias == null ? DEFAULT_FORGET_GATE_BIAS : forgetGateBias)
                    .build();
        }
        boolean res = residual != null && residual;
        boolean bn = batchNorm != null && batchNorm;
        return b.type(ModelType.MLP)
                .depth(depth == null ? DEFAULT_DEPTH : depth)
                .activation(activation == null ? Activation.SIGMOID : activation)
                .residual(res)
                .batchNorm(bn)
                .blockStyle(blockStyle == null ? (res && bn ? BlockStyle.PRE : BlockStyle.POST) : blockStyle)
                .batchNormPlacement(
                        batchNormPlacement == null ? BatchNormPlacement.BEFORE_ACTIVATION : batchNormPlacement)
                .cell(null)
                .recurrentScale(null)
                .forgetGateBias(null)
                .build();
    }

    /** Sets fields one by one; an unset field stays null (omitted). */
    public static final class Builder {
        private ModelType type;
        private Integer depth;
        private Integer width;
        private Activation activation;
        private WeightInit weightInit;
        private Double initScale;
        private Boolean residual;
        private Boolean batchNorm;
        private BlockStyle blockStyle;
        private BatchNormPlacement batchNormPlacement;
        private RnnCell cell;
        private Double recurrentScale;
        private Double forgetGateBias;

        private Builder() {}

        private Builder(ModelSpec s) {
            type = s.type;
            depth = s.depth;
            width = s.width;
            activation = s.activation;
            weightInit = s.weightInit;
            initScale = s.initScale;
            residual = s.residual;
            batchNorm = s.batchNorm;
            blockStyle = s.blockStyle;
            batchNormPlacement = s.batchNormPlacement;
            cell = s.cell;
            recurrentScale = s.recurrentScale;
            forgetGateBias = s.forgetGateBias;
        }

        public Builder type(ModelType type) {
            this.type = type;
            return this;
        }

        public Builder depth(Integer depth) {
            this.depth = depth;
            return this;
        }

        public Builder width(Integer width) {
            this.width = width;
            return this;
        }

        public Builder activation(Activation activation) {
            this.activation = activation;
            return this;
        }

        public Builder weightInit(WeightInit weightInit) {
            this.weightInit = weightInit;
            return this;
        }

        public Builder initScale(Double initScale) {
            this.initScale = initScale;
            return this;
        }

        public Builder residual(Boolean residual) {
            this.residual = residual;
            return this;
        }

        public Builder batchNorm(Boolean batchNorm) {
            this.batchNorm = batchNorm;
            return this;
        }

        public Builder blockStyle(BlockStyle blockStyle) {
            this.blockStyle = blockStyle;
            return this;
        }

        public Builder batchNormPlacement(BatchNormPlacement batchNormPlacement) {
            this.batchNormPlacement = batchNormPlacement;
            return this;
        }

        public Builder cell(RnnCell cell) {
            this.cell = cell;
            return this;
        }

        public Builder recurrentScale(Double recurrentScale) {
            this.recurrentScale = recurrentScale;
            return this;
        }

        public Builder forgetGateBias(Double forgetGateBias) {
            this.forgetGateBias = forgetGateBias;
            return this;
        }

        public ModelSpec build() {
            return new ModelSpec(
                    type,
                    depth,
                    width,
                    activation,
                    weightInit,
                    initScale,
                    residual,
                    batchNorm,
                    blockStyle,
                    batchNormPlacement,
                    cell,
                    recurrentScale,
                    forgetGateBias);
        }
    }
}
