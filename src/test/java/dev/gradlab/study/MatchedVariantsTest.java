package dev.gradlab.study;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlab.dataset.DatasetFactory;
import dev.gradlab.dataset.Samples;
import dev.gradlab.dataset.SplitDataset;
import dev.gradlab.network.BuiltNetwork;
import dev.gradlab.network.LayerDescriptor;
import dev.gradlab.network.LayerKind;
import dev.gradlab.network.NetworkFactory;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.training.MinibatchOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The promise of a study: within a repeat, the plain, batch-norm and residual variants (and every other) see the
 * same data, the same minibatches in the same order, and start from the same W in every layer whose shape agrees,
 * so a difference between them is the variant's; repeat r + 1 draws all of it afresh. Built from the study's own
 * expansion, exactly as its jobs would train.
 */
class MatchedVariantsTest {

    private static final String STUDY = """
            {"base": {"model": {"width": 12, "activation": "sigmoid"},
                      "dataset": {"name": "spirals", "samples": 300},
                      "training": {"batchSize": 16, "epochs": 1}},
             "vary": {"model.depth": [3, 6], "model.batchNorm": [false, true], "model.residual": [false, true]},
             "repeats": 2}""";

    private final StudyPlan plan = StudyTestSupport.planner(64).plan(StudyTestSupport.definition(STUDY));

    private ExperimentSpec spec(int depth, boolean batchNorm, boolean residual, int repeat) {
        return plan.variants().stream()
                .filter(v -> v.spec().model().depth() == depth
                        && v.spec().model().batchNorm() == batchNorm
                        && v.spec().model().residual() == residual)
                .findFirst()
                .orElseThrow()
                .repeat(repeat);
    }

    /** Every W of a dense or output layer, by name (dense1, dense2, …, output). */
    private static Map<String, float[]> weights(ExperimentSpec spec) {
        Map<String, float[]> out = new HashMap<>();
        try (BuiltNetwork net = NetworkFactory.build(spec, spec.dataset().outputs())) {
            for (LayerDescriptor layer : net.layers()) {
                if (layer.kind() == LayerKind.DENSE || layer.kind() == LayerKind.OUTPUT) {
                    out.put(
                            layer.name(),
                            net.layer(layer.name()).getParam("W").dup().data().asFloat());
                }
            }
        }
        return out;
    }

    /** The first {@code count} minibatches the trainer would take: their features, in order. */
    private static List<float[]> firstMinibatches(ExperimentSpec spec, int count) {
        Samples train = DatasetFactory.generate(spec.dataset()).train();
        int[] order = new MinibatchOrder(spec.training().seed(), train.size()).nextEpoch();
        int batch = spec.training().batchSize();
        List<float[]> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            out.add(train.select(order, k * batch, (k + 1) * batch).features());
        }
        return out;
    }

    @Test
    void withinARepeatEveryVariantStartsFromTheSameWeightsWhereShapesAgree() {
        assertThat(plan.variants()).hasSize(8);
        Map<String, float[]> plain = weights(spec(6, false, false, 0));
        Map<String, float[]> batchNorm = weights(spec(6, true, false, 0));
        Map<String, float[]> residual = weights(spec(6, false, true, 0));
        Map<String, float[]> both = weights(spec(6, true, true, 0));
        Map<String, float[]> shallow = weights(spec(3, false, false, 0));
        assertThat(plain.keySet())
                .containsExactlyInAnyOrder("dense1", "dense2", "dense3", "dense4", "dense5", "dense6", "output");
        for (String layer : plain.keySet()) {
            assertThat(batchNorm.get(layer)).as("batch norm " + layer).containsExactly(plain.get(layer));
            assertThat(residual.get(layer)).as("residual " + layer).containsExactly(plain.get(layer));
            assertThat(both.get(layer)).as("residual + batch norm " + layer).containsExactly(plain.get(layer));
        }
        for (String layer : shallow.keySet()) {
            assertThat(shallow.get(layer)).as("depth 3 vs 6: " + layer).containsExactly(plain.get(layer));
        }
    }

    @Test
    void withinARepeatEveryVariantSeesTheSameDataInTheSameOrder() {
        ExperimentSpec plain = spec(6, false, false, 0);
        SplitDataset data = DatasetFactory.generate(plain.dataset());
        List<float[]> batches = firstMinibatches(plain, 3);
        for (ExperimentSpec other : List.of(spec(6, true, false, 0), spec(6, false, true, 0), spec(3, true, true, 0))) {
            SplitDataset theirs = DatasetFactory.generate(other.dataset());
            assertThat(theirs.train().features()).containsExactly(data.train().features());
            assertThat(theirs.test().features()).containsExactly(data.test().features());
            List<float[]> their = firstMinibatches(other, 3);
            for (int k = 0; k < 3; k++) {
                assertThat(their.get(k)).as("minibatch " + k).containsExactly(batches.get(k));
            }
        }
    }

    @Test
    void theNextRepeatDrawsDataOrderAndWeightsAfresh() {
        ExperimentSpec first = spec(6, false, false, 0);
        ExperimentSpec second = spec(6, false, false, 1);
        assertThat(second.training().seed()).isEqualTo(first.training().seed() + 1);
        assertThat(second.dataset().seed()).isEqualTo(first.dataset().seed() + 1);

        Map<String, float[]> w0 = weights(first);
        Map<String, float[]> w1 = weights(second);
        for (String layer : w0.keySet()) {
            assertThat(w1.get(layer)).as(layer).isNotEqualTo(w0.get(layer));
        }
        assertThat(DatasetFactory.generate(second.dataset()).train().features())
                .isNotEqualTo(DatasetFactory.generate(first.dataset()).train().features());
        assertThat(firstMinibatches(second, 1).get(0))
                .isNotEqualTo(firstMinibatches(first, 1).get(0));
        // And repeat 1 is matched across its own variants too.
        assertThat(weights(spec(6, true, true, 1)).get("dense4")).containsExactly(w1.get("dense4"));
        assertThat(firstMinibatches(spec(3, true, false, 1), 1).get(0))
                .containsExactly(firstMinibatches(second, 1).get(0));
    }
}
