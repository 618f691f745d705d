package dev.millions.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MixTest {

    @Test
    void readHeavy_isNinetyFivePercentReads() {
        assertThat(Mix.READ_HEAVY.writePercent()).isEqualTo(5);
        assertThat(Mix.WRITE_HEAVY.writePercent()).isEqualTo(70);
        assertThat(Mix.MIXED.writePercent()).isEqualTo(30);
        assertThat(Mix.LOGIN_CHURN.writePercent()).isZero();
    }

    @Test
    void unknownMix_isRefused_listingTheKnownOnes() {
        assertThatThrownBy(() -> Mix.of("mostly-reads"))
                .hasMessage("mix: 'mostly-reads' (expected one of: read-heavy, write-heavy, mixed, login-churn)");
    }
}
