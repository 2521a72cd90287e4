package dev.gradlab.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.gradlab.database.DatabaseUnavailableException;
import dev.gradlab.training.EpochMetrics;
import dev.gradlab.training.IterationMetrics;
import dev.gradlab.training.LayerInfo;
import dev.gradlab.training.LayerStatistics;
import dev.gradlab.training.TrainingPlan;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.TransactionManager;
import org.springframework.transaction.annotation.AnnotationTransactionAttributeSource;
import org.springframework.transaction.interceptor.TransactionInterceptor;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The write path against the real schema (in-memory H2, the Flyway scripts) with {@link MetricStore}'s
 * transactions as Spring applies them, but no Spring context: chunking, when chunks are inserted or updated,
 * epochs and per-step vectors, close(), a failed write, and the attempt fence.
 */
class MetricRecorderTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final long NEVER = Long.MAX_VALUE;
    private static final int CHUNK = MetricWriter.CHUNK_POINTS;
    private static final List<LayerInfo> LAYERS =
            List.of(new LayerInfo(0, "dense1", "dense"), new LayerInfo(1, "output", "output"));

    private final DriverManagerDataSource dataSource = new DriverManagerDataSource(
            "jdbc:h2:mem:recorder" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1", "sa", "");
    private final JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    private final UUID job = UUID.randomUUID();
    private final List<MetricWriter> writers = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration/h2")
                .load()
                .migrate();
        jdbc.update(
                "insert into job (id, owner, status, spec, total_iterations, created_at, attempt) "
                        + "values (?, 'local', 'RUNNING', '{}', 10000, current_timestamp, 1)",
                job);
    }

    @AfterEach
    void stopWriters() throws InterruptedException {
        for (MetricWriter w : writers) {
            w.destroy();
        }
        jdbc.execute("shutdown");
    }

    /** MetricStore as the writer sees it, counting its writes; can fail one after it has stored its points. */
    static class RecordingStore extends MetricStore {
        final List<List<ChunkWrite>> writes = new CopyOnWriteArrayList<>();
        /** Whether each write (in order) was a replay. */
        final List<Boolean> replays = new CopyOnWriteArrayList<>();
        /** The MDC's job id on the thread of each write (in order). */
        final List<String> loggedJobIds = new CopyOnWriteArrayList<>();

        volatile int failWrite; // 1-based number of the write that fails, 0 for none
        volatile long delayMillis;
        /** Writes (1-based) that find the database unreachable, before storing anything. */
        final java.util.Set<Integer> unreachableAt = java.util.concurrent.ConcurrentHashMap.newKeySet();
        /** Every write finds the database unreachable while this is set. */
        volatile boolean down;

        RecordingStore(JdbcTemplate jdbc) {
            super(jdbc);
        }

        @Override
        void write(
                List<ChunkWrite> chunks,
                UUID jobId,
                List<EpochMetrics> epochs,
                List<TimestepGradients> timesteps,
                BooleanSupplier claim,
                boolean replay) {
            writes.add(List.copyOf(chunks));
            replays.add(replay);
            loggedJobIds.add(String.valueOf(org.slf4j.MDC.get("jobId")));
            if (down || unreachableAt.contains(writes.size())) {
                throw unreachable();
            }
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            super.write(chunks, jobId, epochs, timesteps, claim, replay);
            if (writes.size() == failWrite) {
                throw new IllegalStateException("disk full"); // after the inserts: the transaction must undo them
            }
        }
    }

    /** What Spring's JdbcTemplate throws when Hikari gives up waiting for a connection. */
    static RuntimeException unreachable() {
        return new CannotGetJdbcConnectionException(
                "Failed to obtain JDBC Connection",
                new SQLTransientConnectionException(
                        "HikariPool-1 - Connection is not available, request timed out after 2000ms"));
    }

    /**
     * A store whose write commits, and then the caller sees the connection fail anyway (the commit's answer was
     * lost): the write is retried although its points are stored.
     */
    static final class LostCommitStore extends MetricStore {
        final MetricStore committed;
        final AtomicInteger lost = new AtomicInteger();

        LostCommitStore(JdbcTemplate jdbc, MetricStore committed) {
            super(jdbc);
            this.committed = committed;
        }

        @Override
        void saveLayers(UUID jobId, List<LayerInfo> layers, BooleanSupplier claim) {
            committed.saveLayers(jobId, layers, claim);
        }

        @Override
        void write(
                List<ChunkWrite> chunks,
                UUID jobId,
                List<EpochMetrics> epochs,
                List<TimestepGradients> timesteps,
                BooleanSupplier claim,
                boolean replay) {
            committed.write(chunks, jobId, epochs, timesteps, claim, replay);
            if (!replay) { // every write's first answer is lost
                lost.incrementAndGet();
                throw unreachable();
            }
        }
    }

    private final RecordingStore recording = new RecordingStore(jdbc);
    /** The store with its @Transactional methods in transactions, as in the application. */
    private final MetricStore store = transactional(recording);

    private MetricStore transactional(MetricStore target) {
        ProxyFactory proxy = new ProxyFactory(target);
        proxy.setProxyTargetClass(true);
        proxy.addAdvice(new TransactionInterceptor(
                (TransactionManager) new DataSourceTransactionManager(dataSource),
                new AnnotationTransactionAttributeSource(false)));
        return (MetricStore) proxy.getProxy();
    }

    /** Progress calls as JobRepository.progress makes them: only the attempt that owns the job may write. */
    private final List<Long> progressCalls = new CopyOnWriteArrayList<>();

    private final List<Boolean> progressInTransaction = new CopyOnWriteArrayList<>();

    private MetricWriter.ProgressListener attempt(int number) {
        return (iteration, epoch, storedBytes) -> {
            progressCalls.add(iteration);
            progressInTransaction.add(TransactionSynchronizationManager.isActualTransactionActive());
            return jdbc.update(
                            "update job set iteration = ?, epoch = ?, stored_bytes = ? where id = ? and attempt = ?"
                                    + " and status = 'RUNNING'",
                            iteration,
                            epoch,
                            storedBytes,
                            job,
                            number)
                    == 1;
        };
    }

    private MetricRecorder recorder(long flushIntervalMillis, MetricWriter.ProgressListener progress) {
        return recorder(store, flushIntervalMillis, MetricWriter.DEFAULT_OUTAGE_TOLERANCE, progress);
    }

    private MetricRecorder recorder(
            MetricStore through,
            long flushIntervalMillis,
            java.time.Duration outageTolerance,
            MetricWriter.ProgressListener progress) {
        MetricWriter writer = new MetricWriter(through, flushIntervalMillis, meters);
        writers.add(writer);
        MetricRecorder recorder = writer.open(job, outageTolerance, progress);
        recorder.onStart(new TrainingPlan(LAYERS, 10000, 100, 1234));
        return recorder;
    }

    private static double lossAt(long iteration) {
        return 1.0 / iteration;
    }

    /** dense1 has activations, the output layer none; no clipping; not recurrent. */
    private static IterationMetrics iteration(long it, int epoch) {
        return new IterationMetrics(
                it,
                epoch,
                lossAt(it),
                List.of(
                        new LayerStatistics(0, it * 1e-3, it * 1e-4, null, null, 0.01, 0.5, 0.2, null, null),
                        new LayerStatistics(1, it * 2e-3, it * 2e-4, null, null, 0.02, null, null, null, null)));
    }

    private static void feed(MetricRecorder recorder, long from, long to) {
        for (long it = from; it <= to; it++) {
            recorder.onIteration(iteration(it, 1));
        }
    }

    /** Waits until the writer has done everything handed to it so far. */
    private static void drain(MetricWriter writer) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        writer.submit(() -> done.complete(null));
        done.get(30, TimeUnit.SECONDS);
    }

    private void drain() throws Exception {
        drain(writers.get(writers.size() - 1));
    }

    private record Row(int chunk, long first, long last, int count, byte[] points) {}

    private List<Row> chunks(String series, int layer) {
        return jdbc.query(
                "select chunk_index, first_iteration, last_iteration, point_count, points from metric_chunk "
                        + "where job_id = ? and series = ? and layer_index = ? order by chunk_index",
                (rs, n) -> new Row(rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getInt(4), rs.getBytes(5)),
                job,
                series,
                layer);
    }

    private List<Long> storedIterations(String series, int layer) {
        List<Long> out = new ArrayList<>();
        for (Row row : chunks(series, layer)) {
            PointCodec.decode(row.points(), 0, Long.MAX_VALUE, (it, v) -> out.add(it));
        }
        return out;
    }

    private List<String> storedPoints(String series, int layer) {
        List<String> out = new ArrayList<>();
        for (Row row : chunks(series, layer)) {
            PointCodec.decode(row.points(), 0, Long.MAX_VALUE, (it, v) -> out.add(it + ":" + v));
        }
        return out;
    }

    private List<ChunkWrite> lossWrites() {
        return recording.writes.stream()
                .flatMap(List::stream)
                .filter(w -> w.series() == MetricSeries.LOSS)
                .toList();
    }

    private long jobIteration() {
        return jdbc.queryForObject("select iteration from job where id = ?", Long.class, job);
    }

    /**
     * The writer thread counts each stored point once (a growing chunk is rewritten at every flush), and logs
     * with the job's id in the MDC while it writes the job's points, and without it afterwards.
     */
    @Test
    void storedPointsAreCountedOnceAndWritesCarryTheJobIdInTheMdc() throws Exception {
        MetricRecorder recorder = recorder(0, attempt(1)); // flushes after every iteration: chunks grow by rewrites
        feed(recorder, 1, 600);
        recorder.close();

        long stored =
                jdbc.queryForObject("select sum(point_count) from metric_chunk where job_id = ?", Long.class, job);
        // loss, and per iteration 5 statistics of dense1 and 3 of the output layer (see iteration())
        assertThat(stored).isEqualTo(600L * (1 + 5 + 3));
        assertThat(recording.writes.size()).as("rewrites of growing chunks").isGreaterThan(10);
        assertThat(meters.get("gradlab.metrics.points.written").counter().count())
                .isEqualTo((double) stored);
        assertThat(meters.get("gradlab.metrics.writer.backlog").gauge().value()).isZero();
        assertThat(recording.loggedJobIds).isNotEmpty().containsOnly(job.toString());
        CompletableFuture<String> after = new CompletableFuture<>();
        writers.get(0).submit(() -> after.complete(String.valueOf(org.slf4j.MDC.get("jobId"))));
        assertThat(after.get(30, TimeUnit.SECONDS)).isEqualTo("null");
    }

    @Test
    void pointsAreStoredIn512PointChunksEachInsertedOnce() {
        MetricRecorder recorder = recorder(NEVER, attempt(1));
        feed(recorder, 1, 1100);
        recorder.close();

        assertThat(chunks("loss", MetricSeries.NO_LAYER))
                .extracting(Row::chunk, Row::first, Row::last, Row::count)
                .containsExactly(tuple(0, 1L, 512L, CHUNK), tuple(1, 513L, 1024L, CHUNK), tuple(2, 1025L, 1100L, 76));
        List<Double> losses = new ArrayList<>();
        for (Row row : chunks("loss", MetricSeries.NO_LAYER)) {
            PointCodec.decode(row.points(), 0, Long.MAX_VALUE, (it, v) -> {
                assertThat(v).isEqualTo(lossAt(it));
                losses.add(v);
            });
        }
        assertThat(losses).hasSize(1100);
        // a full chunk is written when the next point arrives (513, 1025), the rest at close()
        assertThat(recording.writes).hasSize(3);
        assertThat(lossWrites()).allMatch(ChunkWrite::insert);
        assertThat(storedIterations("weightGradientNorm", 1)).hasSize(1100);
        assertThat(storedIterations("activationMean", 0)).hasSize(1100);
        assertThat(chunks("activationMean", 1))
                .as("the output layer has no activations")
                .isEmpty();
        assertThat(chunks("clippedWeightGradientNorm", 0)).as("no clipping").isEmpty();
        assertThat(jdbc.queryForList(
                        "select name from metric_layer where job_id = ? order by layer_index", String.class, job))
                .containsExactly("dense1", "output");
        assertThat(jobIteration()).isEqualTo(1100);
        assertThat(progressInTransaction)
                .as("progress runs in the write's transaction")
                .containsOnly(true);
    }

    @Test
    void aGrowingChunkIsInsertedOnceThenUpdatedAndAFullOneOpensItsSuccessor() throws Exception {
        MetricRecorder recorder = recorder(0, attempt(1)); // flushes after every iteration
        feed(recorder, 1, 3);
        drain();
        assertThat(lossWrites())
                .extracting(ChunkWrite::chunkIndex, ChunkWrite::count, ChunkWrite::insert)
                .containsExactly(tuple(0, 1, true), tuple(0, 2, false), tuple(0, 3, false));
        assertThat(chunks("loss", MetricSeries.NO_LAYER))
                .extracting(Row::chunk, Row::first, Row::last, Row::count)
                .containsExactly(tuple(0, 1L, 3L, 3));

        feed(recorder, 4, CHUNK + 2); // chunk 0 fills at 512; 513 and 514 go to chunk 1
        recorder.close();

        List<ChunkWrite> chunk0 =
                lossWrites().stream().filter(w -> w.chunkIndex() == 0).toList();
        assertThat(chunk0)
                .as("one write per iteration until it is full, none after")
                .hasSize(CHUNK);
        assertThat(chunk0).filteredOn(ChunkWrite::insert).hasSize(1);
        assertThat(lossWrites())
                .filteredOn(w -> w.chunkIndex() == 1)
                .extracting(ChunkWrite::count, ChunkWrite::insert)
                .containsExactly(tuple(1, true), tuple(2, false));
        assertThat(chunks("loss", MetricSeries.NO_LAYER))
                .extracting(Row::chunk, Row::first, Row::last, Row::count)
                .containsExactly(tuple(0, 1L, 512L, CHUNK), tuple(1, 513L, 514L, 2));
        assertThat(storedIterations("loss", MetricSeries.NO_LAYER))
                .hasSize(CHUNK + 2)
                .doesNotHaveDuplicates();
    }

    @Test
    void epochsAreStoredWithTheNextFlushNotAtOnce() throws Exception {
        MetricRecorder recorder = recorder(0, attempt(1));
        feed(recorder, 1, 3);
        recorder.onEpoch(new EpochMetrics(1, 3, 0.75, 0.5, 120));
        drain();
        assertThat(jdbc.queryForObject("select count(*) from epoch_metric", Integer.class))
                .isZero();

        recorder.onIteration(iteration(4, 2));
        drain();
        assertThat(jdbc.queryForList(
                        "select epoch, iteration, train_accuracy, test_accuracy, elapsed_millis from epoch_metric"))
                .singleElement()
                .satisfies(row -> assertThat(row.values()).containsExactly(1, 3L, 0.75, 0.5, 120L));
        assertThat(jdbc.queryForObject("select epoch from job where id = ?", Integer.class, job))
                .as("one epoch completed")
                .isEqualTo(1);

        recorder.onEpoch(new EpochMetrics(2, 4, 0.8, 0.6, 200));
        recorder.close(); // the last epoch goes out with close()
        assertThat(jdbc.queryForList("select epoch from epoch_metric order by epoch", Integer.class))
                .containsExactly(1, 2);
        assertThat(jdbc.queryForObject("select epoch from job where id = ?", Integer.class, job))
                .isEqualTo(2);
    }

    @Test
    void timestepVectorsAreStoredAsRecordedEvenIfTheCallerReusesItsArray() {
        MetricRecorder recorder = recorder(NEVER, attempt(1));
        double[] probe = {1e-30, Double.NaN, Double.POSITIVE_INFINITY, 1};
        IterationMetrics first = iteration(1, 1);
        recorder.onIteration(new IterationMetrics(1, 1, first.loss(), first.layers(), probe));
        probe[0] = 42; // the probe's buffer is reused for the next measurement
        recorder.onIteration(iteration(2, 1)); // no vector at this iteration
        recorder.close();

        List<Integer> steps = jdbc.queryForList(
                "select steps from timestep_gradient where job_id = ? order by iteration", Integer.class, job);
        assertThat(steps).containsExactly(4);
        double[] stored = PointCodec.decodeValues(jdbc.queryForObject(
                "select norms from timestep_gradient where job_id = ? and iteration = 1", byte[].class, job));
        assertThat(stored).containsExactly(1e-30, Double.NaN, Double.POSITIVE_INFINITY, 1);
    }

    /** The job's stored bytes as the recorder reports them, and as the stored rows add up. */
    private void assertStoredBytesMatchTheRows() {
        long rows = jdbc.queryForObject(
                        "select coalesce(sum(octet_length(points)), 0) from metric_chunk where job_id = ?",
                        Long.class,
                        job)
                + jdbc.queryForObject(
                        "select coalesce(sum(octet_length(norms)), 0) from timestep_gradient where job_id = ?",
                        Long.class,
                        job);
        assertThat(rows).isPositive();
        assertThat(jdbc.queryForObject("select stored_bytes from job where id = ?", Long.class, job))
                .isEqualTo(rows);
    }

    @Test
    void storedBytesAddUpTheRowsAsGrowingChunksAreRewrittenAndFilled() {
        MetricRecorder recorder = recorder(0, attempt(1)); // every iteration rewrites the growing chunks
        for (long it = 1; it <= CHUNK + 30; it++) {
            IterationMetrics m = iteration(it, 1);
            double[] steps = it % 7 == 0 ? new double[] {1, 2, 3} : null;
            recorder.onIteration(new IterationMetrics(it, 1, m.loss(), m.layers(), steps));
        }
        recorder.close();
        assertStoredBytesMatchTheRows();
    }

    @Test
    void storedBytesAreNotCountedTwiceWhenAWriteIsReplayed() {
        LostCommitStore lossy = new LostCommitStore(jdbc, store);
        MetricRecorder recorder = recorder(lossy, NEVER, MetricWriter.DEFAULT_OUTAGE_TOLERANCE, attempt(1));
        feed(recorder, 1, CHUNK + 10);
        recorder.close();
        assertThat(lossy.lost)
                .as("each write committed, then seemed to fail, and was replayed")
                .hasValue(2);
        assertStoredBytesMatchTheRows();
    }

    @Test
    void deleteSomeRemovesAJobsRowsInBatchesAndNoOtherJobsRows() {
        MetricRecorder recorder = recorder(NEVER, attempt(1));
        for (long it = 1; it <= 3 * CHUNK; it++) {
            IterationMetrics m = iteration(it, 1);
            recorder.onIteration(new IterationMetrics(it, 1, m.loss(), m.layers(), new double[] {1, 2}));
        }
        recorder.onEpoch(new EpochMetrics(1, 3 * CHUNK, 0.5, 0.5, 1));
        recorder.close();
        UUID other = UUID.randomUUID();
        jdbc.update(
                "insert into metric_chunk (job_id, series, layer_index, chunk_index, first_iteration, last_iteration,"
                        + " point_count, points) values (?, 'loss', -1, 0, 1, 1, 1, ?)",
                other,
                new byte[16]);
        long rows = jobRows(job);
        assertThat(rows).isGreaterThan(3 * CHUNK); // the per-step rows, the chunks, the epoch and the layers

        List<Integer> batches = new ArrayList<>();
        int batch;
        do {
            batch = store.deleteSome(job, 100);
            batches.add(batch);
        } while (batch == 100);
        assertThat(batches.subList(0, batches.size() - 1)).containsOnly(100);
        assertThat(batches.stream().mapToLong(Integer::longValue).sum()).isEqualTo(rows);
        assertThat(jobRows(job)).isZero();
        assertThat(jobRows(other)).as("another job's rows").isEqualTo(1);
    }

    private long jobRows(UUID id) {
        long n = 0;
        for (String table : List.of("metric_chunk", "timestep_gradient", "epoch_metric", "metric_layer")) {
            n += jdbc.queryForObject("select count(*) from " + table + " where job_id = ?", Long.class, id);
        }
        return n;
    }

    @Test
    void closeReturnsOnlyOnceEverythingIsStored() {
        recording.delayMillis = 300; // a slow database: a close() that did not wait would find nothing stored
        MetricRecorder recorder = recorder(NEVER, attempt(1));
        feed(recorder, 1, 10);
        recorder.onEpoch(new EpochMetrics(1, 10, 0.5, 0.5, 1));
        recorder.close();

        assertThat(storedIterations("loss", MetricSeries.NO_LAYER)).hasSize(10);
        assertThat(jdbc.queryForObject("select count(*) from epoch_metric", Integer.class))
                .isEqualTo(1);
        assertThat(jobIteration()).isEqualTo(10);
    }

    @Test
    void aFailedWriteIsRolledBackAndStopsEveryLaterWrite() throws Exception {
        recording.failWrite = 2;
        MetricRecorder recorder = recorder(0, attempt(1));
        feed(recorder, 1, 2);
        drain();
        assertThat(recorder.failed()).isTrue();
        assertThat(storedIterations("loss", MetricSeries.NO_LAYER))
                .as("the failed write's points are rolled back")
                .containsExactly(1L);
        assertThat(jobIteration()).as("and so is its progress").isEqualTo(1);

        feed(recorder, 3, 5);
        assertThatThrownBy(recorder::close)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("could not store metrics: disk full");
        assertThat(recording.writes).as("nothing written after the failure").hasSize(2);
        assertThat(storedIterations("loss", MetricSeries.NO_LAYER)).containsExactly(1L);
    }

    @Test
    void anAttemptTakenOverElsewhereStoresNothingMoreAndLeavesItsSuccessorsPointsAlone() throws Exception {
        MetricRecorder stale = recorder(0, attempt(1));
        feed(stale, 1, 2);
        drain();
        assertThat(jobIteration()).isEqualTo(2);

        // another instance takes the job over: attempt 2 clears the metrics and records its own
        jdbc.update("update job set attempt = 2, iteration = 0 where id = ?", job);
        store.deleteJob(job, () -> true);
        MetricRecorder successor = recorder(NEVER, attempt(2));
        feed(successor, 1, 5);
        successor.close();
        List<String> successors = storedPoints("loss", MetricSeries.NO_LAYER);
        int callsBefore = progressCalls.size();

        stale.onIteration(iteration(3, 1));
        drain(writers.get(0));
        assertThat(stale.failed()).as("its write was refused").isTrue();
        feed(stale, 4, 6);
        assertThatThrownBy(stale::close)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("taken over by another attempt");

        assertThat(progressCalls).as("one refused write, then none").hasSize(callsBefore + 1);
        assertThat(storedPoints("loss", MetricSeries.NO_LAYER))
                .isEqualTo(successors)
                .hasSize(5);
        assertThat(jobIteration()).as("the successor's progress").isEqualTo(5);
    }

    @Test
    void anAttemptThatNoLongerOwnsTheJobAtStartStoresNothing() {
        jdbc.update("update job set attempt = 3 where id = ?", job);
        MetricRecorder recorder = recorder(NEVER, attempt(1));
        feed(recorder, 1, 600);
        assertThatThrownBy(recorder::close).isInstanceOf(IllegalStateException.class);
        assertThat(recorder.failed()).isTrue();
        assertThat(jdbc.queryForObject("select count(*) from metric_layer", Integer.class))
                .isZero();
        assertThat(jdbc.queryForObject("select count(*) from metric_chunk", Integer.class))
                .isZero();
        assertThat(recording.writes)
                .as("the layer list was refused, so no point was even tried")
                .isEmpty();
    }

    @Test
    void writesThatFindTheDatabaseUnreachableAreRetriedAndStoreEveryPointOnce() {
        recording.unreachableAt.addAll(List.of(2, 3, 5));
        MetricRecorder recorder = recorder(0, attempt(1));
        feed(recorder, 1, 20);
        recorder.onEpoch(new EpochMetrics(1, 20, 0.5, 0.5, 1));
        recorder.close();

        assertThat(recorder.failed()).isFalse();
        assertThat(storedIterations("loss", MetricSeries.NO_LAYER))
                .containsExactlyElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList());
        assertThat(storedIterations("weightGradientNorm", 0)).hasSize(20).doesNotHaveDuplicates();
        assertThat(jobIteration()).isEqualTo(20);
        assertThat(recording.replays.subList(0, 6))
                .as("iteration 1 at once; iteration 2 at its third try (two replays); iteration 3 at its second")
                .containsExactly(false, false, true, true, false, true);
    }

    @Test
    void aWriteWhoseCommitWentThroughUnseenIsReplayedWithoutDuplicates() {
        LostCommitStore lossy = new LostCommitStore(jdbc, store);
        MetricRecorder recorder = recorder(lossy, NEVER, MetricWriter.DEFAULT_OUTAGE_TOLERANCE, attempt(1));
        feed(recorder, 1, CHUNK + 10); // a write when chunk 0 is full: every series' chunk 0 inserted
        recorder.onEpoch(new EpochMetrics(1, CHUNK + 10, 0.5, 0.5, 1));
        recorder.onIteration(iteration(CHUNK + 11, 2));
        recorder.close(); // and one with chunk 1 inserted and the epoch

        assertThat(lossy.lost).as("both writes committed, then seemed to fail").hasValue(2);
        assertThat(recorder.failed())
                .as("no duplicate key: the replays replaced their rows")
                .isFalse();
        assertThat(storedIterations("loss", MetricSeries.NO_LAYER))
                .hasSize(CHUNK + 11)
                .doesNotHaveDuplicates();
        assertThat(storedIterations("activationMean", 0)).hasSize(CHUNK + 11).doesNotHaveDuplicates();
        assertThat(jdbc.queryForList("select epoch from epoch_metric", Integer.class))
                .containsExactly(1);
        assertThat(recording.replays).containsExactly(false, true, false, true);
    }

    @Test
    void anOutageLongerThanTheToleranceFailsTheRecorderAsAnOutage() throws Exception {
        MetricRecorder recorder = recorder(store, 0, Duration.ofMillis(300), attempt(1));
        feed(recorder, 1, 2);
        drain();
        recording.down = true;
        feed(recorder, 3, 4);
        assertThatThrownBy(recorder::close)
                .isInstanceOf(DatabaseUnavailableException.class)
                .hasMessageContaining("longer than gradlab.jobs.database-outage-tolerance (0.3s)");
        assertThat(recorder.failed()).isTrue();
        assertThat(storedIterations("loss", MetricSeries.NO_LAYER)).containsExactly(1L, 2L);
    }

    /**
     * While the database is away the training thread stops at the recorder's bound on pending writes (it does
     * not pile up copies of its chunks), and goes on where it stopped when the database returns.
     */
    @Test
    void trainingPausesWhileTheDatabaseIsAwayAndResumesWhenItReturns() throws Exception {
        MetricRecorder recorder = recorder(0, attempt(1));
        feed(recorder, 1, 3);
        drain();
        recording.down = true;
        java.util.concurrent.atomic.AtomicLong fed = new java.util.concurrent.atomic.AtomicLong(3);
        Thread training = new Thread(() -> {
            for (long it = 4; it <= 100; it++) {
                recorder.onIteration(iteration(it, 1));
                fed.set(it);
            }
        });
        training.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (training.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(training.getState()).as("the training thread waits").isEqualTo(Thread.State.WAITING);
        assertThat(fed.get())
                .as("a flush per iteration: it stops once %d writes are pending", MetricRecorder.MAX_PENDING_WRITES)
                .isEqualTo(3 + MetricRecorder.MAX_PENDING_WRITES);

        recording.down = false;
        training.join(30_000);
        assertThat(fed.get()).isEqualTo(100);
        recorder.close();
        assertThat(storedIterations("loss", MetricSeries.NO_LAYER))
                .containsExactlyElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, 100).boxed().toList());
        assertThat(recorder.failed()).isFalse();
    }
}
