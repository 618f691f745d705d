package dev.millions.edge.proxy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

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
import io.netty.util.AsciiString;

/**
 * The edge's header duties: hop-by-hop headers stay on their hop (RFC 9110 7.6.1), the client's
 * address and scheme travel on in {@code X-Forwarded-For} and {@code X-Forwarded-Proto}, and every
 * request carries an {@code X-Request-Id} and a W3C {@code traceparent}, created here when absent.
 */
final class Headers {

    // Names as cached AsciiStrings: their hash is computed once, not per request.
    private static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");
    private static final AsciiString TRACEPARENT_HEADER = AsciiString.cached("traceparent");
    /** Tells the client its request's trace id: what {@code millions trace} and {@code logs --request} take. */
    private static final AsciiString X_TRACE_ID = AsciiString.cached("x-trace-id");
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString IDEMPOTENCY_KEY = AsciiString.cached("idempotency-key");
    private static final AsciiString HTTP = AsciiString.cached("http");
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final List<AsciiString> HOP_BY_HOP = List.of(HttpHeaderNames.KEEP_ALIVE,
            AsciiString.cached("proxy-connection"), HttpHeaderNames.TE, HttpHeaderNames.TRAILER,
            HttpHeaderNames.UPGRADE, HttpHeaderNames.PROXY_AUTHENTICATE);

    private Headers() {}

    /** Rewrites the head for the backend and says what the proxy needs to know of it. */
    static RequestInfo prepareRequest(HttpRequest request, String clientIp, String hashKeySpec, long nowNanos) {
        HttpHeaders headers = request.headers();
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String requestId = headers.get(X_REQUEST_ID);
        if (requestId == null || !validRequestId(requestId)) {
            requestId = randomHex(16);
            headers.set(X_REQUEST_ID, requestId);
        }
        String traceparent = headers.get(TRACEPARENT_HEADER);
        String traceId = traceparent == null ? null : traceId(traceparent);
        if (traceId == null) {
            traceId = randomHex(32);
            headers.set(TRACEPARENT_HEADER, traceparent(traceId));
        }
        String hashKey = hashKey(request, clientIp, hashKeySpec);
        removeHopByHop(request);
        String forwarded = headers.get(X_FORWARDED_FOR);
        headers.set(X_FORWARDED_FOR, forwarded == null ? clientIp : forwarded + ", " + clientIp);
        headers.set(X_FORWARDED_PROTO, HTTP);
        headers.remove(HttpHeaderNames.EXPECT);
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        HttpMethod method = request.method();
        boolean idempotent = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)
                             || method.equals(HttpMethod.OPTIONS) || headers.contains(IDEMPOTENCY_KEY);
        return new RequestInfo(requestId, traceId, clientIp, method.name(), request.uri(), idempotent, keepAlive,
                               hashKey, nowNanos);
    }

    static void prepareResponse(HttpResponse response, RequestInfo info) {
        removeHopByHop(response);
        response.headers().set(X_REQUEST_ID, info.requestId());
        response.headers().set(X_TRACE_ID, info.traceId());
        if (!info.keepAlive()) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }

    private static void removeHopByHop(HttpMessage message) {
        HttpHeaders headers = message.headers();
        String connection = headers.get(HttpHeaderNames.CONNECTION);
        if (connection != null) {
            for (String listed : headers.getAll(HttpHeaderNames.CONNECTION)) {
                for (String name : listed.split(",")) {
                    String header = name.strip().toLowerCase(Locale.ROOT);
                    if (!header.isEmpty() && !header.equals("close") && !header.equals("keep-alive")) {
                        headers.remove(header);
                    }
                }
            }
            headers.remove(HttpHeaderNames.CONNECTION);
        }
        for (AsciiString name : HOP_BY_HOP) {
            headers.remove(name);
        }
    }

    private static boolean validRequestId(String id) {
        if (id.isEmpty() || id.length() > 128) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                  || c == ':' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** The trace id of a valid version-00 traceparent, else {@code null} (W3C Trace Context 3.2). */
    private static String traceId(String traceparent) {
        if (traceparent.length() != 55 || !traceparent.startsWith("00-") || traceparent.charAt(35) != '-'
            || traceparent.charAt(52) != '-') {
            return null;
        }
        boolean allZero = true;
        for (int i = 3; i < 55; i++) {
            if (i == 35 || i == 52) {
                continue;
            }
            char c = traceparent.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return null;
            }
            if (i < 35 && c != '0') {
                allZero = false;
            }
        }
        return allZero ? null : traceparent.substring(3, 35);
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
        return new String(randomHexBytes(digits, 0, digits), StandardCharsets.US_ASCII);
    }

    /**
     * {@code 00-TRACEID-SPANID-01} as ASCII bytes: an {@link AsciiString} value is copied into the
     * encoded head in one go, where a String is written a char at a time.
     */
    private static AsciiString traceparent(String traceId) {
        byte[] bytes = randomHexBytes(55, 36, 16);
        bytes[0] = '0';
        bytes[1] = '0';
        bytes[2] = '-';
        for (int i = 0; i < 32; i++) {
            bytes[3 + i] = (byte) traceId.charAt(i);
        }
        bytes[35] = '-';
        bytes[52] = '-';
        bytes[53] = '0';
        bytes[54] = '1';
        return new AsciiString(bytes, false);
    }

    /** {@code length} bytes with {@code digits} random hex digits from {@code from}. */
    private static byte[] randomHexBytes(int length, int from, int digits) {
        byte[] hex = new byte[length];
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long bits = 0;
        for (int i = 0; i < digits; i++) {
            if (i % 16 == 0) {
                bits = random.nextLong();
            }
            hex[from + i] = (byte) HEX[(int) (bits & 0xf)];
            bits >>>= 4;
        }
        return hex;
    }
}
