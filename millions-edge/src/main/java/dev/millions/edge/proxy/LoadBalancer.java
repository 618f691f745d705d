package dev.millions.edge.proxy;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.LongSupplier;

import dev.millions.edge.config.EdgeConfig;

/** A running load balancer: the proxy, its pool of backends, and the controls over them. */
public interface LoadBalancer extends AutoCloseable {

    /** Binds the proxy and starts health checks; time comes from {@code ticker} (nanos). */
    static LoadBalancer start(EdgeConfig config, LongSupplier ticker) throws InterruptedException {
        return ProxyServer.start(config, ticker);
    }

    InetSocketAddress address();

    List<BackendView> backends();

    /** Adds a backend; it takes requests once its health checks pass, ramping up over slow start. */
    BackendView add(String id, String address, int weight);

    /** Takes new requests away from a backend; those in flight finish; it leaves once idle. */
    BackendView drain(String id);

    /** Prometheus text exposition of the proxy and every backend. */
    String metrics();

    @Override
    void close();

    /** A backend as the admin API shows it. */
    record BackendView(String id, String address, int weight, String state, int inFlight, long requests,
                       long errors, int openConnections) {}
}
