package dev.gradlab.network;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.recurrent.LastTimeStepLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * An initialised DL4J network and its parameterised layers in input → output order. MLPs are ComputationGraphs
 * (residual sums need a graph); recurrent nets are MultiLayerNetworks, whose {@code calculateGradients} gives
 * the gradient with respect to the input sequence. Both lay out parameters and gradients in one flat vector.
 */
public final class BuiltNetwork implements AutoCloseable {

    private final ComputationGraph graph;
    private final MultiLayerNetwork stack;
    private final List<LayerDescriptor> layers;
    /** A float64 copy of a recurrent net for measuring input gradients; its parameters are refreshed per use. */
    private MultiLayerNetwork doubleTwin;

    BuiltNetwork(ComputationGraph graph, List<LayerDescriptor> layers) {
        this.graph = graph;
        this.stack = null;
        this.layers = layers;
    }

    BuiltNetwork(MultiLayerNetwork stack, List<LayerDescriptor> layers) {
        this.graph = null;
        this.stack = stack;
        this.layers = layers;
    }

    public List<LayerDescriptor> layers() {
        return layers;
    }

    /** The graph of an MLP. @throws IllegalStateException for a recurrent net */
    public ComputationGraph graph() {
        if (graph == null) {
            throw new IllegalStateException("a recurrent net is a MultiLayerNetwork");
        }
        return graph;
    }

    public boolean recurrent() {
        return stack != null;
    }

    public Model model() {
        return graph != null ? graph : stack;
    }

    public DataType dataType() {
        return params().dataType();
    }

    public void fit(DataSet batch) {
        if (graph != null) {
            graph.fit(batch);
        } else {
            stack.fit(batch);
        }
    }

    /** Inference-mode output (batch norm uses its running statistics). */
    public INDArray output(INDArray features) {
        return graph != null ? graph.outputSingle(false, features) : stack.output(features, false);
    }

    public INDArray params() {
        return graph != null ? graph.params() : stack.params();
    }

    /** The flat gradient vector, laid out like {@link #params()}. */
    public INDArray flatGradients() {
        return graph != null ? graph.getFlattenedGradients() : stack.getFlattenedGradients();
    }

    public long numParams() {
        return graph != null ? graph.numParams() : stack.numParams();
    }

    public Layer layer(String name) {
        return graph != null ? graph.getLayer(name) : stack.getLayer(name);
    }

    public void setListeners(TrainingListener listener) {
        if (graph != null) {
            graph.setListeners(listener);
        } else {
            stack.setListeners(listener);
        }
    }

    /**
     * ∂L/∂input for a recurrent net, shape [batch, features, time], for the summed loss over the batch
     * (DL4J's convention), computed in float64 on a copy of the current parameters without updating them.
     * Float64 because the gradient reaching early steps can fall to 10⁻³⁰ of the last step's and below: in
     * float32 it would underflow to 0 and show a gap of "infinitely many" orders.
     */
    public INDArray inputGradient(INDArray features, INDArray labels) {
        if (stack == null) {
            throw new IllegalStateException("input gradients are measured for recurrent nets");
        }
        if (doubleTwin == null) {
            doubleTwin = stack.convertDataType(DataType.DOUBLE);
        } else {
            doubleTwin.params().assign(stack.params());
        }
        return doubleTwin
                .calculateGradients(features.castTo(DataType.DOUBLE), labels.castTo(DataType.DOUBLE), null, null)
                .getSecond();
    }

    /**
     * The output of each layer's hidden nonlinearity ({@link LayerDescriptor#nonlinearityVertex()}) for these inputs,
     * keyed by layer index, without changing any parameter or state: [batch, width] for an MLP, [batch, width, time]
     * for a recurrent layer (every step, also for the last layer, which training reads at its final step only).
     * An MLP runs in training mode, so batch norm normalises with this batch's statistics, as training does.
     */
    public Map<Integer, INDArray> nonlinearityOutputs(INDArray features) {
        Map<Integer, INDArray> out = new HashMap<>();
        if (graph != null) {
            Map<String, INDArray> byVertex = graph.feedForward(new INDArray[] {features}, true, true);
            for (LayerDescriptor layer : layers) {
                if (layer.nonlinearityVertex() != null) {
                    out.put(layer.index(), byVertex.get(layer.nonlinearityVertex()));
                }
            }
            return out;
        }
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
        INDArray x = features;
        for (LayerDescriptor layer : layers) {
            if (layer.kind() != LayerKind.RECURRENT) {
                continue;
            }
            Layer l = stack.getLayer(layer.name());
            Layer cell = l instanceof LastTimeStepLayer wrapper ? wrapper.getUnderlying() : l;
            cell.setInput(x, noWorkspaces);
            x = cell.activate(false, noWorkspaces);
            cell.clear();
            out.put(layer.index(), x);
        }
        return out;
    }

    /** The float64 twin, or null before the first {@link #inputGradient}; for tests that check it is freed. */
    MultiLayerNetwork float64Twin() {
        return doubleTwin;
    }

    /**
     * Frees the parameters, gradients and optimizer state now. Not DL4J's own close(), which does the same and then
     * calls System.gc(): a full stop-the-world collection (0.2–1.9 s measured here, docs/PERFORMANCE.md) that
     * pauses every job on the instance, for memory that closing has already returned.
     */
    @Override
    public void close() {
        if (graph != null) {
            if (graph instanceof ReleasableGraph releasable) {
                releasable.releaseParameters(); // graph.params() is a view of them, which cannot be closed
            }
            release(
                    graph.getFlattenedGradients(),
                    graph.getUpdater(false) == null
                            ? null
                            : graph.getUpdater(false).getStateViewArray());
        } else {
            release(stack);
        }
        if (doubleTwin != null) {
            release(doubleTwin);
        }
    }

    private static void release(MultiLayerNetwork net) {
        release(
                net.params(),
                net.getFlattenedGradients(),
                net.getUpdater(false) == null ? null : net.getUpdater(false).getStateViewArray());
    }

    private static void release(INDArray... arrays) {
        for (INDArray array : arrays) {
            if (array != null && array.closeable()) {
                array.close();
            }
        }
    }
}
