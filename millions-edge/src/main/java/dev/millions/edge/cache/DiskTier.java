package dev.millions.edge.cache;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * The edge's disk tier: every stored answer is also written to a file of its own, bounded in bytes (the
 * least recently used files go first), and found again after a restart of the edge. Files are written
 * whole to a temporary name and moved into place, so a crash never leaves half of one; reads and writes
 * run on one thread of their own, never on an event loop. An answer read from disk is promoted to the
 * memory tier. A purge, soft or hard, removes the disk copy: a soft purge's mark lives in memory only.
 */
public final class DiskTier implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(DiskTier.class);
    private static final int MAGIC = 0x4D434431; // "MCD1"
    private static final String SUFFIX = ".answer";

    private final Path folder;
    private final Cache<CacheKey, Stored> index;
    private final ExecutorService io = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("cdn-disk").daemon()
                                                                                 .factory());
    private final AtomicLong sequence = new AtomicLong();
    /** Each URL's keys on disk, so the memory tier can tell when no tier holds a URL any more. */
    private final Map<CacheKey, Set<CacheKey>> urls = new ConcurrentHashMap<>();
    private volatile Consumer<CacheKey> urlGone = url -> {};

    /** A file of the tier: what is needed to find it and purge it without reading it. */
    public record Stored(CacheKey key, Path file, long size, List<String> vary, List<String> tags) {}

    /** Opens the tier in {@code folder}, indexing the answers a previous run left there. */
    public DiskTier(Path folder, long maxBytes) throws IOException {
        this.folder = Files.createDirectories(folder);
        this.index = Caffeine.newBuilder().maximumWeight(maxBytes)
                             .weigher((CacheKey key, Stored stored) -> (int) Math.min(Integer.MAX_VALUE, stored.size()))
                             .executor(io)
                             .removalListener((CacheKey key, Stored stored, RemovalCause cause) -> removed(stored, cause))
                             .build();
        try (var files = Files.list(folder)) {
            for (Path file : files.toList()) {
                if (file.getFileName().toString().endsWith(".part")) {
                    Files.deleteIfExists(file);
                } else if (file.getFileName().toString().endsWith(SUFFIX)) {
                    Stored stored = readHead(file);
                    if (stored == null) {
                        Files.deleteIfExists(file);
                    } else {
                        put(stored);
                    }
                }
            }
        }
        logger.info("disk tier {}: {} answers, {} bytes from the last run", folder, index.estimatedSize(), bytes());
    }

    /** Every answer on disk, for indexing the URLs' vary names and tags at start. */
    public List<Stored> all() {
        return List.copyOf(index.asMap().values());
    }

    /** Called with a URL once the tier holds none of its answers. */
    void onUrlGone(Consumer<CacheKey> listener) {
        urlGone = listener;
    }

    /** Whether the tier holds an answer for {@code url}, any variant. */
    public boolean hasUrl(CacheKey url) {
        return urls.containsKey(url);
    }

    private void put(Stored stored) {
        urls.computeIfAbsent(stored.key().url(), u -> ConcurrentHashMap.newKeySet()).add(stored.key());
        index.put(stored.key(), stored);
    }

    private void removed(Stored stored, RemovalCause cause) {
        if (stored == null) {
            return;
        }
        delete(stored);
        if (cause != RemovalCause.REPLACED) {
            CacheKey url = stored.key().url();
            Set<CacheKey> left = urls.computeIfPresent(url, (u, keys) -> keys.remove(stored.key()) && keys.isEmpty() ? null : keys);
            if (left == null) {
                urlGone.accept(url);
            }
        }
    }

    public boolean contains(CacheKey key) {
        return index.getIfPresent(key) != null;
    }

    /** Writes an entry in the background; the entry's body is read through a reference of this tier's own. */
    public void write(Entry entry, List<String> vary) {
        ByteBuf body = entry.retainedBody();
        if (body == null) {
            return;
        }
        io.execute(() -> {
            try {
                Path file = folder.resolve(name(entry.key()) + '-' + sequence.incrementAndGet() + SUFFIX);
                Path part = folder.resolve(file.getFileName() + ".part");
                long size = writeFile(part, entry, vary, body);
                Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
                put(new Stored(entry.key(), file, size, vary, List.copyOf(entry.tags())));
            } catch (IOException | RuntimeException e) {
                logger.warn("cannot write {} to the disk tier: {}", entry.key(), e.toString());
            } finally {
                body.release();
            }
        });
    }

    /** Reads an answer back; completes with {@code null} when it is not (or no longer) there. */
    public CompletableFuture<Entry> read(CacheKey key, ByteBufAllocator allocator) {
        Stored stored = index.getIfPresent(key);
        if (stored == null) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return readFile(stored, allocator);
            } catch (IOException e) {
                logger.warn("cannot read {} from the disk tier: {}", key, e.toString());
                index.asMap().remove(key, stored);
                return null;
            }
        }, io);
    }

    /**
     * Removes every answer whose key matches; their keys. It runs on the tier's own thread, after the
     * writes queued before it: a write still pending when a purge comes cannot bring the purged answer back.
     */
    public List<CacheKey> remove(Predicate<CacheKey> matching) {
        return CompletableFuture.supplyAsync(() -> {
            List<CacheKey> keys = index.asMap().keySet().stream().filter(matching).toList();
            keys.forEach(index::invalidate);
            return keys;
        }, io).join();
    }

    /** Removes every answer whose key matches, in the background, after the writes queued before. */
    public void removeLater(Predicate<CacheKey> matching) {
        io.execute(() -> index.asMap().keySet().stream().filter(matching).toList().forEach(index::invalidate));
    }

    public long bytes() {
        return index.policy().eviction().map(eviction -> eviction.weightedSize().orElse(0)).orElse(0L);
    }

    public long count() {
        return index.estimatedSize();
    }

    private void delete(Stored stored) {
        try {
            Files.deleteIfExists(stored.file());
        } catch (IOException e) {
            logger.warn("cannot delete {}: {}", stored.file(), e.toString());
        }
    }

    private static long writeFile(Path part, Entry entry, List<String> vary, ByteBuf body) throws IOException {
        try (OutputStream file = Files.newOutputStream(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(file, 64 * 1024))) {
            out.writeInt(MAGIC);
            out.writeUTF(entry.key().host());
            out.writeUTF(entry.key().target());
            out.writeUTF(entry.key().variant());
            out.writeInt(entry.status());
            List<Map.Entry<String, String>> fields = entry.headers().entries();
            out.writeInt(fields.size());
            for (Map.Entry<String, String> field : fields) {
                out.writeUTF(field.getKey());
                writeLong(out, field.getValue());
            }
            out.writeInt(vary.size());
            for (String name : vary) {
                out.writeUTF(name);
            }
            out.writeLong(entry.requestTimeMillis());
            out.writeLong(entry.responseTimeMillis());
            StoragePolicy.Freshness freshness = entry.freshness();
            out.writeLong(freshness.lifetimeSeconds());
            out.writeLong(freshness.staleWhileRevalidateSeconds());
            out.writeLong(freshness.staleIfErrorSeconds());
            out.writeBoolean(freshness.noCache());
            out.writeInt(body.readableBytes());
            body.getBytes(body.readerIndex(), out, body.readableBytes());
            out.flush();
            return out.size();
        }
    }

    /** A head, without the body: {@code null} when the file is not one of ours or is cut short. */
    private static Stored readHead(Path file) {
        try (InputStream in = Files.newInputStream(file); DataInputStream head = new DataInputStream(new BufferedInputStream(in))) {
            Head read = Head.read(head);
            return read == null ? null : new Stored(read.key(), file, Files.size(file), read.vary(),
                                                    List.copyOf(Tags.of(read.headers())));
        } catch (IOException e) {
            return null;
        }
    }

    private static Entry readFile(Stored stored, ByteBufAllocator allocator) throws IOException {
        try (FileChannel channel = FileChannel.open(stored.file(), StandardOpenOption.READ);
             DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)))) {
            Head head = Head.read(in);
            if (head == null) {
                throw new IOException("not an answer file: " + stored.file());
            }
            int length = in.readInt();
            ByteBuf body = allocator.directBuffer(length, length);
            try {
                byte[] chunk = new byte[64 * 1024];
                int left = length;
                while (left > 0) {
                    int read = in.read(chunk, 0, Math.min(chunk.length, left));
                    if (read < 0) {
                        throw new IOException("cut short: " + stored.file());
                    }
                    body.writeBytes(chunk, 0, read);
                    left -= read;
                }
            } catch (IOException | RuntimeException e) {
                body.release();
                throw e;
            }
            return new Entry(head.key(), head.status(), head.headers(), body, head.requestTime(), head.responseTime(),
                             head.freshness());
        }
    }

    /** Strings in modified UTF-8 are limited to 64 KiB; a field value could be longer. */
    private static void writeLong(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readLong(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > 1 << 20) {
            throw new IOException("field of " + length + " bytes");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static String name(CacheKey key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((key.host() + '\n' + key.target() + '\n' + key.variant()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private record Head(CacheKey key, int status, HttpHeaders headers, List<String> vary, long requestTime,
                        long responseTime, StoragePolicy.Freshness freshness) {

        static Head read(DataInputStream in) throws IOException {
            if (in.readInt() != MAGIC) {
                return null;
            }
            CacheKey key = new CacheKey(in.readUTF(), in.readUTF(), in.readUTF());
            int status = in.readInt();
            int count = in.readInt();
            HttpHeaders headers = new DefaultHttpHeaders();
            for (int i = 0; i < count; i++) {
                headers.add(in.readUTF(), readLong(in));
            }
            int varyCount = in.readInt();
            List<String> vary = new ArrayList<>(varyCount);
            for (int i = 0; i < varyCount; i++) {
                vary.add(in.readUTF());
            }
            long requestTime = in.readLong();
            long responseTime = in.readLong();
            StoragePolicy.Freshness freshness = new StoragePolicy.Freshness(in.readLong(), in.readLong(), in.readLong(),
                                                                            in.readBoolean());
            return new Head(key, status, headers, List.copyOf(vary), requestTime, responseTime, freshness);
        }
    }

    @Override
    public void close() {
        io.shutdown();
        try {
            if (!io.awaitTermination(10, TimeUnit.SECONDS)) {
                logger.warn("disk tier writes still running after 10 s; the unfinished ones are lost");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
