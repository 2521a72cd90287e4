package dev.gradlab.spec;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

@Schema(description = "What to record. Loss is recorded every iteration regardless.")
public record MetricsSpec(
        @Schema(description = "Record per-layer statistics every N iterations (the first and last are always recorded)",
                minimum = "1", maximum = "100000", defaultValue = "1")
        @Min(1) @Max(100_000) Integer every) {

    public MetricsSpec withDefaults() {
        return new MetricsSpec(every == null ? 1 : every);
    }
}
