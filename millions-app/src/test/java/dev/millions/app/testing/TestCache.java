package dev.millions.app.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.millions.redis.Persistence;
import dev.millions.redis.RedisCluster;

/** A real Redis Cluster for a test class: 3 masters, no replicas, no persistence (the least to start). */
public final class TestCache {

    private TestCache() {}

    public static RedisCluster start() {
        try {
            Path folder = Files.createTempDirectory("millions-app-cache-test-");
            RedisCluster cluster = RedisCluster.builder().masters(3).replicasPerMaster(0).persistence(Persistence.OFF)
                                               .folders(folder.resolve("data"), folder.resolve("logs")).build();
            cluster.start();
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
