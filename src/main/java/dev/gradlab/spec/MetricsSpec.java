package dev.gradlab.spec;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

@Schema(description = "What to record. Loss is recorded every iteration regardless.")
public record MetricsSpec(
        @Schema(description = "Record per-layer statistics (and, for rnn, the gradient reaching each time step) "
                + "every N iterations; the first and last are always recorded. Default 1 for mlp; 20 for rnn, "
                + "whose per-step measurement costs about one extra training iteration",
                minimum = "1", maximum = "100000")
        @Min(1) @Max(100_000) Integer every) {

    public static final int DEFAULT_RNN_EVERY = 20;

    public MetricsSpec withDefaults(ModelType model) {
        if (every != null) {
            return this;
        }
        return new MetricsSpec(model == ModelType.RNN ? DEFAULT_RNN_EVERY : 1);
    }
}
