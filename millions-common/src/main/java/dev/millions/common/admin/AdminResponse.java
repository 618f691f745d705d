package dev.millions.common.admin;

import java.util.Map;

/**
 * What an admin route answers: JSON, Prometheus text, or a problem (RFC 9457) whose {@code detail} says
 * why.
 *
 * @param json whether {@code body} is written as JSON (else as text)
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

    public static AdminResponse problem(int status, String detail) {
        return new AdminResponse(status, "application/problem+json", Map.of("status", status, "detail", detail), true);
    }
}
