package dev.millions.trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latest traces in memory, bounded by their spans' count and by their estimated size: when a new
 * span would pass either bound, the traces that began first go. The size bound keeps a store with a
 * small heap alive under load whatever the count allows (SQL statements make some spans large). A
 * trace's spans arrive in several batches from several processes (the edge ends its span after the app
 * does), so a trace is kept by its id, not by batch.
 */
final class TraceStore {

    private final int maxSpans;
    private final long maxBytes;
    /** By trace id, in the order their first span arrived. */
    private final LinkedHashMap<String, List<StoredSpan>> traces = new LinkedHashMap<>();
    private long spans;
    private long bytes;
    private long evictedTraces;

    TraceStore(int maxSpans, long maxBytes) {
        if (maxSpans <= 0) {
            throw new IllegalArgumentException("maxSpans: " + maxSpans + " (expected: > 0)");
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: > 0)");
        }
        this.maxSpans = maxSpans;
        this.maxBytes = maxBytes;
    }

    synchronized void add(List<StoredSpan> batch) {
        for (StoredSpan span : batch) {
            traces.computeIfAbsent(span.traceId(), id -> new ArrayList<>()).add(span);
            spans++;
            bytes += span.estimatedBytes();
        }
        Iterator<Map.Entry<String, List<StoredSpan>>> oldest = traces.entrySet().iterator();
        while ((spans > maxSpans || bytes > maxBytes) && oldest.hasNext()) {
            List<StoredSpan> evicted = oldest.next().getValue();
            spans -= evicted.size();
            bytes -= evicted.stream().mapToLong(StoredSpan::estimatedBytes).sum();
            oldest.remove();
            evictedTraces++;
        }
    }

    /** A trace's spans in the order they started; empty when it is unknown or was evicted. */
    synchronized List<StoredSpan> trace(String traceId) {
        List<StoredSpan> found = traces.get(traceId);
        if (found == null) {
            return List.of();
        }
        List<StoredSpan> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparingLong(StoredSpan::startEpochNanos));
        return sorted;
    }

    /** The trace ids that arrived last, the newest first. */
    synchronized List<String> latest(int limit) {
        List<String> ids = new ArrayList<>(traces.keySet());
        List<String> latest = new ArrayList<>(ids.subList(Math.max(0, ids.size() - limit), ids.size()));
        return latest.reversed();
    }

    synchronized long spans() {
        return spans;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized long evictedTraces() {
        return evictedTraces;
    }
}
