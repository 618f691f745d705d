package dev.millions.ops.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.millions.common.files.FileTrees;
import dev.millions.common.process.ChildProcess;
import dev.millions.common.process.LogTail;

/**
 * The app's start, cached: the classes a Spring Boot start loads, parses, verifies and links, kept in a
 * file that later JVMs map instead of doing that work again. On this 2-core machine a web node or a
 * worker is ready in about 8 s instead of 20, and uses about 8 s of CPU instead of 20, which is what a
 * restart after a fault, a scale-up and every stage test wait for.
 *
 * <p>Design, after OpenJDK's JEP 483 and JEP 514 (ahead-of-time class loading and linking, and its
 * one-step training) and Spring Boot's "Class Data Sharing" guide:
 * <ul>
 *   <li>The cache can only hold classes loaded from plain jars on the class path, not from jars nested
 *       in the Spring Boot jar, so the jar is first extracted ({@code -Djarmode=tools extract}).</li>
 *   <li>A training run starts the app with the node's own settings and {@code -Dspring.context.exit=onRefresh}:
 *       its context is made (beans, Flyway, pools) and then it exits without serving, so it neither
 *       joins a balancer nor a consumer group. The JVM writes the cache as it exits.</li>
 *   <li>JDK 25 and later write an AOT cache ({@code -XX:AOTCacheOutput}, {@code -XX:AOTCache}); JDK 21 to
 *       24 a dynamic CDS archive ({@code -XX:ArchiveClassesAtExit}, {@code -XX:SharedArchiveFile}).</li>
 *   <li>One cache per build of the jar and JDK, in {@code startup-cache/} beside the jar: a rebuilt jar
 *       gets a cache of its own, and the older ones are deleted. A file lock lets one process train while
 *       others wait, and the cache appears by an atomic rename, so no JVM maps a half-written file.</li>
 *   <li>The JVM checks the cache against its class path itself and runs without it when they differ.
 *       A training that fails is recorded and not tried again for that build; the node then starts as
 *       before, only slower. {@code MILLIONS_APP_STARTUP_CACHE=off} turns the cache off.</li>
 * </ul>
 */
final class AppStartupCache {

    private static final Logger logger = LoggerFactory.getLogger(AppStartupCache.class);
    private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(5);
    // A file lock is held per JVM, not per thread: threads of this process queue here first.
    private static final ReentrantLock trainingInThisProcess = new ReentrantLock();

    private final Path appJar;
    private final Path java;
    private final boolean enabled;

    AppStartupCache(Path appJar, Path java, boolean enabled) {
        this.appJar = appJar;
        this.java = java;
        this.enabled = enabled;
    }

    /** The cache of {@code installation}'s app jar, unless {@code MILLIONS_APP_STARTUP_CACHE} is {@code off}. */
    static AppStartupCache of(Installation installation) {
        return new AppStartupCache(installation.appJar(), installation.java(),
                                   !"off".equalsIgnoreCase(System.getenv("MILLIONS_APP_STARTUP_CACHE")));
    }

    /** How a JVM is told to write a cache and to use one, by the feature version of its JDK. */
    record Flags(String write, String use) {

        static Flags forJdk(int feature) {
            return feature >= 25 ? new Flags("-XX:AOTCacheOutput=", "-XX:AOTCache=")
                                 : new Flags("-XX:ArchiveClassesAtExit=", "-XX:SharedArchiveFile=");
        }
    }

    /** What a node runs: the jar given to {@code -jar}, and the JVM options that map the cache. */
    record Launch(Path jar, List<String> jvmOptions) {}

    /**
     * The launch for a node, training the cache first if this build has none: {@code command} makes the
     * node's command line from a launch, and the training runs it with {@code environment}; a line in
     * {@code nodeLog} says why this start takes longer.
     */
    Launch prepare(CommandLine command, Map<String, String> environment, Path nodeLog) {
        Launch plain = new Launch(appJar, List.of());
        if (!enabled) {
            return plain;
        }
        Flags flags = Flags.forJdk(Runtime.version().feature());
        trainingInThisProcess.lock();
        try {
            Path folder = folder();
            Path cache = folder.resolve("app.cache");
            if (!Files.isRegularFile(cache)) {
                Files.createDirectories(folder.getParent());
                try (FileChannel channel = FileChannel.open(lockFile(folder), StandardOpenOption.CREATE,
                                                            StandardOpenOption.WRITE);
                     FileLock ignored = channel.lock()) {
                    if (!Files.isRegularFile(cache) && !Files.isRegularFile(failure(folder))) {
                        note(nodeLog, "training the app's start cache first, once per build (about 30 s); its log: "
                                      + folder.resolve("training.log"));
                        train(folder, flags, command, environment);
                    }
                }
            }
            return Files.isRegularFile(cache) ? new Launch(extractedJar(folder), List.of(flags.use() + cache)) : plain;
        } catch (IOException | UncheckedIOException e) {
            logger.warn("app startup cache unavailable, starting without it: {}", e.toString());
            return plain;
        } finally {
            trainingInThisProcess.unlock();
        }
    }

    /** The command line of a node: the JDK's {@code java}, then options, {@code -jar}, the jar and arguments. */
    @FunctionalInterface
    interface CommandLine {
        List<String> of(Launch launch);
    }

    private void train(Path folder, Flags flags, CommandLine command, Map<String, String> environment)
            throws IOException {
        long startNanos = System.nanoTime();
        deleteOlderBuilds(folder);
        Files.createDirectories(folder);
        Path log = folder.resolve("training.log");
        Path extracted = folder.resolve("app");
        if (!Files.isRegularFile(extracted.resolve(appJar.getFileName()))) {
            Path partial = folder.resolve("app.partial");
            FileTrees.delete(partial);
            run(List.of(java.toString(), "-Djarmode=tools", "-jar", appJar.toString(), "extract",
                        "--destination", partial.toString()), log, Map.of(), "extracting the jar");
            Files.move(partial, extracted, StandardCopyOption.ATOMIC_MOVE);
        }
        Path written = folder.resolve("training.cache");
        Files.deleteIfExists(written);
        List<String> training = new ArrayList<>(command.of(new Launch(extractedJar(folder),
                List.of(flags.write() + written, "-Dspring.context.exit=onRefresh"))));
        if (!run(training, log, environment, "training")) {
            return;
        }
        if (!Files.isRegularFile(written)) {
            recordFailure(folder, "the training run wrote no cache at " + written + "; its log: " + log);
            return;
        }
        Files.move(written, folder.resolve("app.cache"), StandardCopyOption.ATOMIC_MOVE);
        logger.info("app startup cache trained in {} ms: {}", (System.nanoTime() - startNanos) / 1_000_000, folder);
    }

    /** Runs a step of the training to its end; false (and the failure recorded) when it did not succeed. */
    private boolean run(List<String> command, Path log, Map<String, String> environment, String step)
            throws IOException {
        long startNanos = System.nanoTime();
        ChildProcess process = ChildProcess.start(command, log, environment);
        if (!process.awaitExit(TRAINING_TIMEOUT)) {
            process.kill();
            if (Thread.currentThread().isInterrupted()) {
                throw new IOException(step + " interrupted");
            }
            recordFailure(log.getParent(), step + " did not end within " + TRAINING_TIMEOUT.toSeconds()
                                           + " s; its log: " + log);
            return false;
        }
        Integer exit = process.exitCode();
        if (exit == null || exit != 0) {
            recordFailure(log.getParent(), step + " exited with " + exit + " after "
                                           + (System.nanoTime() - startNanos) / 1_000_000 + " ms: "
                                           + LogTail.of(log, 5));
            return false;
        }
        return true;
    }

    private void recordFailure(Path folder, String reason) throws IOException {
        logger.warn("app startup cache not trained, nodes start without it: {} (delete {} to try again)", reason,
                    failure(folder));
        Files.writeString(failure(folder), reason + '\n', StandardCharsets.UTF_8);
    }

    private static void note(Path nodeLog, String line) throws IOException {
        Files.createDirectories(nodeLog.toAbsolutePath().getParent());
        Files.writeString(nodeLog, "millions: " + line + '\n', StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                          StandardOpenOption.APPEND);
    }

    private Path extractedJar(Path folder) {
        return folder.resolve("app").resolve(appJar.getFileName());
    }

    private static Path lockFile(Path folder) {
        return folder.resolveSibling(folder.getFileName() + ".lock");
    }

    private static Path failure(Path folder) {
        return folder.resolve("training-failed.txt");
    }

    /** {@code startup-cache/<hash>} beside the jar, the hash naming this jar's build and this JDK. */
    Path folder() {
        try {
            String build = appJar.toAbsolutePath() + "\n" + Files.size(appJar) + "\n"
                           + Files.getLastModifiedTime(appJar).toMillis() + "\n" + java + "\n" + Runtime.version();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(build.getBytes(StandardCharsets.UTF_8));
            return appJar.toAbsolutePath().getParent().resolve("startup-cache")
                         .resolve(HexFormat.of().formatHex(digest, 0, 8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + appJar + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    private static void deleteOlderBuilds(Path folder) throws IOException {
        if (!Files.isDirectory(folder.getParent())) {
            return;
        }
        try (Stream<Path> builds = Files.list(folder.getParent())) {
            for (Path build : builds.filter(path -> !path.equals(folder) && !path.equals(lockFile(folder))).toList()) {
                FileTrees.delete(build);
            }
        }
    }
}
