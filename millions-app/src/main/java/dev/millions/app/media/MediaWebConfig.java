package dev.millions.app.media;

import java.time.Duration;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves {@code /media/NAME} from the media store. Spring's resource handler refuses path traversal,
 * answers ranges and conditional requests; names are content hashes, so responses are immutable.
 */
@Configuration
class MediaWebConfig implements WebMvcConfigurer {

    private final MediaStore store;

    MediaWebConfig(MediaStore store) {
        this.store = store;
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/media/**")
                .addResourceLocations(store.dir().toUri().toString())
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
    }
}
