package dev.millions.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FootprintLogTest {

    private static final long MB = 1 << 20;

    @Test
    void leakingNode_isNamedWithTheMetricThatKeepsGrowing_andSteadyOnesAreNot() {
        FootprintLog log = new FootprintLog(60);
        for (int minute = 0; minute <= 10; minute++) {
            log.add(minute * 60, Map.of("lb", new Footprint(7, (100 + 40 * minute) * MB, (10 + 30 * minute) * MB, 50, 20),
                                        "db", new Footprint(9, 70 * MB, -1, 400, 26)));
        }

        assertThat(log.judgeable()).isTrue();
        assertThat(log.problems()).hasSize(2)
                                  .anySatisfy(p -> assertThat(p).startsWith("lb: rss keeps growing, "))
                                  .anySatisfy(p -> assertThat(p).startsWith("lb: heap after gc keeps growing, "));
        assertThat(log.rssGrowth()).contains("lb +360.0 MB").contains("db +0.0 MB");
    }

    @Test
    void restartedOrMissingNode_isAProblem() {
        FootprintLog log = new FootprintLog(0);
        log.add(0, ordered("web-1", new Footprint(10, MB, 1, 5, 5), "web-2", new Footprint(11, MB, 1, 5, 5)));
        log.add(60, ordered("web-1", new Footprint(12, MB, 1, 5, 5)));

        assertThat(log.problems()).containsExactly("web-1 restarted before 1m00s (pid 10, now 12)",
                                                   "web-2 was down at 1m00s");
    }

    @Test
    void samplesOnlyInTheWarmUp_areNotEnoughToJudge() {
        FootprintLog log = new FootprintLog(600);
        for (int minute = 0; minute < 5; minute++) {
            log.add(minute * 60, Map.of("lb", new Footprint(7, MB, MB, 5, 5)));
        }

        assertThat(log.judgeable()).isFalse();
    }

    private static Map<String, Footprint> ordered(Object... pairs) {
        Map<String, Footprint> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (Footprint) pairs[i + 1]);
        }
        return map;
    }
}
