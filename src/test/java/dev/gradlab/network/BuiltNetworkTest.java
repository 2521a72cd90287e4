package dev.gradlab.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlab.spec.Activation;
import dev.gradlab.spec.DatasetName;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.spec.ModelSpec;
import dev.gradlab.spec.Optimizer;
import dev.gradlab.spec.RnnCell;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** close() must free what a trained network holds natively, since it no longer relies on DL4J's close(). */
class BuiltNetworkTest {

    @Test
    void closeFreesParametersGradientsAndOptimizerStateOfAGraph() {
        ExperimentSpec spec = ExperimentSpec.builder()
                .model(m -> m.depth(3).width(8).residual(true).batchNorm(true))
                .training(t -> t.optimizer(Optimizer.ADAM).batchSize(16).epochs(1))
                .build()
                .withDefaults();
        BuiltNetwork net = NetworkFactory.build(spec, 2);
        net.fit(new DataSet(
                Nd4j.rand(DataType.FLOAT, 16, 2),
                Nd4j.eye(2).castTo(DataType.FLOAT).repeat(0, 8)));
        List<INDArray> held = List.of(
                net.params(), net.flatGradients(), net.graph().getUpdater(false).getStateViewArray());

        net.close();

        assertThat(held).allSatisfy(a -> assertThat(a.wasClosed()).isTrue());
    }

    @Test
    void closeFreesARecurrentNetAndItsFloat64Twin() {
        ExperimentSpec spec = ExperimentSpec.builder()
                .model(ModelSpec.rnn()
                        .depth(1)
                        .width(8)
                        .cell(RnnCell.LSTM)
                        .activation(Activation.TANH)
                        .recurrentScale(1.0)
                        .build())
                .dataset(d -> d.name(DatasetName.ADDING).samples(40).sequenceLength(5))
                .training(t -> t.optimizer(Optimizer.ADAM).batchSize(4).epochs(1))
                .build()
                .withDefaults();
        BuiltNetwork net = NetworkFactory.build(spec, 1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 2, 5);
        INDArray y = Nd4j.rand(DataType.FLOAT, 4, 1);
        net.fit(new DataSet(x, y));
        net.inputGradient(x, y); // builds the twin
        MultiLayerNetwork stack = (MultiLayerNetwork) net.model();
        List<INDArray> held = List.of(
                stack.params(),
                stack.getFlattenedGradients(),
                stack.getUpdater(false).getStateViewArray());
        MultiLayerNetwork twin = net.float64Twin();
        assertThat(twin).isNotNull().isNotSameAs(stack);
        // The twin only computes gradients: parameters and gradient view, no optimizer state.
        List<INDArray> twinHeld = List.of(twin.params(), twin.getFlattenedGradients());
        assertThat(twinHeld).allSatisfy(a -> {
            assertThat(a.dataType()).isEqualTo(DataType.DOUBLE);
            assertThat(a.wasClosed()).isFalse();
        });

        net.close();

        assertThat(held)
                .allSatisfy(a -> assertThat(a.wasClosed()).as("float32 net").isTrue());
        assertThat(twinHeld)
                .allSatisfy(a -> assertThat(a.wasClosed()).as("float64 twin").isTrue());
    }
}
