package dev.millions.app.media;

import java.time.Duration;
import java.util.regex.Pattern;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.ErrorResponseException;

import dev.millions.app.web.Problems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Serves {@code /media/NAME} from the media store. Names are content hashes, so an answer is immutable
 * and the name is its ETag; Spring answers ranges and {@code If-None-Match} from the resource. A browser
 * whose CDN failed to serve a photo asks here with {@code ?fallback=cdn}, and that is counted
 * ({@code millions.media.cdn.fallbacks}). {@code /media/wWIDTH/NAME} is the photo's thumbnail that many
 * pixels wide: 404, not cached, until a worker has made it.
 */
@RestController
class MediaController {

    private static final Pattern NAME = Pattern.compile("[0-9a-f]{64}\\.(jpg|png|gif)");

    private final MediaStore store;
    private final Thumbnails thumbnails;
    private final Counter fallbacks;

    MediaController(MediaStore store, Thumbnails thumbnails, MeterRegistry registry) {
        this.store = store;
        this.thumbnails = thumbnails;
        this.fallbacks = Counter.builder("millions.media.cdn.fallbacks")
                                .description("photos that browsers asked the origin for because the CDN failed to serve them")
                                .register(registry);
    }

    @GetMapping("/media/{name}")
    ResponseEntity<Resource> photo(@PathVariable String name, @RequestParam(required = false) String fallback) {
        if (!NAME.matcher(name).matches()) {
            throw Problems.notFound("no photo is named " + name);
        }
        if ("cdn".equals(fallback)) {
            fallbacks.increment();
        }
        return serve(name, store.load(name).orElseThrow(() -> Problems.notFound("no photo is named " + name)));
    }

    @GetMapping("/media/w{width}/{name}")
    ResponseEntity<Resource> thumbnail(@PathVariable int width, @PathVariable String name) {
        if (!NAME.matcher(name).matches()) {
            throw Problems.notFound("no photo is named " + name);
        }
        // Not yet is not never: a 404 here must not be cached, or the thumbnail would stay hidden.
        String thumbnail = thumbnails.find(name, width).orElseThrow(() -> {
            ErrorResponseException notYet = Problems.notFound("no thumbnail " + width + " pixels wide of " + name + " (yet)");
            notYet.getHeaders().setCacheControl(CacheControl.noStore());
            return notYet;
        });
        return serve(thumbnail, store.load(thumbnail).orElseThrow(() -> Problems.notFound("no photo is named " + thumbnail)));
    }

    private static ResponseEntity<Resource> serve(String name, byte[] bytes) {
        return ResponseEntity.ok()
                             .contentType(MediaType.parseMediaType(typeOf(name)))
                             .cacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable())
                             .eTag(name.substring(0, name.indexOf('.')))
                             .header("X-Content-Type-Options", "nosniff")
                             .body(new ByteArrayResource(bytes));
    }

    private static String typeOf(String name) {
        String extension = name.substring(name.indexOf('.') + 1);
        for (ImageType type : ImageType.values()) {
            if (type.extension().equals(extension)) {
                return type.contentType();
            }
        }
        throw new IllegalArgumentException("not a photo's name: " + name);
    }
}
