package dev.gradlab.host;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.bytedeco.javacpp.Pointer;
import org.springframework.stereotype.Component;

/**
 * The process's memory outside the Java heap, as javacpp counts it: nd4j keeps every array, gradient and optimizer
 * state there, and JVM metrics do not see it. Here because {@code host} already reads javacpp (no nd4j needed).
 * Limits: javacpp refuses an allocation past {@code maxBytes} (org.bytedeco.javacpp.maxBytes, by default the
 * heap's maximum), and past {@code maxPhysicalBytes} of resident memory (0, GradLab's default: no such check; see
 * {@link NativeMemoryDefaults}).
 */
@Component
class NativeMemoryMetrics {

    NativeMemoryMetrics(MeterRegistry registry) {
        Gauge.builder("gradlab.native.memory.allocated", Pointer::totalBytes)
                .description("Off-heap memory javacpp has allocated and not freed (nd4j's arrays)")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("gradlab.native.memory.max", Pointer::maxBytes)
                .description("javacpp's cap on allocated off-heap memory (org.bytedeco.javacpp.maxBytes)")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("gradlab.native.memory.physical", Pointer::physicalBytes)
                .description("The process's resident memory (heap, native and code), as javacpp reads it")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("gradlab.native.memory.physical.max", Pointer::maxPhysicalBytes)
                .description("javacpp's cap on resident memory (org.bytedeco.javacpp.maxPhysicalBytes)")
                .baseUnit("bytes")
                .register(registry);
    }
}
