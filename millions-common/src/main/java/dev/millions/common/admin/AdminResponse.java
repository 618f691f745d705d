package dev.millions.common.admin;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * What an admin route answers: JSON, Prometheus text, a page, a stream, or a problem (RFC 9457) whose
 * {@code detail} says why.
 *
 * @param json whether {@code body} is written as JSON (else as text, or by a {@link Streamer})
 */
public record AdminResponse(int status, String contentType, Object body, boolean json) {

    public static AdminResponse json(int status, Object body) {
        return new AdminResponse(status, "application/json", body, true);
    }

    public static AdminResponse ok(Object body) {
        return json(200, body);
    }

    /** Prometheus' text exposition format. */
    public static AdminResponse metrics(String text) {
        return new AdminResponse(200, "text/plain; version=0.0.4; charset=utf-8", text, false);
    }

    /** A page or script from the class path, as text. */
    public static AdminResponse text(String contentType, String text) {
        return new AdminResponse(200, contentType, text, false);
    }

    /**
     * A body written for as long as the client listens (server-sent events): chunked, each write flushed
     * by the streamer, ended when it returns or the client hangs up.
     */
    public static AdminResponse stream(String contentType, Streamer streamer) {
        return new AdminResponse(200, contentType, streamer, false);
    }

    /** Writes a streamed body. */
    @FunctionalInterface
    public interface Streamer {

        /**
         * @throws IOException when the client has hung up, which ends the stream
         */
        void write(OutputStream out) throws IOException;
    }

    public static AdminResponse problem(int status, String detail) {
        return new AdminResponse(status, "application/problem+json", Map.of("status", status, "detail", detail), true);
    }
}
