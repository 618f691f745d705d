package dev.millions.edge.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a load balancer runs with, read once from a JSON file and checked before anything starts, with
 * the field at fault named in the message.
 *
 * @param adminTokenFile a file holding the admin API's bearer token
 * @param accessLog a file for the JSON access log, or {@code null} for none
 */
public record EdgeConfig(String name, String host, int port, String adminHost, int adminPort, Path adminTokenFile,
                         List<BackendConfig> backends, Balancing balancing, Health health, Outliers outliers,
                         long slowStartMillis, Retries retries, RateLimit rateLimit, Limits limits, Path accessLog,
                         CdnConfig cdn, Tracing tracing) {

    /** A load balancer's config: its backends are its one group, and it caches nothing. */
    public EdgeConfig(String name, String host, int port, String adminHost, int adminPort, Path adminTokenFile,
                      List<BackendConfig> backends, Balancing balancing, Health health, Outliers outliers,
                      long slowStartMillis, Retries retries, RateLimit rateLimit, Limits limits, Path accessLog) {
        this(name, host, port, adminHost, adminPort, adminTokenFile, backends, balancing, health, outliers,
             slowStartMillis, retries, rateLimit, limits, accessLog, null);
    }

    /** A config that sends no spans. */
    public EdgeConfig(String name, String host, int port, String adminHost, int adminPort, Path adminTokenFile,
                      List<BackendConfig> backends, Balancing balancing, Health health, Outliers outliers,
                      long slowStartMillis, Retries retries, RateLimit rateLimit, Limits limits, Path accessLog,
                      CdnConfig cdn) {
        this(name, host, port, adminHost, adminPort, adminTokenFile, backends, balancing, health, outliers,
             slowStartMillis, retries, rateLimit, limits, accessLog, cdn, null);
    }

    /** This config as a CDN edge's: its origin groups, routes and cache in place of one group of backends. */
    public EdgeConfig withCdn(CdnConfig edge) {
        return new EdgeConfig(name, host, port, adminHost, adminPort, adminTokenFile, List.of(), balancing, health,
                              outliers, slowStartMillis, retries, rateLimit, limits, accessLog, edge, tracing);
    }

    /** This config with its spans sent to a trace store ({@code null}: none sent). */
    public EdgeConfig withTracing(Tracing spans) {
        return new EdgeConfig(name, host, port, adminHost, adminPort, adminTokenFile, backends, balancing, health,
                              outliers, slowStartMillis, retries, rateLimit, limits, accessLog, cdn, spans);
    }

    /**
     * The groups of backends the proxy balances over, by name: the load balancer's one group ({@code
     * backends}), or a CDN edge's origins.
     */
    @JsonIgnore
    public Map<String, List<BackendConfig>> groups() {
        return cdn == null ? Map.of(MAIN_GROUP, backends) : cdn.origins();
    }

    /** The name of the load balancer's one group. */
    public static final String MAIN_GROUP = "backends";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    public record BackendConfig(String id, String address, int weight) {}

    /**
     * @param endpoint where spans go over OTLP/HTTP, {@code http://host:port/v1/traces}
     * @param sampling the share of the requests that start a trace here which are recorded, 0..1; a request
     *                 that comes with a {@code traceparent} follows its sampled flag
     */
    public record Tracing(String endpoint, double sampling) {}

    /** @param hashKey for consistent hashing: {@code client-ip}, {@code header:NAME} or {@code cookie:NAME} */
    public record Balancing(String algorithm, String hashKey) {}

    public record Health(String path, long intervalMillis, long timeoutMillis, int rise, int fall) {}

    public record Outliers(int consecutiveFailures, long baseEjectionMillis, int maxEjectionPercent) {}

    public record Retries(int budgetPercent, int minPerSecond) {}

    /** @param requestsPerSecond per client IP; 0 turns the limit off */
    public record RateLimit(double requestsPerSecond, double burst) {}

    /**
     * @param backendIdleMillis how long a keep-alive connection to a backend may idle in the pool before the
     *                          proxy closes it; keep it below the backends' own keep-alive timeout
     */
    public record Limits(int maxInitialLineBytes, int maxHeaderBytes, long maxBodyBytes, long headerTimeoutMillis,
                         long idleTimeoutMillis, long backendTimeoutMillis, int replayBufferBytes,
                         long backendIdleMillis) {}

    public static EdgeConfig read(Path file) {
        EdgeConfig config;
        try {
            config = JSON.readValue(file.toFile(), EdgeConfig.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        config.validate();
        return config;
    }

    public void write(Path file) throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), this);
    }

    /** Defaults for everything but the addresses: fast health checks, P2C-EWMA, generous limits. */
    public static EdgeConfig defaults(String name, String host, int port, int adminPort, Path adminTokenFile,
                                      List<BackendConfig> backends, Path accessLog) {
        return new EdgeConfig(name, host, port, "127.0.0.1", adminPort, adminTokenFile, backends,
                              new Balancing("p2c-ewma", null), new Health("/health/readiness", 250, 500, 2, 2),
                              new Outliers(1, 1_000, 50), 3_000, new Retries(20, 10), new RateLimit(0, 0),
                              new Limits(8_192, 16_384, 100L << 20, 10_000, 60_000, 30_000, 64 << 10, 30_000), accessLog);
    }

    void validate() {
        check(name != null && name.matches("[A-Za-z0-9_.-]{1,64}"), "name", name, "1 to 64 of A-Z a-z 0-9 _ . -");
        check(port >= 0 && port <= 65535, "port", port, "0..65535");
        check(adminPort >= 0 && adminPort <= 65535, "adminPort", adminPort, "0..65535");
        check(backends != null, "backends", null, "a list, may be empty");
        if (cdn != null) {
            check(backends.isEmpty(), "backends", backends, "none: a CDN edge's backends are its cdn.origins");
            cdn.validate();
        }
        Set<String> ids = new HashSet<>();
        groups().forEach((group, members) -> {
            String path = cdn == null ? "backends" : "cdn.origins." + group;
            for (int i = 0; i < members.size(); i++) {
                BackendConfig backend = members.get(i);
                check(backend.address() != null && backend.address().matches("[^:]+:[0-9]{1,5}"),
                      path + "[" + i + "].address", backend.address(), "HOST:PORT");
                check(backend.weight() >= 1 && backend.weight() <= 1000, path + "[" + i + "].weight", backend.weight(),
                      "1..1000");
                check(ids.add(backend.id()), path + "[" + i + "].id", backend.id(), "an id no other backend has");
            }
        });
        check(health.intervalMillis() >= 10, "health.intervalMillis", health.intervalMillis(), ">= 10");
        check(health.rise() >= 1 && health.fall() >= 1, "health.rise/fall", health.rise() + "/" + health.fall(), ">= 1");
        check(outliers.consecutiveFailures() >= 1, "outliers.consecutiveFailures", outliers.consecutiveFailures(), ">= 1");
        check(outliers.maxEjectionPercent() >= 0 && outliers.maxEjectionPercent() <= 100, "outliers.maxEjectionPercent",
              outliers.maxEjectionPercent(), "0..100");
        check(retries.budgetPercent() >= 0 && retries.budgetPercent() <= 100, "retries.budgetPercent",
              retries.budgetPercent(), "0..100");
        check(rateLimit.requestsPerSecond() >= 0, "rateLimit.requestsPerSecond", rateLimit.requestsPerSecond(), ">= 0");
        check(limits.maxHeaderBytes() >= 1024, "limits.maxHeaderBytes", limits.maxHeaderBytes(), ">= 1024");
        check(limits.maxInitialLineBytes() >= 256, "limits.maxInitialLineBytes", limits.maxInitialLineBytes(), ">= 256");
        check(limits.maxBodyBytes() >= 0, "limits.maxBodyBytes", limits.maxBodyBytes(), ">= 0");
        check(limits.backendIdleMillis() >= 10, "limits.backendIdleMillis", limits.backendIdleMillis(), ">= 10");
        if (tracing != null) {
            check(tracing.endpoint() != null && tracing.endpoint().matches("https?://[^/]+/.*"), "tracing.endpoint",
                  tracing.endpoint(), "an OTLP/HTTP URL, http://HOST:PORT/v1/traces");
            check(tracing.sampling() >= 0 && tracing.sampling() <= 1, "tracing.sampling", tracing.sampling(), "0..1");
        }
        String key = balancing.hashKey();
        check(key == null || key.equals("client-ip") || key.matches("(header|cookie):[A-Za-z0-9_-]+"),
              "balancing.hashKey", key, "client-ip, header:NAME or cookie:NAME");
    }

    static void check(boolean condition, String field, Object value, String expected) {
        if (!condition) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: " + expected + ')');
        }
    }
}
