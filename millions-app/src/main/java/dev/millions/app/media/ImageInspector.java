package dev.millions.app.media;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.millions.app.web.Problems;

/**
 * Checks an upload before anything is stored: size, type from the magic bytes, and dimensions from the
 * header alone, so a tiny file that claims 100000 x 100000 pixels is refused without being decoded.
 */
@Component
public class ImageInspector {

    private final MediaProperties properties;

    public ImageInspector(MediaProperties properties) {
        this.properties = properties;
    }

    public InspectedImage inspect(byte[] bytes) {
        if (bytes.length == 0) {
            throw Problems.badRequest("image is empty");
        }
        long maxBytes = properties.maxBytes().toBytes();
        if (bytes.length > maxBytes) {
            throw Problems.of(HttpStatus.PAYLOAD_TOO_LARGE,
                              "image is " + bytes.length + " bytes (expected: at most " + maxBytes + ")");
        }
        ImageType type = ImageType.sniff(bytes).orElseThrow(() -> Problems.of(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported image type (expected: JPEG, PNG or GIF)"));
        InspectedImage image = readHeader(type, bytes);
        if (image.width() > properties.maxWidth() || image.height() > properties.maxHeight()) {
            throw Problems.of(HttpStatus.UNPROCESSABLE_ENTITY,
                              "image is " + image.width() + 'x' + image.height() + " pixels (expected: at most "
                              + properties.maxWidth() + 'x' + properties.maxHeight() + ")");
        }
        return image;
    }

    private static InspectedImage readHeader(ImageType type, byte[] bytes) {
        // In memory: ImageIO's default stream would copy every upload to a cache file first.
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByMIMEType(type.contentType());
            if (readers.hasNext()) {
                ImageReader reader = readers.next();
                try {
                    reader.setInput(input, true, true);
                    return new InspectedImage(type, reader.getWidth(0), reader.getHeight(0));
                } finally {
                    reader.dispose();
                }
            }
        } catch (IOException | RuntimeException e) {
            // A corrupt header makes some readers throw unchecked exceptions as well.
        }
        throw Problems.of(HttpStatus.UNPROCESSABLE_ENTITY,
                          "image looks like " + type.name() + " but its header cannot be read");
    }

    /** What the inspection found. */
    public record InspectedImage(ImageType type, int width, int height) {}
}
