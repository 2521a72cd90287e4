package dev.gradlab.metric;

import dev.gradlab.database.DatabaseUnavailableException;
import dev.gradlab.training.EpochMetrics;
import dev.gradlab.training.LayerInfo;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
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
