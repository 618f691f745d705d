package dev.millions.ops.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.millions.bench.soak.Footprint;
import dev.millions.ops.node.OsProcess;
import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.NodeStatus;

class NodeFootprintsTest {

    @Test
    void heapUsed_readsG1sLine_onJdk25AndBefore() {
        assertThat(NodeFootprints.heapUsed("""
                3698:
                 garbage-first heap   total reserved 393216K, committed 184320K, used 67038K [0x00000000e8000000, 0x0000000100000000)
                  region size 1024K, 14 young (14336K), 0 survivors (0K)
                 Metaspace       used 60000K, committed 61000K, reserved 1114112K
                """)).isEqualTo(67038L * 1024);
        assertThat(NodeFootprints.heapUsed(" garbage-first heap   total 262144K, used 21504K [0x0, 0x1)"))
                .isEqualTo(21504L * 1024);
    }

    @Test
    void heapUsed_sumsTheGenerations_ofAParallelHeap_andIsNegativeWhenThereIsNone() {
        assertThat(NodeFootprints.heapUsed("""
                 PSYoungGen      total 76288K, used 1000K [0x0, 0x1, 0x2)
                 ParOldGen       total 175104K, used 2000K [0x0, 0x1, 0x2)
                 Metaspace       used 3000K, committed 3200K, reserved 1056768K
                """)).isEqualTo(3000L * 1024);
        assertThat(NodeFootprints.heapUsed("12: Could not find any processes")).isNegative();
    }

    @Test
    void sample_ofThisJvm_readsItsMemoryHeapFilesAndThreads_andLeavesOutANodeThatIsGone() throws Exception {
        OsProcess self = OsProcess.of(ProcessHandle.current());
        NodeState me = new NodeState("me", "web", NodeStatus.READY, self.pid(), self.start(), null, null, null, null,
                                     0, null);
        NodeState gone = new NodeState("gone", "web", NodeStatus.READY, Integer.MAX_VALUE - 1, "", null, null, null,
                                       null, 0, null);

        Map<String, Footprint> sample = new NodeFootprints(() -> List.of(me, gone)).sample();

        assertThat(sample).containsOnlyKeys("me");
        Footprint footprint = sample.get("me");
        assertThat(footprint.pid()).isEqualTo(self.pid());
        assertThat(footprint.rssBytes()).isPositive();
        assertThat(footprint.heapAfterGcBytes()).isPositive();
        assertThat(footprint.openFiles()).isPositive();
        assertThat(footprint.threads()).isPositive();
    }
}
