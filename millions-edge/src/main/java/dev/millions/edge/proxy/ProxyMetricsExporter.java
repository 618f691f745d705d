package dev.millions.edge.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

import dev.millions.edge.balance.Backend;
import dev.millions.edge.cache.ResponseCache;
import dev.millions.edge.balance.LatencyBuckets;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;

/**
 * The proxy's metrics, and its JVM's, in Prometheus' text format, written by the Prometheus Java client. The request
 * path only bumps its own {@code LongAdder}s (as before); the client reads them through callbacks when
 * {@code /metrics} is scraped, so exporting costs the hot path nothing.
 */
final class ProxyMetricsExporter {

    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

    private final PrometheusRegistry registry = new PrometheusRegistry();

    ProxyMetricsExporter(ProxyContext proxy) {
        ProxyMetrics m = proxy.metrics;
        gauge("millions_lb_connections", "Open client connections.", () -> m.connections.get());
        counter("millions_lb_retries", "Requests sent again to another backend.", () -> m.retries.sum());
        counter("millions_lb_refused", "Requests refused for bad framing or limits.", () -> m.refused.sum());
        counter("millions_lb_rate_limited", "Requests answered 429.", () -> m.rateLimited.sum());
        counter("millions_lb_aborted", "Answers broken off half-way.", () -> m.aborted.sum());
        counter("millions_lb_stray_releases",
                "Backend connections given back by an exchange that did not own them; refused, and 0 unless a bug.",
                () -> m.strayReleases.sum());
        counter("millions_lb_pool_full", "Backend connections closed because the idle pool was full.",
                () -> m.poolFull.sum());
        counter("millions_lb_replay_dropped",
                "Requests whose body outgrew the replay buffer, so they could not be retried.",
                () -> m.replayDropped.sum());
        counter("millions_lb_pipeline_overflow",
                "Connections closed for pipelining more than " + FrontendHandler.MAX_QUEUED_HARD + " request parts.",
                () -> m.pipelineOverflow.sum());
        gauge("millions_lb_backend_idle_connections", "Backend connections idle in the pools.",
              () -> m.idleConnections.get());
        CounterWithCallback.builder().name("millions_lb_responses").help("Answers by status class.").labelNames("class")
                .callback(callback -> {
                    for (int i = 0; i < m.byClass.length; i++) {
                        callback.call(m.byClass[i].sum(), (i + 1) + "xx");
                    }
                }).register(registry);
        perBackend(proxy, "millions_lb_backend_requests", "Requests sent to a backend.", true,
                   backend -> backend.stats().requests.sum());
        perBackend(proxy, "millions_lb_backend_errors", "Connect failures, resets, timeouts and 5xx.", true,
                   backend -> backend.stats().errors.sum());
        perBackend(proxy, "millions_lb_backend_open_connections", "Open connections to a backend.", false,
                   backend -> backend.stats().openConnections.get());
        perBackend(proxy, "millions_lb_backend_in_flight", "Requests in flight to a backend.", false,
                   Backend::inFlight);
        perBackend(proxy, "millions_lb_backend_up", "1 when a backend takes new requests.", false,
                   backend -> backend.available(proxy.ticker.getAsLong()) ? 1 : 0);
        registry.register(() -> latency(proxy.allBackends()));
        JvmMetrics.register(registry);
    }

    /** A CDN edge's cache: hits and misses by requests and by bytes, what it stored, evicted and purged. */
    void exportCache(ResponseCache cache) {
        ResponseCache.CacheMetrics m = cache.metrics();
        counter("millions_cdn_hits", "Answers served from the cache without going to an origin.", () -> m.hits.sum());
        counter("millions_cdn_misses", "Answers that needed an origin: misses, revalidations, passes.", () -> m.misses.sum());
        counter("millions_cdn_hit_bytes", "Body bytes served from the cache.", () -> m.hitBytes.sum());
        counter("millions_cdn_miss_bytes", "Body bytes served from an origin's answer.", () -> m.missBytes.sum());
        counter("millions_cdn_fills", "Answers stored.", () -> m.fills.sum());
        counter("millions_cdn_evictions", "Answers evicted for room.", () -> m.evictions.sum());
        counter("millions_cdn_collapsed", "Misses that waited on another request's fetch.", () -> m.collapsed.sum());
        counter("millions_cdn_stale_served", "Stale answers served (stale-while-revalidate, stale-if-error).",
                () -> m.staleServed.sum());
        counter("millions_cdn_revalidated", "Stored answers the origin confirmed with a 304.", () -> m.revalidated.sum());
        counter("millions_cdn_purges", "Purge requests.", () -> m.purges.sum());
        counter("millions_cdn_purged", "Stored answers purged.", () -> m.purged.sum());
        counter("millions_cdn_passes", "Requests passed to an origin uncached.", () -> m.passes.sum());
        counter("millions_cdn_failovers", "Requests moved to a backup origin group.", () -> m.failovers.sum());
        counter("millions_cdn_origin_fetches", "Fetches that filled the cache.", () -> m.originFetches.sum());
        CounterWithCallback.builder().name("millions_cdn_origin_fetch_seconds").help("Time spent on fetches that filled the cache.")
                .callback(callback -> callback.call(m.originFetchNanos.sum() / 1e9)).register(registry);
        gauge("millions_cdn_memory_bytes", "Bytes held by the memory tier.", cache::bytes);
        gauge("millions_cdn_objects", "Answers held by the memory tier.", cache::count);
        gauge("millions_cdn_disk_bytes", "Bytes held by the disk tier.", cache::diskBytes);
        gauge("millions_cdn_disk_objects", "Answers held by the disk tier.", cache::diskCount);
        counter("millions_cdn_disk_hits", "Answers read back from the disk tier.", () -> m.diskHits.sum());
    }

    /** Every metric, as {@code GET /metrics} answers. */
    String text() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            WRITER.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private void counter(String name, String help, LongSupplier value) {
        CounterWithCallback.builder().name(name).help(help).callback(callback -> callback.call(value.getAsLong()))
                           .register(registry);
    }

    private void gauge(String name, String help, LongSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(callback -> callback.call(value.getAsLong()))
                         .register(registry);
    }

    private void perBackend(ProxyContext proxy, String name, String help, boolean counter,
                            ToLongFunction<Backend> value) {
        if (counter) {
            CounterWithCallback.builder().name(name).help(help).labelNames("backend")
                    .callback(callback -> proxy.allBackends().forEach(
                            backend -> callback.call(value.applyAsLong(backend), backend.id())))
                    .register(registry);
        } else {
            GaugeWithCallback.builder().name(name).help(help).labelNames("backend")
                    .callback(callback -> proxy.allBackends().forEach(
                            backend -> callback.call(value.applyAsLong(backend), backend.id())))
                    .register(registry);
        }
    }

    /** Each backend's latency buckets, counted on the request path, as a classic histogram. */
    private static HistogramSnapshot latency(List<Backend> backends) {
        HistogramSnapshot.Builder histogram = HistogramSnapshot.builder().name("millions_lb_backend_latency_seconds")
                                                               .help("Time to a backend's complete answer.");
        double[] bounds = new double[LatencyBuckets.BOUNDS_SECONDS.length + 1];
        System.arraycopy(LatencyBuckets.BOUNDS_SECONDS, 0, bounds, 0, LatencyBuckets.BOUNDS_SECONDS.length);
        bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
        for (Backend backend : backends) {
            long[] cumulative = backend.stats().latency.cumulative();
            long[] counts = new long[cumulative.length];
            for (int i = 0; i < cumulative.length; i++) {
                counts[i] = cumulative[i] - (i == 0 ? 0 : cumulative[i - 1]);
            }
            histogram.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                    .sum(backend.stats().latency.sumSeconds())
                    .labels(Labels.of("backend", backend.id())).build());
        }
        return histogram.build();
    }
}
