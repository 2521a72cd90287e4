package dev.gradlab.spec;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** A built-in 2-D classification dataset, generated deterministically from {@code seed}; nothing is downloaded. */
@Schema(description = "Built-in 2-D dataset, generated from a seed. Omitted fields take their defaults.")
public record DatasetSpec(
        @Schema(description = "spirals (interleaved arms), circles (concentric rings), xor (quadrants, 2 classes), "
                + "gaussians (blobs on a circle)", defaultValue = "spirals")
        DatasetName name,
        @Schema(description = "Points in total, before the test split", minimum = "20", maximum = "100000", defaultValue = "2000")
        @Min(20) @Max(100_000) Integer samples,
        @Schema(description = "Std of Gaussian noise added to each coordinate (data span about [-1, 1])",
                minimum = "0", maximum = "2", defaultValue = "0.05")
        @DecimalMin("0") @DecimalMax("2") Double noise,
        @Schema(description = "Number of classes (xor has exactly 2)", minimum = "2", maximum = "10", defaultValue = "2")
        @Min(2) @Max(10) Integer classes,
        @Schema(description = "Seed of the generator and of the train/test split", defaultValue = "1")
        Long seed,
        @Schema(description = "Fraction held out as the test set", minimum = "0.05", maximum = "0.5", defaultValue = "0.2")
        @DecimalMin("0.05") @DecimalMax("0.5") Double testFraction) {

    public DatasetSpec withDefaults() {
        return new DatasetSpec(
                name == null ? DatasetName.SPIRALS : name,
                samples == null ? 2000 : samples,
                noise == null ? 0.05 : noise,
                classes == null ? 2 : classes,
                seed == null ? 1L : seed,
                testFraction == null ? 0.2 : testFraction);
    }

    /** Size of the training split, as the generator will make it. */
    public int trainSamples() {
        DatasetSpec d = withDefaults();
        return d.samples() - (int) Math.round(d.samples() * d.testFraction());
    }
}
