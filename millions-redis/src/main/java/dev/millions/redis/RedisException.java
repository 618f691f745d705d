package dev.millions.redis;

/** Redis could not be set up, started or formed into a cluster; the message says why and what to read. */
public final class RedisException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RedisException(String message) {
        super(message);
    }

    public RedisException(String message, Throwable cause) {
        super(message, cause);
    }
}
