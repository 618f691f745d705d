package dev.millions.app.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import javax.imageio.ImageIO;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import org.springframework.web.ErrorResponseException;

import dev.millions.app.media.ImageInspector.InspectedImage;
import dev.millions.app.testing.ApiClient;

class ImageInspectorTest {

    private final ImageInspector inspector = new ImageInspector(
            new MediaProperties(null, null, DataSize.ofKilobytes(100), 300, 200));

    @Test
    void pngJpegAndGif_areRecognisedWithTheirSize() throws IOException {
        assertThat(inspector.inspect(ApiClient.png(300, 200))).isEqualTo(new InspectedImage(ImageType.PNG, 300, 200));
        assertThat(inspector.inspect(ApiClient.jpeg(30, 20))).isEqualTo(new InspectedImage(ImageType.JPEG, 30, 20));
        assertThat(inspector.inspect(gif(7, 5))).isEqualTo(new InspectedImage(ImageType.GIF, 7, 5));
    }

    @Test
    void sniff_readsTheMagicBytes_only() {
        assertThat(ImageType.sniff("GIF89a....".getBytes(StandardCharsets.US_ASCII))).contains(ImageType.GIF);
        assertThat(ImageType.sniff(Arrays.copyOf(ApiClient.jpeg(4, 4), 3))).contains(ImageType.JPEG);
        assertThat(ImageType.sniff("<svg>".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(ImageType.sniff(new byte[] { (byte) 0xFF })).isEmpty();
    }

    @Test
    void imageTooWide_isUnprocessable_withTheLimit() {
        assertRefused(() -> inspector.inspect(ApiClient.png(301, 10)),
                      422, "image is 301x10 pixels (expected: at most 300x200)");
    }

    @Test
    void emptyImage_isABadRequest() {
        assertRefused(() -> inspector.inspect(new byte[0]), 400, "image is empty");
    }

    @Test
    void imageOverTheByteLimit_isPayloadTooLarge() {
        assertRefused(() -> inspector.inspect(new byte[100 * 1024 + 1]),
                      413, "image is 102401 bytes (expected: at most 102400)");
    }

    @Test
    void textOrHtml_isUnsupported_whateverItClaims() {
        assertRefused(() -> inspector.inspect("<html><script>".getBytes(StandardCharsets.UTF_8)),
                      415, "unsupported image type (expected: JPEG, PNG or GIF)");
    }

    @Test
    void pngSignatureFollowedByGarbage_isUnprocessable() {
        byte[] garbage = Arrays.copyOf(ApiClient.png(10, 10), 12);

        assertRefused(() -> inspector.inspect(garbage), 422, "image looks like PNG but its header cannot be read");
    }

    private static void assertRefused(ThrowingCallable inspection, int status, String detail) {
        assertThatThrownBy(inspection).isInstanceOfSatisfying(ErrorResponseException.class, e -> {
            assertThat(e.getStatusCode().value()).isEqualTo(status);
            assertThat(e.getBody().getDetail()).isEqualTo(detail);
        });
    }

    private static byte[] gif(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED), "gif", out);
        return out.toByteArray();
    }
}
