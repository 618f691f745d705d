package dev.millions.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code wrk} (the Debian package) against an address and reads its answer, for plain HTTP
 * comparisons side by side with a peer. It installs nothing: when wrk is missing it says how to get it.
 */
public final class Wrk {

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|75|90|99)(?:\\.000)?%\\s+([0-9.]+)(us|ms|s)\\s*$",
                                                              Pattern.MULTILINE);
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+([0-9]+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)");
    private static final Pattern REQUESTS = Pattern.compile("([0-9]+) requests in");

    private final Path binary;

    private Wrk(Path binary) {
        this.binary = binary;
    }

    /** The wrk on the PATH, or a message that says how to install it. */
    public static Wrk find() {
        return which("wrk").map(Wrk::new).orElseThrow(() -> new IllegalStateException(
                "wrk is not installed; install it with `apt-get install wrk` (Debian/Ubuntu) and run again"));
    }

    /** A program on the PATH, or in /usr/sbin (where Debian puts nginx and haproxy, off a user's PATH). */
    public static Optional<Path> which(String program) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * One run: {@code wrk -t1 -cCONNECTIONS -dSECONDSs --latency URL}, pinned to {@code cpus} (a
     * {@code taskset} list such as {@code 0}) when given.
     */
    public Result run(String url, int connections, int seconds, String cpus) throws IOException, InterruptedException {
        return run(url, connections, seconds, cpus, null);
    }

    /**
     * One run as above, its requests made by a Lua {@code script} (wrk's {@code -s}; {@code null} for
     * none), which gets {@code scriptArgs} in its {@code init(args)}: e.g. a set of paths to rotate over.
     */
    public Result run(String url, int connections, int seconds, String cpus, Path script, String... scriptArgs)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (cpus != null) {
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.addAll(List.of(binary.toString(), "-t1", "-c" + connections, "-d" + seconds + "s", "--latency"));
        if (script != null) {
            command.addAll(List.of("-s", script.toString()));
        }
        command.add(url);
        if (script != null && scriptArgs.length > 0) {
            command.add("--");
            command.addAll(List.of(scriptArgs));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IOException("wrk exited with " + exit + ": " + output.strip());
        }
        return parse(output);
    }

    /** Reads wrk's text output. */
    public static Result parse(String output) {
        Matcher rps = RPS.matcher(output);
        if (!rps.find()) {
            throw new IllegalArgumentException("not wrk output (no Requests/sec line): " + output.strip());
        }
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        Matcher percentile = PERCENTILE.matcher(output);
        while (percentile.find()) {
            double millis = millis(Double.parseDouble(percentile.group(2)), percentile.group(3));
            switch (percentile.group(1)) {
                case "50" -> p50 = millis;
                case "99" -> p99 = millis;
                default -> { }
            }
        }
        long errors = 0;
        Matcher non2xx = NON_2XX.matcher(output);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        Matcher socket = SOCKET_ERRORS.matcher(output);
        if (socket.find()) {
            for (int group = 1; group <= 4; group++) {
                errors += Long.parseLong(socket.group(group));
            }
        }
        Matcher requests = REQUESTS.matcher(output);
        long total = requests.find() ? Long.parseLong(requests.group(1)) : 0;
        return new Result(Double.parseDouble(rps.group(1)), p50, p99, total, errors);
    }

    private static double millis(double value, String unit) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }

    /** One wrk run: requests per second, latency percentiles in ms, and errors of any kind. */
    public record Result(double requestsPerSecond, double p50, double p99, long requests, long errors) {}
}
