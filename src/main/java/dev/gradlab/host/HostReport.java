package dev.gradlab.host;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Logs the host line at startup, so a bug report or a slow job's log names the CPU, the OpenBLAS kernels and the
 * JVM it ran on; warns when the JIT setting or javacpp's resident-memory check slows training.
 */
@Component
class HostReport {

    private static final Logger log = LoggerFactory.getLogger(HostReport.class);

    @EventListener(ApplicationStartedEvent.class)
    void onStarted() {
        report(HostDescription.current(), log);
    }

    static void report(HostDescription host, Logger log) {
        log.info(host.line());
        JitMode jit = host.jit();
        if (jit.slowsTraining()) {
            log.warn(
                    "JIT {} (set by {}): jobs train slower than with C2 (M1 took 1.29x as long with C1 only). Start the"
                            + " service without it: java -jar as the README shows, or ./mvnw spring-boot:run, whose"
                            + " optimised launch (-XX:TieredStopAtLevel=1) pom.xml turns off.",
                    jit.compilers(),
                    jit.origin().isEmpty() ? "the JVM's options" : jit.origin());
        }
        if (host.residentCheckOn()) {
            log.warn(
                    "javacpp's resident-memory check is on (-Dorg.bytedeco.javacpp.maxphysicalbytes={}m): it reads the"
                            + " process's memory before every nd4j allocation, under one lock all jobs share (M1"
                            + " trained 1.6x slower). GradLab turns it off unless set; a job's memory is bounded by"
                            + " gradlab.limits.max-activation-values instead. Set it to 0 unless you need it.",
                    host.residentCheckMegabytes());
        }
    }
}
