package dev.millions.app.media;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import jakarta.servlet.MultipartConfigElement;

/** Tags {@code /media/NAME} answers by {@link MediaTags}, and sets the upload limits. */
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

    private final MediaTags tags;

    MediaWebConfig(MediaTags tags) {
        this.tags = tags;
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
