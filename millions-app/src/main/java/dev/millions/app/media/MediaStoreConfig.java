package dev.millions.app.media;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.millions.app.database.Reads;

/** The media store that {@code millions.media.store} names. */
@Configuration(proxyBeanMethods = false)
class MediaStoreConfig {

    @Bean
    MediaStore mediaStore(MediaProperties properties, JdbcClient jdbc, Reads reads) {
        return switch (properties.store()) {
            case DATABASE -> new DatabaseMediaStore(jdbc, reads);
            case S3 -> new S3MediaStore(properties.s3());
        };
    }
}
