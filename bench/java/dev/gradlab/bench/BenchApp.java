package dev.gradlab.bench;

import dev.gradlab.GradLabApplication;
import dev.gradlab.spec.ExperimentSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * GradLab as it runs by default (embedded H2 file database, its pool, transactions and job queue), but on a fresh
 * temporary data directory, so a benchmark neither reads nor disturbs ./data.
 */
public final class BenchApp implements AutoCloseable {

    private final Path dataDir;
    private final ConfigurableApplicationContext context;

    private BenchApp(Path dataDir, ConfigurableApplicationContext context) {
        this.dataDir = dataDir;
        this.context = context;
    }

    /**
     * The service, serving HTTP on a free port ({@link #port()}). Always a web application: GradLab's security
     * configuration needs the servlet stack (without it MetricIngestBench and StorageOverheadBench failed to start).
     */
    public static BenchApp start() {
        return start(new String[0]);
    }

    /** @param more further arguments, e.g. {@code --gradlab.metrics.flush-interval-ms=250} */
    public static BenchApp start(String... more) {
        try {
            Path dir = Files.createTempDirectory("gradlab-bench-");
            List<String> args = new ArrayList<>(List.of(
                    // As arguments, because they must win over application.properties (./data).
                    "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("gradlab") + ";DB_CLOSE_ON_EXIT=FALSE",
                    "--server.port=0",
                    "--server.address=127.0.0.1",
                    "--spring.main.banner-mode=off",
                    "--logging.level.root=WARN"));
            args.addAll(List.of(more));
            ConfigurableApplicationContext context = new SpringApplicationBuilder(GradLabApplication.class)
                    .web(WebApplicationType.SERVLET)
                    .run(args.toArray(String[]::new));
            return new BenchApp(dir, context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public JdbcTemplate jdbc() {
        return bean(JdbcTemplate.class);
    }

    public int port() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    /** Size of the H2 database file. */
    public long databaseBytes() {
        try (Stream<Path> files = Files.list(dataDir)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A RUNNING job row, so the progress updates a real run makes after each metric write hit a real row (the
     * metric tables themselves have no foreign key to it).
     */
    public void insertRunningJob(UUID id, long totalIterations) {
        String spec = bean(JsonMapper.class).writeValueAsString(ExperimentSpec.defaults());
        jdbc().update(
                        "insert into job (id, owner, name, status, spec, created_at, started_at, total_iterations,"
                                + " attempt) values (?, 'local', 'bench', 'RUNNING', ?, current_timestamp,"
                                + " current_timestamp, ?, 1)",
                        id,
                        spec,
                        totalIterations);
    }

    /** What JobRunner's progress listener does after each stored batch, as a plain update. */
    public void progress(UUID id, long iteration, int epoch) {
        jdbc().update(
                        "update job set iteration = ?, epoch = ? where id = ? and status = 'RUNNING'",
                        iteration,
                        epoch,
                        id);
    }

    /** Forces everything committed so far onto the disk (H2 otherwise writes commits out in the background). */
    public void checkpointSync() {
        jdbc().execute("checkpoint sync");
    }

    @Override
    public void close() {
        context.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
