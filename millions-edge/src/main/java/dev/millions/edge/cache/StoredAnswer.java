package dev.millions.edge.cache;

import java.util.List;
import java.util.Locale;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * An answer made from a stored entry for one request: the client's own validators answered with a 304
 * (RFC 9111 4.3.2), a single byte range with a 206 or 416 (RFC 9110 14), a HEAD with the head alone,
 * and the edge-only fields removed. Several ranges in one request get the whole object, as RFC 9110
 * 14.2 allows.
 *
 * @param head the answer's head
 * @param last its body, as one last part
 */
public record StoredAnswer(HttpResponse head, LastHttpContent last) {

    /** Fields only the edge reads: they never reach a client. */
    private static final List<String> EDGE_ONLY = List.of(StoragePolicy.CDN_CACHE_CONTROL, StoragePolicy.SURROGATE_CONTROL,
                                                          Tags.SURROGATE_KEY);
    /** RFC 9110 15.4.5: what a 304 carries of the stored head. */
    private static final List<String> NOT_MODIFIED_FIELDS = List.of("cache-control", "content-location", "date", "etag",
                                                                    "expires", "vary", "last-modified");

    /**
     * @param request the client's request, its validators and range untouched
     * @param body a reference of the caller's own to the entry's body, which this answer takes over
     */
    public static StoredAnswer of(Entry entry, ByteBuf body, HttpMethod method, HttpHeaders request, long nowMillis,
                                  String cacheStatus) {
        HttpHeaders headers = entry.headers().copy();
        stripEdgeOnly(headers);
        headers.set(HttpHeaderNames.AGE, entry.ageSeconds(nowMillis));
        headers.set(CacheStatus.HEADER, cacheStatus);
        if (entry.status() == 200 && notModified(entry, request)) {
            body.release();
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
            for (String name : NOT_MODIFIED_FIELDS) {
                head.headers().set(name, headers.getAll(name));
            }
            head.headers().set(HttpHeaderNames.AGE, headers.get(HttpHeaderNames.AGE));
            head.headers().set(CacheStatus.HEADER, cacheStatus);
            return new StoredAnswer(head, LastHttpContent.EMPTY_LAST_CONTENT);
        }
        HttpResponseStatus status = HttpResponseStatus.valueOf(entry.status());
        String range = request.get(HttpHeaderNames.RANGE);
        if (range != null && entry.status() == 200 && method.equals(HttpMethod.GET) && ifRangeHolds(entry, request)) {
            long[] span = range(range, body.readableBytes());
            if (span == UNSATISFIABLE) {
                body.release();
                headers.set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + entry.size());
                headers.set(HttpHeaderNames.CONTENT_LENGTH, 0);
                return new StoredAnswer(new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                                                                HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, headers),
                                        LastHttpContent.EMPTY_LAST_CONTENT);
            }
            if (span != null) {
                headers.set(HttpHeaderNames.CONTENT_RANGE, "bytes " + span[0] + '-' + span[1] + '/' + entry.size());
                ByteBuf part = body.slice((int) span[0], (int) (span[1] - span[0] + 1));
                headers.set(HttpHeaderNames.CONTENT_LENGTH, part.readableBytes());
                return new StoredAnswer(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.PARTIAL_CONTENT,
                                                                headers), new DefaultLastHttpContent(part));
            }
        }
        headers.set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status, headers);
        if (method.equals(HttpMethod.HEAD)) {
            body.release();
            return new StoredAnswer(head, LastHttpContent.EMPTY_LAST_CONTENT);
        }
        return new StoredAnswer(head, new DefaultLastHttpContent(body));
    }

    /** Removes the fields only the edge reads ({@code CDN-Cache-Control}, {@code Surrogate-Control}, {@code Surrogate-Key}). */
    public static void stripEdgeOnly(HttpHeaders headers) {
        for (String name : EDGE_ONLY) {
            headers.remove(name);
        }
    }

    /** Whether the client's validators match the entry: If-None-Match first, else If-Modified-Since. */
    private static boolean notModified(Entry entry, HttpHeaders request) {
        String noneMatch = request.get(HttpHeaderNames.IF_NONE_MATCH);
        if (noneMatch != null) {
            String etag = entry.etag();
            if (etag == null) {
                return false;
            }
            for (String candidate : noneMatch.split(",")) {
                String tag = candidate.strip();
                if (tag.equals("*") || weak(tag).equals(weak(etag))) {
                    return true;
                }
            }
            return false;
        }
        String since = request.get(HttpHeaderNames.IF_MODIFIED_SINCE);
        if (since == null) {
            return false;
        }
        long sinceMillis = StoragePolicy.date(since, Long.MIN_VALUE);
        String modified = entry.lastModified() != null ? entry.lastModified() : entry.headers().get(HttpHeaderNames.DATE);
        long modifiedMillis = StoragePolicy.date(modified, Long.MAX_VALUE);
        return sinceMillis != Long.MIN_VALUE && modifiedMillis <= sinceMillis;
    }

    /** If-Range (RFC 9110 13.1.5): the range applies only to the representation the client already has part of. */
    private static boolean ifRangeHolds(Entry entry, HttpHeaders request) {
        String ifRange = request.get(HttpHeaderNames.IF_RANGE);
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.strip();
        if (value.startsWith("\"")) {
            return value.equals(entry.etag());
        }
        return entry.lastModified() != null && value.equals(entry.lastModified());
    }

    private static String weak(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    private static final long[] UNSATISFIABLE = new long[0];

    /** A single range's first and last byte; {@code null} to ignore the field, {@link #UNSATISFIABLE} for a 416. */
    private static long[] range(String field, long length) {
        String value = field.strip().toLowerCase(Locale.ROOT);
        if (!value.startsWith("bytes=") || value.contains(",")) {
            return null;
        }
        String spec = value.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String first = spec.substring(0, dash).strip();
            String last = spec.substring(dash + 1).strip();
            if (first.isEmpty()) {
                long suffix = Long.parseLong(last);
                if (suffix <= 0) {
                    return UNSATISFIABLE;
                }
                return length == 0 ? UNSATISFIABLE : new long[] {Math.max(0, length - suffix), length - 1};
            }
            long start = Long.parseLong(first);
            long end = last.isEmpty() ? length - 1 : Math.min(Long.parseLong(last), length - 1);
            if (!last.isEmpty() && Long.parseLong(last) < start) {
                return null;
            }
            return start >= length ? UNSATISFIABLE : new long[] {start, end};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
