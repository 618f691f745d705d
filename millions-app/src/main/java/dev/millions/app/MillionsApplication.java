package dev.millions.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisRepositoriesAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The photo-sharing app: a stateless web node of the design. */
// Redis is used only when millions.cache.nodes names a cluster (see CacheConfig); Boot's own set-up would
// otherwise connect to localhost:6379 and move the sessions there.
@SpringBootApplication(exclude = {RedisAutoConfiguration.class, RedisRepositoriesAutoConfiguration.class})
@ConfigurationPropertiesScan
public class MillionsApplication {

    public static void main(String[] args) {
        SpringApplication.run(MillionsApplication.class, args);
    }
}
