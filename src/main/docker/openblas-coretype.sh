# Sourced by the container's entrypoint and by bench/run. OpenBLAS (nd4j's matrix multiply) picks its kernels by
# CPU model, and the OpenBLAS inside nd4j 1.0.0-M2.1 (0.3.19) does not know recent Xeons: on one (family 6,
# model 207) it fell back to its SSE3 "Prescott" kernels, 2.6x slower on a compute-bound net than its AVX-512
# ones (docs/PERFORMANCE.md). Unless OPENBLAS_CORETYPE is already set, choose the kernels by the instruction
# set the CPU reports. `OPENBLAS_VERBOSE=2` makes OpenBLAS print the core it chose.
if [ -z "${OPENBLAS_CORETYPE:-}" ] && [ -r /proc/cpuinfo ]; then
  if grep -qw avx512f /proc/cpuinfo; then
    export OPENBLAS_CORETYPE=SkylakeX
  elif grep -qw avx2 /proc/cpuinfo; then
    export OPENBLAS_CORETYPE=Haswell
  fi
fi
