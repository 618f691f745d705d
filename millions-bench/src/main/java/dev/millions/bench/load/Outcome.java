package dev.millions.bench.load;

import static java.util.Objects.requireNonNull;

/**
 * How one operation ended: success, or an error of a named kind ({@code "http 503"},
 * {@code "connect refused"}, {@code "timeout"}), so that a report counts errors by what they were.
 */
public record Outcome(boolean ok, String errorKind) {

    private static final Outcome OK = new Outcome(true, null);

    public static Outcome success() {
        return OK;
    }

    public static Outcome error(String kind) {
        return new Outcome(false, requireNonNull(kind, "kind"));
    }
}
