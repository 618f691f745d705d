package dev.millions.app.media;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

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
        if (bytes.length > properties.maxBytes().toBytes()) {
            throw Problems.of(HttpStatus.PAYLOAD_TOO_LARGE, "image is " + bytes.length + " bytes (expected: at most "
                                                            + properties.maxBytes().toBytes() + ")");
        }
        ImageType type = ImageType.sniff(bytes).orElseThrow(() -> Problems.of(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported image type (expected: JPEG, PNG or GIF)"));
        int[] size = dimensions(type, bytes);
        if (size[0] > properties.maxWidth() || size[1] > properties.maxHeight()) {
            throw Problems.of(HttpStatus.UNPROCESSABLE_ENTITY, "image is " + size[0] + "x" + size[1]
                                                              + " pixels (expected: at most " + properties.maxWidth()
                                                              + "x" + properties.maxHeight() + ")");
        }
        return new InspectedImage(type, size[0], size[1]);
    }

    private static int[] dimensions(ImageType type, byte[] bytes) {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (readers.hasNext()) {
                ImageReader reader = readers.next();
                try {
                    reader.setInput(input, true, true);
                    return new int[] { reader.getWidth(0), reader.getHeight(0) };
                } finally {
                    reader.dispose();
                }
            }
        } catch (IOException | RuntimeException e) {
            // A corrupt header makes some readers throw unchecked exceptions as well.
        }
        throw undecodable(type);
    }

    private static RuntimeException undecodable(ImageType type) {
        return Problems.of(HttpStatus.UNPROCESSABLE_ENTITY, "image looks like " + type.name()
                                                           + " but its header cannot be read");
    }

    /** What the inspection found. */
    public record InspectedImage(ImageType type, int width, int height) {}
}
