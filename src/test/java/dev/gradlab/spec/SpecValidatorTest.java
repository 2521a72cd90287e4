package dev.gradlab.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.validation.Validation;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

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
            assertThat(v.message()).contains("gradlab.limits.max-parameters").contains("4,000,000");
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
                new SpecLimits(1_000L, null, null));
        assertThatThrownBy(() -> strict.validate(new ExperimentSpec(model(2, 64), null, null, null)))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("1,000");
        SpecValidator smallData = new SpecValidator(Validation.buildDefaultValidatorFactory().getValidator(),
                new SpecLimits(null, null, 1_000L));
        assertThatThrownBy(() -> smallData.validate(new ExperimentSpec(null, DatasetSpec.random(100, 20, null, null),
                null, null))).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("dataset.samples").hasMessageContaining("2,000 input values");
    }

    /** M3 of the benchmarks, exactly as it is submitted. */
    private static final String M3 = """
            {"model":{"type":"mlp","depth":8,"width":512,"activation":"relu","weightInit":"he"},
             "dataset":{"name":"random","samples":5120,"features":784,"classes":10},
             "training":{"optimizer":"sgd","learningRate":0.01,"batchSize":256,"epochs":4}}""";

    @Test
    void acceptsTheComputeBoundBenchmarkOnRandomData() {
        ExperimentSpec m3 = JsonMapper.builder().build().readValue(M3, ExperimentSpec.class);
        ExperimentSpec spec = validator.validate(m3);
        assertThat(spec.dataset().name()).isEqualTo(DatasetName.RANDOM);
        assertThat(spec.dataset().features()).isEqualTo(784);
        assertThat(spec.dataset().inputFeatures()).isEqualTo(784);
        assertThat(spec.dataset().inputValues()).isEqualTo(5120L * 784);
        // 784·512+512 + 7·(512²+512) + 512·10+10: over the old 2,000,000 limit, under the new 4,000,000.
        assertThat(ParameterBudget.parameterCount(spec)).isEqualTo(2_245_642L);
        assertThat(spec.iterationsPerEpoch()).isEqualTo(16); // 4096 training examples / 256
    }

    @Test
    void everyDatasetStatesItsInputWidth() {
        assertThat(ExperimentSpec.defaults().dataset().features()).isEqualTo(2);
        assertThat(DatasetSpec.random(null, null, null, null).withDefaults().features()).isEqualTo(784);
        assertThat(new DatasetSpec(DatasetName.TEMPORAL_ORDER, null, null, null, null, null)
                .withDefaults(ModelType.RNN).features()).isEqualTo(6);
        // A spec stored before dataset.features existed reads its width from the name.
        assertThat(new DatasetSpec(DatasetName.ADDING, 100, 0.05, 1, 1L, 0.2, 50).inputFeatures()).isEqualTo(2);
    }

    @Test
    void featuresAreChosenOnlyForRandom() {
        DatasetSpec spirals3 = new DatasetSpec(DatasetName.SPIRALS, null, null, null, null, null, null, 3);
        assertThat(violations(new ExperimentSpec(null, spirals3, null, null))).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("dataset.features");
            assertThat(v.message()).contains("spirals has 2").contains("was 3");
        });
        // Stating a dataset's own width is allowed.
        DatasetSpec spirals2 = new DatasetSpec(DatasetName.SPIRALS, null, null, null, null, null, null, 2);
        assertThat(validator.validate(new ExperimentSpec(null, spirals2, null, null)).dataset().features()).isEqualTo(2);
        ModelSpec rnn = ModelSpec.rnn(null, null, null, null, null, null);
        DatasetSpec order = new DatasetSpec(DatasetName.TEMPORAL_ORDER, null, null, null, null, null, null, 2);
        assertThat(violations(new ExperimentSpec(rnn, order, null, null)))
                .extracting(SpecViolation::field).containsExactly("dataset.features");
        assertThat(violations(new ExperimentSpec(null, DatasetSpec.random(null, 5000, null, null), null, null)))
                .singleElement().satisfies(v -> {
                    assertThat(v.field()).isEqualTo("dataset.features");
                    assertThat(v.message()).contains("4096");
                });
    }

    @Test
    void datasetValuesAreLimited() {
        // 100,000 × 4096 floats would be 1.6 GB of heap.
        List<SpecViolation> huge = violations(new ExperimentSpec(null, DatasetSpec.random(100_000, 4096, null, null),
                null, null));
        assertThat(huge).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("dataset.samples");
            assertThat(v.message()).contains("gradlab.limits.max-dataset-values").contains("20,000,000")
                    .contains("409,600,000");
        });
        // Just under the limit: 4,882 × 4096 = 19,996,672 values.
        assertThat(validator.validate(new ExperimentSpec(null, DatasetSpec.random(4_882, 4096, null, null),
                null, null)).dataset().inputValues()).isEqualTo(19_996_672L);
        // Sequences count every time step: 100,000 × 6 × 500.
        ModelSpec rnn = ModelSpec.rnn(null, null, null, null, null, null);
        DatasetSpec longOrder = new DatasetSpec(DatasetName.TEMPORAL_ORDER, 100_000, null, null, null, null, 500);
        assertThat(violations(new ExperimentSpec(rnn, longOrder, null, null)))
                .extracting(SpecViolation::field).contains("dataset.samples");
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
