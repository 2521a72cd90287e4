package dev.gradlab.metric;

import dev.gradlab.database.DatabaseUnavailableException;
import dev.gradlab.training.EpochMetrics;
import dev.gradlab.training.LayerInfo;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The write side of the metric tables (the read side is {@code curve.CurveStore}): rows written with plain JDBC
 * batches: series points are far too many for an entity per point, and
 * the reads are range scans over one job's chunks, which the primary key (job, series, layer, chunk) serves.
 */
@Repository
public class MetricStore {

    private final JdbcTemplate jdbc;

    MetricStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public void deleteJob(UUID jobId) {
        deleteJob(jobId, () -> true);
    }

    /** Deletes a job's metrics, if {@code claim} (run first, in the same transaction) says the job is still ours. */
    @Transactional
    public void deleteJob(UUID jobId, BooleanSupplier claim) {
        requireClaim(jobId, claim);
        jdbc.update("delete from metric_chunk where job_id = ?", jobId);
        jdbc.update("delete from epoch_metric where job_id = ?", jobId);
        jdbc.update("delete from metric_layer where job_id = ?", jobId);
        jdbc.update("delete from timestep_gradient where job_id = ?", jobId);
    }

    /** A metric table's rows of one job, by primary key (job_id first). */
    private record JobRows(String table, List<String> key) {}

    /** Largest first: a deleted job's points go before its small tables. */
    private static final List<JobRows> JOB_TABLES = List.of(
            new JobRows("metric_chunk", List.of("series", "layer_index", "chunk_index")),
            new JobRows("timestep_gradient", List.of("iteration")),
            new JobRows("epoch_metric", List.of("epoch")),
            new JobRows("metric_layer", List.of("layer_index")));

    /**
     * Deletes up to {@code maxRows} metric rows of a deleted job, in one short transaction: the keys of a batch are
     * read through the primary key (the job's range of it), then deleted by key. Each batch locks only the rows it
     * deletes, for as long as it takes, so the metric writes of running jobs (other rows) never queue behind a
     * job's whole purge, however many millions of points it had.
     *
     * @return how many rows were deleted: fewer than {@code maxRows} once the job has none left
     */
    @Transactional
    public int deleteSome(UUID jobId, int maxRows) {
        int deleted = 0;
        for (JobRows rows : JOB_TABLES) {
            if (deleted >= maxRows) {
                break;
            }
            String columns = String.join(", ", rows.key());
            List<Object[]> keys = jdbc.query(
                    "select " + columns + " from " + rows.table() + " where job_id = ? fetch first "
                            + (maxRows - deleted) + " rows only",
                    (rs, n) -> {
                        Object[] key = new Object[rows.key().size()];
                        for (int k = 0; k < key.length; k++) {
                            key[k] = rs.getObject(k + 1);
                        }
                        return key;
                    },
                    jobId);
            if (keys.isEmpty()) {
                continue;
            }
            String where = rows.key().stream().map(c -> c + " = ?").collect(Collectors.joining(" and "));
            jdbc.batchUpdate(
                    "delete from " + rows.table() + " where job_id = ? and " + where, keys, keys.size(), (ps, key) -> {
                        ps.setObject(1, jobId);
                        for (int k = 0; k < key.length; k++) {
                            ps.setObject(k + 2, key[k]);
                        }
                    });
            deleted += keys.size();
        }
        return deleted;
    }

    @Transactional
    void saveLayers(UUID jobId, List<LayerInfo> layers, BooleanSupplier claim) {
        requireClaim(jobId, claim);
        jdbc.update("delete from metric_layer where job_id = ?", jobId);
        jdbc.batchUpdate(
                "insert into metric_layer (job_id, layer_index, name, kind) values (?, ?, ?, ?)",
                layers,
                layers.size(),
                (ps, l) -> {
                    ps.setObject(1, jobId);
                    ps.setInt(2, l.index());
                    ps.setString(3, l.name());
                    ps.setString(4, l.kind());
                });
    }

    /** One recorded ‖∂L/∂x_t‖ vector of a recurrent run. */
    record TimestepGradients(long iteration, double[] norms) {}

    /**
     * Stores one batch of a run's points. {@code claim} runs first, in the same transaction: the job's progress
     * update, which locks the job row and answers false if another attempt owns the job now. Such a batch is
     * rolled back, so a run given up for dead cannot mix its points into its successor's curves (nor, through
     * {@link #deleteJob(UUID, BooleanSupplier)} and the layer list, delete or replace them).
     * <p>
     * A {@code replay} is the same batch again after a failure whose outcome is unknown (the connection died; the
     * commit may have gone through): it first deletes the rows it inserts, so every point is stored exactly once
     * either way. Chunk updates rewrite the whole row and need nothing.
     */
    @Transactional
    void write(
            List<ChunkWrite> chunks,
            UUID jobId,
            List<EpochMetrics> epochs,
            List<TimestepGradients> timesteps,
            BooleanSupplier claim,
            boolean replay) {
        requireClaim(jobId, claim);
        if (replay) {
            deleteReplayed(chunks, jobId, epochs, timesteps);
        }
        if (!timesteps.isEmpty()) {
            jdbc.batchUpdate(
                    "insert into timestep_gradient (job_id, iteration, steps, norms) values (?, ?, ?, ?)",
                    timesteps,
                    timesteps.size(),
                    (ps, t) -> {
                        ps.setObject(1, jobId);
                        ps.setLong(2, t.iteration());
                        ps.setInt(3, t.norms().length);
                        ps.setBytes(4, PointCodec.encodeValues(t.norms()));
                    });
        }
        List<ChunkWrite> inserts = chunks.stream().filter(ChunkWrite::insert).toList();
        List<ChunkWrite> updates = chunks.stream().filter(c -> !c.insert()).toList();
        if (!inserts.isEmpty()) {
            jdbc.batchUpdate(
                    "insert into metric_chunk (first_iteration, last_iteration, point_count, points, "
                            + "job_id, series, layer_index, chunk_index) values (?, ?, ?, ?, ?, ?, ?, ?)",
                    inserts,
                    inserts.size(),
                    MetricStore::bindChunk);
        }
        if (!updates.isEmpty()) {
            int[][] updated = jdbc.batchUpdate(
                    "update metric_chunk set first_iteration = ?, last_iteration = ?, point_count = ?, "
                            + "points = ? where job_id = ? and series = ? and layer_index = ? and chunk_index = ?",
                    updates,
                    updates.size(),
                    MetricStore::bindChunk);
            requireAllUpdated(jobId, updated);
        }
        if (!epochs.isEmpty()) {
            jdbc.batchUpdate(
                    "insert into epoch_metric (job_id, epoch, iteration, train_accuracy, test_accuracy, "
                            + "elapsed_millis) values (?, ?, ?, ?, ?, ?)",
                    epochs,
                    epochs.size(),
                    (ps, e) -> {
                        ps.setObject(1, jobId);
                        ps.setInt(2, e.epoch());
                        ps.setLong(3, e.iteration());
                        ps.setDouble(4, e.trainAccuracy());
                        ps.setDouble(5, e.testAccuracy());
                        ps.setLong(6, e.elapsedMillis());
                    });
        }
    }

    private void deleteReplayed(
            List<ChunkWrite> chunks, UUID jobId, List<EpochMetrics> epochs, List<TimestepGradients> timesteps) {
        List<ChunkWrite> inserts = chunks.stream().filter(ChunkWrite::insert).toList();
        if (!inserts.isEmpty()) {
            jdbc.batchUpdate(
                    "delete from metric_chunk where job_id = ? and series = ? and layer_index = ? and chunk_index = ?",
                    inserts,
                    inserts.size(),
                    (ps, c) -> {
                        ps.setObject(1, jobId);
                        ps.setString(2, c.series().key());
                        ps.setInt(3, c.layerIndex());
                        ps.setInt(4, c.chunkIndex());
                    });
        }
        if (!epochs.isEmpty()) {
            jdbc.batchUpdate(
                    "delete from epoch_metric where job_id = ? and epoch = ?", epochs, epochs.size(), (ps, e) -> {
                        ps.setObject(1, jobId);
                        ps.setInt(2, e.epoch());
                    });
        }
        if (!timesteps.isEmpty()) {
            jdbc.batchUpdate(
                    "delete from timestep_gradient where job_id = ? and iteration = ?",
                    timesteps,
                    timesteps.size(),
                    (ps, t) -> {
                        ps.setObject(1, jobId);
                        ps.setLong(2, t.iteration());
                    });
        }
    }

    /**
     * A chunk this attempt inserted (and still owns: the claim held) is gone only if the database lost commits
     * it had acknowledged: H2 keeps the last half second of commits in memory, and a failed write to its file (a
     * full disk) drops them. The curves would have a gap; the job's next attempt starts them over.
     */
    private static void requireAllUpdated(UUID jobId, int[][] counts) {
        for (int[] batch : counts) {
            for (int count : batch) {
                if (count == 0) {
                    throw new DatabaseUnavailableException(
                            "metrics of job " + jobId + " stored earlier are gone: the database lost acknowledged"
                                    + " commits (a failed write to its storage)",
                            null);
                }
            }
        }
    }

    private static void requireClaim(UUID jobId, BooleanSupplier claim) {
        if (!claim.getAsBoolean()) {
            throw new IllegalStateException("job " + jobId + " has been taken over by another attempt");
        }
    }

    private static void bindChunk(java.sql.PreparedStatement ps, ChunkWrite c) throws java.sql.SQLException {
        ps.setLong(1, c.firstIteration());
        ps.setLong(2, c.lastIteration());
        ps.setInt(3, c.count());
        ps.setBytes(4, c.points());
        ps.setObject(5, c.jobId());
        ps.setString(6, c.series().key());
        ps.setInt(7, c.layerIndex());
        ps.setInt(8, c.chunkIndex());
    }
}
