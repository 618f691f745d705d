package dev.millions.ops.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MetricFamiliesTest {

    @Test
    void samplesOfOneName_fromSeveralSources_areOneFamily() {
        MetricFamilies families = new MetricFamilies();
        families.gauge("millions_db_epoch", "Epoch.", 3, "cluster", "a");
        families.counter("millions_db_failovers_total", "Failovers.", 2, "cluster", "a");
        families.gauge("millions_db_epoch", "Epoch.", 7, "cluster", "b");

        String text = families.text();

        assertThat(text).containsOnlyOnce("# TYPE millions_db_epoch gauge")
                        .contains("millions_db_epoch{cluster=\"a\"} 3")
                        .contains("millions_db_epoch{cluster=\"b\"} 7")
                        .contains("# TYPE millions_db_failovers_total counter")
                        .contains("millions_db_failovers_total{cluster=\"a\"} 2");
    }

    @Test
    void aCounterIsNamedAsItIsExposed_andANameKeepsItsType() {
        MetricFamilies families = new MetricFamilies();
        families.gauge("x", "X.", 1);

        assertThatThrownBy(() -> families.counter("y", "Y.", 1)).hasMessageContaining("ending in _total");
        assertThatThrownBy(() -> families.counter("x_total", "X.", 1)).hasMessageContaining("x is already a gauge");
    }
}
