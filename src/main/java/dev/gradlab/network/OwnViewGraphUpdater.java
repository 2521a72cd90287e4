package dev.gradlab.network;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;

/** DL4J's graph updater, given the network's own gradient as its own ({@link OwnViewGradient} says why). */
final class OwnViewGraphUpdater extends ComputationGraphUpdater {

    OwnViewGraphUpdater(ComputationGraph graph) {
        super(graph);
    }

    @Override
    public synchronized void update(
            Gradient gradient, int iteration, int epoch, int batchSize, LayerWorkspaceMgr workspaceMgr) {
        super.update(
                OwnViewGradient.of(gradient, getFlattenedGradientsView()), iteration, epoch, batchSize, workspaceMgr);
    }
}
