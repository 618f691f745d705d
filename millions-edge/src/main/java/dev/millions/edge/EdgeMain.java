package dev.millions.edge;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.millions.edge.admin.EdgeAdmin;
import dev.millions.edge.config.EdgeConfig;
import dev.millions.edge.proxy.CdnEdge;
import dev.millions.edge.proxy.LoadBalancer;

/**
 * {@code java -jar millions-edge.jar CONFIG.json}: the load balancer, or a CDN edge when the config has a
 * {@code cdn} section, as a process of its own.
 */
public final class EdgeMain {

    private static final Logger logger = LoggerFactory.getLogger(EdgeMain.class);

    private EdgeMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -jar millions-edge.jar CONFIG.json");
            System.exit(2);
        }
        EdgeConfig config;
        String token;
        try {
            config = EdgeConfig.read(Path.of(args[0]));
            token = Files.readString(config.adminTokenFile(), StandardCharsets.UTF_8).strip();
        } catch (Exception e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        LoadBalancer balancer = config.cdn() == null ? LoadBalancer.start(config, System::nanoTime)
                                : CdnEdge.start(config, System::nanoTime, System::currentTimeMillis);
        EdgeAdmin admin = EdgeAdmin.start(balancer, config.adminHost(), config.adminPort(), token);
        logger.info("{} ready: traffic on {}, admin on {}", config.name(), balancer.address(), admin.address());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            admin.close();
            balancer.close();
            stopped.countDown();
        }, "edge-shutdown"));
        stopped.await();
    }
}
