package dev.millions.bench.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class FaultSpecTest {

    @Test
    void killAtTenSeconds_parses() {
        FaultSpec spec = FaultSpec.parse("kill:web-1@10s");

        assertThat(spec).isEqualTo(new FaultSpec(FaultAction.KILL, "web-1", Duration.ZERO, Duration.ofSeconds(10)));
        assertThat(spec).hasToString("kill:web-1@10s");
    }

    @Test
    void delay_takesADuration() {
        FaultSpec spec = FaultSpec.parse("delay:web-1=200ms@1.5s");

        assertThat(spec.argument()).isEqualTo(Duration.ofMillis(200));
        assertThat(spec.at()).isEqualTo(Duration.ofMillis(1500));
        assertThat(spec).hasToString("delay:web-1=200ms@1500ms");
    }

    @Test
    void malformedSpecs_areRefused_sayingWhatWasExpected() {
        assertThatThrownBy(() -> FaultSpec.parse("kill web-1"))
                .hasMessage("fault: 'kill web-1' (expected: ACTION:NODE@TIME, e.g. kill:web-1@10s, or delay:web-1=200ms@10s)");
        assertThatThrownBy(() -> FaultSpec.parse("explode:web-1@1s"))
                .hasMessage("fault action: 'explode' (expected one of: kill, stop, cont, restart, delay)");
        assertThatThrownBy(() -> FaultSpec.parse("delay:web-1@1s"))
                .hasMessage("fault: 'delay:web-1@1s' (expected a duration: delay:web-1=200ms@1s)");
        assertThatThrownBy(() -> FaultSpec.parse("kill:web-1=3s@1s"))
                .hasMessage("fault: 'kill:web-1=3s@1s' (kill takes no '=3s')");
        assertThatThrownBy(() -> FaultSpec.parse("kill:web-1@10h"))
                .hasMessage("duration: '10h' in 'kill:web-1@10h' (expected a number with ms, s or m, e.g. 500ms, 10s, 2m)");
    }
}
