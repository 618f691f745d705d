package dev.millions.ops.role.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class WebSettingsTest {

    @Test
    void withProperties_setsThemOverTheNodesOwn_andKeepsTheRest() {
        WebSettings settings = new WebSettings("db", Optional.of("cache"), Optional.empty(), Optional.of("trace"),
                                               Map.of("millions.feed.fan-out", "true", "millions.ui.thumbnail-width", "640"));

        WebSettings pull = settings.withProperties(Map.of("millions.feed.fan-out", "false"));

        assertThat(pull.properties()).containsExactlyInAnyOrderEntriesOf(
                Map.of("millions.feed.fan-out", "false", "millions.ui.thumbnail-width", "640"));
        assertThat(pull.database()).isEqualTo("db");
        assertThat(pull.cache()).contains("cache");
        assertThat(settings.properties()).containsEntry("millions.feed.fan-out", "true");
    }
}
