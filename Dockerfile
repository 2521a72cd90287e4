# GradLab in a container (see README, "Docker"):
#   docker build -t gradlab .
#   docker run -d --name gradlab -p 8080:8080 -v gradlab-data:/app/data --memory 4g --stop-timeout 30 gradlab
#
# The jar bundles nd4j's native libraries for linux-x86_64 only (.mvn/maven.config; nd4j 1.0.0-M2.1 publishes no
# linux-arm64 build), so the runtime stage is pinned to linux/amd64: on an arm64 host it runs emulated instead of
# failing to load libnd4jcpu.so. The build stage is plain Java and runs on the builder's own platform.
#
# Both base images can be swapped (a mirror, a pinned digest) with --build-arg JDK_IMAGE=... / JRE_IMAGE=...

ARG JDK_IMAGE=eclipse-temurin:17-jdk-noble
ARG JRE_IMAGE=eclipse-temurin:17-jre-noble

# ---------------------------------------------------------------------------------------------------------------
# Stage 1: build the jar with the Maven wrapper.
FROM --platform=$BUILDPLATFORM ${JDK_IMAGE} AS build
WORKDIR /build

# The build definition first: Maven itself and every dependency and plugin land in this layer, which is rebuilt
# only when pom.xml or the wrapper change, not on every source edit. .mvn/maven.config comes along, so only the
# linux-x86_64 native libraries are fetched.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
RUN chmod +x mvnw && ./mvnw -B -ntp dependency:go-offline

# maven.test.skip: no test compilation, so no generated test client (its OpenAPI input, docs/, is not copied).
COPY src/ src/
RUN ./mvnw -B -ntp -Dmaven.test.skip=true package \
 && cp target/gradlab-*.jar /build/gradlab.jar

# ---------------------------------------------------------------------------------------------------------------
# Stage 2: run it on a JRE as a non-root user.
# hadolint ignore=DL3029
FROM --platform=linux/amd64 ${JRE_IMAGE}

# curl serves the HEALTHCHECK. Temurin's Ubuntu images ship it today ("for historical reasons"); install it only
# if a base image ever drops it. (A Java-based probe would start a second JVM inside the container's memory
# limit every interval; curl costs a few MB for a moment.)
# hadolint ignore=DL3008
RUN if ! command -v curl >/dev/null 2>&1; then \
      apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl \
      && rm -rf /var/lib/apt/lists/*; \
    fi

# A fixed uid/gid (10001) so a host directory can be chowned to it. The writable directories also belong to
# group 0, so the image works under an arbitrary --user too (such a user runs with gid 0).
RUN groupadd --gid 10001 gradlab \
 && useradd --uid 10001 --gid gradlab --create-home --home-dir /home/gradlab --shell /usr/sbin/nologin gradlab \
 && mkdir -p /app/data /app/cache \
 && chown -R 10001:0 /app/data /app/cache \
 && chmod -R g=u /app/data /app/cache

WORKDIR /app
# Owned by root: the service user can read the jar but not change it.
COPY --from=build /build/gradlab.jar /app/gradlab.jar
COPY --from=build --chmod=0755 /build/src/main/docker/entrypoint.sh /build/src/main/docker/openblas-coretype.sh /app/

# OMP_NUM_THREADS=1: one OpenMP thread per training thread (several were 2-3x slower under load; see README).
#
# Memory: nd4j keeps its arrays off the Java heap, and what sets a job's share is one training step's activations:
# batchSize x depth x width (x sequenceLength), capped by gradlab.limits.max-activation-values (16 M; a spec over
# it is refused with 400). Measured peaks were 13-71 bytes resident per activation value (plain MLP to LSTM), so a
# running job takes at most about 1.1 GB off the heap. So: a heap of 35% of the container's memory, all of it from
# the start (InitialRAMPercentage; NewRatio=1 gives half of it to the young generation, where DL4J's many
# short-lived objects die: two jobs at once gained 1.63x over one instead of 1.40x on M1; SurvivorRatio=3 with the
# adaptive sizing off gives nd4j's per-buffer tracking objects survivor spaces to die in instead of the old
# generation: peak memory -23% and two M1 jobs +12% in 4 of 4 alternating rounds), about 0.5 GB for the JVM
# and the native libraries, and per running job (gradlab.jobs.concurrency, default 1) 1.1 GB: a 4 GB container
# for one job, 6 GB for two with a 2 GB heap (deploy/k8s).
# javacpp's resident-memory check (maxphysicalbytes) is off: it reads the process's memory before every native
# allocation, under one lock all jobs share, and made M1 train 1.6x slower (docs/PERFORMANCE.md). With it off, a
# depth-100 x width-138 batch-norm job at batch 4096 (now refused: 56 M values) peaked at 4.0 GB with a 1.4 GB heap.
# Without a limit the JVM takes 35% of the host's memory.
#
# -XX:+UseParallelGC: DL4J allocates many short-lived objects per operation; with the parallel collector the
# service trained 14-42% faster than with G1 and peaked at 1.3 GB resident instead of 2.3 GB, and two jobs at once
# gained more over one (docs/PERFORMANCE.md, "Garbage collector").
#
# org.bytedeco.javacpp.cachedir: where javacpp extracts nd4j's native libraries (about 400 MB, in the container's
# own layer) when the first job starts; it must be writable (the default is ~/.javacpp/cache; if it is not
# writable javacpp falls back to /tmp). With a read-only root filesystem, mount a volume on /app/cache (a tmpfs
# would count those 400 MB against the memory limit).
#
# To change these flags, set JAVA_OPTS (the whole list). JAVA_TOOL_OPTIONS, read by the JVM itself, can add flags
# but not override these: the command line wins.
# A container is reached from other machines: API keys are required (docs/SECURITY.md), and the server listens on
# every interface of the container. Start it with -e GRADLAB_SECURITY_ADMIN_KEY=<a random secret>; without one it
# refuses to start, saying so. There is no default key.
ENV GRADLAB_SECURITY_MODE=keys \
    SERVER_ADDRESS=0.0.0.0
ENV OMP_NUM_THREADS=1 \
    JAVA_OPTS="-XX:+UseParallelGC -XX:InitialRAMPercentage=35 -XX:MaxRAMPercentage=35 -XX:NewRatio=1 -XX:SurvivorRatio=3 -XX:-UseAdaptiveSizePolicy -Dorg.bytedeco.javacpp.maxphysicalbytes=0 -Dorg.bytedeco.javacpp.cachedir=/app/cache"

USER 10001:10001

# The embedded H2 database: spring.datasource.url=jdbc:h2:file:./data/gradlab, relative to WORKDIR /app.
# (Unused on the postgres profile.)
VOLUME ["/app/data"]
EXPOSE 8080

# Readiness is Spring's: UP once the application has started (Flyway included), OUT_OF_SERVICE from the start of
# a shutdown. Start-up took 18-25 s on 2 busy cores, hence the start period. Runs inside the container.
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:8080/actuator/health/readiness || exit 1

# entrypoint.sh chooses OpenBLAS's kernels by the CPU's instruction set (unless OPENBLAS_CORETYPE is set: the
# bundled OpenBLAS does not recognise recent Xeons and falls back to SSE3 kernels) and then execs java, so java is
# PID 1 and receives docker stop's SIGTERM itself: server.shutdown=graceful applies, in-flight requests finish,
# running jobs stop within an iteration and go back on the queue. Give it time to do so: docker's default is 10 s
# before SIGKILL; --stop-timeout 30 (or stop_grace_period in compose) covers Spring's 20 s shutdown phase.
# Arguments after the image name are passed to the application, e.g. `docker run gradlab --gradlab.jobs.concurrency=2`.
ENTRYPOINT ["/app/entrypoint.sh"]
# No default arguments (none inherited from the base image either).
CMD []
