package dev.millions.app.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Redis key built from user input, made safe: every byte outside {@code [A-Za-z0-9_.-]} is
 * percent-escaped, so input cannot add a separator ({@code :}), a hash tag ({@code {...}}, which would
 * pin keys to one slot) or a control character; a key that would pass {@value #MAX_LENGTH} characters
 * keeps a prefix and the SHA-256 of the rest, so its size is bounded whatever the input.
 */
public record CacheKey(CacheSpec spec, String redisKey) {

    static final int MAX_LENGTH = 200;
    private static final String PREFIX = "m:";

    static CacheKey of(CacheSpec spec, Object... parts) {
        StringBuilder key = new StringBuilder(PREFIX).append(spec.name());
        for (Object part : parts) {
            key.append(':');
            escape(String.valueOf(part), key);
        }
        return new CacheKey(spec, key.length() <= MAX_LENGTH ? key.toString() : shortened(key.toString()));
    }

    private static void escape(String part, StringBuilder out) {
        for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
            if (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '.'
                || b == '-') {
                out.append((char) b);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
    }

    private static String shortened(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.US_ASCII));
            return key.substring(0, 100) + "~" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return redisKey;
    }
}
