package dev.millions.edge.proxy;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * One JSON line per request, written by a thread of its own so an event loop never waits on a disk.
 * When the disk cannot keep up, lines are dropped and counted rather than slowing the proxy.
 */
final class AccessLog implements AutoCloseable {

    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(65_536);
    private final LongAdder dropped = new LongAdder();
    private final BufferedWriter out;
    private final Thread writer;
    private volatile boolean running = true;

    AccessLog(Path file) throws IOException {
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                                           StandardOpenOption.APPEND);
        this.writer = Thread.ofPlatform().name("access-log").daemon().start(this::drain);
    }

    void log(RequestInfo info, int status, String backend, int attempts, long nanos) {
        String line = "{\"ts\":\"" + Instant.now() + "\",\"type\":\"access\",\"requestId\":\"" + info.requestId()
                      + "\",\"traceId\":\"" + info.traceId() + "\",\"client\":\"" + info.clientIp()
                      + "\",\"method\":\"" + Problems.json(info.method()) + "\",\"uri\":\"" + Problems.json(info.uri())
                      + "\",\"status\":" + status + ",\"backend\":" + (backend == null ? "null" : '"' + backend + '"')
                      + ",\"attempts\":" + attempts + ",\"ms\":" + String.format("%.3f", nanos / 1e6) + '}';
        if (!lines.offer(line)) {
            dropped.increment();
        }
    }

    long dropped() {
        return dropped.sum();
    }

    private void drain() {
        try {
            while (running || !lines.isEmpty()) {
                String line = lines.poll(200, TimeUnit.MILLISECONDS);
                if (line == null) {
                    out.flush();
                    continue;
                }
                out.write(line);
                out.newLine();
                if (lines.isEmpty()) {
                    out.flush();
                }
            }
            out.flush();
        } catch (IOException e) {
            running = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        writer.join(2_000);
    }
}
