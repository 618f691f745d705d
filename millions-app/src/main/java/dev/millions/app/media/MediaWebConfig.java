package dev.millions.app.media;

import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import jakarta.servlet.MultipartConfigElement;

/**
 * Serves {@code /media/NAME} from the media store, tagged by {@link MediaTags}, and sets the upload limits.
 * Spring's resource handler refuses path traversal, answers ranges and conditional requests; names are
 * content hashes, so responses are immutable and the name is the ETag.
 */
@Configuration
class MediaWebConfig implements WebMvcConfigurer {

    /** Room for the caption and the multipart framing that come with the image. */
    private static final long REQUEST_OVERHEAD_BYTES = 64 * 1024;
    /**
     * Uploads up to this size stay in memory; larger ones stream to a temporary file. With the 200
     * requests a node serves at once, that bounds what uploads hold in memory to 50 MiB, and saves the
     * common photo a file's create, write, read and delete before the store writes it once.
     */
    private static final int IN_MEMORY_UPLOAD_BYTES = 256 * 1024;

    private final MediaStore store;
    private final MediaTags tags;

    MediaWebConfig(MediaStore store, MediaTags tags) {
        this.store = store;
        this.tags = tags;
    }

    /** The name is the content's hash: a strong ETag for free. */
    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/media/**")
                .addResourceLocations(store.dir().toUri().toString())
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable())
                .setEtagGenerator(resource -> {
                    String name = resource.getFilename();
                    return name == null ? null : '"' + name.substring(0, Math.max(0, name.lastIndexOf('.'))) + '"';
                });
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(tags).addPathPatterns("/media/**");
    }

    /**
     * Derives the servlet's multipart limits from {@code millions.media.max-bytes}, so that one setting
     * governs uploads (this replaces Spring Boot's {@code spring.servlet.multipart.*}). An oversize
     * image is then refused while it streams in, before the app holds it in memory.
     */
    @Bean
    MultipartConfigElement multipartConfig(MediaProperties properties) {
        long maxBytes = properties.maxBytes().toBytes();
        return new MultipartConfigElement("", maxBytes, maxBytes + REQUEST_OVERHEAD_BYTES, IN_MEMORY_UPLOAD_BYTES);
    }
}
