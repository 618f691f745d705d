package dev.millions.ops.logs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The logs of a run folder's nodes as one stream ordered by time: a k-way merge of the files, each of
 * which is in time order already, so nothing is held but one line per file. The lines a server wrote in
 * one millisecond keep the order of their nodes' names. {@link #follow} then prints what is written
 * next, from new nodes' files too.
 */
public final class MergedLogs implements Closeable {

    private static final String SUFFIX = ".log";
    private static final String POSTGRES_JSON_SUFFIX = ".json";

    private final Path folder;
    private final Predicate<String> nodes;
    private final Map<Path, LogSource> sources = new LinkedHashMap<>();

    private MergedLogs(Path folder, Predicate<String> nodes) {
        this.folder = folder;
        this.nodes = nodes;
    }

    /**
     * The logs in {@code folder} whose node passes {@code nodes}: a file {@code NAME.log} is node NAME's
     * ({@code lb.access.log} is {@code lb.access}, {@code cache-3.log} a member of {@code cache}).
     */
    public static MergedLogs of(Path folder, Predicate<String> nodes) throws IOException {
        MergedLogs logs = new MergedLogs(folder, nodes);
        logs.openNewFiles();
        return logs;
    }

    /** Whether a log's node is {@code node}: its own log, its access log, or a member's ({@code cache-3} of {@code cache}). */
    public static Predicate<String> ofNode(String node) {
        return name -> name.equals(node) || name.equals(node + ".access") || name.matches(Pattern.quote(node) + "-\\d+");
    }

    /** Everything written so far that {@code keep} keeps, in time order. */
    public void history(Predicate<LogEntry> keep, Consumer<LogEntry> out) throws IOException {
        Comparator<Head> byTime = Comparator.comparing((Head head) -> head.entry.time()).thenComparing(head -> head.entry.node());
        PriorityQueue<Head> heads = new PriorityQueue<>(byTime);
        for (LogSource source : sources.values()) {
            LogEntry first = source.next();
            if (first != null) {
                heads.add(new Head(source, first));
            }
        }
        while (!heads.isEmpty()) {
            Head head = heads.poll();
            if (keep.test(head.entry)) {
                out.accept(head.entry);
            }
            LogEntry next = head.source.next();
            if (next != null) {
                heads.add(new Head(head.source, next));
            }
        }
    }

    /** Prints what is written from now on, every {@code every}, until interrupted. */
    public void follow(Predicate<LogEntry> keep, Consumer<LogEntry> out, Duration every) throws IOException {
        while (!Thread.currentThread().isInterrupted()) {
            openNewFiles();
            List<LogEntry> fresh = new ArrayList<>();
            for (LogSource source : sources.values()) {
                for (LogEntry entry = source.next(); entry != null; entry = source.next()) {
                    if (keep.test(entry)) {
                        fresh.add(entry);
                    }
                }
            }
            fresh.sort(Comparator.comparing(LogEntry::time));
            fresh.forEach(out);
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void openNewFiles() throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(MergedLogs::isLog).sorted().toList()) {
                String name = file.getFileName().toString();
                String node = name.substring(0, name.lastIndexOf('.'));
                if (!sources.containsKey(file) && nodes.test(node)) {
                    sources.put(file, LogSource.open(node, file));
                }
            }
        }
    }

    /**
     * A node's output ({@code NODE.log}), or PostgreSQL's {@code jsonlog} ({@code NODE.json}, a link into
     * the data directory, read once the server has made the file).
     */
    private static boolean isLog(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(SUFFIX) || name.endsWith(POSTGRES_JSON_SUFFIX) && Files.isReadable(file);
    }

    @Override
    public void close() throws IOException {
        for (LogSource source : sources.values()) {
            source.close();
        }
    }

    private record Head(LogSource source, LogEntry entry) {}
}
