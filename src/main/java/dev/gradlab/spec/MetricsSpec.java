package dev.gradlab.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

@Schema(description = "What to record. Loss is recorded every iteration regardless.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricsSpec(
        @Schema(
                description = "Record per-layer statistics (and, for rnn, the gradient reaching each time step) "
                        + "every N iterations; the first and last are always recorded. Default 1 for mlp; 20 for rnn, "
                        + "whose per-step measurement costs about one extra training iteration. The activation probe "
                        + "(saturatedFraction, deadFraction: one forward pass of a fixed batch) runs every "
                        + "N·⌈20/N⌉ iterations",
                minimum = "1",
                maximum = "100000")
        @Min(1)
        @Max(100_000)
        Integer every) {

    public static final int DEFAULT_RNN_EVERY = 20;

    /** A spec with every field omitted. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public MetricsSpec withDefaults(ModelType model) {
        if (every != null) {
            return this;
        }
        return toBuilder().every(model == ModelType.RNN ? DEFAULT_RNN_EVERY : 1).build();
    }

    /** Sets fields one by one; an unset field stays null (omitted). */
    public static final class Builder {
        private Integer every;

        private Builder() {}

        private Builder(MetricsSpec m) {
            every = m.every;
        }

        public Builder every(Integer every) {
            this.every = every;
            return this;
        }

        public MetricsSpec build() {
            return new MetricsSpec(every);
        }
    }
}
