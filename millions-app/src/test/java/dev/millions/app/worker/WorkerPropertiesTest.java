package dev.millions.app.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class WorkerPropertiesTest {

    @Test
    void unsetValues_takeTheDefaults() {
        WorkerProperties properties = new WorkerProperties(true, null, null, 0, 0, null, 0);

        assertThat(properties.group()).isEqualTo("millions-workers");
        assertThat(properties.concurrency()).isEqualTo(4);
        assertThat(properties.thumbnailWidths()).containsExactly(320, 640);
    }

    @Test
    void concurrencyOutOfRange_isRefused_withTheSettingsName() {
        assertThatThrownBy(() -> new WorkerProperties(true, null, null, 0, 0, null, 65))
                .hasMessage("millions.worker.concurrency: 65 (expected: 1..64)");
        assertThatThrownBy(() -> new WorkerProperties(true, null, null, 0, 0, null, -1))
                .hasMessage("millions.worker.concurrency: -1 (expected: 1..64)");
    }

    @Test
    void aThumbnailWidthOutOfRange_isRefused() {
        assertThatThrownBy(() -> new WorkerProperties(true, null, null, 0, 0, List.of(320, 0), 0))
                .hasMessage("millions.worker.thumbnail-widths: [320, 0] (expected: each in 1..4096)");
    }
}
