package dev.millions.ops.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the app's real jar and real JVMs: the jar is extracted and a cache trained once per build. The
 * training here runs {@code java -version} with the training's options instead of the app, which needs
 * a database; the JVM writes a cache from it all the same.
 */
class AppStartupCacheTest {

    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @TempDir
    Path folder;

    private Path jar;
    private final AtomicInteger trainings = new AtomicInteger();

    @BeforeEach
    void copyTheAppJar() throws IOException {
        Path built = Installation.detect().appJar();
        jar = Files.copy(built, folder.resolve(built.getFileName()));
    }

    @Test
    void firstStart_extractsAndTrains_andLaterStartsUseTheCacheWithoutTraining() {
        AppStartupCache cache = new AppStartupCache(jar, JAVA, true);

        AppStartupCache.Launch first = cache.prepare(this::javaVersion, Map.of(), nodeLog());
        AppStartupCache.Launch second = cache.prepare(this::javaVersion, Map.of(), nodeLog());

        assertThat(trainings).hasValue(1);
        assertThat(first).isEqualTo(second);
        assertThat(first.jar()).isRegularFile().startsWith(folder.resolve("startup-cache"));
        assertThat(nodeLog()).content().containsOnlyOnce("millions: training the app's start cache first");
        assertThat(first.jvmOptions()).singleElement().asString()
                                      .startsWith(AppStartupCache.Flags.forJdk(Runtime.version().feature()).use())
                                      .endsWith("app.cache");
    }

    @Test
    void aFailedTraining_startsThePlainJar_andIsNotTriedAgainForThatBuild() {
        AppStartupCache cache = new AppStartupCache(jar, JAVA, true);
        AppStartupCache.CommandLine failing = launch -> {
            trainings.incrementAndGet();
            return List.of(JAVA.toString(), "-jar", folder.resolve("missing.jar").toString());
        };

        AppStartupCache.Launch first = cache.prepare(failing, Map.of(), nodeLog());
        AppStartupCache.Launch second = cache.prepare(failing, Map.of(), nodeLog());

        assertThat(trainings).hasValue(1);
        assertThat(first).isEqualTo(new AppStartupCache.Launch(jar, List.of())).isEqualTo(second);
        assertThat(cache.folder().resolve("training-failed.txt")).content().contains("training exited with 1");
    }

    @Test
    void aRebuiltJar_trainsACacheOfItsOwn_andTheOlderBuildsCacheIsDeleted() throws IOException {
        AppStartupCache cache = new AppStartupCache(jar, JAVA, true);
        cache.prepare(this::javaVersion, Map.of(), nodeLog());
        Path older = cache.folder();

        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 1_000));
        AppStartupCache.Launch rebuilt = cache.prepare(this::javaVersion, Map.of(), nodeLog());

        assertThat(trainings).hasValue(2);
        assertThat(cache.folder()).isNotEqualTo(older);
        assertThat(older).doesNotExist();
        assertThat(rebuilt.jar()).startsWith(cache.folder());
    }

    @Test
    void turnedOff_runsThePlainJar_andWritesNothing() {
        AppStartupCache cache = new AppStartupCache(jar, JAVA, false);

        assertThat(cache.prepare(this::javaVersion, Map.of(), nodeLog())).isEqualTo(new AppStartupCache.Launch(jar, List.of()));
        assertThat(trainings).hasValue(0);
        assertThat(folder.resolve("startup-cache")).doesNotExist();
    }

    @Test
    void theFlags_areTheAotCacheFromJdk25On_andADynamicCdsArchiveBefore() {
        assertThat(AppStartupCache.Flags.forJdk(25).write()).isEqualTo("-XX:AOTCacheOutput=");
        assertThat(AppStartupCache.Flags.forJdk(25).use()).isEqualTo("-XX:AOTCache=");
        assertThat(AppStartupCache.Flags.forJdk(21).write()).isEqualTo("-XX:ArchiveClassesAtExit=");
        assertThat(AppStartupCache.Flags.forJdk(21).use()).isEqualTo("-XX:SharedArchiveFile=");
    }

    private Path nodeLog() {
        return folder.resolve("logs/web-1.log");
    }

    private List<String> javaVersion(AppStartupCache.Launch launch) {
        trainings.incrementAndGet();
        List<String> command = new ArrayList<>();
        command.add(JAVA.toString());
        command.addAll(launch.jvmOptions());
        command.add("-version");
        return command;
    }
}
