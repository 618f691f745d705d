package dev.millions.ops.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergedLogsTest {

    @TempDir
    Path logs;

    @Test
    void history_mergesEveryNodesLogByTime_andAStackTraceStaysWithItsLine() throws IOException {
        write("web-1", """
                {"@timestamp":"2026-12-03T10:00:00.100Z","message":"first"}
                {"@timestamp":"2026-12-03T10:00:00.400Z","message":"fourth"}
                """);
        write("db-1", """
                2026-12-03 10:00:00.200 UTC [7] ERROR:  second
                DETAIL:  second's detail
                """);
        write("cache-2", "9:M 03 Dec 2026 10:00:00.300 * third\n");

        assertThat(nodesAndLines(MergedLogs.of(logs, name -> true)))
                .containsExactly("web-1 first", "db-1 second", "db-1 second's detail", "cache-2 third", "web-1 fourth");
    }

    @Test
    void ofNode_takesTheNodesLog_itsAccessLog_andItsMembers() throws IOException {
        for (String node : new String[] { "cache", "cache-1", "cache.access", "cache-x", "cachet", "web-1" }) {
            write(node, "{\"ts\":\"2026-12-03T10:00:00Z\",\"message\":\"" + node + "\"}\n");
        }

        assertThat(nodesAndLines(MergedLogs.of(logs, MergedLogs.ofNode("cache"))))
                .containsExactlyInAnyOrder("cache cache", "cache-1 cache-1", "cache.access cache.access");
    }

    @Test
    void follow_printsWholeLinesWrittenLater_fromNewFilesToo() throws Exception {
        write("web-1", "{\"ts\":\"2026-12-03T10:00:00Z\",\"message\":\"old\"}\n");
        BlockingQueue<LogEntry> followed = new LinkedBlockingQueue<>();
        try (MergedLogs merged = MergedLogs.of(logs, name -> true)) {
            merged.history(entry -> true, entry -> { });
            Thread follower = Thread.ofVirtual().start(() -> {
                try {
                    merged.follow(entry -> true, followed::add, Duration.ofMillis(20));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                append("web-1", "{\"ts\":\"2026-12-03T10:00:01Z\",\"message\":\"half");
                write("worker-1", "{\"ts\":\"2026-12-03T10:00:02Z\",\"message\":\"new node\"}\n");

                assertThat(followed.poll(30, TimeUnit.SECONDS)).extracting(LogEntry::node).isEqualTo("worker-1");
                append("web-1", " and whole\"}\n");
                assertThat(followed.poll(30, TimeUnit.SECONDS)).extracting(LogEntry::line)
                        .isEqualTo("{\"ts\":\"2026-12-03T10:00:01Z\",\"message\":\"half and whole\"}");
            } finally {
                follower.interrupt();
                follower.join();
            }
        }
    }

    private List<String> nodesAndLines(MergedLogs merged) throws IOException {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        try (merged) {
            merged.history(entry -> true, entry -> lines.add(entry.node() + ' ' + message(entry.line())));
        }
        return lines;
    }

    private static String message(String line) {
        int start = line.indexOf("\"message\":\"");
        if (start >= 0) {
            return line.substring(start + 11, line.indexOf('"', start + 11));
        }
        return line.replaceFirst("^.*(ERROR:  |\\* )", "").replaceFirst("^DETAIL:  ", "");
    }

    private void write(String node, String text) throws IOException {
        Files.writeString(logs.resolve(node + ".log"), text);
    }

    private void append(String node, String text) throws IOException {
        Files.writeString(logs.resolve(node + ".log"), text, StandardOpenOption.APPEND);
    }
}
