package dev.millions.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The photo-sharing app: a stateless web node of the design. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class MillionsApplication {

    public static void main(String[] args) {
        SpringApplication.run(MillionsApplication.class, args);
    }
}
