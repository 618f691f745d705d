package dev.millions.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TraceStoreTest {

    @Test
    void spansOfOneTrace_fromSeveralBatches_areOneTrace_inStartOrder() {
        TraceStore store = new TraceStore(10, 1 << 20);
        store.add(List.of(span("a", "2", "1", 20)));
        store.add(List.of(span("a", "1", null, 10), span("b", "3", null, 5)));

        assertThat(store.trace(id("a"))).extracting(StoredSpan::spanId).containsExactly(sid("1"), sid("2"));
        assertThat(store.latest(1)).containsExactly(id("b"));
    }

    @Test
    void pastItsBound_theOldestTracesGo_whole() {
        TraceStore store = new TraceStore(3, 1 << 20);
        store.add(List.of(span("a", "1", null, 1), span("a", "2", "1", 2)));
        store.add(List.of(span("b", "3", null, 3), span("c", "4", null, 4)));

        assertThat(store.trace(id("a"))).isEmpty();
        assertThat(store.latest(10)).containsExactly(id("c"), id("b"));
        assertThat(store.spans()).isEqualTo(2);
        assertThat(store.evictedTraces()).isEqualTo(1);
    }

    @Test
    void pastItsSizeBound_theOldestTracesGo_whatEverTheCountAllows() {
        StoredSpan large = new StoredSpan(id("a"), sid("1"), null, "web-1", "INSERT", "CLIENT", 1, 2, "UNSET", "",
                                          Map.of("db.statement", "x".repeat(10_000)));
        TraceStore store = new TraceStore(1_000, 3 * large.estimatedBytes());
        store.add(List.of(large));
        store.add(List.of(span("b", "2", null, 2), span("c", "3", null, 3), withTrace(large, "d"), withTrace(large, "e")));

        assertThat(store.trace(id("a"))).isEmpty();
        assertThat(store.bytes()).isLessThanOrEqualTo(3 * large.estimatedBytes());
        assertThat(store.latest(10)).containsExactly(id("e"), id("d"), id("c"), id("b"));
    }

    @Test
    void aSpansEstimate_countsItsAttributes() {
        StoredSpan bare = span("a", "1", null, 1);
        StoredSpan described = new StoredSpan(id("a"), sid("1"), null, "web-1", "s1", "SERVER", 1, 2, "UNSET", "",
                                              Map.of("db.statement", "SELECT 1"));

        assertThat(described.estimatedBytes()).isGreaterThan(bare.estimatedBytes() + 2 * "SELECT 1".length());
    }

    private static StoredSpan withTrace(StoredSpan span, String trace) {
        return new StoredSpan(id(trace), span.spanId(), span.parentSpanId(), span.service(), span.name(), span.kind(),
                              span.startEpochNanos(), span.endEpochNanos(), span.status(), span.statusMessage(),
                              span.attributes());
    }

    private static StoredSpan span(String trace, String span, String parent, long start) {
        return new StoredSpan(id(trace), sid(span), parent == null ? null : sid(parent), "web-1", "s" + span, "SERVER",
                              start, start + 1, "UNSET", "", Map.of());
    }

    private static String id(String c) {
        return c.repeat(32);
    }

    private static String sid(String c) {
        return c.repeat(16);
    }
}
