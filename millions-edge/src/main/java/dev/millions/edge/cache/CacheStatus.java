package dev.millions.edge.cache;

/**
 * The {@code Cache-Status} field of RFC 9211: the cache's name, then what it did, e.g. {@code cdn-1;
 * hit; ttl=58} or {@code cdn-1; fwd=uri-miss; fwd-status=200; stored; ttl=60}.
 */
public final class CacheStatus {

    public static final String HEADER = "cache-status";

    private final StringBuilder value;
    private boolean hit;

    private CacheStatus(String cache) {
        value = new StringBuilder(64).append(cache);
    }

    /** A status by the cache named {@code name}, as an sf-token when it is one, else as an sf-string. */
    public static CacheStatus of(String name) {
        return new CacheStatus(name.matches("[A-Za-z*][A-Za-z0-9_.:/!#$%&'*+^`|~-]*") ? name : '"' + name + '"');
    }

    public CacheStatus hit() {
        hit = true;
        value.append("; hit");
        return this;
    }

    /** Why the request went forward: {@code uri-miss}, {@code vary-miss}, {@code miss}, {@code stale}, {@code method}, {@code request}, {@code bypass}. */
    public CacheStatus fwd(String why) {
        value.append("; fwd=").append(why);
        return this;
    }

    public CacheStatus fwdStatus(int status) {
        value.append("; fwd-status=").append(status);
        return this;
    }

    public CacheStatus stored() {
        value.append("; stored");
        return this;
    }

    public CacheStatus collapsed() {
        value.append("; collapsed");
        return this;
    }

    /** Seconds of freshness left; negative when the answer served was stale. */
    public CacheStatus ttl(long seconds) {
        value.append("; ttl=").append(seconds);
        return this;
    }

    /** Our own detail: {@code stale-while-revalidate}, {@code stale-if-error}, {@code hit-for-miss}, {@code lock-timeout}, {@code too-large}. */
    public CacheStatus detail(String detail) {
        value.append("; detail=").append(detail);
        return this;
    }

    /** Whether the answer came from the cache without going forward. */
    public boolean isHit() {
        return hit;
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
