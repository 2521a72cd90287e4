package dev.gradlab.host;

import java.util.Properties;

/**
 * javacpp's settings GradLab starts with, unless the operator sets them. javacpp reads them once, when its first
 * class loads, so {@link #apply()} runs first thing in {@code main}.
 *
 * <p>Its resident-memory check ({@code org.bytedeco.javacpp.maxphysicalbytes}, on by default at twice the heap)
 * reads the process's resident size before every native allocation, inside one lock every thread shares; nd4j
 * allocates several small buffers per operation. With the check on, bare DL4J trained M1 at 9,723 samples/s on one
 * thread and GradLab's two jobs at once gained 1.23× over one; with it off 15,651 and 1.32×
 * (docs/PERFORMANCE.md, "javacpp's resident-memory check"). javacpp's other cap, {@code maxbytes}, does not take
 * its place: nd4j's workspaces, where the activations live, are not counted. What bounds a job's memory without it
 * is the spec limit {@code gradlab.limits.max-activation-values} (spec.SpecLimits).
 */
public final class NativeMemoryDefaults {

    static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxphysicalbytes";
    /** javacpp accepts both spellings. */
    static final String MAX_PHYSICAL_BYTES_CAMEL = "org.bytedeco.javacpp.maxPhysicalBytes";

    private NativeMemoryDefaults() {}

    /** Turns javacpp's resident-memory check off in this JVM unless it was set. */
    public static void apply() {
        apply(System.getProperties());
    }

    static void apply(Properties properties) {
        if (properties.getProperty(MAX_PHYSICAL_BYTES) == null
                && properties.getProperty(MAX_PHYSICAL_BYTES_CAMEL) == null) {
            properties.setProperty(MAX_PHYSICAL_BYTES, "0");
        }
    }
}
