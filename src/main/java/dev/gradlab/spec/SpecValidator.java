package dev.gradlab.spec;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The one gate every spec passes: Bean Validation on the fields as sent, then rules that span fields and the
 * machine's limits on the spec with defaults filled in.
 */
@Component
public class SpecValidator {

    /** The most examples a job draws from an upload when it does not say (dataset.samples' own maximum). */
    static final int MAX_UPLOAD_SAMPLES = 100_000;
    /** dataset.samples' minimum: a test split of at least one example at the smallest testFraction. */
    static final int MIN_SAMPLES = 20;

    private final Validator validator;
    private final SpecLimits limits;
    private final UploadCatalog uploads;

    /** Without uploads: a spec naming one is refused (code that validates specs without the database). */
    public SpecValidator(Validator validator, SpecLimits limits) {
        this(validator, limits, UploadCatalog.NONE);
    }

    @Autowired
    public SpecValidator(Validator validator, SpecLimits limits, UploadCatalog uploads) {
        this.validator = validator;
        this.limits = limits;
        this.uploads = uploads;
    }

    /**
     * Validates a spec that may name any owner's upload (an admin's, or code without owners).
     *
     * @return the spec with defaults filled in; @throws InvalidSpecException naming every bad field
     */
    public ExperimentSpec validate(ExperimentSpec submitted) {
        return validate(submitted, null);
    }

    /**
     * @param uploadOwner the owner whose uploads the spec may name (another's id is unknown to it), or null for any
     * @return the spec with defaults filled in; @throws InvalidSpecException naming every bad field
     */
    public ExperimentSpec validate(ExperimentSpec submitted, String uploadOwner) {
        ExperimentSpec raw = submitted == null ? ExperimentSpec.builder().build() : submitted;
        List<SpecViolation> violations = new ArrayList<>();
        checkFinite(raw, violations);
        // A NaN also fails every range check; its one clear message is enough.
        java.util.Set<String> nonFinite = new java.util.HashSet<>();
        violations.forEach(v -> nonFinite.add(v.field()));
        for (ConstraintViolation<ExperimentSpec> v : validator.validate(raw)) {
            String field = v.getPropertyPath().toString();
            if (!nonFinite.contains(field)) {
                violations.add(new SpecViolation(field, describe(v)));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidSpecException(sorted(violations));
        }
        UploadCatalog.UploadShape upload = findUpload(raw.dataset(), uploadOwner, violations);
        ExperimentSpec spec = fromUpload(raw, upload, violations).withDefaults();
        checkCombinations(raw, spec, violations);
        if (upload != null) {
            checkUploadSize(spec.dataset(), upload, violations);
        }
        if (violations.isEmpty()) {
            checkLimits(spec, violations);
        }
        if (!violations.isEmpty()) {
            throw new InvalidSpecException(sorted(violations));
        }
        return spec;
    }

    /** The upload a spec names, or null (for another dataset, or an id missing or unknown: a violation then). */
    private UploadCatalog.UploadShape findUpload(DatasetSpec given, String owner, List<SpecViolation> out) {
        if (given == null || given.name() != DatasetName.UPLOAD) {
            return null;
        }
        if (given.id() == null) {
            out.add(new SpecViolation(
                    "dataset.id",
                    "is required for dataset.name upload: the id POST /api/v1/datasets answered (GET "
                            + "/api/v1/datasets lists them)"));
            return null;
        }
        UploadCatalog.UploadShape shape = uploads.find(given.id(), owner).orElse(null);
        if (shape == null) {
            out.add(new SpecViolation(
                    "dataset.id",
                    "no uploaded dataset has this id (was " + given.id() + "); GET /api/v1/datasets lists them"));
        }
        return shape;
    }

    /**
     * The spec with the upload's width and classes as {@code features} and {@code classes} (a value the spec gives
     * must be the upload's), and by default all its rows up to 100,000 as {@code samples}: the stored spec states
     * the net's shape, as it does for every other dataset.
     */
    private static ExperimentSpec fromUpload(
            ExperimentSpec raw, UploadCatalog.UploadShape upload, List<SpecViolation> out) {
        if (upload == null) {
            return raw;
        }
        DatasetSpec given = raw.dataset();
        if (given.features() != null && given.features() != upload.features()) {
            out.add(new SpecViolation(
                    "dataset.features",
                    "upload " + given.id() + " has " + upload.features() + " feature columns; leave "
                            + "dataset.features out (was " + given.features() + ")"));
        }
        if (given.classes() != null && given.classes() != upload.classes()) {
            out.add(new SpecViolation(
                    "dataset.classes",
                    "upload " + given.id() + " has " + upload.classes() + " classes; leave dataset.classes out (was "
                            + given.classes() + ")"));
        }
        return raw.withDataset(d -> d.features(upload.features())
                .classes(upload.classes())
                .samples(given.samples() != null ? given.samples() : Math.min(upload.rows(), MAX_UPLOAD_SAMPLES)));
    }

    /** A draw from an upload is of distinct rows: at most all of them, and as many as any job needs. */
    private static void checkUploadSize(DatasetSpec d, UploadCatalog.UploadShape upload, List<SpecViolation> out) {
        if (d.samples() > upload.rows()) {
            out.add(new SpecViolation(
                    "dataset.samples", String.format("the upload has %,d rows (was %,d)", upload.rows(), d.samples())));
        } else if (d.samples() < MIN_SAMPLES) {
            out.add(new SpecViolation(
                    "dataset.samples",
                    String.format("the upload has %,d rows; a job needs at least %d", upload.rows(), MIN_SAMPLES)));
        }
    }

    private static String describe(ConstraintViolation<?> v) {
        return v.getMessage() + " (was " + v.getInvalidValue() + ")";
    }

    private static List<SpecViolation> sorted(List<SpecViolation> violations) {
        violations.sort(Comparator.comparing(SpecViolation::field));
        return violations;
    }

    /** Bean Validation's range checks let NaN and infinities through; a spec number must be finite. */
    private static void checkFinite(ExperimentSpec s, List<SpecViolation> out) {
        if (s.model() != null) {
            finite("model.initScale", s.model().initScale(), out);
            finite("model.recurrentScale", s.model().recurrentScale(), out);
            finite("model.forgetGateBias", s.model().forgetGateBias(), out);
        }
        if (s.dataset() != null) {
            finite("dataset.noise", s.dataset().noise(), out);
            finite("dataset.testFraction", s.dataset().testFraction(), out);
        }
        if (s.training() != null) {
            finite("training.learningRate", s.training().learningRate(), out);
            if (s.training().gradientClipping() != null) {
                finite(
                        "training.gradientClipping.threshold",
                        s.training().gradientClipping().threshold(),
                        out);
            }
        }
    }

    private static void finite(String field, Double value, List<SpecViolation> out) {
        if (value != null && !Double.isFinite(value)) {
            out.add(new SpecViolation(field, "must be a finite number (was " + value + ")"));
        }
    }

    private static void checkCombinations(ExperimentSpec raw, ExperimentSpec spec, List<SpecViolation> out) {
        ModelSpec given = raw.model() == null ? ModelSpec.builder().build() : raw.model();
        DatasetSpec givenData = raw.dataset() == null ? DatasetSpec.builder().build() : raw.dataset();
        ModelSpec m = spec.model();
        DatasetSpec d = spec.dataset();
        if (m.recurrent()) {
            if (!d.name().sequence()) {
                out.add(new SpecViolation(
                        "dataset.name",
                        "an rnn trains on a sequence task: adding, temporal-order " + "or remember-first (was "
                                + label(d.name()) + ")"));
            }
            if (m.depth() > ModelSpec.MAX_RNN_DEPTH) {
                out.add(new SpecViolation(
                        "model.depth",
                        "an rnn stacks 1.." + ModelSpec.MAX_RNN_DEPTH + " recurrent layers (was " + m.depth() + ")"));
            }
            onlyFor("mlp", "model.residual", given.residual(), out);
            onlyFor("mlp", "model.batchNorm", given.batchNorm(), out);
            onlyFor("mlp", "model.blockStyle", given.blockStyle(), out);
            onlyFor("mlp", "model.batchNormPlacement", given.batchNormPlacement(), out);
            if (m.cell() != RnnCell.LSTM && given.forgetGateBias() != null) {
                out.add(new SpecViolation("model.forgetGateBias", "applies only to model.cell lstm"));
            }
        } else {
            if (d.name().sequence()) {
                out.add(new SpecViolation(
                        "dataset.name", label(d.name()) + " is a sequence task; it needs " + "model.type rnn"));
            }
            onlyFor("rnn", "model.cell", given.cell(), out);
            onlyFor("rnn", "model.recurrentScale", given.recurrentScale(), out);
            onlyFor("rnn", "model.forgetGateBias", given.forgetGateBias(), out);
        }
        OptionalInt fixedOutputs = d.name().fixedOutputs();
        if (fixedOutputs.isPresent() && givenData.classes() != null && givenData.classes() != fixedOutputs.getAsInt()) {
            out.add(new SpecViolation(
                    "dataset.classes",
                    label(d.name()) + " fixes its own outputs (" + fixedOutputs.getAsInt()
                            + "); leave dataset.classes out"));
        }
        if (!d.name().sequence() && givenData.sequenceLength() != null) {
            out.add(new SpecViolation("dataset.sequenceLength", "applies only to the sequence tasks"));
        }
        OptionalInt fixedFeatures = d.name().fixedInputs();
        if (fixedFeatures.isPresent()
                && givenData.features() != null
                && givenData.features() != fixedFeatures.getAsInt()) {
            out.add(new SpecViolation(
                    "dataset.features",
                    label(d.name()) + " has " + fixedFeatures.getAsInt()
                            + " input features" + (d.name().sequence() ? " per step" : "")
                            + "; dataset.features is chosen "
                            + "only for random (was " + givenData.features() + ")"));
        }
        checkRecordedSize(d, out);
        if (!d.name().uploaded()) {
            onlyForUpload("dataset.id", givenData.id(), out);
            onlyForUpload("dataset.standardize", givenData.standardize(), out);
            if (fixedOutputs.isEmpty() && d.classes() > DatasetSpec.MAX_GENERATED_CLASSES) {
                out.add(new SpecViolation(
                        "dataset.classes",
                        "must be less than or equal to " + DatasetSpec.MAX_GENERATED_CLASSES + " for " + label(d.name())
                                + " (was " + d.classes() + ")"));
            }
        }
        if (d.name() == DatasetName.XOR && d.classes() != 2) {
            out.add(new SpecViolation("dataset.classes", "xor has exactly 2 classes (was " + d.classes() + ")"));
        }
        if (given.batchNormPlacement() != null
                && m.blockStyle() == BlockStyle.PRE
                && m.batchNormPlacement() == BatchNormPlacement.AFTER_ACTIVATION) {
            out.add(new SpecViolation(
                    "model.batchNormPlacement",
                    "afterActivation applies to blockStyle post; a pre-activation block is always BN → act → Dense"));
        }
        if (m.weightInit() != WeightInit.NORMAL && m.weightInit() != WeightInit.UNIFORM && m.initScale() != null) {
            out.add(new SpecViolation("model.initScale", "applies only to weightInit normal or uniform"));
        }
        if (spec.training().gradientClipping().enabled()
                && spec.training().gradientClipping().mode() != ClippingMode.RENORMALIZE_L2_PER_LAYER
                && spec.training().gradientClipping().threshold() == null) {
            out.add(new SpecViolation("training.gradientClipping.threshold", "is required for this mode"));
        }
    }

    /** Recorded data have so many examples; a draw of more would repeat some, so it is refused. */
    private static void checkRecordedSize(DatasetSpec d, List<SpecViolation> out) {
        OptionalInt available = d.name().availableExamples();
        if (available.isEmpty()) {
            return;
        }
        OptionalInt publishedTest = d.name().publishedTestExamples();
        if (publishedTest.isEmpty()) {
            if (d.samples() > available.getAsInt()) {
                out.add(new SpecViolation(
                        "dataset.samples",
                        String.format(
                                "%s has %,d examples (was %,d)", label(d.name()), available.getAsInt(), d.samples())));
            }
            return;
        }
        if (d.trainSamples() > available.getAsInt() || d.testSamples() > publishedTest.getAsInt()) {
            out.add(new SpecViolation(
                    "dataset.samples",
                    String.format(
                            "%s has %,d training and %,d test images; samples %,d at testFraction %s asks for "
                                    + "%,d training and %,d test examples",
                            label(d.name()),
                            available.getAsInt(),
                            publishedTest.getAsInt(),
                            d.samples(),
                            d.testFraction(),
                            d.trainSamples(),
                            d.testSamples())));
        }
    }

    private static void onlyForUpload(String field, Object given, List<SpecViolation> out) {
        if (given != null) {
            out.add(new SpecViolation(field, "applies only to dataset.name upload"));
        }
    }

    private static void onlyFor(String type, String field, Object given, List<SpecViolation> out) {
        if (given != null) {
            out.add(new SpecViolation(field, "applies only to model.type " + type));
        }
    }

    private static String label(DatasetName name) {
        return name.label();
    }

    /** Hidden activations of one training step: examples × hidden layers × width (× time steps for sequences). */
    record StepActivations(int examples, int layers, int width, int steps) {
        long values() {
            return (long) examples * layers * width * steps;
        }
    }

    static StepActivations stepActivations(ExperimentSpec spec) {
        Integer length = spec.dataset().sequenceLength();
        return new StepActivations(
                Math.min(spec.training().batchSize(), spec.dataset().trainSamples()),
                spec.model().depth(),
                spec.model().width(),
                spec.model().recurrent() && length != null ? length : 1);
    }

    private void checkLimits(ExperimentSpec spec, List<SpecViolation> out) {
        long params = ParameterBudget.parameterCount(spec);
        if (params > limits.maxParameters()) {
            out.add(new SpecViolation(
                    "model.width",
                    String.format(
                            "depth %d × width %d gives %,d parameters, over the limit gradlab.limits.max-parameters = %,d",
                            spec.model().depth(), spec.model().width(), params, limits.maxParameters())));
        }
        DatasetSpec d = spec.dataset();
        long values = d.inputValues();
        if (values > limits.maxDatasetValues()) {
            String steps = d.name().sequence() ? String.format(" × %d steps", d.sequenceLength()) : "";
            out.add(new SpecViolation(
                    "dataset.samples",
                    String.format(
                            "%,d samples × %d features%s = %,d input values, over the limit "
                                    + "gradlab.limits.max-dataset-values = %,d",
                            d.samples(), d.inputFeatures(), steps, values, limits.maxDatasetValues())));
        }
        StepActivations step = stepActivations(spec);
        if (step.values() > limits.maxActivationValues()) {
            out.add(new SpecViolation(
                    "training.batchSize",
                    String.format(
                            "%,d examples per step × %d hidden layers × width %d%s = %,d activation values, over the "
                                    + "limit gradlab.limits.max-activation-values = %,d (what bounds a job's memory: "
                                    + "up to about %d bytes each); use a smaller batchSize",
                            step.examples(),
                            step.layers(),
                            step.width(),
                            step.steps() > 1 ? String.format(" × %d steps", step.steps()) : "",
                            step.values(),
                            limits.maxActivationValues(),
                            SpecLimits.BYTES_PER_ACTIVATION_VALUE)));
        }
        long iterations = spec.totalIterations();
        if (iterations > limits.maxTotalIterations()) {
            out.add(new SpecViolation(
                    "training.epochs",
                    String.format(
                            "%d epochs × %d iterations per epoch = %,d iterations, over the limit "
                                    + "gradlab.limits.max-total-iterations = %,d",
                            spec.training().epochs(),
                            spec.iterationsPerEpoch(),
                            iterations,
                            limits.maxTotalIterations())));
        }
    }
}
