package dev.millions.app.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import org.springframework.web.ErrorResponseException;

import dev.millions.app.testing.ApiClient;

class ImageInspectorTest {

    private final ImageInspector inspector = new ImageInspector(
            new MediaProperties(Path.of("unused"), DataSize.ofKilobytes(100), 300, 200));

    @Test
    void png_andJpeg_areRecognisedWithTheirSize() {
        assertThat(inspector.inspect(ApiClient.png(300, 200)))
                .isEqualTo(new ImageInspector.InspectedImage(ImageType.PNG, 300, 200));
        assertThat(inspector.inspect(ApiClient.jpeg(30, 20)))
                .isEqualTo(new ImageInspector.InspectedImage(ImageType.JPEG, 30, 20));
    }

    @Test
    void gif_isRecognisedByItsMagicBytes() {
        assertThat(ImageType.sniff("GIF89a....".getBytes(StandardCharsets.US_ASCII))).contains(ImageType.GIF);
        assertThat(ImageType.sniff("<svg>".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(ImageType.sniff(new byte[] { (byte) 0xFF })).isEmpty();
    }

    @Test
    void tooWide_isRefusedWithTheLimit() {
        assertThatThrownBy(() -> inspector.inspect(ApiClient.png(301, 10)))
                .isInstanceOf(ErrorResponseException.class)
                .satisfies(e -> assertThat(((ErrorResponseException) e).getBody().getDetail())
                        .isEqualTo("image is 301x10 pixels (expected: at most 300x200)"));
    }

    @Test
    void empty_andTooLarge_areRefused() {
        assertThatThrownBy(() -> inspector.inspect(new byte[0]))
                .satisfies(e -> assertThat(((ErrorResponseException) e).getStatusCode().value()).isEqualTo(400));
        assertThatThrownBy(() -> inspector.inspect(new byte[100 * 1024 + 1]))
                .satisfies(e -> assertThat(((ErrorResponseException) e).getStatusCode().value()).isEqualTo(413));
    }

    @Test
    void html_isNotAnImage() {
        assertThatThrownBy(() -> inspector.inspect("<html><script>".getBytes(StandardCharsets.UTF_8)))
                .satisfies(e -> assertThat(((ErrorResponseException) e).getStatusCode().value()).isEqualTo(415));
    }
}
