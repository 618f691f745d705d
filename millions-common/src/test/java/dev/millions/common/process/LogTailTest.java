package dev.millions.common.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

    @TempDir
    Path folder;

    @Test
    void lines_areTheLastOnes_withoutTheLineTheWindowCut() throws IOException {
        Path log = folder.resolve("node.log");
        Files.writeString(log, "x".repeat(20_000) + "\nsecond\nthird\n");

        assertThat(LogTail.lines(log, 15)).containsExactly("second", "third");
    }

    @Test
    void aSingleLineLongerThanTheWindow_isKept_cutAtItsStart() throws IOException {
        Path log = folder.resolve("node.log");
        Files.writeString(log, "{\"message\":\"Application run failed\",\"stack_trace\":\"" + "at x\\n".repeat(5_000)
                               + "\"}\n");

        assertThat(LogTail.lines(log, 15)).singleElement().asString().endsWith("at x\\n\"}");
    }
}
