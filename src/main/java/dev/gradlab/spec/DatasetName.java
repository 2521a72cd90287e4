package dev.gradlab.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * The built-in datasets. Each one's fixed shape lives here and only here: its inputs per example (per time step
 * for a sequence) and its outputs, where the dataset fixes them, and for recorded data how many examples there
 * are; the generators and loaders, the parameter budget and the validator all read them from this enum.
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
    REMEMBER_FIRST(Shape.SEQUENCE, 1, 2),
    /**
     * UCI optical recognition of handwritten digits (Alpaydin & Kaynak 1998, CC BY 4.0): 1,797 8 × 8 images of
     * pixel counts 0..16, bundled with GradLab (scikit-learn's copy). No published split: the test split is drawn
     * from {@code dataset.seed}.
     */
    @JsonProperty("digits")
    DIGITS(Shape.RECORDED, 64, 10, 1797, 0),
    /**
     * MNIST (LeCun, Bottou, Bengio & Haffner 1998): 28 × 28 grey images, fetched on first use; training examples
     * come from its 60,000 training images and test examples from its 10,000 test images.
     */
    @JsonProperty("mnist")
    MNIST(Shape.RECORDED, 784, 10, 60_000, 10_000),
    /** Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): MNIST's format and split, ten kinds of clothing. */
    @JsonProperty("fashion-mnist")
    FASHION_MNIST(Shape.RECORDED, 784, 10, 60_000, 10_000),
    /**
     * A user's CSV, uploaded through {@code POST /api/v1/datasets} and stored in the database: {@code dataset.id}
     * names it. Its width and classes are the upload's, which the validator copies into {@code features} and
     * {@code classes}; the test split is drawn from {@code dataset.seed}.
     */
    @JsonProperty("upload")
    UPLOAD(Shape.UPLOADED, Count.CHOSEN, Count.CHOSEN);

    private enum Shape {
        POINTS,
        SEQUENCE,
        /** Read from recorded files, not generated: the seed only chooses the examples and the split. */
        RECORDED,
        /** A user's upload, read from the database; its shape is the upload's, its examples drawn by the seed. */
        UPLOADED
    }

    private static final class Count {
        /** A count the spec chooses ({@code dataset.features}, {@code dataset.classes}) rather than the dataset. */
        static final int CHOSEN = 0;
    }

    private final boolean sequence;
    private final boolean recorded;
    private final boolean uploaded;
    private final int inputs;
    private final int outputs;
    private final int examples;
    private final int publishedTestExamples;

    DatasetName(Shape shape, int inputs, int outputs) {
        this(shape, inputs, outputs, 0, 0);
    }

    /**
     * @param examples              recorded data: the examples there are (the training set's, where the data come
     *                              with a published split)
     * @param publishedTestExamples recorded data with a published split: its test set's size; else 0
     */
    DatasetName(Shape shape, int inputs, int outputs, int examples, int publishedTestExamples) {
        this.sequence = shape == Shape.SEQUENCE;
        this.recorded = shape == Shape.RECORDED;
        this.uploaded = shape == Shape.UPLOADED;
        this.inputs = inputs;
        this.outputs = outputs;
        this.examples = examples;
        this.publishedTestExamples = publishedTestExamples;
    }

    /** True for the recurrent tasks (inputs over {@code dataset.sequenceLength} steps). */
    public boolean sequence() {
        return sequence;
    }

    /** True for recorded data (digits, mnist, fashion-mnist): read from files, not generated from the seed. */
    public boolean recorded() {
        return recorded;
    }

    /** True for a user's upload ({@code dataset.id}), read from the database. */
    public boolean uploaded() {
        return uploaded;
    }

    /** True for the generated 2-D point sets, the only datasets with {@code dataset.noise}. */
    public boolean points() {
        return !sequence && !recorded && !uploaded && this != RANDOM;
    }

    /**
     * Recorded data: the examples there are to draw from, all of them for digits, the published training set's
     * for mnist and fashion-mnist. Empty for generated data, which has as many as the spec asks for.
     */
    public OptionalInt availableExamples() {
        return recorded ? OptionalInt.of(examples) : OptionalInt.empty();
    }

    /**
     * Recorded data with a published train/test split (mnist, fashion-mnist): the test set's size, from which the
     * test examples are drawn. Empty where the split is drawn from {@code dataset.seed}.
     */
    public OptionalInt publishedTestExamples() {
        return publishedTestExamples == 0 ? OptionalInt.empty() : OptionalInt.of(publishedTestExamples);
    }

    /**
     * Inputs per example (per time step for a sequence) the dataset fixes; empty for random, whose width is chosen,
     * and for an upload, whose width is the upload's.
     */
    public OptionalInt fixedInputs() {
        return inputs == Count.CHOSEN ? OptionalInt.empty() : OptionalInt.of(inputs);
    }

    /**
     * Network outputs the dataset fixes (the sequence tasks, the recorded data's 10 classes); empty where
     * {@code dataset.classes} chooses them (the 2-D datasets and random) or the upload has them.
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
