/**
 * The machine and JVM the service runs on, in one line ({@link dev.gradlab.host.HostDescription}): CPU model,
 * the instruction sets that decide how fast nd4j multiplies (avx2, fma, avx512f), cores, the OpenBLAS kernels in
 * use, OpenMP threads, JIT compilers and collector. Logged at startup ({@link dev.gradlab.host.HostReport}, with a
 * warning when the JIT setting slows training) and printed at the top of every benchmark's output, so a figure or
 * a bug report names the machine it came from. Also the process's off-heap memory as javacpp counts it, as meters
 * ({@link dev.gradlab.host.NativeMemoryMetrics}).
 */
package dev.gradlab.host;
