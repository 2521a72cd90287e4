package dev.gradlab.network;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;

/** DL4J's MultiLayerNetwork updater, given the network's own gradient as its own ({@link OwnViewGradient}). */
final class OwnViewStackUpdater extends MultiLayerUpdater {

    OwnViewStackUpdater(MultiLayerNetwork network) {
        super(network);
    }

    @Override
    public synchronized void update(
            Gradient gradient, int iteration, int epoch, int batchSize, LayerWorkspaceMgr workspaceMgr) {
        super.update(
                OwnViewGradient.of(gradient, getFlattenedGradientsView()), iteration, epoch, batchSize, workspaceMgr);
    }
}
