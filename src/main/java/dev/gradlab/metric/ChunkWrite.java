package dev.gradlab.metric;

import java.util.UUID;

/** One chunk row to insert (its first write) or to overwrite (it grew since). */
record ChunkWrite(
        UUID jobId,
        MetricSeries series,
        int layerIndex,
        int chunkIndex,
        long firstIteration,
        long lastIteration,
        int count,
        byte[] points,
        boolean insert) {}
