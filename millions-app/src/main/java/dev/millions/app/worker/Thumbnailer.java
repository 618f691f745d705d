package dev.millions.app.worker;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.springframework.stereotype.Component;

import dev.millions.app.media.ImageType;
import dev.millions.app.media.MediaStore;
import dev.millions.app.media.Thumbnails;

/**
 * Makes a photo's thumbnails and stores them in the media store. Idempotent by construction: a
 * thumbnail is named by its bytes, which follow from the photo's, so making it twice stores it once.
 * Photos are decoded with subsampling, so an 8000-pixel photo never lands whole in the heap.
 */
@Component
class Thumbnailer {

    private static final float JPEG_QUALITY = 0.8f;

    private final MediaStore store;
    private final Thumbnails thumbnails;
    private final List<Integer> widths;

    Thumbnailer(MediaStore store, Thumbnails thumbnails, WorkerProperties properties) {
        this.store = store;
        this.thumbnails = thumbnails;
        this.widths = properties.thumbnailWidths();
    }

    void make(String imageName) {
        if (thumbnails.count(imageName) >= widths.size()) {
            return;
        }
        // Missing may mean "not there yet" (a bucket that lags its writes): retried, then dead-lettered.
        byte[] photo = store.load(imageName).orElseThrow(() -> new IllegalStateException(
                "photo " + imageName + " is not in the media store"));
        int widest = widths.stream().mapToInt(Integer::intValue).max().orElseThrow();
        Decoded decoded = decode(imageName, photo, widest);
        for (int width : widths) {
            // A photo narrower than the thumbnail is its own thumbnail.
            String name = width >= decoded.originalWidth() ? imageName : store(scale(decoded.image(), width));
            thumbnails.record(imageName, width, name);
        }
    }

    private String store(BufferedImage image) {
        boolean alpha = image.getColorModel().hasAlpha();
        ImageType type = alpha ? ImageType.PNG : ImageType.JPEG;
        return store.store(encode(image, type), type);
    }

    private static Decoded decode(String name, byte[] photo, int widest) {
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(photo))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw new PoisonEventException("photo " + name + " is in no format this worker decodes");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                ImageReadParam param = reader.getDefaultReadParam();
                // Read every n-th pixel, keeping at least twice the widest thumbnail for a smooth downscale.
                int step = Math.max(1, reader.getWidth(0) / (2 * widest));
                param.setSourceSubsampling(step, step, 0, 0);
                return new Decoded(reader.read(0, param), reader.getWidth(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof PoisonEventException poison) {
                throw poison;
            }
            throw new PoisonEventException("photo " + name + " cannot be decoded: " + e, e);
        }
    }

    private static BufferedImage scale(BufferedImage image, int width) {
        int height = Math.max(1, (int) Math.round((double) image.getHeight() * width / image.getWidth()));
        BufferedImage scaled = new BufferedImage(width, height, image.getColorModel().hasAlpha()
                                                                ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = scaled.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            graphics.drawImage(image, 0, 0, width, height, null);
        } finally {
            graphics.dispose();
        }
        return scaled;
    }

    private static byte[] encode(BufferedImage image, ImageType type) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByMIMEType(type.contentType()).next();
        try (MemoryCacheImageOutputStream output = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(output);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (type == ImageType.JPEG) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(JPEG_QUALITY);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a thumbnail as " + type + ": " + e, e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** A photo decoded at a reduced resolution, and its real width. */
    private record Decoded(BufferedImage image, int originalWidth) {}
}
