package dev.gradlab.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlab.spec.Activation;
import dev.gradlab.spec.DatasetName;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.spec.Optimizer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GradLab's headline, as a test: a 20-layer sigmoid MLP's first layer gets almost no gradient and the net does
 * not learn the spirals; batch norm (Ioffe & Szegedy 2015) or residual connections (He et al. 2016) keep the
 * first layer's gradient within a few orders of the last's and it learns. Sizes are cut to keep this fast.
 */
class VanishingGradientTest {

    private static final int EPOCHS = 40;

    private static final class Run {
        final ExperimentTrainerTest.Recorder recorder = new ExperimentTrainerTest.Recorder();
        TrainingOutcome outcome;

        /** First to last dense layer weight-gradient norm at iteration 1, as the run reports it. */
        double firstToLast() {
            GradientRatio ratio = outcome.gradientRatio();
            assertThat(ratio.measure()).isEqualTo(GradientRatio.Measure.FIRST_TO_LAST_DENSE_LAYER);
            assertThat(ratio.numerator()).isEqualTo("dense1");
            assertThat(ratio.denominator()).isEqualTo("dense20");
            assertThat(ratio.startIteration()).isEqualTo(1);
            return ratio.start();
        }
    }

    private static Run train(boolean residual, boolean batchNorm) {
        ExperimentSpec spec = ExperimentSpec.builder()
                .model(m -> m.depth(20)
                        .width(32)
                        .activation(Activation.SIGMOID)
                        .residual(residual)
                        .batchNorm(batchNorm))
                .dataset(d -> d.name(DatasetName.SPIRALS).samples(1000))
                .training(t -> t.optimizer(Optimizer.ADAM)
                        .learningRate(0.01)
                        .batchSize(64)
                        .epochs(EPOCHS))
                // Layer statistics only every 50 iterations: the ratio is read at iteration 1, which is always
                // recorded.
                .metrics(m -> m.every(50))
                .build()
                .withDefaults();
        Run run = new Run();
        run.outcome = new ExperimentTrainer().train(spec, run.recorder, () -> false);
        return run;
    }

    @Test
    void plainSigmoidStackVanishesAndBatchNormOrResidualFixesIt() {
        Run plain = train(false, false);
        Run batchNorm = train(false, true);
        Run residual = train(true, false);

        // Plain: ~4× smaller per layer, so the first layer's gradient is ~10⁻¹² of the last dense layer's.
        assertThat(plain.firstToLast()).isLessThan(1e-9);
        assertThat(plain.outcome.trainAccuracy()).isLessThan(0.6);
        assertThat(plain.outcome.finalLoss()).isGreaterThan(0.65);

        for (Run fixed : List.of(batchNorm, residual)) {
            assertThat(fixed.outcome.status()).isEqualTo(TrainingStatus.COMPLETED);
            assertThat(fixed.firstToLast()).isGreaterThan(1e-4);
            assertThat(fixed.outcome.trainAccuracy()).isGreaterThan(0.7);
        }
    }
}
