package dev.millions.ops.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;

class OsProcessTest {

    @Test
    void terminate_stopsTheProcess_andItIsNoLongerAlive() throws IOException {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        OsProcess process = OsProcess.of(sleeper.toHandle());

        assertThat(process.isAlive()).isTrue();
        assertThat(process.terminate("TERM", 5_000)).isTrue();
        assertThat(process.isAlive()).isFalse();
    }

    @Test
    void isAlive_isFalse_whenThePidBelongsToAProcessStartedAtAnotherTime() throws IOException {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            OsProcess recycled = new OsProcess(sleeper.pid(), "1");

            assertThat(recycled.isAlive()).isFalse();
            assertThat(recycled.signal("KILL")).isFalse();
            assertThat(sleeper.isAlive()).isTrue();
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void start_isTheKernelsTickCount_soThatAClockStepCannotChangeIt() throws IOException {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            OsProcess process = OsProcess.of(sleeper.toHandle());

            assertThat(process.start()).matches("[0-9]+");
            assertThat(new OsProcess(sleeper.pid(), process.start()).isAlive()).isTrue();
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void of_withNoPid_isEmpty() {
        assertThat(OsProcess.of(-1, "")).isEmpty();
    }
}
