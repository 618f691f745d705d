package dev.millions.edge.proxy;

/**
 * What the proxy decided about a request when its head arrived.
 *
 * @param idempotent whether it may be sent again after a reset (GET, HEAD, OPTIONS, or an
 *                   {@code Idempotency-Key})
 * @param keepAlive whether the client keeps the connection open after the answer
 * @param hashKey the affinity key for consistent hashing, or {@code null}
 */
record RequestInfo(String requestId, String traceId, String clientIp, String method, String uri, boolean idempotent,
                   boolean keepAlive, String hashKey, long startNanos) {}
