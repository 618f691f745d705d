package dev.millions.ops.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class ProcessTreeCpuTest {

    @Test
    void seconds_countBusyDescendants_evenAfterTheyExited() throws IOException, InterruptedException {
        // The parent only waits: every tick it shows comes from the busy child, first live, then reaped.
        Process parent = new ProcessBuilder("sh", "-c",
                                            "sh -c 'i=0; while [ $i -lt 400000 ]; do i=$((i+1)); done'; exec sleep 60")
                .start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!parent.info().command().orElse("").endsWith("sleep") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }

            assertThat(parent.info().command()).hasValueSatisfying(command -> assertThat(command).endsWith("sleep"));
            assertThat(parent.descendants()).isEmpty();
            assertThat(ProcessTreeCpu.seconds(parent.pid()).orElseThrow()).isGreaterThanOrEqualTo(0.1);
        } finally {
            parent.destroyForcibly();
        }
    }

    @Test
    void seconds_ofAProcessThatIsGone_isUnknown_notZero() throws InterruptedException, IOException {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();

        assertThat(ProcessTreeCpu.seconds(done.pid())).isEmpty();
    }
}
