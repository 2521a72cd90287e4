/**
 * The write path of the measurements: {@link dev.gradlab.metric.MetricRecorder} (a training observer) buffers a
 * run's points in chunks, the one {@link dev.gradlab.metric.MetricWriter} thread stores them, each write fenced by
 * the job's attempt. Owns the stored form ({@link dev.gradlab.metric.MetricSeries}, {@link dev.gradlab.metric.PointCodec})
 * that {@code curve} reads.
 */
package dev.gradlab.metric;
