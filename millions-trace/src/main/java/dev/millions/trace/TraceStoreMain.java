package dev.millions.trace;

import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar millions-trace.jar --host H --port P [--max-spans N]}: runs the trace store until stopped. */
public final class TraceStoreMain {

    private static final Logger logger = LoggerFactory.getLogger(TraceStoreMain.class);

    private TraceStoreMain() {}

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 4318;
        int maxSpans = 200_000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--host" -> host = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--max-spans" -> maxSpans = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                                                              + " (known: --host, --port, --max-spans)");
            }
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("option " + args[args.length - 1] + " has no value");
        }
        // The rest of the heap is for requests in flight: each may hold 16 MB of body, and as much unzipped.
        long maxBytes = Runtime.getRuntime().maxMemory() / 3;
        TraceStoreServer server = TraceStoreServer.start(host, port, maxSpans, maxBytes);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "trace-store-stop"));
        logger.info("trace store listening on {}:{} (OTLP/HTTP at /v1/traces), keeping the latest {} spans, at most {} MB",
                    host, server.address().getPort(), maxSpans, maxBytes >> 20);
        stopped.await();
    }
}
