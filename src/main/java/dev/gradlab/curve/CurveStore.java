package dev.gradlab.curve;

import dev.gradlab.metric.MetricSeries;
import dev.gradlab.metric.PointCodec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The read side of the metric tables that {@code metric.MetricStore} writes: range scans over one job's chunks,
 * which the primary key (job, series, layer, chunk) serves.
 */
@Repository
class CurveStore {

    private final JdbcTemplate jdbc;

    CurveStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A parameterised layer as training reported it: index input → output, name, kind. */
    record StoredLayer(int index, String name, String kind) {}

    List<StoredLayer> layers(UUID jobId) {
        return jdbc.query(
                "select layer_index, name, kind from metric_layer where job_id = ? order by layer_index",
                (rs, n) -> new StoredLayer(rs.getInt(1), rs.getString(2), rs.getString(3)),
                jobId);
    }

    List<EpochAccuracy> epochs(UUID jobId) {
        return jdbc.query(
                "select epoch, iteration, train_accuracy, test_accuracy, elapsed_millis from epoch_metric "
                        + "where job_id = ? order by epoch",
                (rs, n) ->
                        new EpochAccuracy(rs.getInt(1), rs.getLong(2), rs.getDouble(3), rs.getDouble(4), rs.getLong(5)),
                jobId);
    }

    /** Iterations that have a per-step gradient vector, ascending. */
    List<Long> timestepIterations(UUID jobId) {
        return jdbc.queryForList(
                "select iteration from timestep_gradient where job_id = ? order by iteration", Long.class, jobId);
    }

    /** The vector recorded at exactly that iteration, or null. */
    double[] timestepGradients(UUID jobId, long iteration) {
        List<double[]> rows = jdbc.query(
                "select norms from timestep_gradient where job_id = ? and iteration = ?",
                (rs, n) -> PointCodec.decodeValues(rs.getBytes(1)),
                jobId,
                iteration);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /**
     * The last points of one series per layer: the chunks with the greatest chunk index and the one before (the
     * last may have just been opened), so at least one full chunk's points, however long the run. Every layer that
     * records a series records it at the same iterations, so their chunk indices run in step: the greatest is read
     * from any one layer (a primary-key range), the chunks by chunk index (index metric_chunk_by_chunk_index).
     */
    Map<Integer, SeriesBuilder.Series> readTail(UUID jobId, MetricSeries series) {
        Integer last = jdbc.queryForObject(
                "select max(chunk_index) from metric_chunk where job_id = ? and series = ? and layer_index = "
                        + "(select layer_index from metric_chunk where job_id = ? and series = ? fetch first 1 rows only)",
                Integer.class,
                jobId,
                series.key(),
                jobId,
                series.key());
        if (last == null) {
            return Map.of();
        }
        return readChunks(
                "select layer_index, points from metric_chunk where job_id = ? and series = ? and chunk_index >= ? "
                        + "order by layer_index, chunk_index",
                jobId,
                series,
                last - 1);
    }

    private Map<Integer, SeriesBuilder.Series> readChunks(String sql, UUID jobId, MetricSeries series, int chunk) {
        Map<Integer, SeriesBuilder> builders = new HashMap<>();
        jdbc.query(
                sql,
                rs -> {
                    SeriesBuilder b = builders.computeIfAbsent(rs.getInt(1), k -> new SeriesBuilder(1024));
                    PointCodec.decode(rs.getBytes(2), Long.MIN_VALUE, Long.MAX_VALUE, b::add);
                },
                jobId,
                series.key(),
                chunk);
        Map<Integer, SeriesBuilder.Series> out = new HashMap<>();
        builders.forEach((layer, b) -> out.put(layer, b.build()));
        return out;
    }

    /** Each layer's first chunk of one series. */
    Map<Integer, SeriesBuilder.Series> readHead(UUID jobId, MetricSeries series) {
        return readChunks(
                "select layer_index, points from metric_chunk where job_id = ? and series = ? and chunk_index = ?",
                jobId,
                series,
                0);
    }

    /** The first per-step gradient vector, or null. */
    TimestepProfile timestepHead(UUID jobId) {
        List<TimestepProfile> rows = jdbc.query(
                "select iteration, norms from timestep_gradient where job_id = ? order by iteration "
                        + "fetch first 1 rows only",
                (rs, n) -> new TimestepProfile(
                        rs.getLong(1),
                        java.util.Arrays.stream(PointCodec.decodeValues(rs.getBytes(2)))
                                .boxed()
                                .toList()),
                jobId);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** The last {@code count} per-step gradient vectors, by ascending iteration. */
    List<TimestepProfile> timestepTail(UUID jobId, int count) {
        List<TimestepProfile> rows = new java.util.ArrayList<>(jdbc.query(
                "select iteration, norms from timestep_gradient where job_id = ? order by iteration desc "
                        + "fetch first ? rows only",
                (rs, n) -> new TimestepProfile(
                        rs.getLong(1),
                        java.util.Arrays.stream(PointCodec.decodeValues(rs.getBytes(2)))
                                .boxed()
                                .toList()),
                jobId,
                count));
        java.util.Collections.reverse(rows);
        return rows;
    }

    /** One epoch's accuracies, or null if it is not stored. */
    EpochAccuracy epoch(UUID jobId, int epoch) {
        List<EpochAccuracy> rows = jdbc.query(
                "select epoch, iteration, train_accuracy, test_accuracy, elapsed_millis from epoch_metric "
                        + "where job_id = ? and epoch = ?",
                (rs, n) ->
                        new EpochAccuracy(rs.getInt(1), rs.getLong(2), rs.getDouble(3), rs.getDouble(4), rs.getLong(5)),
                jobId,
                epoch);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** The points of one series with from ≤ iteration ≤ to, keyed by layer index ({@link MetricSeries#NO_LAYER} for the loss). */
    Map<Integer, SeriesBuilder.Series> read(UUID jobId, MetricSeries series, long from, long to) {
        Map<Integer, SeriesBuilder> builders = new HashMap<>();
        jdbc.query(
                "select layer_index, points from metric_chunk where job_id = ? and series = ? "
                        + "and last_iteration >= ? and first_iteration <= ? order by layer_index, chunk_index",
                rs -> {
                    SeriesBuilder b = builders.computeIfAbsent(rs.getInt(1), k -> new SeriesBuilder(1024));
                    PointCodec.decode(rs.getBytes(2), from, to, b::add);
                },
                jobId,
                series.key(),
                from,
                to);
        Map<Integer, SeriesBuilder.Series> out = new HashMap<>();
        builders.forEach((layer, b) -> out.put(layer, b.build()));
        return out;
    }
}
