package dev.millions.ops.logs;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One log file, read a whole line at a time: a line still being written is kept back until its newline
 * comes, so that following a log never prints half a line. A line without a time of its own (a stack
 * trace's) takes the time of the line before it.
 */
final class LogSource implements Closeable {

    private final String node;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private Instant lastTime = Instant.EPOCH;

    private LogSource(String node, FileChannel channel) {
        this.node = node;
        this.channel = channel;
        buffer.flip(); // nothing read yet
    }

    static LogSource open(String node, Path file) throws IOException {
        return new LogSource(node, FileChannel.open(file, StandardOpenOption.READ));
    }

    String node() {
        return node;
    }

    /** The next whole line, or {@code null} when there is none yet. */
    LogEntry next() throws IOException {
        while (true) {
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    String line = partial.toString(StandardCharsets.UTF_8);
                    partial.reset();
                    lastTime = LogTime.of(line).orElse(lastTime);
                    return new LogEntry(lastTime, node, line);
                }
                partial.write(b);
            }
            buffer.clear();
            int read = channel.read(buffer);
            buffer.flip();
            if (read <= 0) {
                return null;
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
