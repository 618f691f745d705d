package dev.millions.ops.drill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.millions.bench.soak.Footprint;
import dev.millions.bench.soak.FootprintProbe;
import dev.millions.ops.node.OsProcess;
import dev.millions.ops.supervisor.NodeState;

/**
 * Every running node's footprint, read from {@code /proc} (proc(5)) over the node's process and its
 * descendants: PostgreSQL's backends are part of what the {@code db} node holds. A JVM's heap after a
 * full collection comes from {@code jcmd PID GC.run} and {@code GC.heap_info}, one {@code jcmd} per
 * node and sample: the heap in use at any other moment says more about the last young collection
 * than about a leak.
 */
public final class NodeFootprints implements FootprintProbe {

    private static final Pattern HEAP_USED = Pattern.compile("total .*?used (\\d+)K");
    private static final long JCMD_TIMEOUT_SECONDS = 60;

    private final Supplier<List<NodeState>> nodes;
    private final Path jcmd;

    /** @param nodes the system's nodes as {@code state.json} has them now */
    public NodeFootprints(Supplier<List<NodeState>> nodes) {
        this.nodes = nodes;
        this.jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    }

    @Override
    public Map<String, Footprint> sample() throws InterruptedException {
        Map<String, Footprint> sample = new LinkedHashMap<>();
        for (NodeState node : nodes.get()) {
            Optional<OsProcess> process = OsProcess.of(node.pid(), node.processStart()).filter(OsProcess::isAlive);
            if (process.isPresent()) {
                sample.put(node.name(), footprint(node.name(), node.pid()));
            }
        }
        return sample;
    }

    private Footprint footprint(String name, long pid) throws InterruptedException {
        long heap = isJvm(pid) ? heapAfterFullGc(name, pid) : -1;
        List<Long> tree = Stream.concat(Stream.of(pid), ProcessHandle.of(pid).stream()
                                                                      .flatMap(ProcessHandle::descendants)
                                                                      .map(ProcessHandle::pid))
                                .toList();
        long pss = 0;
        int files = 0;
        int threads = 0;
        for (long member : tree) {
            // A backend that exits while it is read is simply no longer part of the node.
            pss += kilobytes(member, "smaps_rollup", "Pss:") * 1024;
            threads += (int) kilobytes(member, "status", "Threads:");
            files += openFiles(member);
        }
        return new Footprint(pid, pss, heap, files, threads);
    }

    private static boolean isJvm(long pid) {
        return ProcessHandle.of(pid).flatMap(process -> process.info().command())
                            .map(command -> Path.of(command).getFileName().toString().equals("java"))
                            .orElse(false);
    }

    /**
     * Both commands in one attach ({@code jcmd -f}), so that what the node allocates between the
     * collection and the reading is milliseconds' worth, not a second JVM's start-up's worth.
     */
    private long heapAfterFullGc(String name, long pid) throws InterruptedException {
        String output;
        int exit;
        try {
            Path commands = Files.createTempFile("millions-jcmd", ".txt");
            try {
                Files.writeString(commands, "GC.run\nGC.heap_info\n", StandardCharsets.UTF_8);
                Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "-f", commands.toString())
                        .redirectErrorStream(true).start();
                output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                exit = process.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS) ? process.exitValue() : -1;
            } finally {
                Files.deleteIfExists(commands);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + jcmd + " for " + name + " (pid " + pid + "): " + e, e);
        }
        long used = exit == 0 ? heapUsed(output) : -1;
        if (used < 0) {
            throw new IllegalStateException("jcmd " + pid + " GC.run and GC.heap_info for " + name + " failed (exit "
                                            + exit + "): " + output.strip());
        }
        return used;
    }

    /**
     * The heap in use from {@code GC.heap_info}: the one line of a single-space collector (G1's
     * {@code garbage-first heap total 262144K, used 21504K}), else the sum of the generations' lines.
     */
    static long heapUsed(String heapInfo) {
        long generations = 0;
        boolean found = false;
        for (String line : heapInfo.lines().toList()) {
            if (line.contains("Metaspace") || line.contains("class space")) {
                continue;
            }
            Matcher used = HEAP_USED.matcher(line);
            if (used.find()) {
                long bytes = Long.parseLong(used.group(1)) * 1024;
                if (line.toLowerCase(Locale.ROOT).contains("heap")) {
                    return bytes;
                }
                generations += bytes;
                found = true;
            }
        }
        return found ? generations : -1;
    }

    private static long kilobytes(long pid, String file, String field) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), file), StandardCharsets.US_ASCII)) {
            return lines.filter(line -> line.startsWith(field)).findFirst()
                        .map(line -> Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]))
                        .orElse(0L);
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    private static int openFiles(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }
}
