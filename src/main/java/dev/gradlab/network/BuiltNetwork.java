package dev.gradlab.network;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** An initialised DL4J graph and its parameterised layers in input → output order. */
public record BuiltNetwork(ComputationGraph graph, List<LayerDescriptor> layers) {
}
