package dev.gradlab.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlab.spec.Activation;
import dev.gradlab.spec.DatasetName;
import dev.gradlab.spec.DatasetSpec;
import dev.gradlab.spec.ExperimentSpec;
import dev.gradlab.spec.ModelSpec;
import dev.gradlab.spec.Optimizer;
import dev.gradlab.spec.RnnCell;
import dev.gradlab.spec.TrainingSpec;
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
        ModelSpec m = new ModelSpec(null, 3, 8, null, null, null, true, true, null, null);
        ExperimentSpec spec = new ExperimentSpec(m, null, new TrainingSpec(Optimizer.ADAM, null, 16, 1, null, null),
                null).withDefaults();
        BuiltNetwork net = NetworkFactory.build(spec, 2);
        net.fit(new DataSet(Nd4j.rand(DataType.FLOAT, 16, 2), Nd4j.eye(2).castTo(DataType.FLOAT).repeat(0, 8)));
        List<INDArray> held = List.of(net.params(), net.flatGradients(),
                net.graph().getUpdater(false).getStateViewArray());

        net.close();

        assertThat(held).allSatisfy(a -> assertThat(a.wasClosed()).isTrue());
    }

    @Test
    void closeFreesARecurrentNetAndItsFloat64Twin() {
        ModelSpec m = ModelSpec.rnn(1, 8, RnnCell.LSTM, Activation.TANH, 1.0, null);
        ExperimentSpec spec = new ExperimentSpec(m, new DatasetSpec(DatasetName.ADDING, 40, null, null, null, null, 5),
                new TrainingSpec(Optimizer.ADAM, null, 4, 1, null, null), null).withDefaults();
        BuiltNetwork net = NetworkFactory.build(spec, 1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 2, 5);
        INDArray y = Nd4j.rand(DataType.FLOAT, 4, 1);
        net.fit(new DataSet(x, y));
        net.inputGradient(x, y); // builds the twin
        MultiLayerNetwork stack = (MultiLayerNetwork) net.model();
        List<INDArray> held = List.of(stack.params(), stack.getFlattenedGradients(),
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

        assertThat(held).allSatisfy(a -> assertThat(a.wasClosed()).as("float32 net").isTrue());
        assertThat(twinHeld).allSatisfy(a -> assertThat(a.wasClosed()).as("float64 twin").isTrue());
    }
}
