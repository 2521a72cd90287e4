package dev.gradlab.deploy;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * KEDA's two resources as deploy/k8s uses them, with the field names and types of KEDA's API (keda.sh/v1alpha1,
 * the Go types its CRDs are generated from: ScaledObjectSpec, ScaleTarget, AdvancedConfig, ScaleTriggers,
 * AuthenticationRef, TriggerAuthenticationSpec, AuthSecretTargetRef). Read with {@link KubernetesManifests}'
 * strict mapper, so a misspelt field, a number where KEDA wants a string (trigger metadata) or a missing required
 * field fails. The fields this project does not use are declared loosely ({@link JsonNode}): present is allowed,
 * their contents are not checked. KEDA's CRD schema itself is not available from a package registry this build
 * can use, so this is a focused check, not a validation against it.
 */
public final class KedaResources {

    private KedaResources() {}

    public record ScaledObject(String apiVersion, String kind, ObjectMeta metadata, ScaledObjectSpec spec) {
        public ScaledObject {
            requireNonNull(metadata, "metadata");
            requireNonNull(spec, "spec");
        }
    }

    public record ScaledObjectSpec(
            ScaleTarget scaleTargetRef,
            Integer pollingInterval,
            Integer initialCooldownPeriod,
            Integer cooldownPeriod,
            Integer idleReplicaCount,
            Integer minReplicaCount,
            Integer maxReplicaCount,
            AdvancedConfig advanced,
            JsonNode fallback,
            List<ScaleTrigger> triggers) {
        public ScaledObjectSpec {
            requireNonNull(scaleTargetRef, "spec.scaleTargetRef");
            requireNonNull(triggers, "spec.triggers");
        }
    }

    public record ScaleTarget(String name, String apiVersion, String kind, String envSourceContainerName) {
        public ScaleTarget {
            requireNonNull(name, "scaleTargetRef.name");
        }
    }

    /** {@code behavior} is the Kubernetes HPA's own type (autoscaling/v2), which KEDA embeds. */
    public record AdvancedConfig(
            HorizontalPodAutoscalerConfig horizontalPodAutoscalerConfig,
            Boolean restoreToOriginalReplicaCount,
            JsonNode scalingModifiers) {}

    public record HorizontalPodAutoscalerConfig(String name, HorizontalPodAutoscalerBehavior behavior) {}

    /** Trigger metadata is a map of strings in KEDA's API: {@code targetQueryValue: 2} would be refused. */
    public record ScaleTrigger(
            String type,
            String name,
            Boolean useCachedMetrics,
            String metricType,
            Map<String, String> metadata,
            AuthenticationRef authenticationRef) {
        public ScaleTrigger {
            requireNonNull(type, "triggers[].type");
            requireNonNull(metadata, "triggers[].metadata");
        }
    }

    public record AuthenticationRef(String name, String kind) {
        public AuthenticationRef {
            requireNonNull(name, "authenticationRef.name");
        }
    }

    public record TriggerAuthentication(
            String apiVersion, String kind, ObjectMeta metadata, TriggerAuthenticationSpec spec) {
        public TriggerAuthentication {
            requireNonNull(metadata, "metadata");
            requireNonNull(spec, "spec");
        }
    }

    public record TriggerAuthenticationSpec(
            List<SecretTargetRef> secretTargetRef,
            JsonNode podIdentity,
            JsonNode env,
            JsonNode configMapTargetRef,
            JsonNode hashiCorpVault,
            JsonNode azureKeyVault,
            JsonNode awsSecretManager,
            JsonNode gcpSecretManager,
            JsonNode boundServiceAccountToken) {}

    /** One scaler parameter taken from a key of a Secret in the same namespace. */
    public record SecretTargetRef(String parameter, String name, String key) {
        public SecretTargetRef {
            requireNonNull(parameter, "secretTargetRef[].parameter");
            requireNonNull(name, "secretTargetRef[].name");
            requireNonNull(key, "secretTargetRef[].key");
        }
    }
}
