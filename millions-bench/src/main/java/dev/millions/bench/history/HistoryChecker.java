package dev.millions.bench.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ExecutionException;

/**
 * Checks a run's history, in the manner of Jepsen's checkers but only for two properties that need no
 * model of the whole system:
 *
 * <ol>
 *   <li><b>No lost acknowledged write:</b> every write the system acknowledged is there afterwards.
 *       Writes that failed or whose outcome is unknown may be absent; they are counted, not flagged.</li>
 *   <li><b>Read your writes:</b> a read by a client that started after that client saw its own write
 *       acknowledged must find it (the session guarantee of Terry et al., "Session Guarantees for Weakly
 *       Consistent Replicated Data", 1994).</li>
 * </ol>
 */
public final class HistoryChecker {

    private static final int PARALLEL_LOOKUPS = 16;

    private HistoryChecker() {}

    public static CheckReport check(History history, Lookup lookup) throws InterruptedException {
        List<Event> events = history.events();
        Map<String, Map<WriteKey, Long>> ackedByClient = new HashMap<>();
        Set<WriteKey> acked = new LinkedHashSet<>();
        Set<WriteKey> failed = new LinkedHashSet<>();
        Set<WriteKey> unknown = new LinkedHashSet<>();
        for (Event event : events) {
            if (event instanceof Event.Write write) {
                switch (write.status()) {
                    case ACKED -> {
                        acked.add(write.key());
                        ackedByClient.computeIfAbsent(write.client(), c -> new HashMap<>())
                                     .merge(write.key(), write.endNanos(), Math::min);
                    }
                    case FAILED -> failed.add(write.key());
                    case UNKNOWN -> unknown.add(write.key());
                }
            }
        }
        List<CheckReport.StaleRead> stale = new ArrayList<>();
        long readsChecked = 0;
        for (Event event : events) {
            if (event instanceof Event.Read read) {
                Long ackedAt = ackedByClient.getOrDefault(read.client(), Map.of()).get(read.key());
                if (ackedAt != null && read.startNanos() >= ackedAt) {
                    readsChecked++;
                    if (!read.found()) {
                        stale.add(new CheckReport.StaleRead(read.client(), read.key(), ackedAt, read.startNanos()));
                    }
                }
            }
        }
        Map<WriteKey, Lookup.Presence> ackedPresence = findAll(acked, lookup);
        List<WriteKey> lost = new ArrayList<>();
        List<WriteKey> unverified = new ArrayList<>();
        ackedPresence.forEach((key, presence) -> {
            switch (presence) {
                case PRESENT -> { }
                case ABSENT -> lost.add(key);
                case UNREACHABLE -> unverified.add(key);
            }
        });
        long present = ackedPresence.values().stream().filter(p -> p == Lookup.Presence.PRESENT).count();
        long failedPresent = countPresent(failed, lookup);
        long unknownPresent = countPresent(unknown, lookup);
        return new CheckReport(acked.size(), present, failed.size(), failedPresent, unknown.size(), unknownPresent,
                               readsChecked, List.copyOf(lost), List.copyOf(unverified), List.copyOf(stale));
    }

    private static long countPresent(Set<WriteKey> keys, Lookup lookup) throws InterruptedException {
        // A write that never got as far as an id cannot be looked up.
        Set<WriteKey> known = new LinkedHashSet<>(keys.stream().filter(key -> key.id() != null).toList());
        return findAll(known, lookup).values().stream().filter(p -> p == Lookup.Presence.PRESENT).count();
    }

    private static Map<WriteKey, Lookup.Presence> findAll(Set<WriteKey> keys, Lookup lookup)
            throws InterruptedException {
        Map<WriteKey, Future<Lookup.Presence>> futures = new LinkedHashMap<>();
        Semaphore permits = new Semaphore(PARALLEL_LOOKUPS);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (WriteKey key : keys) {
                futures.put(key, executor.submit(() -> {
                    permits.acquire();
                    try {
                        return lookup.find(key);
                    } finally {
                        permits.release();
                    }
                }));
            }
        }
        Map<WriteKey, Lookup.Presence> presence = new HashMap<>();
        for (Map.Entry<WriteKey, Future<Lookup.Presence>> entry : futures.entrySet()) {
            try {
                presence.put(entry.getKey(), entry.getValue().get());
            } catch (ExecutionException e) {
                presence.put(entry.getKey(), Lookup.Presence.UNREACHABLE);
            }
        }
        return presence;
    }
}
