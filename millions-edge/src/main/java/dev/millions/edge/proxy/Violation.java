package dev.millions.edge.proxy;

/**
 * A request the proxy refuses before it reaches any backend, with the status to answer: the framing
 * guard fires it as a user event, the frontend answers it and closes the connection.
 */
record Violation(int status, String detail) {}
