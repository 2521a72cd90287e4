package dev.gradlab;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class GradLabApplication {

    public static void main(String[] args) {
        SpringApplication.run(GradLabApplication.class, args);
    }
}
