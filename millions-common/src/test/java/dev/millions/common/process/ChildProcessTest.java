package dev.millions.common.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessTest {

    @TempDir
    Path folder;

    @Test
    void output_isAppendedToItsLog_andItsExitCodeKept() throws Exception {
        Path log = folder.resolve("logs/one.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, "earlier run\n");

        ChildProcess process = ChildProcess.start(List.of("sh", "-c", "echo \"$GREETING\"; exit 3"), log,
                                                  Map.of("GREETING", "hello"));

        assertThat(process.awaitExit(Duration.ofSeconds(30))).isTrue();
        assertThat(process.exitCode()).isEqualTo(3);
        assertThat(process.pid()).isEqualTo(-1);
        assertThat(Files.readString(log)).isEqualTo("earlier run\nhello\n");
        assertThat(process.logStart()).isEqualTo("earlier run\n".length());
    }

    @Test
    void stop_thatTheProcessHonours_endsItWithoutAKill() throws Exception {
        ChildProcess process = ChildProcess.start(List.of("sleep", "60"), folder.resolve("sleep.log"), Map.of());

        assertThat(process.stop(List.of(ChildProcess.StopStep.of("TERM", Duration.ofSeconds(30))))).isTrue();
        assertThat(process.exitCode()).isEqualTo(128 + 15);
    }

    @Test
    void stop_thatTheProcessIgnores_endsInAKill_ofItAndItsChildren() throws Exception {
        ChildProcess process = ChildProcess.start(List.of("sh", "-c", "trap '' TERM INT; sleep 60 & wait"),
                                                  folder.resolve("stubborn.log"), Map.of());
        while (process.handle().descendants().findAny().isEmpty()) {
            Thread.onSpinWait();
        }
        List<ProcessHandle> children = process.handle().descendants().toList();

        boolean stoppedBySignal = process.stop(List.of(ChildProcess.StopStep.of("TERM", Duration.ofMillis(200)),
                                                       ChildProcess.StopStep.of("INT", Duration.ofMillis(200))));

        assertThat(stoppedBySignal).isFalse();
        assertThat(process.isAlive()).isFalse();
        for (ProcessHandle child : children) {
            assertThat(child.onExit().get()).extracting(ProcessHandle::isAlive).isEqualTo(false);
        }
    }

    @Test
    void pendingInterrupt_doesNotCutAStopShort_andIsKept() throws Exception {
        ChildProcess process = ChildProcess.start(List.of("sleep", "60"), folder.resolve("sleep.log"), Map.of());

        Thread.currentThread().interrupt();
        boolean clean = process.stop(List.of(ChildProcess.StopStep.of("TERM", Duration.ofSeconds(30))));

        assertThat(Thread.interrupted()).isTrue();
        assertThat(clean).isTrue();
    }

    @Test
    void ports_freeOnes_areFree_andAListenedOneIsNot() throws Exception {
        int port = Ports.free("127.0.0.1");
        assertThat(Ports.isFree("127.0.0.1", port)).isTrue();
        try (var listener = new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThat(Ports.isFree("127.0.0.1", port)).isFalse();
        }
    }
}
