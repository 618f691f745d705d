package dev.millions.edge.proxy;

import java.util.List;
import java.util.Map;

import dev.millions.edge.config.CdnConfig;
import dev.millions.edge.testing.Edges;
import dev.millions.edge.testing.TestBackend;

/** The load balancer's smuggling and limits corpus, against the CDN edge: the same engine, the same refusals. */
class CdnRequestSmugglingTest extends RequestSmugglingTest {

    @Override
    LoadBalancer start(TestBackend only, long maxBodyBytes) throws InterruptedException {
        return CdnEdge.start(withBodyLimit(Edges.cdn(Map.of("origin", List.of(Edges.origin(only.id(), only.address()))),
                                                     List.of(Edges.cached("/", "origin")), CdnConfig.Cache.defaults()),
                                           maxBodyBytes),
                             System::nanoTime, System::currentTimeMillis);
    }
}
