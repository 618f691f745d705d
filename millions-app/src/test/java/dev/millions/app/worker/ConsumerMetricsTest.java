package dev.millions.app.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ConsumerMetricsTest {

    @Test
    void refresher_runsTheBindersMinutelyLook_everyRefreshInstead() {
        try (ConsumerMetrics.Refresher refresher = new ConsumerMetrics.Refresher()) {
            ScheduledFuture<?> look = refresher.scheduleAtFixedRate(() -> { }, 60_000, 60_000, TimeUnit.MILLISECONDS);

            assertThat(look.getDelay(TimeUnit.MILLISECONDS)).isLessThanOrEqualTo(ConsumerMetrics.REFRESH.toMillis());
            refresher.shutdownNow();
        }
    }
}
