package dev.gradlab.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gradlab.spec.Activation;
import dev.gradlab.spec.DatasetName;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.spec.Optimizer;
import dev.gradlab.spec.WeightInit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExperimentTrainerTest {

    /** Collects what a run reports, as the service's metric writer would. */
    static final class Recorder implements TrainingObserver {
        TrainingPlan plan;
        final List<IterationMetrics> iterations = new ArrayList<>();
        final List<EpochMetrics> epochs = new ArrayList<>();

        @Override
        public void onStart(TrainingPlan plan) {
            this.plan = plan;
        }

        @Override
        public void onIteration(IterationMetrics metrics) {
            iterations.add(metrics);
        }

        @Override
        public void onEpoch(EpochMetrics metrics) {
            epochs.add(metrics);
        }

        double[] losses() {
            return iterations.stream().mapToDouble(IterationMetrics::loss).toArray();
        }
    }

    private static ExperimentSpec small(int every) {
        return ExperimentSpec.builder()
                .model(m -> m.depth(4)
                        .width(16)
                        .activation(Activation.TANH)
                        .residual(true)
                        .batchNorm(true))
                .dataset(d -> d.name(DatasetName.CIRCLES).samples(300).seed(3L))
                .training(t -> t.optimizer(Optimizer.ADAM)
                        .learningRate(0.01)
                        .batchSize(32)
                        .epochs(3)
                        .seed(5L))
                .metrics(m -> m.every(every))
                .build()
                .withDefaults();
    }

    private static Recorder train(ExperimentSpec spec) {
        Recorder r = new Recorder();
        new ExperimentTrainer().train(spec, r, () -> false);
        return r;
    }

    @Test
    void sameSpecSameCurves() {
        Recorder a = train(small(1));
        Recorder b = train(small(1));
        assertThat(a.losses()).containsExactly(b.losses());
        assertThat(a.iterations).hasSize(24); // 240 training points / 32 = 8 per epoch, 3 epochs
        for (int i = 0; i < a.iterations.size(); i++) {
            assertThat(a.iterations.get(i).layers())
                    .isEqualTo(b.iterations.get(i).layers());
        }
        assertThat(a.epochs)
                .isEqualTo(b.epochs.stream()
                        .map(e -> new EpochMetrics(
                                e.epoch(),
                                e.iteration(),
                                e.trainAccuracy(),
                                e.testAccuracy(),
                                a.epochs.get(e.epoch() - 1).elapsedMillis()))
                        .toList());
    }

    @Test
    void otherTrainingSeedOtherCurve() {
        ExperimentSpec s = small(1);
        ExperimentSpec other = s.withTraining(t -> t.seed(6L));
        assertThat(train(s).losses()).isNotEqualTo(train(other).losses());
    }

    @Test
    void layerStatisticsEveryNthIterationPlusTheLast() {
        Recorder r = train(small(5));
        List<Long> recorded = r.iterations.stream()
                .filter(IterationMetrics::hasLayerStatistics)
                .map(IterationMetrics::iteration)
                .toList();
        assertThat(recorded).containsExactly(1L, 6L, 11L, 16L, 21L, 24L);
        assertThat(r.iterations)
                .extracting(IterationMetrics::iteration)
                .containsExactlyElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, 24).boxed().toList());
        assertThat(r.plan.totalIterations()).isEqualTo(24);
        assertThat(r.plan.layers()).extracting(LayerInfo::name).startsWith("dense1", "bn2", "dense2");
        assertThat(r.plan.layers()).extracting(LayerInfo::kind).startsWith("dense", "batchNorm", "dense");
        assertThat(r.epochs).extracting(EpochMetrics::iteration).containsExactly(8L, 16L, 24L);
    }

    @Test
    void accuracyEveryNthEpochPlusTheLastOnCappedSubsetsAndTheLastOnWholeSplits() {
        ExperimentSpec spec =
                small(1).withTraining(t -> t.epochs(5).evaluateEvery(2).evaluationSamples(50));
        Recorder r = new Recorder();
        TrainingOutcome outcome = new ExperimentTrainer().train(spec, r, () -> false);
        assertThat(r.epochs).extracting(EpochMetrics::epoch).containsExactly(2, 4, 5);
        assertThat(r.epochs).extracting(EpochMetrics::iteration).containsExactly(16L, 32L, 40L);
        assertThat(outcome.epochs()).isEqualTo(5);
        assertThat(outcome.testAccuracy()).isEqualTo(r.epochs.get(2).testAccuracy());
        // 50 of 240 and of 60 examples: multiples of 1/50 in epochs 2 and 4; the last scores all 240 and 60
        for (EpochMetrics e : r.epochs.subList(0, 2)) {
            assertThat(e.trainAccuracy() * 50).isCloseTo(Math.rint(e.trainAccuracy() * 50), within(1e-9));
            assertThat(e.testAccuracy() * 50).isCloseTo(Math.rint(e.testAccuracy() * 50), within(1e-9));
        }
        // The same weights as an uncapped run: the cap and the cadence change what is scored, not training.
        Recorder whole = train(spec.withTraining(t -> t.evaluateEvery(1).evaluationSamples(1_000_000)));
        assertThat(r.losses()).containsExactly(whole.losses());
        assertThat(r.epochs.get(2).trainAccuracy())
                .isEqualTo(whole.epochs.get(4).trainAccuracy());
        assertThat(r.epochs.get(2).testAccuracy()).isEqualTo(whole.epochs.get(4).testAccuracy());
    }

    @Test
    void cappedEvaluationScoresEvenlySpacedExamples() {
        assertThat(ExperimentTrainer.evaluated(10, 4)).containsExactly(0, 2, 5, 7);
        assertThat(ExperimentTrainer.evaluated(5, 1024)).containsExactly(0, 1, 2, 3, 4);
        assertThat(ExperimentTrainer.evaluated(3000, 1024)).hasSize(1024).doesNotHaveDuplicates();
        assertThat(ExperimentTrainer.evaluated(3000, 1024)[1023]).isEqualTo(2997);
    }

    @Test
    void cancellationStopsBetweenIterations() {
        Recorder r = new Recorder();
        AtomicInteger polls = new AtomicInteger();
        TrainingOutcome outcome = new ExperimentTrainer().train(small(1), r, () -> polls.incrementAndGet() > 10);
        assertThat(outcome.status()).isEqualTo(TrainingStatus.CANCELLED);
        assertThat(outcome.iterations()).isEqualTo(10);
        assertThat(r.iterations).hasSize(10);
        assertThat(outcome.finalLoss()).isEqualTo(r.iterations.get(9).loss());
    }

    @Test
    void explodingNetworkEndsDivergedAtTheFirstNonFiniteIteration() {
        // Linear layers with std-0.5 weights multiply the signal by ~0.5·√32 ≈ 2.8 per layer; at learning rate 1
        // the first steps blow the weights up until the forward pass overflows float32 a few iterations later. Whether
        // it does depends on the draw: with some seeds the logits saturate first (loss exactly 0, no more updates);
        // with this one (and the per-layer init of network.MatchedInit) dense2 overflows at iteration 3.
        ExperimentSpec spec = ExperimentSpec.builder()
                .model(m -> m.depth(12)
                        .width(32)
                        .activation(Activation.IDENTITY)
                        .weightInit(WeightInit.NORMAL)
                        .initScale(0.5)
                        .residual(false)
                        .batchNorm(false))
                .dataset(d -> d.name(DatasetName.GAUSSIANS).samples(200))
                .training(t -> t.optimizer(Optimizer.SGD)
                        .learningRate(1.0)
                        .batchSize(32)
                        .epochs(5)
                        .seed(6L))
                .build()
                .withDefaults();
        Recorder r = new Recorder();
        TrainingOutcome outcome = new ExperimentTrainer().train(spec, r, () -> false);

        assertThat(outcome.status()).isEqualTo(TrainingStatus.DIVERGED);
        Divergence d = outcome.divergence();
        assertThat(d.iteration()).isEqualTo(outcome.iterations()).isEqualTo(r.iterations.size());
        assertThat(d.iteration()).isGreaterThan(1);
        // The forward pass overflows first (measured: dense2's output at iteration 3), and the layer reported is
        // the first one, input → output, whose recorded activations are non-finite.
        assertThat(d.quantity()).isEqualTo("activation");
        assertThat(d.layer()).isEqualTo(r.plan.layers().get(d.layerIndex()).name());
        IterationMetrics last = r.iterations.get(r.iterations.size() - 1);
        for (LayerStatistics s : last.layers().subList(0, d.layerIndex())) {
            assertThat(s.activationMean() + s.activationStd())
                    .as("layer %d, before the reported one", s.layer())
                    .isFinite();
        }
        LayerStatistics broken = last.layers().get(d.layerIndex());
        assertThat(broken.activationMean() + broken.activationStd()).isNotFinite();
        boolean lastHasNonFinite = !Double.isFinite(last.loss())
                || last.layers().stream()
                        .anyMatch(s -> !Double.isFinite(s.weightGradientNorm())
                                || (s.activationMean() != null && !Double.isFinite(s.activationMean())));
        assertThat(lastHasNonFinite)
                .as("the diverged iteration is reported with its non-finite values")
                .isTrue();
        for (IterationMetrics before : r.iterations.subList(0, r.iterations.size() - 1)) {
            assertThat(before.loss()).isFinite();
        }
    }

    @Test
    void wideNetMemorisesRandomLabels() {
        // Zhang et al. 2017: with more parameters than examples a net fits labels that carry no information.
        ExperimentSpec spec = ExperimentSpec.builder()
                .model(m -> m.depth(2).width(128).activation(Activation.RELU).weightInit(WeightInit.HE))
                .dataset(d -> d.name(DatasetName.RANDOM)
                        .samples(200)
                        .features(40)
                        .classes(2)
                        .seed(4L))
                .training(t -> t.optimizer(Optimizer.ADAM)
                        .learningRate(0.01)
                        .batchSize(32)
                        .epochs(30)
                        .seed(1L))
                .metrics(m -> m.every(50))
                .build()
                .withDefaults();
        Recorder r = new Recorder();
        TrainingOutcome outcome = new ExperimentTrainer().train(spec, r, () -> false);
        assertThat(outcome.status()).isEqualTo(TrainingStatus.COMPLETED);
        assertThat(r.plan.parameters()).isEqualTo(40 * 128 + 128 + 128 * 128 + 128 + 128 * 2 + 2);
        assertThat(outcome.trainAccuracy()).isGreaterThan(0.95);
        assertThat(outcome.testAccuracy()).isLessThan(0.8); // 40 test examples: chance, give or take
    }
}
