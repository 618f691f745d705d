package dev.millions.edge.cache;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Whether a shared cache may store an answer, and for how long it is fresh: RFC 9111 sections 3
 * (storing), 3.5 ({@code Authorization}) and 4.2 (freshness), with RFC 9213's targeted fields and RFC
 * 5861's stale windows.
 *
 * <p>Design note. The edge-targeted field ({@code CDN-Cache-Control}, else {@code Surrogate-Control})
 * replaces {@code Cache-Control} and {@code Expires} entirely when present (RFC 9213 2.1), so an origin
 * can give browsers one policy and the edge another. Choices where the RFCs leave room: answers with
 * {@code Set-Cookie} are never stored; 206, 304 and 5xx answers are not stored; an answer with neither
 * freshness nor a validator is not stored (it could never be served); a stale window the origin states
 * itself is honoured even with {@code s-maxage}, which implies {@code proxy-revalidate}, but not with an
 * explicit {@code must-revalidate} or {@code proxy-revalidate}.
 */
public final class StoragePolicy {

    /** RFC 9110 15.1: the statuses whose answers are heuristically cacheable (206 aside: only whole objects are). */
    private static final Set<Integer> HEURISTIC_STATUSES = Set.of(200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501);
    private static final long HEURISTIC_CAP_SECONDS = 24 * 3600;
    static final String CDN_CACHE_CONTROL = "cdn-cache-control";
    static final String SURROGATE_CONTROL = "surrogate-control";

    private final boolean heuristic;
    private final long defaultStaleWhileRevalidate;
    private final long defaultStaleIfError;

    /**
     * @param heuristic whether an answer with only a {@code Last-Modified} is fresh for a tenth of its age
     * @param defaultStaleWhileRevalidate seconds, when the answer states no window of its own
     * @param defaultStaleIfError seconds, when the answer states no window of its own
     */
    public StoragePolicy(boolean heuristic, long defaultStaleWhileRevalidate, long defaultStaleIfError) {
        this.heuristic = heuristic;
        this.defaultStaleWhileRevalidate = defaultStaleWhileRevalidate;
        this.defaultStaleIfError = defaultStaleIfError;
    }

    /** The verdict on storing the answer to a GET. */
    public Verdict judge(HttpHeaders request, int status, HttpHeaders response, long responseTimeMillis) {
        CacheControl requestDirectives = CacheControl.parse(request.getAll(HttpHeaderNames.CACHE_CONTROL));
        CacheControl targeted = CacheControl.parse(response.getAll(CDN_CACHE_CONTROL));
        if (!targeted.present()) {
            targeted = CacheControl.parse(response.getAll(SURROGATE_CONTROL));
        }
        boolean useTargeted = targeted.present();
        CacheControl directives = useTargeted ? targeted : CacheControl.parse(response.getAll(HttpHeaderNames.CACHE_CONTROL));
        if (status == 206 || status == 304 || status < 200 || status >= 500) {
            return Verdict.refused("status " + status);
        }
        if (requestDirectives.has("no-store")) {
            return Verdict.refused("request no-store");
        }
        if (directives.has("no-store")) {
            return Verdict.refused("no-store");
        }
        if (directives.has("private")) {
            return Verdict.refused("private");
        }
        if (response.contains(HttpHeaderNames.SET_COOKIE)) {
            return Verdict.refused("Set-Cookie");
        }
        if (CacheKey.varyNames(response.getAll(HttpHeaderNames.VARY)).contains("*")) {
            return Verdict.refused("Vary: *");
        }
        boolean mustRevalidate = directives.has("must-revalidate") || directives.has("proxy-revalidate");
        if (request.contains(HttpHeaderNames.AUTHORIZATION)
            && !(mustRevalidate || directives.has("public") || directives.has("s-maxage"))) {
            return Verdict.refused("Authorization");
        }
        long date = date(response.get(HttpHeaderNames.DATE), responseTimeMillis);
        long lifetime = explicitLifetime(directives, useTargeted ? null : response.get(HttpHeaderNames.EXPIRES), date);
        boolean explicit = lifetime >= 0;
        if (!explicit && !HEURISTIC_STATUSES.contains(status) && !directives.has("public")) {
            return Verdict.refused("status " + status + " without explicit freshness");
        }
        if (!explicit) {
            lifetime = heuristicLifetime(response.get(HttpHeaderNames.LAST_MODIFIED), date);
        }
        boolean validator = response.contains(HttpHeaderNames.ETAG) || response.contains(HttpHeaderNames.LAST_MODIFIED);
        boolean noCache = directives.has("no-cache");
        if ((lifetime <= 0 || noCache) && !validator) {
            return Verdict.refused("neither fresh nor revalidatable");
        }
        long swr = directives.seconds("stale-while-revalidate");
        long sie = directives.seconds("stale-if-error");
        if (mustRevalidate) {
            swr = 0;
            sie = 0;
        } else if (directives.has("s-maxage")) {
            swr = Math.max(swr, 0);
            sie = Math.max(sie, 0);
        } else if (noCache) {
            // The origin wants every use validated: the edge's defaults never stand in for that.
            swr = 0;
            sie = Math.max(sie, 0);
        } else {
            swr = swr < 0 ? defaultStaleWhileRevalidate : swr;
            sie = sie < 0 ? defaultStaleIfError : sie;
        }
        return new Verdict(null, new Freshness(lifetime, swr, sie, noCache));
    }

    private static long explicitLifetime(CacheControl directives, String expires, long date) {
        long seconds = directives.seconds("s-maxage");
        if (seconds >= 0) {
            return seconds;
        }
        seconds = directives.seconds("max-age");
        if (seconds >= 0) {
            return seconds;
        }
        if (expires != null) {
            // RFC 9111 5.3: an invalid date, "0" in particular, is a time in the past.
            long at = date(expires, Long.MIN_VALUE);
            return at == Long.MIN_VALUE ? 0 : Math.max(0, (at - date) / 1000);
        }
        return -1;
    }

    private long heuristicLifetime(String lastModified, long date) {
        if (!heuristic || lastModified == null) {
            return 0;
        }
        long modified = date(lastModified, Long.MIN_VALUE);
        if (modified == Long.MIN_VALUE || modified > date) {
            return 0;
        }
        return Math.min(HEURISTIC_CAP_SECONDS, (date - modified) / 1000 / 10);
    }

    /** An HTTP date in millis, or {@code otherwise} when absent or not a date (IMF-fixdate or RFC 850/asctime). */
    static long date(String value, long otherwise) {
        if (value == null) {
            return otherwise;
        }
        for (DateTimeFormatter format : DATE_FORMATS) {
            try {
                return ZonedDateTime.parse(value.strip(), format).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                // Not this one of the three formats RFC 9110 5.6.7 accepts; try the next.
            }
        }
        return otherwise;
    }

    /** IMF-fixdate, RFC 850 (a two-digit year read within 1970..2069) and asctime, all in GMT. */
    private static final List<DateTimeFormatter> DATE_FORMATS = List.of(
            DateTimeFormatter.RFC_1123_DATE_TIME,
            new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern("EEEE, dd-MMM-")
                                          .appendValueReduced(ChronoField.YEAR_OF_ERA, 2, 2, 1970)
                                          .appendPattern(" HH:mm:ss").appendLiteral(" GMT")
                                          .toFormatter(Locale.US).withZone(ZoneOffset.UTC),
            new DateTimeFormatterBuilder().appendPattern("EEE MMM ").padNext(2).appendPattern("d HH:mm:ss yyyy")
                                          .toFormatter(Locale.US).withZone(ZoneOffset.UTC));

    /**
     * How long an answer is fresh and may be served stale.
     *
     * @param lifetimeSeconds its freshness lifetime (RFC 9111 4.2.1)
     * @param staleWhileRevalidateSeconds how long past its lifetime it may be served while a refresh runs; 0
     *                                    when it must be validated once stale ({@code must-revalidate})
     * @param staleIfErrorSeconds how long past its lifetime it may be served when the origin fails
     * @param noCache whether it must be validated before every use, fresh or not
     */
    public record Freshness(long lifetimeSeconds, long staleWhileRevalidateSeconds, long staleIfErrorSeconds,
                            boolean noCache) {}

    /** @param refusal why the answer may not be stored; {@code null} when it may */
    public record Verdict(String refusal, Freshness freshness) {

        static Verdict refused(String why) {
            return new Verdict(why, null);
        }

        public boolean storable() {
            return refusal == null;
        }
    }
}
