package dev.gradlab.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.validation.Validation;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {

    private final SpecValidator validator =
            new SpecValidator(Validation.buildDefaultValidatorFactory().getValidator(), SpecLimits.defaults());

    private static ModelSpec model(Integer depth, Integer width) {
        return new ModelSpec(null, depth, width, null, null, null, null, null, null, null);
    }

    private static List<SpecViolation> violations(ExperimentSpec spec) {
        try {
            new SpecValidator(Validation.buildDefaultValidatorFactory().getValidator(), SpecLimits.defaults())
                    .validate(spec);
        } catch (InvalidSpecException e) {
            return e.violations();
        }
        throw new AssertionError("spec was accepted: " + spec);
    }

    @Test
    void emptySpecGetsEveryDefault() {
        ExperimentSpec spec = validator.validate(new ExperimentSpec(null, null, null, null));
        assertThat(spec).isEqualTo(ExperimentSpec.defaults());
        assertThat(spec.model().depth()).isEqualTo(20);
        assertThat(spec.model().activation()).isEqualTo(Activation.SIGMOID);
        assertThat(spec.model().blockStyle()).isEqualTo(BlockStyle.POST);
        assertThat(spec.training().learningRate()).isEqualTo(0.1);
        assertThat(spec.training().gradientClipping().mode()).isEqualTo(ClippingMode.NONE);
        assertThat(spec.metrics().every()).isEqualTo(1);
    }

    @Test
    void residualWithBatchNormDefaultsToPreActivation() {
        ModelSpec m = new ModelSpec(null, 4, 8, null, null, null, true, true, null, null);
        assertThat(validator.validate(new ExperimentSpec(m, null, null, null)).model().blockStyle())
                .isEqualTo(BlockStyle.PRE);
    }

    @Test
    void optimizerPicksItsOwnDefaultLearningRate() {
        TrainingSpec t = new TrainingSpec(Optimizer.ADAM, null, null, null, null, null);
        assertThat(validator.validate(new ExperimentSpec(null, null, t, null)).training().learningRate())
                .isEqualTo(0.001);
    }

    @Test
    void outOfRangeFieldsAreNamedWithTheirBound() {
        assertThat(violations(new ExperimentSpec(model(0, 64), null, null, null)))
                .singleElement().satisfies(v -> {
                    assertThat(v.field()).isEqualTo("model.depth");
                    assertThat(v.message()).contains("1").contains("was 0");
                });
        assertThat(violations(new ExperimentSpec(model(201, 2000), null, null, null)))
                .extracting(SpecViolation::field).containsExactly("model.depth", "model.width");
    }

    @Test
    void nonFiniteNumbersAreRejected() {
        TrainingSpec t = new TrainingSpec(null, Double.NaN, null, null, null, null);
        assertThat(violations(new ExperimentSpec(null, null, t, null)))
                .extracting(SpecViolation::field).contains("training.learningRate");
        TrainingSpec clip = new TrainingSpec(null, null, null, null, null,
                new GradientClipping(ClippingMode.CLIP_L2_PER_LAYER, Double.POSITIVE_INFINITY));
        assertThat(violations(new ExperimentSpec(null, null, clip, null)))
                .extracting(SpecViolation::field).contains("training.gradientClipping.threshold");
    }

    @Test
    void crossFieldRulesNameTheField() {
        DatasetSpec xor3 = new DatasetSpec(DatasetName.XOR, null, null, 3, null, null);
        assertThat(violations(new ExperimentSpec(null, xor3, null, null)))
                .extracting(SpecViolation::field).containsExactly("dataset.classes");
        ModelSpec rnn = new ModelSpec(ModelType.RNN, null, null, null, null, null, null, null, null, null);
        DatasetSpec spirals = new DatasetSpec(DatasetName.SPIRALS, null, null, null, null, null);
        assertThat(violations(new ExperimentSpec(rnn, spirals, null, null)))
                .extracting(SpecViolation::field).containsExactly("dataset.name");
        DatasetSpec adding = new DatasetSpec(DatasetName.ADDING, null, null, null, null, null);
        assertThat(violations(new ExperimentSpec(null, adding, null, null)))
                .extracting(SpecViolation::field).containsExactly("dataset.name");
        ModelSpec preAfter = new ModelSpec(null, 3, 8, null, null, null, true, true, BlockStyle.PRE,
                BatchNormPlacement.AFTER_ACTIVATION);
        assertThat(violations(new ExperimentSpec(preAfter, null, null, null)))
                .extracting(SpecViolation::field).containsExactly("model.batchNormPlacement");
        ModelSpec scaleWithXavier = new ModelSpec(null, 3, 8, null, WeightInit.XAVIER, 0.5, null, null, null, null);
        assertThat(violations(new ExperimentSpec(scaleWithXavier, null, null, null)))
                .extracting(SpecViolation::field).containsExactly("model.initScale");
    }

    @Test
    void limitsNameTheFieldAndTheProperty() {
        List<SpecViolation> tooBig = violations(new ExperimentSpec(model(200, 1024), null, null, null));
        assertThat(tooBig).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("model.width");
            assertThat(v.message()).contains("gradlab.limits.max-parameters").contains("2,000,000");
        });
        TrainingSpec forever = new TrainingSpec(null, null, 1, 10_000, null, null);
        List<SpecViolation> tooLong = violations(new ExperimentSpec(null, null, forever, null));
        assertThat(tooLong).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("training.epochs");
            assertThat(v.message()).contains("gradlab.limits.max-total-iterations");
        });
    }

    @Test
    void limitsAreConfigurable() {
        SpecValidator strict = new SpecValidator(Validation.buildDefaultValidatorFactory().getValidator(),
                new SpecLimits(1_000L, null));
        assertThatThrownBy(() -> strict.validate(new ExperimentSpec(model(2, 64), null, null, null)))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("1,000");
    }

    @Test
    void iterationCountIncludesTheShortLastBatch() {
        ExperimentSpec spec = new ExperimentSpec(null, new DatasetSpec(null, 1000, null, null, null, 0.2),
                new TrainingSpec(null, null, 128, 3, null, null), null).withDefaults();
        assertThat(spec.dataset().trainSamples()).isEqualTo(800);
        assertThat(spec.iterationsPerEpoch()).isEqualTo(7); // 6 × 128 + 32
        assertThat(spec.totalIterations()).isEqualTo(21);
    }
}
