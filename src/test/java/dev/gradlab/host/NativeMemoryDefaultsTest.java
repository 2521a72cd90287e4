package dev.gradlab.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

class NativeMemoryDefaultsTest {

    @Test
    void turnsTheResidentMemoryCheckOffWhenUnset() {
        Properties p = new Properties();
        NativeMemoryDefaults.apply(p);
        assertThat(p.getProperty(NativeMemoryDefaults.MAX_PHYSICAL_BYTES)).isEqualTo("0");
    }

    @Test
    void keepsAnOperatorsSettingInEitherSpelling() {
        Properties lower = new Properties();
        lower.setProperty(NativeMemoryDefaults.MAX_PHYSICAL_BYTES, "200%");
        NativeMemoryDefaults.apply(lower);
        assertThat(lower.getProperty(NativeMemoryDefaults.MAX_PHYSICAL_BYTES)).isEqualTo("200%");

        Properties camel = new Properties();
        camel.setProperty(NativeMemoryDefaults.MAX_PHYSICAL_BYTES_CAMEL, "4g");
        NativeMemoryDefaults.apply(camel);
        assertThat(camel.getProperty(NativeMemoryDefaults.MAX_PHYSICAL_BYTES)).isNull();
        assertThat(camel.getProperty(NativeMemoryDefaults.MAX_PHYSICAL_BYTES_CAMEL))
                .isEqualTo("4g");
    }

    /** The test JVMs start as the service does (pom.xml's argLine), and javacpp read it: the check is off. */
    @Test
    void theTestJvmRunsWithoutTheCheck() {
        assertThat(Pointer.maxPhysicalBytes()).isZero();
        assertThat(Pointer.maxBytes())
                .as("javacpp's byte cap (maxbytes) stays on")
                .isPositive();
    }
}
