package dev.millions.app.web;

import java.io.IOException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The app's errors, as RFC 9457 problem details. Spring renders an {@link ErrorResponseException} as
 * {@code application/problem+json} with the status, a title and our precise {@code detail}.
 */
public final class Problems {

    /** How long a client (or the load balancer) waits before it retries a 503: a store away, or a busy node. */
    public static final String RETRY_AFTER_SECONDS = "1";

    private Problems() {}

    /** The database is down or failing over: a 503, which tells clients to retry shortly. */
    public static ProblemDetail databaseUnavailable() {
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, "database unavailable; retry shortly");
    }

    /** The session store (the database or the cache tier) is down or failing over. */
    public static ProblemDetail sessionStoreUnavailable() {
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                                                "session store unavailable; retry shortly");
    }

    /** Too many requests in flight on this node: a 503 that tells clients (and the balancer) to back off. */
    public static ProblemDetail overloaded(int inFlight) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                                                "server busy: " + inFlight + " requests in flight; retry shortly");
    }

    /**
     * Writes a 503 problem with Retry-After from a servlet filter, outside Spring MVC's error handling.
     */
    public static void writeUnavailable(HttpServletResponse response, ProblemDetail problem, ObjectMapper json)
            throws IOException {
        response.setStatus(problem.getStatus());
        response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }

    public static ErrorResponseException badRequest(String detail) {
        return of(HttpStatus.BAD_REQUEST, detail);
    }

    public static ErrorResponseException unauthorized(String detail) {
        return of(HttpStatus.UNAUTHORIZED, detail);
    }

    public static ErrorResponseException notFound(String detail) {
        return of(HttpStatus.NOT_FOUND, detail);
    }

    public static ErrorResponseException conflict(String detail) {
        return of(HttpStatus.CONFLICT, detail);
    }

    public static ErrorResponseException of(HttpStatus status, String detail) {
        return new ErrorResponseException(status, ProblemDetail.forStatusAndDetail(status, detail), null);
    }
}
