package dev.millions.ops.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitCauseTest {

    @TempDir
    Path folder;

    @Test
    void exitValuesAbove128_nameTheSignal() {
        assertThat(ExitCause.describe(137, null, 0)).isEqualTo("killed by SIGKILL");
        assertThat(ExitCause.describe(143, null, 0)).isEqualTo("killed by SIGTERM");
        assertThat(ExitCause.describe(128 + 10, null, 0)).isEqualTo("killed by signal 10");
        assertThat(ExitCause.describe(1, null, 0)).isEqualTo("exit code 1");
        assertThat(ExitCause.describe(null, null, 0)).isEqualTo("exited");
    }

    @Test
    void anOutOfMemoryErrorInThisRunsLog_isTheCause_butNotOneFromAnEarlierRun() throws IOException {
        Path log = folder.resolve("lb.log");
        Files.writeString(log, "Terminating due to java.lang.OutOfMemoryError: Java heap space\n");
        long secondRun = Files.size(log);
        assertThat(ExitCause.describe(3, log, 0)).startsWith("out of memory");

        Files.writeString(log, "started\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(ExitCause.describe(137, log, secondRun)).isEqualTo("killed by SIGKILL");
    }
}
