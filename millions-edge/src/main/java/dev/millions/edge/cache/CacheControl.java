package dev.millions.edge.cache;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The directives of a {@code Cache-Control}-shaped field (also {@code CDN-Cache-Control} and {@code
 * Surrogate-Control}), as RFC 9111 5.2 reads them: names case-insensitive, values tokens or quoted
 * strings, the first occurrence of a directive wins (4.2.1), and a delta-seconds that is not a number
 * counts as 0, so the answer is treated as stale rather than as fresh for ever.
 */
public final class CacheControl {

    private static final CacheControl ABSENT = new CacheControl(Map.of(), false);
    /** RFC 9111 1.2.2: a delta-seconds too large to represent is taken as 2^31. */
    private static final long MAX_SECONDS = 1L << 31;

    private final Map<String, String> directives;
    private final boolean present;

    private CacheControl(Map<String, String> directives, boolean present) {
        this.directives = directives;
        this.present = present;
    }

    /** The directives of every line of one field; none when {@code lines} is empty. */
    public static CacheControl parse(List<String> lines) {
        if (lines.isEmpty()) {
            return ABSENT;
        }
        Map<String, String> directives = new HashMap<>();
        for (String line : lines) {
            parseLine(line, directives);
        }
        return new CacheControl(directives, true);
    }

    private static void parseLine(String line, Map<String, String> into) {
        int i = 0;
        int length = line.length();
        while (i < length) {
            while (i < length && (line.charAt(i) == ',' || line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            int nameStart = i;
            while (i < length && line.charAt(i) != '=' && line.charAt(i) != ',') {
                i++;
            }
            String name = line.substring(nameStart, i).strip().toLowerCase(Locale.ROOT);
            String value = "";
            if (i < length && line.charAt(i) == '=') {
                i++;
                if (i < length && line.charAt(i) == '"') {
                    StringBuilder quoted = new StringBuilder();
                    i++;
                    while (i < length && line.charAt(i) != '"') {
                        if (line.charAt(i) == '\\' && i + 1 < length) {
                            i++;
                        }
                        quoted.append(line.charAt(i++));
                    }
                    i++;
                    value = quoted.toString();
                    while (i < length && line.charAt(i) != ',') {
                        i++;
                    }
                } else {
                    int valueStart = i;
                    while (i < length && line.charAt(i) != ',') {
                        i++;
                    }
                    value = line.substring(valueStart, i).strip();
                }
            }
            if (!name.isEmpty()) {
                into.putIfAbsent(name, value);
            }
        }
    }

    /** Whether the field was sent at all. */
    public boolean present() {
        return present;
    }

    public boolean has(String directive) {
        return directives.containsKey(directive);
    }

    /** The directive's delta-seconds; -1 when absent, 0 when not a number. */
    public long seconds(String directive) {
        String value = directives.get(directive);
        if (value == null) {
            return -1;
        }
        if (value.isEmpty()) {
            return 0;
        }
        long seconds = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            seconds = Math.min(MAX_SECONDS, seconds * 10 + (c - '0'));
        }
        return seconds;
    }

    @Override
    public String toString() {
        return directives.toString();
    }
}
