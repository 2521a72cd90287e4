package dev.gradlab.network;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A ComputationGraph whose flat parameter vector can be freed without DL4J's close() (which ends with
 * System.gc()). Needed because {@link ComputationGraph#params()} hands out a reshaped view of that vector, and a view
 * cannot be closed.
 */
final class ReleasableGraph extends ComputationGraph {

    ReleasableGraph(ComputationGraphConfiguration configuration) {
        super(configuration);
    }

    void releaseParameters() {
        if (flattenedParams != null && flattenedParams.closeable()) {
            flattenedParams.close();
        }
    }
}
