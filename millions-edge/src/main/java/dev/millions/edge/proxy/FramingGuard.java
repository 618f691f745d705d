package dev.millions.edge.proxy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ByteProcessor;

/**
 * Reads the raw bytes of every request before Netty's decoder does, and stops any request whose
 * framing two HTTP parsers could read differently: the root of request smuggling (Linhart et al.,
 * "HTTP Request Smuggling", 2005; Kettle, "HTTP Desync Attacks", 2019). Per RFC 9112 it refuses:
 *
 * <ul>
 *   <li>Content-Length together with Transfer-Encoding (CL.TE, TE.CL): 400;</li>
 *   <li>Content-Length twice, or not a plain decimal number: 400;</li>
 *   <li>a transfer coding other than a single {@code chunked} (TE.TE variants such as {@code xchunked},
 *       {@code chunked, chunked}): 501 for an unknown coding, 400 otherwise;</li>
 *   <li>obs-fold (a header line starting with a space or tab), a bare LF, whitespace before a colon,
 *       a chunk size that is not hex: 400;</li>
 *   <li>a request line over the limit: 414; a header section over the limit: 431;</li>
 *   <li>a body over the limit, declared or streamed: 413.</li>
 * </ul>
 *
 * <p>It passes the bytes on unchanged, so the decoder sees exactly what was checked, and it follows the
 * body's framing to know where the next request's head begins. A head that does not arrive whole
 * within the header timeout ends the connection (slowloris), and so does a connection idle too long.
 */
final class FramingGuard extends ChannelInboundHandlerAdapter {

    private enum State { HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS, REFUSED }

    private static final long TICK_MILLIS = 1_000;
    private static final String CONTENT_LENGTH = "content-length";
    private static final String TRANSFER_ENCODING = "transfer-encoding";

    private final int maxInitialLine;
    private final int maxHeaderBytes;
    private final long maxBodyBytes;
    private final long headerTimeoutMillis;
    private final long idleTimeoutMillis;

    private State state = State.HEAD;
    /** A chunk-size or trailer line split across reads. */
    private final StringBuilder line = new StringBuilder();
    /** A head line split across reads, made on the first such line and released with the handler. */
    private ByteBuf partialHeadLine;
    private boolean firstLine = true;
    private int headerBytes;
    private long remaining;
    private long bodyBytes;
    private int contentLengths;
    private long contentLength;
    private String transferEncoding;
    private ScheduledFuture<?> ticker;
    /** When the head under way must be complete, or 0; and when an idle connection closes, or 0. */
    private long headDeadlineNanos;
    private long idleDeadlineNanos;
    /** The proxy's ticker (nanos), which its deadlines are read against. */
    private final LongSupplier clock;

    FramingGuard(int maxInitialLine, int maxHeaderBytes, long maxBodyBytes, long headerTimeoutMillis,
                 long idleTimeoutMillis, LongSupplier clock) {
        this.clock = clock;
        this.maxInitialLine = maxInitialLine;
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxBodyBytes = maxBodyBytes;
        this.headerTimeoutMillis = headerTimeoutMillis;
        this.idleTimeoutMillis = idleTimeoutMillis;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        idleDeadlineNanos = deadline(idleTimeoutMillis);
        // One periodic tick per connection instead of a timer per request: scheduling and cancelling
        // timers per request showed up as a tenth of the proxy's CPU.
        long period = Math.max(10, Math.min(TICK_MILLIS, headerTimeoutMillis / 4));
        ticker = ctx.executor().scheduleAtFixedRate(() -> tick(ctx), period, period, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (ticker != null) {
            ticker.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (partialHeadLine != null) {
            partialHeadLine.release();
            partialHeadLine = null;
        }
    }

    private void tick(ChannelHandlerContext ctx) {
        if (state == State.REFUSED) {
            return;
        }
        long now = clock.getAsLong();
        if (headDeadlineNanos != 0 && now - headDeadlineNanos > 0) {
            state = State.REFUSED;
            ctx.fireUserEventTriggered(new Violation(408, "request header timeout: the head did not arrive within "
                                                          + headerTimeoutMillis + " ms"));
        } else if (idleDeadlineNanos != 0 && now - idleDeadlineNanos > 0) {
            idleDeadlineNanos = 0;
            ctx.fireUserEventTriggered(IdleTimeout.INSTANCE);
        } else {
            ctx.fireUserEventTriggered(Tick.INSTANCE);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (state == State.REFUSED) {
            bytes.release();
            return;
        }
        Violation violation = scan(ctx, bytes);
        if (violation == null) {
            ctx.fireChannelRead(bytes);
            return;
        }
        bytes.release();
        state = State.REFUSED;
        ctx.fireUserEventTriggered(violation);
    }

    private Violation scan(ChannelHandlerContext ctx, ByteBuf bytes) {
        int index = bytes.readerIndex();
        int end = bytes.writerIndex();
        while (index < end) {
            switch (state) {
                case HEAD, CHUNK_SIZE, CHUNK_DATA_END, TRAILERS -> {
                    if (state == State.HEAD && line.isEmpty() && firstLine && headerBytes == 0) {
                        // The first byte of a head: from now on it must be complete within the timeout.
                        headDeadlineNanos = deadline(headerTimeoutMillis);
                        idleDeadlineNanos = 0;
                    }
                    int lf = bytes.forEachByte(index, end - index, ByteProcessor.FIND_LF);
                    int stop = lf < 0 ? end : lf;
                    Violation violation = lineSegment(ctx, bytes, index, stop, lf >= 0);
                    if (violation != null) {
                        return violation;
                    }
                    index = lf < 0 ? end : lf + 1;
                }
                case BODY, CHUNK_DATA -> {
                    int take = (int) Math.min(remaining, end - index);
                    index += take;
                    remaining -= take;
                    if (remaining == 0) {
                        state = state == State.BODY ? State.HEAD : State.CHUNK_DATA_END;
                        if (state == State.HEAD) {
                            requestDone(ctx);
                        }
                    }
                }
                case REFUSED -> {
                    return null;
                }
            }
        }
        return null;
    }

    /**
     * A piece of a line, {@code [from, to)}, and whether its LF was found. Lines are found with Netty's
     * byte search and decoded once; only a line split across reads is put together in a builder.
     */
    private Violation lineSegment(ChannelHandlerContext ctx, ByteBuf bytes, int from, int to, boolean complete) {
        int length = to - from;
        if (state == State.HEAD) {
            headerBytes += length + (complete ? 1 : 0);
            int partial = partialHeadLine == null ? 0 : partialHeadLine.readableBytes();
            if (firstLine && partial + length > maxInitialLine) {
                return new Violation(414, "request line longer than " + maxInitialLine + " bytes");
            }
            if (!firstLine && headerBytes > maxHeaderBytes + maxInitialLine) {
                return new Violation(431, "header section larger than " + maxHeaderBytes + " bytes");
            }
        } else if (line.length() + length > 4096) {
            return new Violation(400, "chunk size or trailer line longer than 4096 bytes");
        }
        if (state == State.HEAD) {
            if (!complete) {
                if (partialHeadLine == null) {
                    partialHeadLine = Unpooled.buffer(256);
                }
                partialHeadLine.writeBytes(bytes, from, length);
                return null;
            }
            if (partialHeadLine == null || !partialHeadLine.isReadable()) {
                return headLine(ctx, bytes, from, to);
            }
            // A line split across reads: put together, then checked like any other.
            partialHeadLine.writeBytes(bytes, from, length);
            Violation violation = headLine(ctx, partialHeadLine, partialHeadLine.readerIndex(),
                                           partialHeadLine.writerIndex());
            partialHeadLine.clear();
            return violation;
        }
        if (!complete) {
            line.append(bytes.toString(from, length, StandardCharsets.ISO_8859_1));
            return null;
        }
        String text;
        if (line.isEmpty()) {
            text = bytes.toString(from, length, StandardCharsets.ISO_8859_1);
        } else {
            text = line.append(bytes.toString(from, length, StandardCharsets.ISO_8859_1)).toString();
            line.setLength(0);
        }
        int cr = text.indexOf('\r');
        if (cr < 0 || cr != text.length() - 1) {
            return new Violation(400, cr < 0 ? "bare LF in the chunked body (expected CRLF)"
                                             : "bare CR in the chunked body");
        }
        return lineEnd(ctx, text.substring(0, text.length() - 1));
    }

    private Violation lineEnd(ChannelHandlerContext ctx, String text) {
        return switch (state) {
            case CHUNK_SIZE -> chunkSize(text);
            case CHUNK_DATA_END -> {
                if (!text.isEmpty()) {
                    yield new Violation(400, "chunk data longer than its declared size");
                }
                state = State.CHUNK_SIZE;
                yield null;
            }
            case TRAILERS -> {
                if (text.isEmpty()) {
                    state = State.HEAD;
                    requestDone(ctx);
                }
                yield null;
            }
            default -> null;
        };
    }

    /**
     * A whole head line still in the buffer, {@code [from, to)} without its LF: checked on the bytes, so
     * that only the two framing headers are ever decoded to strings.
     */
    private Violation headLine(ChannelHandlerContext ctx, ByteBuf bytes, int from, int to) {
        int cr = bytes.forEachByte(from, to - from, ByteProcessor.FIND_CR);
        if (cr != to - 1) {
            return new Violation(400, cr < 0 ? "bare LF in the head (expected CRLF)" : "bare CR in the head");
        }
        int end = to - 1;
        if (firstLine) {
            if (end == from) {
                headerBytes = 0; // RFC 9112 2.2: a server should ignore empty lines before a request line.
            } else {
                firstLine = false;
            }
            return null;
        }
        if (end == from) {
            return headEnd(ctx);
        }
        byte first = bytes.getByte(from);
        if (first == ' ' || first == '\t') {
            return new Violation(400, "obs-fold: a header line starts with whitespace (RFC 9112 5.2)");
        }
        int colon = bytes.indexOf(from, end, (byte) ':');
        if (colon < 0) {
            return new Violation(400, "malformed header line (expected NAME: VALUE)");
        }
        if (bytes.forEachByte(from, colon - from, ByteProcessor.FIND_LINEAR_WHITESPACE) >= 0) {
            return new Violation(400, "whitespace in or before the colon of header '"
                                      + bytes.toString(from, colon - from, StandardCharsets.ISO_8859_1).strip() + "'");
        }
        int nameLength = colon - from;
        if (nameLength != CONTENT_LENGTH.length() && nameLength != TRANSFER_ENCODING.length()) {
            return null;
        }
        String name = bytes.toString(from, nameLength, StandardCharsets.ISO_8859_1);
        if (!name.equalsIgnoreCase(CONTENT_LENGTH) && !name.equalsIgnoreCase(TRANSFER_ENCODING)) {
            return null;
        }
        return framingHeader(name, bytes.toString(colon + 1, end - colon - 1, StandardCharsets.ISO_8859_1).strip());
    }

    private Violation framingHeader(String name, String value) {
        if (name.equalsIgnoreCase(CONTENT_LENGTH)) {
            contentLengths++;
            if (contentLengths > 1) {
                return new Violation(400, "Content-Length appears more than once");
            }
            if (!FramingRules.isDecimal(value)) {
                return new Violation(400, "invalid Content-Length '" + value + "' (expected a decimal number)");
            }
            contentLength = Long.parseLong(value);
        } else if (name.equalsIgnoreCase(TRANSFER_ENCODING)) {
            transferEncoding = transferEncoding == null ? value : transferEncoding + ", " + value;
        }
        return null;
    }

    private Violation headEnd(ChannelHandlerContext ctx) {
        Violation violation = FramingRules.check(transferEncoding, contentLengths, contentLength, maxBodyBytes);
        String encoding = transferEncoding;
        int lengths = contentLengths;
        long length = contentLength;
        firstLine = true;
        headerBytes = 0;
        contentLengths = 0;
        contentLength = 0;
        transferEncoding = null;
        bodyBytes = 0;
        if (violation != null) {
            return violation;
        }
        headDeadlineNanos = 0;
        if (encoding != null) {
            state = State.CHUNK_SIZE;
        } else if (lengths == 1 && length > 0) {
            state = State.BODY;
            remaining = length;
        } else {
            requestDone(ctx);
        }
        return null;
    }

    private Violation chunkSize(String text) {
        int semicolon = text.indexOf(';');
        String size = (semicolon >= 0 ? text.substring(0, semicolon) : text);
        if (!size.matches("[0-9A-Fa-f]{1,15}")) {
            return new Violation(400, "invalid chunk size '" + size + "'");
        }
        long chunk = Long.parseLong(size, 16);
        bodyBytes += chunk;
        if (bodyBytes > maxBodyBytes) {
            return new Violation(413, "chunked body over the limit of " + maxBodyBytes + " bytes");
        }
        if (chunk == 0) {
            state = State.TRAILERS;
        } else {
            state = State.CHUNK_DATA;
            remaining = chunk;
        }
        return null;
    }

    private void requestDone(ChannelHandlerContext ctx) {
        idleDeadlineNanos = deadline(idleTimeoutMillis);
    }

    /** The frontend finished a response: the connection's idle time starts again. */
    void responseDone(ChannelHandlerContext ctx) {
        if (state == State.HEAD && firstLine && headerBytes == 0) {
            idleDeadlineNanos = deadline(idleTimeoutMillis);
        }
    }

    private long deadline(long millis) {
        long deadline = clock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(millis);
        return millis <= 0 ? 0 : deadline == 0 ? 1 : deadline;
    }

    /** The connection saw no request for the idle timeout: the frontend closes it if nothing is under way. */
    enum IdleTimeout { INSTANCE }

    /** A periodic tick, for the frontend to check its own deadlines. */
    enum Tick { INSTANCE }
}
