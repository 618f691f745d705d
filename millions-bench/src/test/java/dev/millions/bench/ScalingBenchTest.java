package dev.millions.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.millions.bench.load.LatencyStats;

class ScalingBenchTest {

    private static ScalingBench.Result result(String name, double throughput, double p99, double busy) {
        return new ScalingBench.Result(name, throughput, new LatencyStats(100, 10, 8, 12, p99, p99, p99), Map.of(), busy);
    }

    @Test
    void table_comparesEachConfigurationWithTheFirst_andListsErrorsByKind() {
        List<ScalingBench.Result> results = List.of(result("1 node, 1 core", 100, 300, 0.8),
                new ScalingBench.Result("2 nodes", 250, new LatencyStats(100, 10, 8, 12, 200, 200, 200),
                                        Map.of("timeout", 3L), 0.99));

        assertThat(ScalingBench.table(results))
                .containsPattern("1 node, 1 core +100\\.0 +1\\.00x +8\\.0 +300\\.0 +0 +80%")
                .containsPattern("2 nodes +250\\.0 +2\\.50x +8\\.0 +200\\.0 +3 +99%")
                .contains("errors by kind with 2 nodes: {timeout=3}");
    }

    @Test
    void verdict_namesTheBestConfiguration_andTheMachineAsTheCeilingWhenItWasSaturated() {
        List<ScalingBench.Result> results = List.of(result("1 node", 100, 300, 0.95), result("2 nodes", 120, 250, 0.99),
                                                    result("3 nodes", 90, 500, 0.99));

        assertThat(ScalingBench.verdict(results, 2)).startsWith("ceiling: 120 ok/s with 2 nodes; the machine's 2 cores "
                                                                + "were 99 % busy there");
        assertThat(ScalingBench.verdict(List.of(result("1 node", 100, 300, 0.5)), 8))
                .contains("only 50 % busy there: the limit is elsewhere");
    }

    @Test
    void plot_writesAnSvgWithABarAndAP99PointPerConfiguration(@TempDir Path folder) throws Exception {
        Path svg = folder.resolve("report/scaling.svg");

        ScalingBench.plot(List.of(result("1 node", 100, 300, 0.9), result("2 nodes <&>", 150, 200, 0.9)), svg);

        String text = Files.readString(svg);
        assertThat(text).startsWith("<svg").contains("2 nodes &lt;&amp;>").contains("300 ms").contains("200 ms");
        assertThat(text.split("<rect ").length - 2).isEqualTo(2);
    }
}
