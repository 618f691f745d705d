package dev.millions.edge.cache;

import java.util.List;
import java.util.Locale;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * What a stored answer is filed under: the host, the request target, and the variant, made of the
 * request's values for the names the answer's {@code Vary} lists (RFC 9111 4.1). {@code Accept-Encoding}
 * is normalized to the one coding the edge asks the origin for ({@code br}, {@code gzip} or {@code
 * identity}), so the many ways browsers spell it make three variants, not hundreds.
 */
public record CacheKey(String host, String target, String variant) {

    /** The URL part of a key: the key when the answer varies on nothing. */
    public static CacheKey of(String host, String target) {
        return new CacheKey(host == null ? "" : host.toLowerCase(Locale.ROOT), target, "");
    }

    /** This URL's key for a request, given the names its stored answers vary on. */
    public CacheKey variant(List<String> varyNames, HttpHeaders request) {
        if (varyNames.isEmpty()) {
            return variant.isEmpty() ? this : new CacheKey(host, target, "");
        }
        StringBuilder variant = new StringBuilder();
        for (String name : varyNames) {
            String value = name.equals("accept-encoding") ? normalizedEncoding(request.get(HttpHeaderNames.ACCEPT_ENCODING))
                           : String.join(",", request.getAll(name)).strip();
            variant.append(name).append('=').append(value).append('\n');
        }
        return new CacheKey(host, target, variant.toString());
    }

    /** The URL part, variant aside. */
    public CacheKey url() {
        return variant.isEmpty() ? this : new CacheKey(host, target, "");
    }

    /** The names a {@code Vary} field lists, lower case and sorted, so that their order does not matter. */
    public static List<String> varyNames(List<String> varyLines) {
        return varyLines.stream().flatMap(line -> java.util.Arrays.stream(line.split(",")))
                        .map(name -> name.strip().toLowerCase(Locale.ROOT)).filter(name -> !name.isEmpty())
                        .distinct().sorted().toList();
    }

    /** {@code br}, {@code gzip} or {@code identity}: the best coding the request accepts. */
    public static String normalizedEncoding(String acceptEncoding) {
        if (acceptEncoding == null) {
            return "identity";
        }
        String value = acceptEncoding.toLowerCase(Locale.ROOT);
        if (accepts(value, "br")) {
            return "br";
        }
        return accepts(value, "gzip") ? "gzip" : "identity";
    }

    private static boolean accepts(String value, String coding) {
        for (String part : value.split(",")) {
            String[] pieces = part.split(";");
            if (pieces[0].strip().equals(coding)) {
                return pieces.length < 2 || !pieces[1].replace(" ", "").matches("q=0(\\.0*)?");
            }
        }
        return false;
    }
}
