package dev.gradlab.spec;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The one gate every spec passes: Bean Validation on the fields as sent, then rules that span fields and the
 * machine's limits on the spec with defaults filled in.
 */
@Component
public class SpecValidator {

    private final Validator validator;
    private final SpecLimits limits;

    public SpecValidator(Validator validator, SpecLimits limits) {
        this.validator = validator;
        this.limits = limits;
    }

    /** @return the spec with defaults filled in; @throws InvalidSpecException naming every bad field */
    public ExperimentSpec validate(ExperimentSpec submitted) {
        ExperimentSpec raw = submitted == null ? new ExperimentSpec(null, null, null, null) : submitted;
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
        ExperimentSpec spec = raw.withDefaults();
        checkCombinations(raw, spec, violations);
        if (violations.isEmpty()) {
            checkLimits(spec, violations);
        }
        if (!violations.isEmpty()) {
            throw new InvalidSpecException(sorted(violations));
        }
        return spec;
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
        }
        if (s.dataset() != null) {
            finite("dataset.noise", s.dataset().noise(), out);
            finite("dataset.testFraction", s.dataset().testFraction(), out);
        }
        if (s.training() != null) {
            finite("training.learningRate", s.training().learningRate(), out);
            if (s.training().gradientClipping() != null) {
                finite("training.gradientClipping.threshold", s.training().gradientClipping().threshold(), out);
            }
        }
    }

    private static void finite(String field, Double value, List<SpecViolation> out) {
        if (value != null && !Double.isFinite(value)) {
            out.add(new SpecViolation(field, "must be a finite number (was " + value + ")"));
        }
    }

    private static void checkCombinations(ExperimentSpec raw, ExperimentSpec spec, List<SpecViolation> out) {
        if (spec.model().type() != ModelType.MLP) {
            out.add(new SpecViolation("model.type", "only mlp can be trained in this version"));
        }
        if (spec.dataset().name() == DatasetName.XOR && spec.dataset().classes() != 2) {
            out.add(new SpecViolation("dataset.classes", "xor has exactly 2 classes (was " + spec.dataset().classes() + ")"));
        }
        boolean placementGiven = raw.model() != null && raw.model().batchNormPlacement() != null;
        if (placementGiven && spec.model().blockStyle() == BlockStyle.PRE
                && spec.model().batchNormPlacement() == BatchNormPlacement.AFTER_ACTIVATION) {
            out.add(new SpecViolation("model.batchNormPlacement",
                    "afterActivation applies to blockStyle post; a pre-activation block is always BN → act → Dense"));
        }
        if (spec.model().weightInit() != WeightInit.NORMAL && spec.model().weightInit() != WeightInit.UNIFORM
                && spec.model().initScale() != null) {
            out.add(new SpecViolation("model.initScale", "applies only to weightInit normal or uniform"));
        }
        if (spec.training().gradientClipping().enabled()
                && spec.training().gradientClipping().mode() != ClippingMode.RENORMALIZE_L2_PER_LAYER
                && spec.training().gradientClipping().threshold() == null) {
            out.add(new SpecViolation("training.gradientClipping.threshold", "is required for this mode"));
        }
    }

    private void checkLimits(ExperimentSpec spec, List<SpecViolation> out) {
        long params = ParameterBudget.parameterCount(spec);
        if (params > limits.maxParameters()) {
            out.add(new SpecViolation("model.width", String.format(
                    "depth %d × width %d gives %,d parameters, over the limit gradlab.limits.max-parameters = %,d",
                    spec.model().depth(), spec.model().width(), params, limits.maxParameters())));
        }
        long iterations = spec.totalIterations();
        if (iterations > limits.maxTotalIterations()) {
            out.add(new SpecViolation("training.epochs", String.format(
                    "%d epochs × %d iterations per epoch = %,d iterations, over the limit "
                            + "gradlab.limits.max-total-iterations = %,d",
                    spec.training().epochs(), spec.iterationsPerEpoch(), iterations, limits.maxTotalIterations())));
        }
    }
}
