package dev.gradlab.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.validation.Validation;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SpecValidatorTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** An adding job's spec as an older version stored it: nulls, classes 1, noise, no features. */
    private static final String STORED_ADDING = """
            {"model":{"type":"rnn","depth":1,"width":64,"activation":"tanh","weightInit":"xavier","initScale":null,
                      "residual":null,"batchNorm":null,"blockStyle":null,"batchNormPlacement":null,"cell":"simple",
                      "recurrentScale":1.0,"forgetGateBias":null},
             "dataset":{"name":"adding","samples":1000,"noise":0.05,"classes":1,"seed":1,"testFraction":0.2,
                        "sequenceLength":50},
             "training":{"optimizer":"sgd","learningRate":0.1,"batchSize":128,"epochs":20,"seed":42,
                         "gradientClipping":{"mode":"none","threshold":null}},
             "metrics":{"every":20}}""";

    private final SpecValidator validator =
            new SpecValidator(Validation.buildDefaultValidatorFactory().getValidator(), SpecLimits.defaults());

    private static ExperimentSpec model(Integer depth, Integer width) {
        return ExperimentSpec.builder().model(m -> m.depth(depth).width(width)).build();
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
        ExperimentSpec spec = validator.validate(ExperimentSpec.builder().build());
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
        ExperimentSpec spec = ExperimentSpec.builder()
                .model(m -> m.depth(4).width(8).residual(true).batchNorm(true))
                .build();
        assertThat(validator.validate(spec).model().blockStyle()).isEqualTo(BlockStyle.PRE);
    }

    @Test
    void optimizerPicksItsOwnDefaultLearningRate() {
        ExperimentSpec adam = ExperimentSpec.builder()
                .training(t -> t.optimizer(Optimizer.ADAM))
                .build();
        assertThat(validator.validate(adam).training().learningRate()).isEqualTo(0.001);
    }

    @Test
    void outOfRangeFieldsAreNamedWithTheirBound() {
        assertThat(violations(model(0, 64))).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("model.depth");
            assertThat(v.message()).contains("1").contains("was 0");
        });
        assertThat(violations(model(201, 2000)))
                .extracting(SpecViolation::field)
                .containsExactly("model.depth", "model.width");
    }

    @Test
    void nonFiniteNumbersAreRejected() {
        ExperimentSpec empty = ExperimentSpec.builder().build();
        assertThat(violations(empty.withTraining(t -> t.learningRate(Double.NaN))))
                .extracting(SpecViolation::field)
                .contains("training.learningRate");
        assertThat(violations(empty.withTraining(t -> t.gradientClipping(
                        c -> c.mode(ClippingMode.CLIP_L2_PER_LAYER).threshold(Double.POSITIVE_INFINITY)))))
                .extracting(SpecViolation::field)
                .contains("training.gradientClipping.threshold");
    }

    @Test
    void crossFieldRulesNameTheField() {
        ExperimentSpec empty = ExperimentSpec.builder().build();
        assertThat(violations(empty.withDataset(d -> d.name(DatasetName.XOR).classes(3))))
                .extracting(SpecViolation::field)
                .containsExactly("dataset.classes");
        assertThat(violations(
                        empty.withModel(m -> m.type(ModelType.RNN)).withDataset(d -> d.name(DatasetName.SPIRALS))))
                .extracting(SpecViolation::field)
                .containsExactly("dataset.name");
        assertThat(violations(empty.withDataset(d -> d.name(DatasetName.ADDING))))
                .extracting(SpecViolation::field)
                .containsExactly("dataset.name");
        assertThat(violations(empty.withModel(m -> m.depth(3)
                        .width(8)
                        .residual(true)
                        .batchNorm(true)
                        .blockStyle(BlockStyle.PRE)
                        .batchNormPlacement(BatchNormPlacement.AFTER_ACTIVATION))))
                .extracting(SpecViolation::field)
                .containsExactly("model.batchNormPlacement");
        assertThat(violations(empty.withModel(
                        m -> m.depth(3).width(8).weightInit(WeightInit.XAVIER).initScale(0.5))))
                .extracting(SpecViolation::field)
                .containsExactly("model.initScale");
    }

    @Test
    void limitsNameTheFieldAndTheProperty() {
        List<SpecViolation> tooBig = violations(model(200, 1024));
        // So many layers are also too many activations (training.batchSize); the parameters are reported here.
        assertThat(tooBig)
                .filteredOn(v -> v.field().equals("model.width"))
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.field()).isEqualTo("model.width");
                    assertThat(v.message())
                            .contains("gradlab.limits.max-parameters")
                            .contains("4,000,000");
                });
        ExperimentSpec forever = ExperimentSpec.builder()
                .training(t -> t.batchSize(1).epochs(10_000))
                .build();
        List<SpecViolation> tooLong = violations(forever);
        assertThat(tooLong).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("training.epochs");
            assertThat(v.message()).contains("gradlab.limits.max-total-iterations");
        });
    }

    @Test
    void limitsAreConfigurable() {
        SpecValidator strict = new SpecValidator(
                Validation.buildDefaultValidatorFactory().getValidator(), new SpecLimits(1_000L, null, null, null));
        assertThatThrownBy(() -> strict.validate(model(2, 64)))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("1,000");
        SpecValidator smallData = new SpecValidator(
                Validation.buildDefaultValidatorFactory().getValidator(), new SpecLimits(null, null, 1_000L, null));
        assertThatThrownBy(() -> smallData.validate(ExperimentSpec.builder()
                        .dataset(d -> d.name(DatasetName.RANDOM).samples(100).features(20))
                        .build()))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("dataset.samples")
                .hasMessageContaining("2,000 input values");
    }

    /**
     * A step's hidden activations bound a job's native memory (javacpp's per-allocation check is off): the
     * Dockerfile's old failing example, depth 100 × width 138 at batch 4096, peaked at 4.0 GB.
     */
    @Test
    void activationValuesOfOneStepAreLimited() {
        ExperimentSpec huge = ExperimentSpec.builder()
                .model(m -> m.depth(100).width(138).batchNorm(true))
                .dataset(d -> d.samples(10_000))
                .training(t -> t.batchSize(4096))
                .build();
        assertThat(violations(huge)).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("training.batchSize");
            assertThat(v.message())
                    .contains("4,096 examples per step × 100 hidden layers × width 138 = 56,524,800 activation values")
                    .contains("gradlab.limits.max-activation-values = 16,000,000");
        });
        // The batch is what one step holds: capped by the training split (2,000 samples, 1,600 for training).
        assertThat(SpecValidator.stepActivations(
                                huge.withDataset(d -> d.samples(2000)).withDefaults())
                        .values())
                .isEqualTo(1_600L * 100 * 138);
        // Sequences count every time step.
        ExperimentSpec lstm = ExperimentSpec.builder()
                .model(m -> m.type(ModelType.RNN).cell(RnnCell.LSTM).depth(2).width(256))
                .dataset(d -> d.name(DatasetName.ADDING).samples(1000).sequenceLength(100))
                .training(t -> t.batchSize(256))
                .build();
        assertThat(SpecValidator.stepActivations(lstm.withDefaults()).values()).isEqualTo(256L * 100 * 2 * 256);
        assertThat(validator.validate(lstm).training().batchSize()).isEqualTo(256);
        SpecValidator small = new SpecValidator(
                Validation.buildDefaultValidatorFactory().getValidator(), new SpecLimits(null, null, null, 1_000_000L));
        assertThatThrownBy(() -> small.validate(lstm))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("× 100 steps = 13,107,200 activation values")
                .hasMessageContaining("1,000,000");
        // The widest benchmark spec, M3, is far inside the default (1 M values).
        ExperimentSpec m3 = ExperimentSpec.builder()
                .model(m -> m.depth(8).width(512))
                .dataset(d ->
                        d.name(DatasetName.RANDOM).samples(5120).features(784).classes(10))
                .training(t -> t.batchSize(256))
                .build();
        assertThat(SpecValidator.stepActivations(validator.validate(m3)).values())
                .isEqualTo(256L * 8 * 512);
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
        assertThat(DatasetSpec.builder()
                        .name(DatasetName.RANDOM)
                        .build()
                        .withDefaults()
                        .features())
                .isEqualTo(784);
        assertThat(DatasetSpec.builder()
                        .name(DatasetName.TEMPORAL_ORDER)
                        .build()
                        .withDefaults(ModelType.RNN)
                        .features())
                .isEqualTo(6);
        // A spec stored before dataset.features existed reads its width from the name.
        assertThat(JSON.readValue(STORED_ADDING, ExperimentSpec.class).dataset().inputFeatures())
                .isEqualTo(2);
    }

    @Test
    void featuresAreChosenOnlyForRandom() {
        ExperimentSpec empty = ExperimentSpec.builder().build();
        assertThat(violations(empty.withDataset(d -> d.name(DatasetName.SPIRALS).features(3))))
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.field()).isEqualTo("dataset.features");
                    assertThat(v.message()).contains("spirals has 2").contains("was 3");
                });
        // Stating a dataset's own width is allowed.
        assertThat(validator
                        .validate(empty.withDataset(
                                d -> d.name(DatasetName.SPIRALS).features(2)))
                        .dataset()
                        .features())
                .isEqualTo(2);
        assertThat(violations(empty.withModel(m -> m.type(ModelType.RNN))
                        .withDataset(d -> d.name(DatasetName.TEMPORAL_ORDER).features(2))))
                .extracting(SpecViolation::field)
                .containsExactly("dataset.features");
        assertThat(violations(empty.withDataset(d -> d.name(DatasetName.RANDOM).features(5000))))
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.field()).isEqualTo("dataset.features");
                    assertThat(v.message()).contains("4096");
                });
    }

    @Test
    void datasetValuesAreLimited() {
        // 100,000 × 4096 floats would be 1.6 GB of heap.
        ExperimentSpec random = ExperimentSpec.builder()
                .dataset(d -> d.name(DatasetName.RANDOM))
                .build();
        List<SpecViolation> huge =
                violations(random.withDataset(d -> d.samples(100_000).features(4096)));
        assertThat(huge).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("dataset.samples");
            assertThat(v.message())
                    .contains("gradlab.limits.max-dataset-values")
                    .contains("20,000,000")
                    .contains("409,600,000");
        });
        // Just under the limit: 4,882 × 4096 = 19,996,672 values.
        assertThat(validator
                        .validate(random.withDataset(d -> d.samples(4_882).features(4096)))
                        .dataset()
                        .inputValues())
                .isEqualTo(19_996_672L);
        // Sequences count every time step: 100,000 × 6 × 500.
        ExperimentSpec longOrder = ExperimentSpec.builder()
                .model(ModelSpec.rnn().build())
                .dataset(
                        d -> d.name(DatasetName.TEMPORAL_ORDER).samples(100_000).sequenceLength(500))
                .build();
        assertThat(violations(longOrder)).extracting(SpecViolation::field).contains("dataset.samples");
    }

    @Test
    void iterationCountIncludesTheShortLastBatch() {
        ExperimentSpec spec = ExperimentSpec.builder()
                .dataset(d -> d.samples(1000).testFraction(0.2))
                .training(t -> t.batchSize(128).epochs(3))
                .build()
                .withDefaults();
        assertThat(spec.dataset().trainSamples()).isEqualTo(800);
        assertThat(spec.iterationsPerEpoch()).isEqualTo(7); // 6 × 128 + 32
        assertThat(spec.totalIterations()).isEqualTo(21);
    }

    @Test
    void fieldsThatDoNotApplyAreLeftOutOfTheJson() {
        ExperimentSpec mlp = ExperimentSpec.defaults();
        JsonNode mlpJson = JSON.valueToTree(mlp);
        assertThat(mlpJson.get("model").propertyNames())
                .contains("residual", "batchNorm", "blockStyle", "batchNormPlacement")
                .doesNotContain("cell", "recurrentScale", "forgetGateBias", "initScale");
        assertThat(mlpJson.get("dataset").propertyNames())
                .contains("classes", "noise")
                .doesNotContain("sequenceLength");
        assertThat(mlpJson.get("training").get("gradientClipping").propertyNames())
                .containsExactly("mode");

        ExperimentSpec rnn = validator.validate(
                ExperimentSpec.builder().model(ModelSpec.rnn().build()).build());
        JsonNode rnnJson = JSON.valueToTree(rnn);
        assertThat(rnnJson.get("model").propertyNames())
                .contains("cell", "recurrentScale")
                .doesNotContain("residual", "batchNorm", "blockStyle", "batchNormPlacement", "forgetGateBias");
        assertThat(rnnJson.get("dataset").propertyNames())
                .contains("sequenceLength", "features")
                .doesNotContain("classes", "noise");
        assertThat(JSON.writeValueAsString(rnn)).doesNotContain("null");
        assertThat(rnn.dataset().outputs()).isEqualTo(1);

        ExperimentSpec lstm = validator.validate(ExperimentSpec.builder()
                .model(m -> m.type(ModelType.RNN).cell(RnnCell.LSTM))
                .dataset(d -> d.name(DatasetName.TEMPORAL_ORDER))
                .build());
        assertThat(lstm.model().forgetGateBias()).isEqualTo(1.0);
        assertThat(lstm.dataset().classes()).isNull();
        assertThat(lstm.dataset().outputs()).isEqualTo(4);
    }

    @Test
    void anOlderStoredSpecReadsTheSameAndLosesItsStaleFieldsOnDefaults() {
        ExperimentSpec stored = JSON.readValue(STORED_ADDING, ExperimentSpec.class);
        ExperimentSpec fresh = validator.validate(
                ExperimentSpec.builder().model(ModelSpec.rnn().build()).build());
        assertThat(stored.dataset().classes()).isEqualTo(1);
        assertThat(stored.dataset().outputs()).isEqualTo(1);
        assertThat(stored.dataset().inputFeatures()).isEqualTo(2);
        assertThat(ParameterBudget.parameterCount(stored))
                .isEqualTo(ParameterBudget.parameterCount(fresh))
                .isEqualTo(2 * 64 + 64 * 64 + 64 + 64 + 1);

        ExperimentSpec again = stored.withDefaults();
        assertThat(again.dataset().classes()).isNull();
        assertThat(again.dataset().noise()).isNull();
        assertThat(again.dataset().features()).isEqualTo(2);
        assertThat(again).isEqualTo(fresh);
        assertThat(JSON.writeValueAsString(again)).doesNotContain("classes").doesNotContain("null");
    }

    @Test
    void withDefaultsChangesNothingTheSecondTime() {
        ExperimentSpec empty = ExperimentSpec.builder().build();
        for (ExperimentSpec given : List.of(
                empty,
                empty.withModel(m -> m.residual(true).batchNorm(true).weightInit(WeightInit.NORMAL)),
                empty.withModel(m -> m.type(ModelType.RNN).cell(RnnCell.LSTM))
                        .withDataset(d -> d.name(DatasetName.REMEMBER_FIRST)),
                empty.withDataset(d -> d.name(DatasetName.RANDOM).classes(10))
                        .withTraining(t -> t.gradientClipping(c -> c.mode(ClippingMode.CLIP_ELEMENT_WISE))))) {
            ExperimentSpec once = validator.validate(given);
            assertThat(once.withDefaults()).isEqualTo(once);
        }
    }

    @Test
    void sequenceTasksRefuseAnotherClassCountAndDropTheirOwn() {
        ExperimentSpec order = ExperimentSpec.builder()
                .model(ModelSpec.rnn().build())
                .dataset(d -> d.name(DatasetName.TEMPORAL_ORDER))
                .build();
        assertThat(violations(order.withDataset(d -> d.classes(3))))
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.field()).isEqualTo("dataset.classes");
                    assertThat(v.message())
                            .isEqualTo("temporal-order fixes its own outputs (4); leave dataset.classes out");
                });
        assertThat(validator
                        .validate(order.withDataset(d -> d.classes(4)))
                        .dataset()
                        .classes())
                .isNull();
    }

    @Test
    void everyDatasetGivesItsOutputCount() {
        for (DatasetName name : DatasetName.values()) {
            DatasetSpec chosen = DatasetSpec.builder().name(name).classes(3).build();
            int expected = switch (name) {
                case ADDING -> 1;
                case TEMPORAL_ORDER -> 4;
                case REMEMBER_FIRST -> 2;
                case DIGITS, MNIST, FASHION_MNIST -> 10;
                default -> 3;
            };
            assertThat(chosen.outputs()).as(name.label()).isEqualTo(expected);
            assertThat(chosen.withDefaults(name.sequence() ? ModelType.RNN : ModelType.MLP)
                            .outputs())
                    .as(name.label())
                    .isEqualTo(expected);
        }
        assertThat(DatasetSpec.builder().name(DatasetName.SPIRALS).build().outputs())
                .isEqualTo(2);
    }

    @Test
    void withersChangeOneFieldOfACopy() {
        ExperimentSpec base = ExperimentSpec.builder()
                .model(ModelSpec.mlp().depth(4).width(8).build())
                .training(t -> t.epochs(3)
                        .gradientClipping(
                                c -> c.mode(ClippingMode.CLIP_L2_PER_LAYER).threshold(1.0)))
                .build();
        ExperimentSpec deeper = base.withModel(m -> m.depth(5).batchNorm(true));
        assertThat(deeper.model())
                .isEqualTo(ModelSpec.mlp().depth(5).width(8).batchNorm(true).build());
        assertThat(base.model().depth()).as("the original is unchanged").isEqualTo(4);
        assertThat(deeper.training()).isSameAs(base.training());
        assertThat(base.withTraining(t -> t.gradientClipping(c -> c.threshold(2.0)))
                        .training()
                        .gradientClipping())
                .isEqualTo(GradientClipping.builder()
                        .mode(ClippingMode.CLIP_L2_PER_LAYER)
                        .threshold(2.0)
                        .build());
        // A section that was omitted starts from an empty builder.
        assertThat(base.withDataset(d -> d.name(DatasetName.ADDING)).dataset())
                .isEqualTo(DatasetSpec.builder().name(DatasetName.ADDING).build());
        assertThat(base.withMetrics(m -> m.every(5)).metrics().every()).isEqualTo(5);
        assertThat(base.toBuilder().build()).isEqualTo(base);
        ExperimentSpec defaults = ExperimentSpec.defaults();
        assertThat(defaults.model().toBuilder().build()).isEqualTo(defaults.model());
        assertThat(defaults.dataset().toBuilder().build()).isEqualTo(defaults.dataset());
        assertThat(defaults.training().toBuilder().build()).isEqualTo(defaults.training());
    }

    private static ExperimentSpec onDataset(DatasetName name, Integer samples, Double testFraction) {
        return ExperimentSpec.builder()
                .dataset(d -> d.name(name).samples(samples).testFraction(testFraction))
                .build();
    }

    @Test
    void recordedDatasetsFixTheirShapeAndDefaultTheirSize() {
        DatasetSpec digits =
                validator.validate(onDataset(DatasetName.DIGITS, null, null)).dataset();
        assertThat(digits.samples()).isEqualTo(1797);
        assertThat(digits.features()).isEqualTo(64);
        assertThat(digits.outputs()).isEqualTo(10);
        assertThat(digits.classes()).as("fixed by the dataset: left out").isNull();
        assertThat(digits.noise()).as("no noise on recorded data").isNull();
        DatasetSpec mnist =
                validator.validate(onDataset(DatasetName.MNIST, null, null)).dataset();
        assertThat(mnist.samples()).isEqualTo(10_000);
        assertThat(mnist.trainSamples()).isEqualTo(8_000);
        assertThat(mnist.testSamples()).isEqualTo(2_000);
        assertThat(mnist.inputFeatures()).isEqualTo(784);
        assertThat(validator
                        .validate(onDataset(DatasetName.FASHION_MNIST, null, null))
                        .dataset()
                        .inputFeatures())
                .isEqualTo(784);
    }

    @Test
    void aDrawLargerThanTheRecordedDataIsRefused() {
        assertThat(violations(onDataset(DatasetName.DIGITS, 1798, null)))
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.field()).isEqualTo("dataset.samples");
                    assertThat(v.message()).isEqualTo("digits has 1,797 examples (was 1,798)");
                });
        // 20,000 at 0.5 asks for 10,000 test images: exactly what mnist has.
        SpecLimits roomy = new SpecLimits(null, null, 100_000_000L, null);
        SpecValidator large =
                new SpecValidator(Validation.buildDefaultValidatorFactory().getValidator(), roomy);
        assertThat(large.validate(onDataset(DatasetName.MNIST, 20_000, 0.5))
                        .dataset()
                        .testSamples())
                .isEqualTo(10_000);
        assertThatThrownBy(() -> large.validate(onDataset(DatasetName.MNIST, 20_002, 0.5)))
                .isInstanceOfSatisfying(
                        InvalidSpecException.class,
                        e -> assertThat(e.violations())
                                .singleElement()
                                .satisfies(
                                        v -> assertThat(v.message())
                                                .isEqualTo(
                                                        "mnist has 60,000 training and 10,000 test images; samples 20,002 at "
                                                                + "testFraction 0.5 asks for 10,001 training and 10,001 test examples")));
        // The published split exactly: 60,000 + 10,000.
        assertThat(large.validate(onDataset(DatasetName.MNIST, 70_000, 1.0 / 7))
                        .dataset()
                        .trainSamples())
                .isEqualTo(60_000);
        assertThatThrownBy(() -> large.validate(onDataset(DatasetName.FASHION_MNIST, 80_000, 0.1)))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("72,000 training");
    }

    @Test
    void theDatasetValuesLimitCapsAnMnistDraw() {
        assertThat(validator
                        .validate(onDataset(DatasetName.MNIST, 25_510, null))
                        .dataset()
                        .samples())
                .isEqualTo(25_510);
        assertThat(violations(onDataset(DatasetName.MNIST, 25_511, null)))
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.field()).isEqualTo("dataset.samples");
                    assertThat(v.message()).contains("25,511 samples × 784 features = 20,000,624 input values");
                });
    }

    @Test
    void recordedDataRefuseWhatDoesNotApply() {
        assertThat(violations(ExperimentSpec.builder()
                        .dataset(d -> d.name(DatasetName.MNIST).classes(5).features(100))
                        .build()))
                .extracting(SpecViolation::field, SpecViolation::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "dataset.classes", "mnist fixes its own outputs (10); leave dataset.classes out"),
                        org.assertj.core.groups.Tuple.tuple(
                                "dataset.features",
                                "mnist has 784 input features; dataset.features is chosen only for random (was 100)"));
        assertThat(violations(ExperimentSpec.builder()
                        .model(ModelSpec.rnn().build())
                        .dataset(d -> d.name(DatasetName.DIGITS))
                        .build()))
                .extracting(SpecViolation::field)
                .contains("dataset.name");
    }

    /** Nielsen's [784, 30, 30, 30, 10] sigmoid net (Neural Networks and Deep Learning, ch. 5) fits the limits. */
    @Test
    void nielsensMnistNetFits() {
        ExperimentSpec spec = validator.validate(ExperimentSpec.builder()
                .model(m -> m.depth(3).width(30).activation(Activation.SIGMOID))
                .dataset(d -> d.name(DatasetName.MNIST))
                .build());
        // 784·30 + 30, 2 × (30·30 + 30), 30·10 + 10
        assertThat(ParameterBudget.parameterCount(spec)).isEqualTo(23_550 + 1_860 + 310);
    }

    // ---- uploads ----------------------------------------------------------------------------------------------

    private static final java.util.UUID BIG = java.util.UUID.fromString("11111111-1111-1111-1111-111111111111");
    private static final java.util.UUID TINY = java.util.UUID.fromString("22222222-2222-2222-2222-222222222222");

    private final SpecValidator withUploads = new SpecValidator(
            Validation.buildDefaultValidatorFactory().getValidator(),
            SpecLimits.defaults(),
            (id, owner) -> java.util.Optional.ofNullable(
                    id.equals(BIG)
                            ? new UploadCatalog.UploadShape(250_000, 12, 40)
                            : id.equals(TINY) ? new UploadCatalog.UploadShape(15, 2, 2) : null));

    private List<SpecViolation> uploadViolations(ExperimentSpec spec) {
        try {
            withUploads.validate(spec);
        } catch (InvalidSpecException e) {
            return e.violations();
        }
        throw new AssertionError("spec was accepted: " + spec);
    }

    private static ExperimentSpec upload(java.util.UUID id) {
        return ExperimentSpec.builder()
                .model(m -> m.depth(3).width(16))
                .dataset(d -> d.name(DatasetName.UPLOAD).id(id))
                .build();
    }

    @Test
    void anUploadsShapeIsFilledInAndItsRowsCapTheDefaultDraw() {
        ExperimentSpec spec = withUploads.validate(upload(BIG));
        assertThat(spec.dataset().features()).isEqualTo(12);
        assertThat(spec.dataset().classes()).isEqualTo(40);
        assertThat(spec.dataset().inputFeatures()).isEqualTo(12);
        assertThat(spec.dataset().outputs()).isEqualTo(40);
        assertThat(spec.dataset().samples()).as("all rows, at most 100,000").isEqualTo(100_000);
        assertThat(spec.dataset().standardize()).isFalse();
        assertThat(spec.dataset().noise()).isNull();
        assertThat(ParameterBudget.parameterCount(spec)).isEqualTo(12 * 16 + 16 + 2 * (16 * 16 + 16) + 16 * 40 + 40);
        // The stored spec, sent again, is accepted as it is (40 classes pass the spec's own limits).
        assertThat(withUploads.validate(spec)).isEqualTo(spec);
        assertThat(withUploads
                        .validate(upload(BIG).withDataset(d -> d.samples(5000).standardize(true)))
                        .dataset()
                        .samples())
                .isEqualTo(5000);
    }

    @Test
    void anUploadSpecNamesAKnownIdAndKeepsToItsShape() {
        assertThat(uploadViolations(upload(null)))
                .extracting(SpecViolation::field)
                .containsExactly("dataset.id");
        assertThat(uploadViolations(upload(java.util.UUID.randomUUID())).get(0).message())
                .startsWith("no uploaded dataset has this id");
        assertThat(violations(upload(BIG)).get(0).message())
                .as("a validator without the database knows no upload")
                .startsWith("no uploaded dataset has this id");
        assertThat(uploadViolations(upload(BIG).withDataset(d -> d.features(11).classes(39))))
                .extracting(SpecViolation::field)
                .containsExactly("dataset.classes", "dataset.features");
        assertThat(uploadViolations(upload(TINY)))
                .containsExactly(
                        new SpecViolation("dataset.samples", "the upload has 15 rows; a job needs at least 20"));
        assertThat(uploadViolations(upload(BIG).withModel(m -> m.type(ModelType.RNN))))
                .extracting(SpecViolation::field)
                .contains("dataset.name");
        assertThat(violations(ExperimentSpec.builder()
                        .dataset(d -> d.name(DatasetName.SPIRALS).id(BIG).standardize(false))
                        .build()))
                .extracting(SpecViolation::field)
                .containsExactly("dataset.id", "dataset.standardize");
    }

    @Test
    void generatedDatasetsKeepTheirTenClassesAtMost() {
        assertThat(violations(ExperimentSpec.builder()
                        .dataset(d -> d.name(DatasetName.GAUSSIANS).classes(11))
                        .build()))
                .containsExactly(new SpecViolation(
                        "dataset.classes", "must be less than or equal to 10 for gaussians (was 11)"));
        assertThat(violations(
                        ExperimentSpec.builder().dataset(d -> d.classes(1001)).build()))
                .extracting(SpecViolation::field)
                .containsExactly("dataset.classes");
    }
}
