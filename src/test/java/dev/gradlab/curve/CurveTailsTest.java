package dev.gradlab.curve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlab.metric.MetricSeries;
import dev.gradlab.metric.StoredPoints;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The reads the diagnosis makes, against the Flyway schema in H2: the last points of a series across chunk
 * boundaries (the last chunk may hold only a few), the first point, the loss, one epoch and the per-step
 * gradients, each for its own job only.
 */
@JdbcTest
class CurveTailsTest {

    @SpringBootConfiguration
    @AutoConfigurationPackage
    static class JdbcOnly {}

    private static final int CHUNK = 512;
    private static final UUID JOB = UUID.randomUUID();
    private static final UUID OTHER = UUID.randomUUID();

    private final JdbcTemplate jdbc;
    private CurveQueries curves;

    CurveTailsTest(@Autowired JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** {@code points} values v(layer, iteration) = layer + iteration / 10⁶, in chunks of 512 as MetricRecorder writes. */
    private void series(UUID job, MetricSeries series, int layer, long points) {
        long[] all = LongStream.rangeClosed(1, points).toArray();
        for (int chunk = 0; chunk * CHUNK < points; chunk++) {
            int from = chunk * CHUNK;
            int to = (int) Math.min(points, from + CHUNK);
            long[] its = java.util.Arrays.copyOfRange(all, from, to);
            double[] values =
                    LongStream.of(its).mapToDouble(i -> layer + i / 1e6).toArray();
            jdbc.update(
                    "insert into metric_chunk (job_id, series, layer_index, chunk_index, first_iteration, "
                            + "last_iteration, point_count, points) values (?, ?, ?, ?, ?, ?, ?, ?)",
                    job,
                    series.key(),
                    layer,
                    chunk,
                    its[0],
                    its[its.length - 1],
                    its.length,
                    StoredPoints.encode(its, values));
        }
    }

    @BeforeEach
    void store() {
        curves = new CurveQueries(new CurveStore(jdbc), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        for (UUID job : List.of(JOB, OTHER)) {
            for (int l = 0; l < 3; l++) {
                jdbc.update(
                        "insert into metric_layer (job_id, layer_index, name, kind) values (?, ?, ?, ?)",
                        job,
                        l,
                        l < 2 ? "dense" + (l + 1) : "output",
                        l < 2 ? "dense" : "output");
            }
        }
        long points = 2 * CHUNK + 3; // the last chunk holds 3 points
        for (int l = 0; l < 3; l++) {
            series(JOB, MetricSeries.WEIGHT_GRADIENT_NORM, l, points);
            series(OTHER, MetricSeries.WEIGHT_GRADIENT_NORM, l, 5 * CHUNK);
        }
        series(JOB, MetricSeries.SATURATED_FRACTION, 1, 40); // only dense2 has the probe series
        series(JOB, MetricSeries.LOSS, MetricSeries.NO_LAYER, points);
        for (int e = 1; e <= 4; e++) {
            jdbc.update(
                    "insert into epoch_metric (job_id, epoch, iteration, train_accuracy, test_accuracy, elapsed_millis) "
                            + "values (?, ?, ?, ?, ?, ?)",
                    JOB,
                    e,
                    e * 10L,
                    e / 10.0,
                    e / 20.0,
                    e * 100L);
        }
        for (long it : new long[] {1, 21, 41}) {
            jdbc.update(
                    "insert into timestep_gradient (job_id, iteration, steps, norms) values (?, ?, ?, ?)",
                    JOB,
                    it,
                    2,
                    StoredPoints.encodeValues(new double[] {it, -it}));
        }
    }

    @Test
    void theLastPointsOfEveryLayerAcrossAChunkBoundary() {
        LayerPoints tail = curves.layerTail(JOB, "weightGradientNorm", 10);
        assertThat(tail.layers()).extracting(LayerPoints.Layer::name).containsExactly("dense1", "dense2", "output");
        for (LayerPoints.Layer layer : tail.layers()) {
            assertThat(layer.iterations())
                    .isEqualTo(LongStream.rangeClosed(1018, 1027).boxed().toList());
            assertThat(layer.values().get(9)).isEqualTo(layer.index() + 1027 / 1e6);
        }
        // More points than the last two chunks hold: all of those two, never a gap.
        assertThat(curves.layerTail(JOB, "weightGradientNorm", 2000)
                        .layers()
                        .get(0)
                        .iterations())
                .hasSize(CHUNK + 3)
                .startsWith(513L)
                .endsWith(1027L);
        assertThat(curves.layerTail(OTHER, "weightGradientNorm", 1)
                        .layers()
                        .get(0)
                        .iterations())
                .containsExactly(5L * CHUNK);
    }

    @Test
    void aSeriesOnlySomeLayersRecordAndOneNoneRecord() {
        LayerPoints saturated = curves.layerTail(JOB, "saturatedFraction", 3);
        assertThat(saturated.layers()).extracting(LayerPoints.Layer::name).containsExactly("dense2");
        assertThat(saturated.layers().get(0).iterations()).containsExactly(38L, 39L, 40L);
        assertThat(curves.layerTail(JOB, "deadFraction", 3).layers()).isEmpty();
        assertThat(curves.layerHead(JOB, "deadFraction").layers()).isEmpty();
    }

    @Test
    void theFirstPoint() {
        LayerPoints head = curves.layerHead(JOB, "weightGradientNorm");
        assertThat(head.layers()).hasSize(3);
        head.layers().forEach(l -> {
            assertThat(l.iterations()).containsExactly(1L);
            assertThat(l.values()).containsExactly(l.index() + 1 / 1e6);
        });
    }

    @Test
    void lossEpochAndStepGradients() {
        LossTail loss = curves.lossTail(JOB, 4);
        assertThat(loss.iterations()).containsExactly(1024L, 1025L, 1026L, 1027L);
        assertThat(curves.lossTail(OTHER, 4).values()).isEmpty();
        assertThat(curves.epoch(JOB, 3).trainAccuracy()).isEqualTo(0.3);
        assertThat(curves.epoch(JOB, 5)).isNull();
        assertThat(curves.timestepTail(JOB, 2))
                .extracting(TimestepProfile::iteration)
                .containsExactly(21L, 41L);
        assertThat(curves.firstTimesteps(JOB).norms()).containsExactly(1.0, -1.0);
        assertThat(curves.firstTimesteps(OTHER)).isNull();
    }
}
