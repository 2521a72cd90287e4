package dev.gradlab.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * The built-in datasets. Each one's fixed shape lives here and only here: its inputs per example (per time step
 * for a sequence) and its outputs, where the dataset fixes them; the generators, the parameter budget and the
 * validator all read them from this enum.
 */
public enum DatasetName {
    @JsonProperty("spirals")
    SPIRALS(Shape.POINTS, 2, Count.CHOSEN),
    @JsonProperty("circles")
    CIRCLES(Shape.POINTS, 2, Count.CHOSEN),
    @JsonProperty("xor")
    XOR(Shape.POINTS, 2, Count.CHOSEN),
    @JsonProperty("gaussians")
    GAUSSIANS(Shape.POINTS, 2, Count.CHOSEN),
    /**
     * {@code dataset.features} i.i.d. N(0, 1) inputs per example, labels uniform over {@code dataset.classes} and
     * unrelated to the inputs: nothing to generalise, only to memorise (Zhang et al. 2017, "Understanding deep
     * learning requires rethinking generalization"). Test accuracy stays at chance; its use is a compute-bound
     * benchmark of arbitrary input width.
     */
    @JsonProperty("random")
    RANDOM(Shape.POINTS, Count.CHOSEN, Count.CHOSEN),
    /** Hochreiter & Schmidhuber's adding problem: inputs value and marker; one regression output, the sum. */
    @JsonProperty("adding")
    ADDING(Shape.SEQUENCE, 2, 1),
    /**
     * Hochreiter & Schmidhuber's temporal order problem: one-hot over X, Y and four distractor symbols; 4 classes
     * (XX, XY, YX, YY).
     */
    @JsonProperty("temporal-order")
    TEMPORAL_ORDER(Shape.SEQUENCE, 6, 4),
    /** Label = sign of the first input; the quickest demonstration of memory across time. */
    @JsonProperty("remember-first")
    REMEMBER_FIRST(Shape.SEQUENCE, 1, 2);

    private enum Shape {
        POINTS,
        SEQUENCE
    }

    private static final class Count {
        /** A count the spec chooses ({@code dataset.features}, {@code dataset.classes}) rather than the dataset. */
        static final int CHOSEN = 0;
    }

    private final boolean sequence;
    private final int inputs;
    private final int outputs;

    DatasetName(Shape shape, int inputs, int outputs) {
        this.sequence = shape == Shape.SEQUENCE;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    /** True for the recurrent tasks (inputs over {@code dataset.sequenceLength} steps). */
    public boolean sequence() {
        return sequence;
    }

    /** Inputs per example (per time step for a sequence) the dataset fixes; empty for random, whose width is chosen. */
    public OptionalInt fixedInputs() {
        return inputs == Count.CHOSEN ? OptionalInt.empty() : OptionalInt.of(inputs);
    }

    /**
     * Network outputs the dataset fixes (the sequence tasks); empty where {@code dataset.classes} chooses them
     * (the 2-D datasets and random).
     */
    public OptionalInt fixedOutputs() {
        return outputs == Count.CHOSEN ? OptionalInt.empty() : OptionalInt.of(outputs);
    }

    /** True for the adding problem, whose one output is a number rather than a class. */
    public boolean regression() {
        return this == ADDING;
    }

    /** The name as the API spells it, e.g. {@code temporal-order}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
