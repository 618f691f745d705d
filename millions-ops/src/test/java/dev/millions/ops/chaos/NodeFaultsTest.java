package dev.millions.ops.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.millions.bench.fault.FaultAction;
import dev.millions.bench.fault.FaultException;
import dev.millions.ops.node.OsProcess;
import dev.millions.ops.node.RunFolder;
import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.NodeStatus;
import dev.millions.ops.supervisor.RunState;

/** Faults reach the process the run folder names, and nothing else; a wrong name fails clearly. */
class NodeFaultsTest {

    @TempDir
    Path folder;

    Process web1;
    Process web2;
    Process db;
    NodeFaults faults;

    @BeforeEach
    void recordThreeRunningNodes() throws IOException {
        web1 = new ProcessBuilder("sleep", "120").start();
        web2 = new ProcessBuilder("sleep", "120").start();
        db = new ProcessBuilder("sleep", "120").start();
        RunFolder runFolder = new RunFolder(folder);
        Files.createDirectories(runFolder.root());
        new RunState("test", ProcessHandle.current().pid(), "", List.of(node("db", "postgres", db),
                                                                         node("web-1", "web", web1),
                                                                         node("web-2", "web", web2)))
                .write(runFolder.stateFile());
        faults = new NodeFaults(runFolder);
    }

    @AfterEach
    void killLeftovers() {
        List.of(web1, web2, db).forEach(Process::destroyForcibly);
    }

    @Test
    void kill_byName_killsThatNodesProcessOnly() throws InterruptedException {
        String result = faults.inject(FaultAction.KILL, faults.resolve("web-1"), Duration.ZERO);

        assertThat(result).isEqualTo("SIGKILL to web-1 (pid " + web1.pid() + ')');
        assertThat(web1.waitFor()).isEqualTo(128 + 9);
        assertThat(web2.isAlive()).isTrue();
        assertThat(db.isAlive()).isTrue();
    }

    @Test
    void stopAndCont_freezeAndResumeTheProcess() throws IOException {
        faults.inject(FaultAction.STOP, faults.resolve("postgres"), Duration.ZERO);
        assertThat(awaitState(db, "T")).isEqualTo('T');

        faults.inject(FaultAction.CONT, "db", Duration.ZERO);
        assertThat(awaitState(db, "SR")).isIn('S', 'R');
    }

    @Test
    void role_withOneNode_namesIt_andWithSeveral_isRefused() {
        assertThat(faults.resolve("postgres")).isEqualTo("db");
        assertThatThrownBy(() -> faults.resolve("web")).isInstanceOf(FaultException.class)
                                                       .hasMessage("role 'web' names 2 nodes (web-1, web-2); name one of them");
    }

    @Test
    void unknownNode_isRefused_namingTheNodesThereAre() {
        assertThatThrownBy(() -> faults.resolve("db-primary"))
                .isInstanceOf(FaultException.class)
                .hasMessage("no node or role 'db-primary' in test (nodes: db (postgres), web-1 (web), web-2 (web))");
    }

    @Test
    void killOfANodeThatAlreadyDied_saysItIsNotRunning() throws InterruptedException {
        web2.destroyForcibly().waitFor();

        assertThatThrownBy(() -> faults.inject(FaultAction.KILL, "web-2", Duration.ZERO))
                .isInstanceOf(FaultException.class).hasMessageStartingWith("web-2 is not running (status ready, pid ");
    }

    @Test
    void restart_withoutASupervisor_saysTheSystemIsNotUp() {
        assertThatThrownBy(() -> faults.inject(FaultAction.RESTART, "web-1", Duration.ZERO))
                .isInstanceOf(FaultException.class).hasMessageContaining("no supervisor answers");
    }

    private static NodeState node(String name, String role, Process process) {
        OsProcess os = OsProcess.of(process.toHandle());
        return new NodeState(name, role, NodeStatus.READY, os.pid(), os.start(), "127.0.0.1:1", null, null, null, 0, null);
    }

    /** The process's state letter from /proc, once it is one of {@code expected} or after 5 s. */
    private static char awaitState(Process process, String expected) throws IOException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            if (expected.indexOf(state) >= 0 || System.nanoTime() > deadline) {
                return state;
            }
            Thread.onSpinWait();
        }
    }
}
