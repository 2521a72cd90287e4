package dev.gradlab.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum DatasetName {
    @JsonProperty("spirals") SPIRALS(false),
    @JsonProperty("circles") CIRCLES(false),
    @JsonProperty("xor") XOR(false),
    @JsonProperty("gaussians") GAUSSIANS(false),
    /**
     * {@code dataset.features} i.i.d. N(0, 1) inputs per example, labels uniform over {@code dataset.classes} and
     * unrelated to the inputs: nothing to generalise, only to memorise (Zhang et al. 2017, "Understanding deep
     * learning requires rethinking generalization"). Test accuracy stays at chance; its use is a compute-bound
     * benchmark of arbitrary input width.
     */
    @JsonProperty("random") RANDOM(false),
    /** Hochreiter & Schmidhuber's adding problem: regression on the sum of two marked values. */
    @JsonProperty("adding") ADDING(true),
    /** Hochreiter & Schmidhuber's temporal order problem: 4 classes (XX, XY, YX, YY). */
    @JsonProperty("temporal-order") TEMPORAL_ORDER(true),
    /** Label = sign of the first input; the quickest demonstration of memory across time. */
    @JsonProperty("remember-first") REMEMBER_FIRST(true);

    private final boolean sequence;

    DatasetName(boolean sequence) {
        this.sequence = sequence;
    }

    /** True for the recurrent tasks (inputs over {@code dataset.sequenceLength} steps). */
    public boolean sequence() {
        return sequence;
    }
}
