package dev.gradlab.deploy;

import dev.gradlab.deploy.KedaResources.ScaledObject;
import dev.gradlab.deploy.KedaResources.TriggerAuthentication;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.BeanDeserializerBuilder;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * The Kubernetes manifests in {@code deploy/k8s}, read into the Kubernetes API's types: fabric8's model (generated
 * from the Kubernetes OpenAPI) for Deployment, Service and PodDisruptionBudget, {@link KedaResources} for KEDA's.
 * <p>
 * The reading is strict, as the API server's strict field validation ({@code kubectl apply}'s default) is: an
 * unknown or misspelt field fails (fabric8's classes would otherwise keep it in their "additional properties"), and
 * so does a value of the wrong JSON type (a number where the API wants a string, such as an env var's value). What
 * it does not check: required fields of the core types and the formats of values (label syntax, DNS names) that
 * only the API server validates; a few are checked by {@link KubernetesManifestsTest}.
 */
public final class KubernetesManifests {

    public static final Path BASE = Path.of("deploy/k8s/base");
    public static final Path EXAMPLE_OVERLAY = Path.of("deploy/k8s/overlays/example");

    /** The one resource of each kind that a rendering of deploy/k8s holds. */
    public record Resources(
            String source,
            Deployment deployment,
            Service service,
            PodDisruptionBudget disruptionBudget,
            ScaledObject scaledObject,
            TriggerAuthentication triggerAuthentication) {
        @Override
        public String toString() {
            return source;
        }
    }

    private static final Map<String, Class<?>> TYPES = Map.of(
            "apps/v1 Deployment", Deployment.class,
            "v1 Service", Service.class,
            "policy/v1 PodDisruptionBudget", PodDisruptionBudget.class,
            "keda.sh/v1alpha1 ScaledObject", ScaledObject.class,
            "keda.sh/v1alpha1 TriggerAuthentication", TriggerAuthentication.class);

    /** Unknown fields and scalars of the wrong type fail, even where fabric8 would keep or convert them. */
    static final JsonMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(
                    LogicalType.Textual,
                    c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .addModule(new SimpleModule("no-additional-properties")
                    .setDeserializerModifier(new ValueDeserializerModifier() {
                        @Override
                        public BeanDeserializerBuilder updateBuilder(
                                DeserializationConfig config,
                                BeanDescription.Supplier bean,
                                BeanDeserializerBuilder builder) {
                            builder.setAnySetter(null); // fabric8's @JsonAnySetter: unknown fields would land there
                            return builder;
                        }
                    }))
            .build();

    private KubernetesManifests() {}

    /**
     * The base's resource files as they are. Its kustomization may only list them (checked here), so this is what
     * kustomize renders from it, without needing kubectl.
     */
    public static Resources baseFiles() throws IOException {
        Map<String, Object> kustomization = singleDocument(Files.readString(BASE.resolve("kustomization.yaml")));
        Set<String> understood = Set.of("apiVersion", "kind", "resources");
        if (!understood.containsAll(kustomization.keySet())) {
            throw new IllegalStateException(BASE + "/kustomization.yaml uses " + kustomization.keySet()
                    + "; reading its files directly only renders " + understood);
        }
        List<Object> typed = new ArrayList<>();
        for (Object file : (List<?>) kustomization.get("resources")) {
            Path path = BASE.resolve((String) file);
            typed.addAll(read(path.toString(), Files.readString(path)));
        }
        return collect("files of " + BASE, typed);
    }

    /**
     * {@code kubectl kustomize dir}: the resources as {@code kubectl apply -k dir} would send them (no cluster
     * needed). kubectl is part of this project's machine image; where it is missing the calling test is skipped,
     * loudly, except under {@code CI=true}, where that is a failure.
     */
    public static Resources kustomize(Path dir) throws IOException, InterruptedException {
        Process kubectl;
        try {
            kubectl = new ProcessBuilder("kubectl", "kustomize", dir.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException notInstalled) {
            String why =
                    "kubectl is not installed: `kubectl kustomize " + dir + "` was not rendered (" + notInstalled + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(why + "; CI=true, so this is a failure, not a skip", notInstalled);
            }
            System.err.println("!!! SKIPPED: " + why);
            Assumptions.abort(why);
            throw notInstalled; // not reached
        }
        kubectl.getOutputStream().close();
        String yaml = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!kubectl.waitFor(60, TimeUnit.SECONDS) || kubectl.exitValue() != 0) {
            throw new IllegalStateException("kubectl kustomize " + dir + " failed (see its output above)");
        }
        return collect("kubectl kustomize " + dir, read("kubectl kustomize " + dir, yaml));
    }

    /** The query of the base's PostgreSQL trigger (KedaQueueQueryIntegrationTest runs it on PostgreSQL). */
    public static String scalerQuery() throws IOException {
        return baseFiles().scaledObject().spec().triggers().stream()
                .filter(trigger -> trigger.type().equals("postgresql"))
                .map(trigger -> trigger.metadata().get("query"))
                .findFirst()
                .orElseThrow();
    }

    /** Every document of a YAML stream, each read into the type of its apiVersion and kind. */
    static List<Object> read(String source, String yaml) {
        List<Object> typed = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (document == null) {
                continue;
            }
            Map<?, ?> resource = (Map<?, ?>) document;
            String type = resource.get("apiVersion") + " " + resource.get("kind");
            Class<?> cls = TYPES.get(type);
            if (cls == null) {
                throw new IllegalStateException(source + ": " + type + " is not a resource these manifests should hold"
                        + " (a Secret must not be committed; others need a type here to be checked)");
            }
            try {
                typed.add(STRICT.convertValue(resource, cls));
            } catch (RuntimeException e) {
                throw new IllegalStateException(
                        source + ": " + type + " " + name(resource) + " does not read as " + cls.getName() + ": "
                                + e.getMessage(),
                        e);
            }
        }
        return typed;
    }

    private static Resources collect(String source, List<Object> typed) {
        Map<Class<?>, Object> byType = new LinkedHashMap<>();
        for (Object resource : typed) {
            if (byType.put(resource.getClass(), resource) != null) {
                throw new IllegalStateException(
                        source + " holds more than one " + resource.getClass().getSimpleName());
            }
        }
        if (!byType.keySet().containsAll(TYPES.values())) {
            throw new IllegalStateException(source + " lacks one of " + TYPES.keySet() + ": has " + byType.keySet());
        }
        return new Resources(
                source,
                (Deployment) byType.get(Deployment.class),
                (Service) byType.get(Service.class),
                (PodDisruptionBudget) byType.get(PodDisruptionBudget.class),
                (ScaledObject) byType.get(ScaledObject.class),
                (TriggerAuthentication) byType.get(TriggerAuthentication.class));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> singleDocument(String yaml) {
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    }

    private static Object name(Map<?, ?> resource) {
        return resource.get("metadata") instanceof Map<?, ?> metadata ? metadata.get("name") : null;
    }
}
