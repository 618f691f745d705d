package dev.millions.app.cdn;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Purges tags on every CDN edge ({@link CdnEdges}), as an app does through its CDN's purge API; with no
 * CDN there is nothing to purge. Purges run in the background and are tried three times: a deleted post's answer returns within its 200 ms, and an edge
 * that cannot be reached is logged and counted rather than failing the deletion.
 */
@Component
public class CdnPurger {

    private static final Logger logger = LoggerFactory.getLogger(CdnPurger.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 3;

    private final CdnEdges edges;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final LongAdder purged = new LongAdder();
    private final LongAdder failed = new LongAdder();

    CdnPurger(CdnEdges edges, MeterRegistry registry) {
        this.edges = edges;
        FunctionCounter.builder("millions.cdn.purges", purged, LongAdder::sum).tag("outcome", "ok").register(registry);
        FunctionCounter.builder("millions.cdn.purges", failed, LongAdder::sum).tag("outcome", "failed").register(registry);
    }

    /** Purges {@code tags} on every edge, in the background. */
    public void purgeTags(List<String> tags) {
        List<CdnEdges.Edge> listed;
        try {
            listed = edges.list();
        } catch (IOException e) {
            logger.warn("cannot read the CDN edges: {}", e.toString());
            failed.increment();
            return;
        }
        if (listed.isEmpty()) {
            return;
        }
        Thread.ofVirtual().name("cdn-purge").start(() -> {
            for (CdnEdges.Edge edge : listed) {
                for (String tag : tags) {
                    purge(edge, tag);
                }
            }
        });
    }

    private void purge(CdnEdges.Edge edge, String tag) {
        String body = "{\"kind\":\"tag\",\"value\":" + JSON.valueToTree(tag) + '}';
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + edge.admin() + "/admin/purge"))
                                         .timeout(Duration.ofSeconds(5))
                                         .header("Authorization", "Bearer " + edge.token())
                                         .header("Content-Type", "application/json")
                                         .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        String last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    purged.increment();
                    return;
                }
                last = "HTTP " + answer.statusCode() + ' ' + answer.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                Thread.sleep(200L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        failed.increment();
        logger.warn("purge of tag {} on CDN edge {} failed after {} attempts: {}", tag, edge.name(),
                    ATTEMPTS, last);
    }
}
