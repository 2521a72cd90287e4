package dev.gradlab.diagnosis;

import java.util.List;

/**
 * What the rules see of a run: per layer, the median of each statistic over its last recorded points (NaN where
 * none were recorded or none were finite), the recurrent profile's ends likewise, the recent loss and the last epoch.
 *
 * @param layerIteration last iteration of the per-layer statistics window, or null if none recorded
 * @param probeIteration last iteration of the probe statistics window, or null
 * @param time           the per-step gradients of a recurrent run, or null
 * @param recentLoss     median of the last losses (NaN if none finite)
 * @param lastLoss       the last recorded loss as it is (NaN if none)
 * @param lossIteration  the last recorded loss's iteration, or null
 * @param nonFiniteAt    the first iteration in the windows whose loss or gradient norm is non-finite, or null
 * @param lastEpoch      the last completed epoch, or null
 */
record RunObservations(
        List<LayerObservation> layers,
        Long layerIteration,
        Long probeIteration,
        TimeObservation time,
        double recentLoss,
        double lastLoss,
        Long lossIteration,
        Long nonFiniteAt,
        EpochState lastEpoch) {

    /** One parameterised layer; kind as stored (dense, batchNorm, recurrent, output). */
    record LayerObservation(
            int index,
            String name,
            String kind,
            double gradientNorm,
            double updateRatio,
            double saturatedFraction,
            double deadFraction) {}

    /** Medians of ‖∂L/∂x₁‖ and ‖∂L/∂x_T‖ over the last recorded profiles. */
    record TimeObservation(long iteration, int steps, double first, double last) {}

    record EpochState(int epoch, double trainAccuracy, double testAccuracy) {}

    /** The last iteration any statistic was judged at. */
    Long iteration() {
        Long latest = lossIteration;
        for (Long it : new Long[] {layerIteration, probeIteration, time == null ? null : time.iteration()}) {
            if (it != null && (latest == null || it > latest)) {
                latest = it;
            }
        }
        return latest;
    }
}
