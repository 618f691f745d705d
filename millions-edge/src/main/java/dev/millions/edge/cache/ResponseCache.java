package dev.millions.edge.cache;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * The edge's memory tier: stored answers bounded in bytes, admitted and evicted by Caffeine's W-TinyLFU
 * (Einziger, Friedman and Manes, "TinyLFU: A Highly Efficient Cache Admission Policy", 2017), so one scan
 * of cold objects does not flush the hot ones. Beside it, the names each URL's answers vary on, the tags
 * for purging, and the URLs whose last answer could not be stored ("hit-for-miss", as Varnish calls it),
 * which go straight to the origin for a while instead of queueing behind one another's fetch.
 */
public final class ResponseCache implements AutoCloseable {

    /** How long a URL whose answer could not be stored skips the queue of collapsed misses. */
    private static final long HIT_FOR_MISS_MILLIS = 120_000;
    /** What the store's own maps hold per entry beyond the entry: Caffeine's node, the tag and vary indexes. */
    private static final int INDEX_OVERHEAD = 160;

    private final Cache<CacheKey, Entry> entries;
    private final Map<CacheKey, List<String>> varyNames = new ConcurrentHashMap<>();
    /** Each URL's keys in the memory tier: when the last goes, so do the URL's vary names (unless on disk). */
    private final Map<CacheKey, Set<CacheKey>> variants = new ConcurrentHashMap<>();
    private final Map<String, Set<CacheKey>> byTag = new ConcurrentHashMap<>();
    private final Map<CacheKey, Long> hitForMiss = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private final CacheMetrics metrics = new CacheMetrics();
    private final DiskTier disk;

    /** @param clock wall-clock millis, which the freshness of answers is computed in */
    public ResponseCache(long maxBytes, LongSupplier clock) {
        this(maxBytes, clock, null);
    }

    /**
     * A cache with a disk tier beneath its memory tier, whose answers from a previous run are found
     * again.
     *
     * @param disk the disk tier, or {@code null} for memory only
     */
    public ResponseCache(long maxBytes, LongSupplier clock, DiskTier disk) {
        this.clock = clock;
        this.disk = disk;
        this.entries = Caffeine.newBuilder().maximumWeight(maxBytes)
                               .weigher((CacheKey key, Entry entry) -> entry.weight() + INDEX_OVERHEAD)
                               // Removal runs on the caller's thread: a body is released as soon as it leaves.
                               .executor(Runnable::run)
                               .removalListener((CacheKey key, Entry entry, RemovalCause cause) -> removed(entry, cause))
                               .build();
        if (disk != null) {
            disk.onUrlGone(this::urlGone);
            for (DiskTier.Stored stored : disk.all()) {
                varyNames.put(stored.key().url(), CacheKey.varyNames(stored.vary()));
                stored.tags().forEach(tag -> byTag.computeIfAbsent(tag, t -> ConcurrentHashMap.newKeySet()).add(stored.key()));
            }
        }
    }

    /**
     * The answer for a request to {@code url} from the disk tier, moved up to the memory tier; {@code null}
     * when the disk tier does not have it either. Completes off the event loop.
     */
    public CompletableFuture<Entry> loadFromDisk(CacheKey url, HttpHeaders request, ByteBufAllocator allocator) {
        if (disk == null) {
            return null;
        }
        CacheKey key = variantKey(url, request);
        if (!disk.contains(key)) {
            return null;
        }
        return disk.read(key, allocator).thenApply(entry -> {
            if (entry == null) {
                return null;
            }
            metrics.diskHits.increment();
            variants.computeIfAbsent(entry.key().url(), u -> ConcurrentHashMap.newKeySet()).add(entry.key());
            Entry present = entries.asMap().putIfAbsent(entry.key(), entry);
            if (present != null) {
                // Another request loaded it first: keep that one, whose body clients may be reading.
                entry.release();
                return present;
            }
            return entry;
        });
    }

    public long now() {
        return clock.getAsLong();
    }

    public CacheMetrics metrics() {
        return metrics;
    }

    /** The stored answer for a request to {@code url}; {@code null} for none. */
    public Entry lookup(CacheKey url, HttpHeaders request) {
        List<String> names = varyNames.get(url);
        return names == null ? null : entries.getIfPresent(url.variant(names, request));
    }

    /** The key a request to {@code url} looks up, given the names its stored answers vary on. */
    public CacheKey variantKey(CacheKey url, HttpHeaders request) {
        List<String> names = varyNames.get(url);
        return names == null ? url : url.variant(names, request);
    }

    /** Whether any answer for {@code url} is stored, whatever its variant: a vary-miss, as opposed to a uri-miss. */
    public boolean knows(CacheKey url) {
        return varyNames.containsKey(url);
    }

    /** Whether {@code url}'s last answer could not be stored, recently. */
    public boolean hitForMiss(CacheKey url) {
        Long until = hitForMiss.get(url);
        if (until == null) {
            return false;
        }
        if (now() - until > 0) {
            hitForMiss.remove(url, until);
            return false;
        }
        return true;
    }

    public void markHitForMiss(CacheKey url) {
        hitForMiss.put(url, now() + HIT_FOR_MISS_MILLIS);
    }

    /** The key an answer varying on {@code vary} (its {@code Vary} lines) is stored under for this request. */
    public CacheKey keyFor(CacheKey url, List<String> vary, HttpHeaders request) {
        return url.variant(CacheKey.varyNames(vary), request);
    }

    /** Stores an entry, which the store now owns; its URL's vary names become the entry's. */
    public void store(Entry entry, List<String> vary) {
        CacheKey url = entry.key().url();
        List<String> names = CacheKey.varyNames(vary);
        // The key joins its URL's set before the names are written: an eviction of the URL's last other
        // key in between then does not take the names away.
        variants.computeIfAbsent(url, u -> ConcurrentHashMap.newKeySet()).add(entry.key());
        List<String> before = varyNames.put(url, names);
        if (before != null && !before.equals(names)) {
            // The origin changed what it varies on: the variants filed under the old names cannot be found.
            entries.asMap().keySet().removeIf(key -> key.url().equals(url) && !key.equals(entry.key()));
        }
        hitForMiss.remove(url);
        for (String tag : entry.tags()) {
            byTag.computeIfAbsent(tag, t -> ConcurrentHashMap.newKeySet()).add(entry.key());
        }
        entries.put(entry.key(), entry);
        metrics.fills.increment();
        if (disk != null) {
            disk.write(entry, vary);
        }
    }

    /**
     * Removes every variant of {@code url}, as an unsafe method does (RFC 9111 4.4). It runs on an event
     * loop: the URL's keys come from its index, not a scan, and the disk tier removes its copies in the
     * background (after the writes queued before, so none comes back).
     */
    public void invalidate(CacheKey url) {
        Set<CacheKey> keys = variants.get(url);
        if (keys != null) {
            List.copyOf(keys).forEach(entries::invalidate);
        }
        if (disk != null) {
            disk.removeLater(key -> key.url().equals(url));
        }
    }

    /** Purges one URL on every host ({@code /path?query}), or on one when {@code host} is given. */
    public int purgeUrl(String host, String target, boolean soft) {
        return purge(key -> key.target().equals(target) && (host == null || key.host().equalsIgnoreCase(host)), soft);
    }

    /** Purges every URL whose target starts with {@code prefix}. */
    public int purgePrefix(String prefix, boolean soft) {
        return purge(key -> key.target().startsWith(prefix), soft);
    }

    /** Purges every answer that carried {@code tag} in its {@code Surrogate-Key}. */
    public int purgeTag(String tag, boolean soft) {
        // A copy: removing from memory takes the keys out of the live set before the disk tier is purged.
        Set<CacheKey> keys = Set.copyOf(byTag.getOrDefault(tag, Set.of()));
        return purge(keys::contains, soft);
    }

    /**
     * A hard purge removes; a soft one marks stale, so the stale windows still serve the entry while one
     * request refreshes it.
     */
    private int purge(Predicate<CacheKey> matching, boolean soft) {
        long now = now();
        Set<CacheKey> purged = new HashSet<>();
        for (Map.Entry<CacheKey, Entry> stored : entries.asMap().entrySet()) {
            if (matching.test(stored.getKey())) {
                purged.add(stored.getKey());
                if (soft) {
                    stored.getValue().softPurge(now);
                } else {
                    entries.asMap().remove(stored.getKey(), stored.getValue());
                }
            }
        }
        if (disk != null) {
            purged.addAll(disk.remove(matching));
        }
        metrics.purges.increment();
        metrics.purged.add(purged.size());
        return purged.size();
    }

    /** Stored entries and their bytes. */
    public long count() {
        return entries.estimatedSize();
    }

    /** URLs and tags the indexes hold: never more than the answers stored. */
    int indexedUrls() {
        return varyNames.size();
    }

    int indexedTags() {
        return byTag.size();
    }

    /** Answers and bytes on the disk tier; 0 without one. */
    public long diskCount() {
        return disk == null ? 0 : disk.count();
    }

    public long diskBytes() {
        return disk == null ? 0 : disk.bytes();
    }

    public long bytes() {
        return entries.policy().eviction().map(eviction -> eviction.weightedSize().orElse(0)).orElse(0L);
    }

    private void removed(Entry entry, RemovalCause cause) {
        if (entry == null) {
            return;
        }
        if (cause.wasEvicted()) {
            metrics.evictions.increment();
        }
        if (cause != RemovalCause.REPLACED) {
            // Every index shrinks with the store: a set left empty goes, so they hold only what is stored.
            CacheKey key = entry.key();
            for (String tag : entry.tags()) {
                byTag.computeIfPresent(tag, (t, keys) -> keys.remove(key) && keys.isEmpty() ? null : keys);
            }
            CacheKey url = key.url();
            Set<CacheKey> left = variants.computeIfPresent(url, (u, keys) -> keys.remove(key) && keys.isEmpty() ? null : keys);
            if (left == null && (disk == null || !disk.hasUrl(url))) {
                urlGone(url);
            }
        }
        entry.release();
    }

    /** No tier holds an answer for {@code url} any more: its vary names go too. */
    private void urlGone(CacheKey url) {
        // Checked again inside the map's lock on the URL: a store on another loop may have just added it.
        varyNames.computeIfPresent(url, (u, names) -> variants.containsKey(u) || disk != null && disk.hasUrl(u) ? names : null);
    }

    @Override
    public void close() {
        entries.invalidateAll();
        entries.cleanUp();
        if (disk != null) {
            disk.close();
        }
    }

    /** What the cache did, counted on the request path and read when {@code /metrics} is scraped. */
    public static final class CacheMetrics {
        public final LongAdder hits = new LongAdder();
        public final LongAdder misses = new LongAdder();
        public final LongAdder hitBytes = new LongAdder();
        public final LongAdder missBytes = new LongAdder();
        public final LongAdder fills = new LongAdder();
        public final LongAdder evictions = new LongAdder();
        public final LongAdder collapsed = new LongAdder();
        public final LongAdder staleServed = new LongAdder();
        public final LongAdder revalidated = new LongAdder();
        public final LongAdder purges = new LongAdder();
        public final LongAdder purged = new LongAdder();
        public final LongAdder passes = new LongAdder();
        public final LongAdder originFetches = new LongAdder();
        public final LongAdder originFetchNanos = new LongAdder();
        public final LongAdder failovers = new LongAdder();
        public final LongAdder diskHits = new LongAdder();
    }
}
