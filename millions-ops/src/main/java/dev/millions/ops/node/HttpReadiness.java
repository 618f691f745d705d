package dev.millions.ops.node;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.millions.common.process.ChildProcess;
import dev.millions.common.process.LogTail;

/** Waiting for a node's readiness endpoint to answer 200, and the ports such nodes listen on. */
public final class HttpReadiness {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private HttpReadiness() {}

    /**
     * Polls {@code readiness} until it answers 200. The node is stopped and the failure says why (its
     * exit code and last log lines, or the last answer) when the process exits, the time runs out or
     * the wait is interrupted.
     */
    public static void await(ManagedNode node, ChildProcess started, URI readiness, Duration timeout, long startNanos) {
        long deadline = startNanos + timeout.toNanos();
        String last = "no answer yet";
        String name = node.spec().name();
        while (System.nanoTime() < deadline) {
            if (!started.isAlive()) {
                throw new NodeStartException(name + " exited with code " + started.exitCode() + " after "
                                             + elapsedMillis(startNanos) + " ms during start-up; last log lines:\n"
                                             + String.join("\n", LogTail.lines(node.log(), 15)), node.log(), null);
            }
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(readiness)
                                                                     .timeout(Duration.ofSeconds(2)).build(),
                                                          HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + response.statusCode() + ' ' + response.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                node.stop();
                throw new NodeStartException("interrupted while " + name + " was starting", node.log(), e);
            }
            sleep(100);
        }
        node.stop();
        throw new NodeStartException(name + " was not ready within " + elapsedMillis(startNanos) + " ms ("
                                     + readiness + ": " + last + ')', node.log(), null);
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
