package dev.gradlab;

import dev.gradlab.host.NativeMemoryDefaults;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.scheduling.annotation.EnableScheduling;

// Callers are API keys (web.SecurityConfiguration); Boot's default in-memory user would only log a password that
// opens nothing.
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
@EnableScheduling
public class GradLabApplication {

    public static void main(String[] args) {
        NativeMemoryDefaults.apply(); // before any javacpp class loads
        SpringApplication.run(GradLabApplication.class, args);
    }
}
