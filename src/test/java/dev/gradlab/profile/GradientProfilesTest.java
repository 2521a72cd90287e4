package dev.gradlab.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.gradlab.curve.CurveQueries;
import dev.gradlab.curve.LayerHistory;
import dev.gradlab.curve.LayerPoints;
import dev.gradlab.spec.ExperimentSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The prediction rules on hand-made curves: which derivative pairs with which weight scale (post- vs pre-activation
 * blocks), a layer whose mean derivative is 0 (the gradient cut off: −∞ decades), and jobs without the factors.
 */
class GradientProfilesTest {

    private final CurveQueries curves = mock(CurveQueries.class);
    private final GradientProfiles profiles = new GradientProfiles(curves);
    private final UUID job = UUID.randomUUID();

    /** Layers dense1..dense3 and output, with one value each at iteration 1. */
    private void stat(String stat, Double... values) {
        List<LayerHistory.Layer> layers = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            String name = i == values.length - 1 ? "output" : "dense" + (i + 1);
            layers.add(new LayerHistory.Layer(i, name, i == values.length - 1 ? "output" : "dense", listOf(values[i])));
        }
        when(curves.layers(eq(job), eq(stat), anyLong(), anyLong(), anyInt()))
                .thenReturn(new LayerHistory(stat, 1, false, List.of(1L), layers));
    }

    private static List<Double> listOf(Double v) {
        List<Double> l = new ArrayList<>();
        l.add(v);
        return l;
    }

    private void gradients(double... norms) {
        Double[] boxed = new Double[norms.length];
        for (int i = 0; i < norms.length; i++) {
            boxed[i] = norms[i];
        }
        stat("weightGradientNorm", boxed);
        List<LayerPoints.Layer> head = new ArrayList<>();
        for (int i = 0; i < norms.length; i++) {
            head.add(new LayerPoints.Layer(i, "l" + i, "dense", List.of(1L), List.of(norms[i])));
        }
        when(curves.layerHead(job, "weightGradientNorm")).thenReturn(new LayerPoints("weightGradientNorm", head));
    }

    private static ExperimentSpec mlp(boolean residual, boolean batchNorm) {
        return ExperimentSpec.builder()
                .model(m -> m.depth(3).width(8).residual(residual).batchNorm(batchNorm))
                .build()
                .withDefaults();
    }

    @Test
    void postBlocksPairEachLayersDerivativeWithTheWeightsAboveIt() {
        gradients(1e-3, 1e-2, 1e-1, 1.0);
        stat("activationDerivativeMean", 0.2, 0.1, 0.05, null);
        stat("weightScale", 1.0, 2.0, 3.0, 4.0);
        GradientProfile p = profiles.profile(job, mlp(false, false), "weightGradientNorm", GradientProfiles.At.FIRST);
        assertThat(p.fit().slope()).isCloseTo(-1, within(1e-12));
        Prediction estimate = p.predictions().get(0);
        assertThat(estimate.method()).isEqualTo(Prediction.Method.CHAIN_ESTIMATE);
        // dense1 → dense2: σ̄′(dense1)·s(dense2) = 0.2·2; dense2 → dense3: 0.1·3; dense3 → output: 0.05·4.
        assertThat(estimate.factors()).containsExactly(0.4, 0.30000000000000004, 0.2);
        assertThat(estimate.log10Norms().get(3)).isEqualTo(0.0); // anchored at the measured top
        assertThat(estimate.log10Norms().get(0)).isCloseTo(Math.log10(0.4 * 0.3 * 0.2), within(1e-12));
        assertThat(p.predictions().get(1).factors()).containsExactly(0.5, 0.75, 1.0); // γ = 1/4 for sigmoid
        assertThat(p.notes()).noneMatch(n -> n.contains("identity path"));
    }

    @Test
    void preBlocksPairTheDerivativeRecordedOnTheLayerAboveAndTheNotesSayWhatIsLeftOut() {
        gradients(1e-3, 1e-2, 1e-1, 1.0);
        // Pre-activation: dense1 (input projection) has no nonlinearity; dense2's act sits in front of it.
        stat("activationDerivativeMean", null, 0.1, 0.05, 0.2);
        stat("weightScale", 1.0, 2.0, 3.0, 4.0);
        GradientProfile p = profiles.profile(job, mlp(true, true), "weightGradientNorm", GradientProfiles.At.FIRST);
        assertThat(p.predictions().get(0).factors()).containsExactly(0.2, 0.15000000000000002, 0.8);
        assertThat(p.notes()).anyMatch(n -> n.contains("identity path")).anyMatch(n -> n.contains("batch norm"));
    }

    @Test
    void aLayerWithNoDerivativeLeftCutsTheGradientOff() {
        gradients(1e-3, 1e-2, 1e-1, 1.0);
        stat("activationDerivativeMean", 0.2, 0.0, 0.05, null);
        stat("weightScale", 1.0, 2.0, 3.0, 4.0);
        GradientProfile p = profiles.profile(job, mlp(false, false), "weightGradientNorm", GradientProfiles.At.FIRST);
        assertThat(p.predictions().get(0).slope()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(p.predictions().get(1).slope())
                .as("the bound does not use σ̄′")
                .isFinite();
    }

    @Test
    void aJobWithoutTheFactorsGetsNoPredictionAndSaysWhy() {
        gradients(1e-3, 1e-2, 1e-1, 1.0);
        when(curves.layers(eq(job), eq("activationDerivativeMean"), anyLong(), anyLong(), anyInt()))
                .thenReturn(new LayerHistory("activationDerivativeMean", 0, false, List.of(), List.of()));
        GradientProfile p = profiles.profile(job, mlp(false, false), "weightGradientNorm", GradientProfiles.At.FIRST);
        assertThat(p.predictions()).isEmpty();
        assertThat(p.notes()).anyMatch(n -> n.contains("not recorded for this job"));
        assertThat(p.fit().slope()).isCloseTo(-1, within(1e-12));
    }
}
