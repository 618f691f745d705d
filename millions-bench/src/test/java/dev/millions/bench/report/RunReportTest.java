package dev.millions.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.millions.bench.fault.FaultEvent;
import dev.millions.bench.fault.FaultSpec;
import dev.millions.bench.history.CheckReport;
import dev.millions.bench.load.Outcome;
import dev.millions.bench.load.Recorder;

/** A run with an outage in its middle: the report marks the fault and shades the outage. */
class RunReportTest {

    static final long S = 1_000_000_000L;

    @TempDir
    Path folder;

    @Test
    void report_showsTheFault_theOutageWindow_andTheChecksVerdict() throws IOException {
        Recorder recorder = new Recorder(0, S);
        for (int second = 0; second < 6; second++) {
            for (int i = 0; i < 10; i++) {
                long due = second * S + i * S / 10;
                recorder.due(due);
                boolean down = second == 2 || second == 3;
                recorder.record("read", due, due + 5_000_000, down ? Outcome.error("connect refused") : Outcome.success());
            }
        }
        FaultEvent kill = new FaultEvent(FaultSpec.parse("kill:web-1@2s"), 2_000, 2_001, true, "SIGKILL to web-1 (pid 7)");
        CheckReport check = new CheckReport(5, 5, 1, 0, 0, 0, 3, List.of(), List.of(), List.of());
        RunReport report = new RunReport("test run", Map.of("topology", "single"), recorder, List.of(kill), check, 5);

        Path html = report.write(folder);

        assertThat(report.table()).contains("fault kill:web-1@2s at 2.0 s").contains("outage: seconds 2 to 3")
                                  .contains("history: all 5 acknowledged writes present");
        assertThat(Files.readString(html)).contains("kill web-1").contains("fill-opacity").contains("warm-up");
        assertThat(Files.readAllLines(folder.resolve("series.csv"))).hasSize(7)
                                                                    .first().asString().contains("error: connect refused");
        assertThat(folder.resolve("latency.hgrm")).exists();
        assertThat(Files.readString(folder.resolve("summary.md"))).contains("| **all** |");
        assertThat(RunReport.outages(recorder.series())).singleElement()
                                                        .satisfies(span -> assertThat(span).containsExactly(2, 3));
        assertThat(Duration.ofMillis(kill.doneMillis() - kill.atMillis())).isLessThan(Duration.ofSeconds(1));
    }
}
