package dev.gradlab.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlab.deploy.KedaResources.ScaleTrigger;
import dev.gradlab.deploy.KedaResources.SecretTargetRef;
import dev.gradlab.deploy.KubernetesManifests.Resources;
import dev.gradlab.job.JobStatus;
import dev.gradlab.spec.SpecLimits;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Kubernetes manifests (deploy/k8s) against the Kubernetes API's types and against this application: the
 * settings the manifests depend on are read from where the application keeps them (application*.properties, the
 * Dockerfile, the Flyway schema, the job queue's code), so that a change on either side that breaks the other fails
 * here. No cluster runs: see docs/SCALING.md, "Kubernetes", for what is and is not checked.
 * <p>
 * Each check runs on the base's files as they are, and on what {@code kubectl kustomize} renders from the base and
 * from the example overlay. {@code KedaQueueQueryIntegrationTest} runs the scaler's query on PostgreSQL.
 */
class KubernetesManifestsTest {

    enum Rendering {
        BASE_FILES,
        KUSTOMIZE_BASE,
        KUSTOMIZE_EXAMPLE_OVERLAY;

        private static final Map<Rendering, Resources> RENDERED = new EnumMap<>(Rendering.class);

        synchronized Resources resources() throws Exception {
            Resources resources = RENDERED.get(this);
            if (resources == null) {
                resources = switch (this) {
                    case BASE_FILES -> KubernetesManifests.baseFiles();
                    case KUSTOMIZE_BASE -> KubernetesManifests.kustomize(KubernetesManifests.BASE);
                    case KUSTOMIZE_EXAMPLE_OVERLAY ->
                        KubernetesManifests.kustomize(KubernetesManifests.EXAMPLE_OVERLAY);
                };
                RENDERED.put(this, resources);
            }
            return resources;
        }
    }

    /** The profile the manifests run: its file's settings override application.properties. */
    static final String PROFILE = "postgres";

    static final String LIVENESS = "/actuator/health/liveness";
    static final String READINESS = "/actuator/health/readiness";

    /** The PostgreSQL scaler's parameters (KEDA's postgreSQLMetadata): from trigger metadata, and from auth. */
    static final Set<String> SCALER_METADATA = Set.of(
            "query",
            "targetQueryValue",
            "activationTargetQueryValue",
            "connectionFromEnv",
            "passwordFromEnv",
            "host",
            "port",
            "userName",
            "dbName",
            "sslmode");

    static final Set<String> SCALER_AUTH_PARAMETERS =
            Set.of("connection", "password", "host", "port", "userName", "dbName", "sslmode");

    /** libpq's sslmode values (pgx, KEDA's driver, takes the same). */
    static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    /** Each scaler connection parameter and the application's variable that must come from the same Secret key. */
    static final Map<String, String> SCALER_PARAMETER_TO_APP_ENV = Map.of(
            "host", "GRADLAB_DB_HOST",
            "port", "GRADLAB_DB_PORT",
            "dbName", "GRADLAB_DB_NAME",
            "userName", "GRADLAB_DB_USER",
            "password", "GRADLAB_DB_PASSWORD");

    /** Variables that must never hold a value in a manifest. */
    static final Set<String> SECRET_ENV = Set.of("GRADLAB_DB_PASSWORD", "GRADLAB_SECURITY_ADMIN_KEY");

    /** PostgreSQL's default max_connections. */
    static final int POSTGRES_MAX_CONNECTIONS = 100;

    // ---------------------------------------------------------------------------------------------------------
    // Shape: what the API server would check, and what kustomize keeps

    @ParameterizedTest
    @EnumSource(Rendering.class)
    void selectorsAndReferencesMatch(Rendering rendering) throws Exception {
        Resources r = rendering.resources();
        Map<String, String> podLabels =
                r.deployment().getSpec().getTemplate().getMetadata().getLabels();
        // The API server refuses a Deployment whose selector does not select its own pods.
        assertThat(podLabels)
                .containsAllEntriesOf(r.deployment().getSpec().getSelector().getMatchLabels());
        assertThat(r.deployment().getSpec().getSelector().getMatchExpressions()).isNullOrEmpty();
        assertThat(podLabels)
                .as("the Service's selector")
                .containsAllEntriesOf(r.service().getSpec().getSelector());
        assertThat(podLabels)
                .as("the PodDisruptionBudget's selector")
                .containsAllEntriesOf(
                        r.disruptionBudget().getSpec().getSelector().getMatchLabels());

        Set<String> portNames =
                container(r).getPorts().stream().map(ContainerPort::getName).collect(Collectors.toSet());
        r.service()
                .getSpec()
                .getPorts()
                .forEach(port -> assertThat(portNames)
                        .as("the Service's targetPort names a container port")
                        .contains(port.getTargetPort().getStrVal()));
        for (Probe probe : probes(r)) {
            assertThat(portNames).contains(probe.getHttpGet().getPort().getStrVal());
        }

        KedaResources.ScaleTarget target = r.scaledObject().spec().scaleTargetRef();
        assertThat(target.name()).isEqualTo(r.deployment().getMetadata().getName());
        assertThat(Objects.requireNonNullElse(target.kind(), "Deployment")).isEqualTo("Deployment");
        assertThat(Objects.requireNonNullElse(target.apiVersion(), "apps/v1")).isEqualTo("apps/v1");
        for (ScaleTrigger trigger : r.scaledObject().spec().triggers()) {
            assertThat(trigger.authenticationRef().name())
                    .isEqualTo(r.triggerAuthentication().metadata().getName());
            assertThat(Objects.requireNonNullElse(trigger.authenticationRef().kind(), "TriggerAuthentication"))
                    .isEqualTo("TriggerAuthentication");
        }

        // One namespace for all (KEDA resolves scaleTargetRef and authenticationRef in the ScaledObject's own).
        assertThat(Stream.of(
                                r.deployment().getMetadata(),
                                r.service().getMetadata(),
                                r.disruptionBudget().getMetadata(),
                                r.scaledObject().metadata(),
                                r.triggerAuthentication().metadata())
                        .map(m -> Objects.toString(m.getNamespace()))
                        .distinct())
                .hasSize(1);
        // Memory and CPU amounts are quantities the API server accepts.
        container(r).getResources().getRequests().values().forEach(Quantity::getAmountInBytes);
        container(r).getResources().getLimits().values().forEach(Quantity::getAmountInBytes);
    }

    @Test
    void theExampleOverlayChangesWhatItSays() throws Exception {
        Resources base = Rendering.KUSTOMIZE_BASE.resources();
        Resources example = Rendering.KUSTOMIZE_EXAMPLE_OVERLAY.resources();
        assertThat(example.deployment().getMetadata().getNamespace()).isEqualTo("gradlab");
        assertThat(container(example).getImage()).isEqualTo("registry.example.com/gradlab:0.1.0");
        assertThat(example.scaledObject().spec().maxReplicaCount()).isEqualTo(4);
        // and nothing else of the scaling
        assertThat(example.scaledObject().spec().minReplicaCount())
                .isEqualTo(base.scaledObject().spec().minReplicaCount());
        assertThat(example.scaledObject().spec().triggers())
                .isEqualTo(base.scaledObject().spec().triggers());
    }

    @Test
    void theImageIsTheOneComposeBuilds() throws Exception {
        Map<?, ?> compose = (Map<?, ?>) new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(Path.of("docker-compose.yml")));
        Map<?, ?> gradlab = (Map<?, ?>) ((Map<?, ?>) compose.get("services")).get("gradlab");
        assertThat(container(Rendering.BASE_FILES.resources()).getImage()).isEqualTo(gradlab.get("image"));
    }

    // ---------------------------------------------------------------------------------------------------------
    // The container against the application

    @ParameterizedTest
    @EnumSource(Rendering.class)
    void theContainerPortIsTheServerPortAndServesTheProbes(Rendering rendering) throws Exception {
        Properties settings = settings();
        int serverPort = Integer.parseInt(settings.getProperty("server.port", "8080"));
        Container container = container(rendering.resources());
        assertThat(container.getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getContainerPort()).isEqualTo(serverPort);
            assertThat(port.getName()).isEqualTo("http");
        });
        // The actuator on the same port and path as the API, with Spring Boot's probe groups exposed.
        assertThat(settings.getProperty("management.server.port", String.valueOf(serverPort)))
                .isEqualTo(String.valueOf(serverPort));
        assertThat(settings.getProperty("management.endpoints.web.base-path", "/actuator"))
                .isEqualTo("/actuator");
        assertThat(settings.getProperty("management.endpoint.health.probes.enabled"))
                .isEqualTo("true");
        assertThat(settings.getProperty("management.endpoints.web.exposure.include")
                        .split(","))
                .contains("health");
        // (ApiDocumentationIntegrationTest.livenessAndReadinessAnswer: both answer UP on a running server.)

        assertThat(path(container.getStartupProbe())).isEqualTo(LIVENESS);
        assertThat(path(container.getLivenessProbe())).isEqualTo(LIVENESS);
        assertThat(path(container.getReadinessProbe())).isEqualTo(READINESS);
        // The start-up budget is at least the image's HEALTHCHECK start period.
        Probe startup = container.getStartupProbe();
        assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold())
                .isGreaterThanOrEqualTo(dockerfileSeconds("--start-period=(\\d+)s"));
    }

    /**
     * The profile the Deployment runs listens on the pod's address (the kubelet's probes and the Service reach it
     * there, not on loopback) and therefore requires API keys: the service refuses to start on a non-loopback
     * address in local mode, and in keys mode without the admin key, which the Deployment takes from its Secret.
     */
    @ParameterizedTest
    @EnumSource(Rendering.class)
    void theProfileListensOnThePodAddressWithKeysRequired(Rendering rendering) throws Exception {
        Properties settings = settings();
        assertThat(settings.getProperty("server.address")).isEqualTo("0.0.0.0");
        assertThat(settings.getProperty("gradlab.security.mode")).isEqualTo("keys");
        assertThat(settings.getProperty("gradlab.security.admin-key"))
                .as("the admin key comes from the Secret, never from the profile")
                .isNull();
        EnvVar adminKey = env(container(rendering.resources())).get("GRADLAB_SECURITY_ADMIN_KEY");
        assertThat(adminKey).isNotNull();
        assertThat(adminKey.getValueFrom().getSecretKeyRef().getName()).isEqualTo("gradlab-admin-key");
        assertThat(environmentNames("gradlab.security.admin-key")).contains(adminKey.getName());
    }

    @ParameterizedTest
    @EnumSource(Rendering.class)
    void everyVariableIsOneTheApplicationReads(Rendering rendering) throws Exception {
        Container container = container(rendering.resources());
        Properties settings = settings();
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        String entrypoint = Files.readString(Path.of("src/main/docker/entrypoint.sh"));
        String profileFile = Files.readString(profileProperties());
        Set<String> names = new HashSet<>();
        List<String> unread = new ArrayList<>();
        for (EnvVar env : container.getEnv()) {
            String name = env.getName();
            assertThat(names.add(name)).as("set once: " + name).isTrue();
            boolean read = switch (name) {
                case "SPRING_PROFILES_ACTIVE" -> Files.exists(profilePropertiesFor(env.getValue()));
                case "JAVA_OPTS" -> entrypoint.contains("$JAVA_OPTS");
                case "OMP_NUM_THREADS" -> dockerfile.contains(name + "=");
                default ->
                    Pattern.compile("\\$\\{" + name + "[:}]")
                                    .matcher(profileFile)
                                    .find()
                            || settings.stringPropertyNames().stream()
                                    .anyMatch(key -> environmentNames(key).contains(name))
                            || readInCode(name);
            };
            if (!read) {
                unread.add(name);
            }
        }
        assertThat(unread).as("variables no part of the application reads").isEmpty();
        assertThat(container.getEnv())
                .filteredOn(e -> e.getName().equals("SPRING_PROFILES_ACTIVE"))
                .singleElement()
                .extracting(EnvVar::getValue)
                .isEqualTo(PROFILE);

        // Every variable of the profile's datasource is set, so that none falls back to its default (localhost).
        Properties profile = new Properties();
        profile.load(new StringReader(profileFile));
        Pattern placeholder = Pattern.compile("\\$\\{(\\w+)[:}]");
        for (String key : profile.stringPropertyNames()) {
            Matcher m = placeholder.matcher(key.startsWith("spring.datasource.") ? profile.getProperty(key) : "");
            while (m.find()) {
                assertThat(names).as(key + "'s ${" + m.group(1) + "}").contains(m.group(1));
            }
        }
        // Kubernetes would put GRADLAB_SERVICE_HOST, GRADLAB_PORT, ... (from the Service's name) beside them.
        assertThat(podSpec(rendering.resources()).getEnableServiceLinks()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Rendering.class)
    void secretsComeFromSecrets(Rendering rendering) throws Exception {
        Resources r = rendering.resources();
        Map<String, EnvVar> env = env(container(r));
        for (String name : SECRET_ENV) {
            assertThat(env).containsKey(name);
            assertThat(env.get(name).getValue()).as(name + " holds no value").isNull();
            assertThat(env.get(name).getValueFrom().getSecretKeyRef())
                    .as(name + " from a Secret")
                    .isNotNull();
        }
        // KEDA's scaler logs in with the same Secret keys as the application.
        for (SecretTargetRef ref : r.triggerAuthentication().spec().secretTargetRef()) {
            String appEnv = SCALER_PARAMETER_TO_APP_ENV.get(ref.parameter());
            assertThat(appEnv).as("scaler parameter " + ref.parameter()).isNotNull();
            assertThat(env).containsKey(appEnv);
            SecretKeySelector app = env.get(appEnv).getValueFrom().getSecretKeyRef();
            assertThat(List.of(ref.name(), ref.key()))
                    .as(ref.parameter() + " and " + appEnv)
                    .isEqualTo(List.of(app.getName(), app.getKey()));
        }
    }

    @ParameterizedTest
    @EnumSource(Rendering.class)
    void memoryCoversTheHeapAndTheJobs(Rendering rendering) throws Exception {
        Container container = container(rendering.resources());
        List<String> flags = javaOptions(container);
        // The image's flags are kept; only its heap sizing (a share of the container's memory) is replaced.
        Matcher imageFlags = Pattern.compile("JAVA_OPTS=\"([^\"]*)\"").matcher(Files.readString(Path.of("Dockerfile")));
        assertThat(imageFlags.find()).isTrue();
        List<String> kept = Arrays.stream(imageFlags.group(1).split("\\s+"))
                .filter(flag ->
                        !flag.startsWith("-XX:MaxRAMPercentage=") && !flag.startsWith("-XX:InitialRAMPercentage="))
                .toList();
        assertThat(flags).containsAll(kept);

        long heap = bytes(flag(flags, "-Xmx"), 0);
        assertThat(flag(flags, "-Xms"))
                .as("the whole heap from the start (young generation sized once)")
                .isEqualTo(flag(flags, "-Xmx"));
        long limit = bytes(container.getResources().getLimits().get("memory"));
        assertThat(container.getResources().getRequests().get("memory"))
                .as("memory request = limit: the JVM sizes itself once, at start")
                .isEqualTo(container.getResources().getLimits().get("memory"));
        // The Dockerfile's rule: the heap, 0.5 GiB for the JVM and the native libraries, and per running job one
        // step's activations at the limit, at the most resident memory per value measured (the resident check is off).
        long perJob = SpecLimits.BYTES_PER_ACTIVATION_VALUE * SpecLimits.DEFAULT_MAX_ACTIVATION_VALUES;
        long need = heap + (512L << 20) + concurrency(container) * perJob;
        assertThat(need)
                .as(
                        "heap %d MiB + 512 MiB + %d jobs x %d MiB within the %d MiB limit",
                        heap >> 20, concurrency(container), perJob >> 20, limit >> 20)
                .isLessThanOrEqualTo(limit);
    }

    @ParameterizedTest
    @EnumSource(Rendering.class)
    void cpuMatchesTheTrainingThreads(Rendering rendering) throws Exception {
        Container container = container(rendering.resources());
        Map<String, EnvVar> env = env(container);
        int concurrency = concurrency(container);
        BigDecimal cpuRequest =
                Quantity.getAmountInBytes(container.getResources().getRequests().get("cpu"));
        assertThat(BigDecimal.valueOf(concurrency))
                .as("one core per training job")
                .isLessThanOrEqualTo(cpuRequest);
        assertThat(env.get("OMP_NUM_THREADS").getValue()).isEqualTo("1");
        // No CPU limit, so the JVM is told the cores it has.
        assertThat(flag(javaOptions(container), "-XX:ActiveProcessorCount="))
                .isEqualTo(cpuRequest.stripTrailingZeros().toPlainString());
    }

    @ParameterizedTest
    @EnumSource(Rendering.class)
    void theGracePeriodCoversTheShutdown(Rendering rendering) throws Exception {
        Resources r = rendering.resources();
        Properties settings = settings();
        assertThat(settings.getProperty("server.shutdown")).isEqualTo("graceful");
        int shutdownPhase = seconds(settings.getProperty("spring.lifecycle.timeout-per-shutdown-phase"));
        Matcher handBack = Pattern.compile("shutdownMaxWait\\(Duration\\.ofSeconds\\((\\d+)\\)\\)")
                .matcher(Files.readString(Path.of("src/main/java/dev/gradlab/job/JobQueueConfiguration.java")));
        assertThat(handBack.find())
                .as("the queue's shutdown wait in JobQueueConfiguration")
                .isTrue();
        int preStop = preStopSeconds(container(r).getLifecycle().getPreStop());
        assertThat(preStop)
                .as("preStop: time for the endpoints to drop the pod")
                .isPositive();
        assertThat(podSpec(r).getTerminationGracePeriodSeconds())
                .as("preStop %d s + hand-back %s s + shutdown phase %d s", preStop, handBack.group(1), shutdownPhase)
                .isGreaterThanOrEqualTo((long) preStop + Integer.parseInt(handBack.group(1)) + shutdownPhase);
        // The image's service user, as the Dockerfile creates it.
        Matcher user = Pattern.compile("(?m)^USER (\\d+):(\\d+)").matcher(Files.readString(Path.of("Dockerfile")));
        assertThat(user.find()).isTrue();
        assertThat(podSpec(r).getSecurityContext().getRunAsUser()).isEqualTo(Long.parseLong(user.group(1)));
    }

    // ---------------------------------------------------------------------------------------------------------
    // KEDA against the queue

    @ParameterizedTest
    @EnumSource(Rendering.class)
    void kedaScalesOnTheJobsInstancesHave(Rendering rendering) throws Exception {
        Resources r = rendering.resources();
        ScaleTrigger trigger = postgresqlTrigger(r);
        assertThat(SCALER_METADATA).containsAll(trigger.metadata().keySet());
        Set<String> auth = new HashSet<>();
        r.triggerAuthentication().spec().secretTargetRef().forEach(ref -> auth.add(ref.parameter()));
        assertThat(SCALER_AUTH_PARAMETERS).containsAll(auth);
        // What the scaler needs to connect (KEDA's postgreSQLMetadata.Validate) and log in.
        Set<String> given = new HashSet<>(auth);
        given.addAll(trigger.metadata().keySet());
        assertThat(given).contains("host", "port", "userName", "dbName", "sslmode", "password");
        assertThat(SSL_MODES).contains(trigger.metadata().get("sslmode"));

        // One instance per `concurrency` queued or running jobs.
        assertThat(new BigDecimal(trigger.metadata().get("targetQueryValue")))
                .isEqualByComparingTo(BigDecimal.valueOf(concurrency(container(r))));
        assertThat(trigger.metricType())
                .as("AverageValue (KEDA's default): per instance")
                .isIn(null, "AverageValue");

        QueueQuery query = QueueQuery.parse(trigger.metadata().get("query"));
        Set<String> withAnInstance = Arrays.stream(JobStatus.values())
                .filter(status -> !status.finished())
                .map(Enum::name)
                .collect(Collectors.toSet());
        assertThat(query.statuses()).as("the statuses of jobs an instance has").isEqualTo(withAnInstance);
        assertThat(flywayColumns(query.table()))
                .as("columns of table " + query.table())
                .contains(query.column());
    }

    @ParameterizedTest
    @EnumSource(Rendering.class)
    void replicaBoundsKeepTheApiUpAndFitTheDatabase(Rendering rendering) throws Exception {
        Resources r = rendering.resources();
        assertThat(r.deployment().getSpec().getReplicas())
                .as("no replicas in the Deployment: KEDA's HPA owns the count")
                .isNull();
        int min = r.scaledObject().spec().minReplicaCount();
        int max = r.scaledObject().spec().maxReplicaCount();
        assertThat(r.scaledObject().spec().idleReplicaCount())
                .as("never scaled to zero")
                .isNull();
        // A drain (the PodDisruptionBudget allows one down) leaves an instance serving the API.
        assertThat(min - r.disruptionBudget().getSpec().getMaxUnavailable().getIntVal())
                .isGreaterThanOrEqualTo(1);
        assertThat(max).isGreaterThanOrEqualTo(min);
        int pool = Integer.parseInt(settings().getProperty("spring.datasource.hikari.maximum-pool-size", "10"));
        assertThat(max * pool)
                .as("%d instances x %d connections, with room for KEDA and an operator", max, pool)
                .isLessThan(POSTGRES_MAX_CONNECTIONS);
    }

    /** {@code SELECT count(*) FROM table WHERE column IN ('A', 'B')}: the one shape the scaler's query has. */
    record QueueQuery(String table, String column, Set<String> statuses) {
        static final Pattern SHAPE = Pattern.compile(
                "(?i)SELECT count\\(\\*\\) FROM (\\w+) WHERE (\\w+) IN \\(('\\w+'(?:\\s*,\\s*'\\w+')*)\\)");

        static QueueQuery parse(String sql) {
            Matcher m = SHAPE.matcher(sql.strip());
            assertThat(m.matches()).as("query of the expected shape: " + sql).isTrue();
            Set<String> statuses = Arrays.stream(m.group(3).split(","))
                    .map(s -> s.strip().replace("'", ""))
                    .collect(Collectors.toSet());
            return new QueueQuery(m.group(1), m.group(2), statuses);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    static ScaleTrigger postgresqlTrigger(Resources r) {
        assertThat(r.scaledObject().spec().triggers())
                .singleElement()
                .extracting(ScaleTrigger::type)
                .isEqualTo("postgresql");
        return r.scaledObject().spec().triggers().get(0);
    }

    static PodSpec podSpec(Resources r) {
        return r.deployment().getSpec().getTemplate().getSpec();
    }

    static Container container(Resources r) {
        assertThat(podSpec(r).getContainers()).hasSize(1);
        assertThat(podSpec(r).getInitContainers()).isNullOrEmpty();
        return podSpec(r).getContainers().get(0);
    }

    static List<Probe> probes(Resources r) {
        Container c = container(r);
        return List.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe());
    }

    static String path(Probe probe) {
        HTTPGetAction get = probe.getHttpGet();
        assertThat(get).as("an HTTP probe").isNotNull();
        return get.getPath();
    }

    static Map<String, EnvVar> env(Container c) {
        Map<String, EnvVar> byName = new HashMap<>();
        c.getEnv().forEach(e -> byName.put(e.getName(), e));
        return byName;
    }

    static int concurrency(Container c) throws IOException {
        EnvVar env = env(c).get("GRADLAB_JOBS_CONCURRENCY");
        return Integer.parseInt(env != null ? env.getValue() : settings().getProperty("gradlab.jobs.concurrency"));
    }

    static List<String> javaOptions(Container c) {
        EnvVar opts = env(c).get("JAVA_OPTS");
        assertThat(opts).as("JAVA_OPTS").isNotNull();
        return Arrays.asList(opts.getValue().strip().split("\\s+"));
    }

    static String flag(List<String> flags, String prefix) {
        List<String> values = flags.stream().filter(f -> f.startsWith(prefix)).toList();
        assertThat(values).as(prefix).hasSize(1);
        return values.get(0).substring(prefix.length());
    }

    /** A JVM or javacpp size: 2g, 512m, 1024k, bytes, or (javacpp) a percentage of the heap. */
    static long bytes(String size, long heap) {
        Matcher m = Pattern.compile("(\\d+)([kKmMgGtT%]?)").matcher(size);
        assertThat(m.matches()).as("a size: " + size).isTrue();
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> n << 10;
            case "m" -> n << 20;
            case "g" -> n << 30;
            case "t" -> n << 40;
            case "%" -> {
                assertThat(heap).as("a percentage of the heap needs -Xmx").isPositive();
                yield heap * n / 100;
            }
            default -> n;
        };
    }

    static long bytes(Quantity quantity) {
        return Quantity.getAmountInBytes(quantity).longValueExact();
    }

    static int seconds(String duration) {
        Matcher m = Pattern.compile("(\\d+)s").matcher(duration);
        assertThat(m.matches()).as("a duration in seconds: " + duration).isTrue();
        return Integer.parseInt(m.group(1));
    }

    static int preStopSeconds(LifecycleHandler preStop) {
        assertThat(preStop).as("a preStop hook").isNotNull();
        if (preStop.getSleep() != null) {
            return Math.toIntExact(preStop.getSleep().getSeconds());
        }
        List<String> command = preStop.getExec().getCommand();
        assertThat(command).hasSize(2).first().isEqualTo("sleep");
        return Integer.parseInt(command.get(1));
    }

    static int dockerfileSeconds(String regex) throws IOException {
        Matcher m = Pattern.compile(regex).matcher(Files.readString(Path.of("Dockerfile")));
        assertThat(m.find()).as(regex + " in the Dockerfile").isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** application.properties with the profile's file over it, as Spring reads them. */
    static Properties settings() throws IOException {
        Properties settings = new Properties();
        settings.load(new StringReader(Files.readString(Path.of("src/main/resources/application.properties"))));
        settings.load(new StringReader(Files.readString(profileProperties())));
        return settings;
    }

    static Path profileProperties() {
        return profilePropertiesFor(PROFILE);
    }

    static Path profilePropertiesFor(String profile) {
        return Path.of("src/main/resources/application-" + profile + ".properties");
    }

    /** The environment variables Spring binds to a property (its SystemEnvironmentPropertySource mapping). */
    static Set<String> environmentNames(String property) {
        String upper = property.toUpperCase(Locale.ROOT).replace('.', '_');
        return Stream.of(upper.replace("-", ""), upper.replace('-', '_')).collect(Collectors.toSet());
    }

    /**
     * Whether the application's code reads the setting this variable binds to: its name, the property in any
     * dotted-or-dashed spelling (a {@code @Value}), or a {@code @ConfigurationProperties} prefix with the rest as a
     * camel-cased component ({@code "gradlab.security"} and {@code adminKey}).
     */
    static boolean readInCode(String env) throws IOException {
        String[] segments = env.toLowerCase(Locale.ROOT).split("_");
        List<Pattern> spellings = new ArrayList<>();
        spellings.add(Pattern.compile(Pattern.quote(env)));
        spellings.add(Pattern.compile(String.join("[.-]", segments)));
        for (int split = 1; split < segments.length; split++) {
            String prefix = String.join("[.-]", Arrays.copyOfRange(segments, 0, split));
            StringBuilder field = new StringBuilder(segments[split]);
            for (int i = split + 1; i < segments.length; i++) {
                field.append(Character.toUpperCase(segments[i].charAt(0))).append(segments[i].substring(1));
            }
            spellings.add(Pattern.compile("(?s)\"" + prefix + "\".*\\b" + field + "\\b"));
        }
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String code = Files.readString(file);
                if (spellings.stream().anyMatch(p -> p.matcher(code).find())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The columns of a table as the PostgreSQL migrations create it and add to it. */
    static Set<String> flywayColumns(String table) throws IOException {
        Pattern create = Pattern.compile("(?is)create table " + table + "\\s*\\((.*?)\\);");
        Pattern added = Pattern.compile("(?i)alter table " + table + " add column (\\w+)");
        Set<String> columns = new HashSet<>();
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration/postgresql"))) {
            for (Path file : files.sorted().toList()) {
                String sql = Files.readString(file);
                Matcher m = create.matcher(sql);
                if (m.find()) {
                    Arrays.stream(m.group(1).split("\n"))
                            .map(String::strip)
                            .filter(line -> !line.isEmpty() && !line.startsWith("--"))
                            .map(line -> line.split("\\s+")[0].toLowerCase(Locale.ROOT))
                            .forEach(columns::add);
                }
                Matcher a = added.matcher(sql);
                while (a.find()) {
                    columns.add(a.group(1).toLowerCase(Locale.ROOT));
                }
            }
        }
        assertThat(columns)
                .as("table " + table + " in the PostgreSQL migrations")
                .isNotEmpty();
        return columns;
    }
}
