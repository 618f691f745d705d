package dev.millions.app.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The app's errors, as RFC 9457 problem details. Spring renders an {@link ErrorResponseException} as
 * {@code application/problem+json} with the status, a title and our precise {@code detail}.
 */
public final class Problems {

    /** How long a client (or the load balancer) waits before it retries while the database is away. */
    public static final String DATABASE_RETRY_AFTER_SECONDS = "1";

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
