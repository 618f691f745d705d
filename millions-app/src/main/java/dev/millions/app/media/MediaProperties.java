package dev.millions.app.media;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Where photos are kept and what is accepted.
 *
 * @param dir the media store's folder, shared by every web node of a machine
 * @param maxBytes the largest upload accepted
 * @param maxWidth the widest image accepted, in pixels
 * @param maxHeight the tallest image accepted, in pixels
 */
@ConfigurationProperties("millions.media")
public record MediaProperties(Path dir, DataSize maxBytes, int maxWidth, int maxHeight) {

    public MediaProperties {
        if (dir == null) {
            throw new IllegalArgumentException("millions.media.dir is required");
        }
        if (maxBytes == null || maxBytes.toBytes() <= 0) {
            throw new IllegalArgumentException("millions.media.max-bytes: " + maxBytes + " (expected: > 0)");
        }
        if (maxWidth <= 0 || maxHeight <= 0) {
            throw new IllegalArgumentException("millions.media.max-width/max-height: " + maxWidth + 'x' + maxHeight
                                               + " (expected: > 0)");
        }
    }
}
