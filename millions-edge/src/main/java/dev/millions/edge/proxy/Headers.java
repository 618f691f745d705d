package dev.millions.edge.proxy;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;

/**
 * The edge's header duties: hop-by-hop headers stay on their hop (RFC 9110 7.6.1), the client's
 * address and scheme travel on in {@code X-Forwarded-For} and {@code X-Forwarded-Proto}, and every
 * request carries an {@code X-Request-Id} and a W3C {@code traceparent}, created here when absent.
 */
final class Headers {

    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");
    private static final String TRACEPARENT_HEADER = "traceparent";
    private static final List<String> HOP_BY_HOP = List.of("connection", "keep-alive", "proxy-connection", "te",
                                                           "trailer", "upgrade", "proxy-authenticate");

    private Headers() {}

    /** Rewrites the head for the backend and says what the proxy needs to know of it. */
    static RequestInfo prepareRequest(HttpRequest request, String clientIp, String hashKeySpec, long nowNanos) {
        HttpHeaders headers = request.headers();
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String requestId = headers.get("X-Request-Id");
        if (requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
            requestId = randomHex(16);
            headers.set("X-Request-Id", requestId);
        }
        String traceparent = headers.get(TRACEPARENT_HEADER);
        java.util.regex.Matcher trace = traceparent == null ? null : TRACEPARENT.matcher(traceparent);
        String traceId;
        if (trace != null && trace.matches() && !trace.group(1).equals("0".repeat(32))) {
            traceId = trace.group(1);
        } else {
            traceId = randomHex(32);
            headers.set(TRACEPARENT_HEADER, "00-" + traceId + '-' + randomHex(16) + "-01");
        }
        String hashKey = hashKey(request, clientIp, hashKeySpec);
        removeHopByHop(request);
        String forwarded = headers.get("X-Forwarded-For");
        headers.set("X-Forwarded-For", forwarded == null ? clientIp : forwarded + ", " + clientIp);
        headers.set("X-Forwarded-Proto", "http");
        headers.remove(HttpHeaderNames.EXPECT);
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        HttpMethod method = request.method();
        boolean idempotent = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)
                             || method.equals(HttpMethod.OPTIONS) || headers.contains("Idempotency-Key");
        return new RequestInfo(requestId, traceId, clientIp, method.name(), request.uri(), idempotent, keepAlive,
                               hashKey, nowNanos);
    }

    static void prepareResponse(HttpResponse response, RequestInfo info) {
        removeHopByHop(response);
        response.headers().set("X-Request-Id", info.requestId());
        if (!info.keepAlive()) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }

    private static void removeHopByHop(HttpMessage message) {
        HttpHeaders headers = message.headers();
        for (String listed : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String name : listed.split(",")) {
                String header = name.strip().toLowerCase(Locale.ROOT);
                if (!header.isEmpty() && !header.equals("close") && !header.equals("keep-alive")) {
                    headers.remove(header);
                }
            }
        }
        for (String name : HOP_BY_HOP) {
            headers.remove(name);
        }
    }

    private static String hashKey(HttpRequest request, String clientIp, String spec) {
        if (spec == null) {
            return null;
        }
        if (spec.equals("client-ip")) {
            return clientIp;
        }
        String name = spec.substring(spec.indexOf(':') + 1);
        if (spec.startsWith("header:")) {
            return request.headers().get(name);
        }
        String cookies = request.headers().get(HttpHeaderNames.COOKIE);
        if (cookies == null) {
            return null;
        }
        for (Cookie cookie : ServerCookieDecoder.LAX.decode(cookies)) {
            if (cookie.name().equals(name)) {
                return cookie.value();
            }
        }
        return null;
    }

    private static String randomHex(int digits) {
        StringBuilder hex = new StringBuilder(digits);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (hex.length() < digits) {
            String part = Long.toHexString(random.nextLong());
            hex.append("0".repeat(16 - part.length())).append(part);
        }
        return hex.substring(0, digits);
    }
}
