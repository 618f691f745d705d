package dev.millions.bench.workload;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

import dev.millions.bench.history.WriteStatus;

/** Names what went wrong with a request, and whether a write that hit it may have happened. */
final class Failures {

    private Failures() {}

    static String kind(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof ConnectException)) {
            cause = cause.getCause();
        }
        if (failure instanceof HttpConnectTimeoutException || cause instanceof HttpConnectTimeoutException) {
            return "connect timeout";
        }
        if (failure instanceof ConnectException || cause instanceof ConnectException) {
            return "connect refused";
        }
        if (failure instanceof SocketTimeoutException timeout) {
            return String.valueOf(timeout.getMessage()).startsWith("Connect") ? "connect timeout" : "timeout";
        }
        if (failure instanceof HttpTimeoutException) {
            return "timeout";
        }
        String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("reset")) {
            return "connection reset";
        }
        if (failure instanceof ClosedChannelException || message.contains("closed") || message.contains("eof")
            || message.contains("received no bytes")) {
            return "connection closed";
        }
        return failure instanceof IOException ? "io error" : failure.getClass().getSimpleName();
    }

    /** A refused or timed-out connection never carried the request; anything later might have. */
    static WriteStatus writeStatus(String kind) {
        return kind.startsWith("connect ") ? WriteStatus.FAILED : WriteStatus.UNKNOWN;
    }

    static String httpKind(int status) {
        return "http " + status;
    }
}
