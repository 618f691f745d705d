package dev.millions.edge.proxy;

import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

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

    private final int maxInitialLine;
    private final int maxHeaderBytes;
    private final long maxBodyBytes;
    private final long headerTimeoutMillis;
    private final long idleTimeoutMillis;

    private State state = State.HEAD;
    private final StringBuilder line = new StringBuilder();
    private boolean lastWasCr;
    private boolean firstLine = true;
    private int headerBytes;
    private long remaining;
    private long bodyBytes;
    private int contentLengths;
    private long contentLength;
    private String transferEncoding;
    private ScheduledFuture<?> timer;

    FramingGuard(int maxInitialLine, int maxHeaderBytes, long maxBodyBytes, long headerTimeoutMillis,
                 long idleTimeoutMillis) {
        this.maxInitialLine = maxInitialLine;
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxBodyBytes = maxBodyBytes;
        this.headerTimeoutMillis = headerTimeoutMillis;
        this.idleTimeoutMillis = idleTimeoutMillis;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        schedule(ctx, idleTimeoutMillis, null);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
        ctx.fireChannelInactive();
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
        cancelTimer();
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
                        schedule(ctx, headerTimeoutMillis, new Violation(408, "request header timeout: the head "
                                                                              + "did not arrive within "
                                                                              + headerTimeoutMillis + " ms"));
                    }
                    byte b = bytes.getByte(index++);
                    Violation violation = lineByte(ctx, b);
                    if (violation != null) {
                        return violation;
                    }
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

    private Violation lineByte(ChannelHandlerContext ctx, byte b) {
        if (state == State.HEAD) {
            headerBytes++;
            if (firstLine && line.length() >= maxInitialLine) {
                return new Violation(414, "request line longer than " + maxInitialLine + " bytes");
            }
            if (!firstLine && headerBytes > maxHeaderBytes + maxInitialLine) {
                return new Violation(431, "header section larger than " + maxHeaderBytes + " bytes");
            }
        } else if (line.length() > 4096) {
            return new Violation(400, "chunk size or trailer line longer than 4096 bytes");
        }
        if (b == '\n') {
            if (!lastWasCr) {
                return new Violation(400, "bare LF in the " + (state == State.HEAD ? "head" : "chunked body")
                                          + " (expected CRLF)");
            }
            lastWasCr = false;
            String text = line.toString();
            line.setLength(0);
            return lineEnd(ctx, text);
        }
        if (lastWasCr) {
            return new Violation(400, "bare CR in the " + (state == State.HEAD ? "head" : "chunked body"));
        }
        if (b == '\r') {
            lastWasCr = true;
        } else {
            line.append((char) (b & 0xff));
        }
        return null;
    }

    private Violation lineEnd(ChannelHandlerContext ctx, String text) {
        return switch (state) {
            case HEAD -> headLine(ctx, text);
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

    private Violation headLine(ChannelHandlerContext ctx, String text) {
        if (firstLine) {
            if (text.isEmpty()) {
                headerBytes = 0; // RFC 9112 2.2: a server should ignore empty lines before a request line.
                return null;
            }
            firstLine = false;
            return null;
        }
        if (text.isEmpty()) {
            return headEnd(ctx);
        }
        char first = text.charAt(0);
        if (first == ' ' || first == '\t') {
            return new Violation(400, "obs-fold: a header line starts with whitespace (RFC 9112 5.2)");
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            return new Violation(400, "malformed header line (expected NAME: VALUE)");
        }
        String name = text.substring(0, colon);
        if (name.indexOf(' ') >= 0 || name.indexOf('\t') >= 0) {
            return new Violation(400, "whitespace in or before the colon of header '" + name.strip() + "'");
        }
        String value = text.substring(colon + 1).strip();
        if (name.equalsIgnoreCase("content-length")) {
            contentLengths++;
            if (contentLengths > 1) {
                return new Violation(400, "Content-Length appears more than once");
            }
            if (!value.matches("[0-9]{1,18}")) {
                return new Violation(400, "invalid Content-Length '" + value + "' (expected a decimal number)");
            }
            contentLength = Long.parseLong(value);
        } else if (name.equalsIgnoreCase("transfer-encoding")) {
            transferEncoding = transferEncoding == null ? value : transferEncoding + ", " + value;
        }
        return null;
    }

    private Violation headEnd(ChannelHandlerContext ctx) {
        Violation violation = checkFraming();
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
        cancelTimer();
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

    private Violation checkFraming() {
        if (transferEncoding != null && contentLengths > 0) {
            return new Violation(400, "both Content-Length and Transfer-Encoding (a request smuggling pattern)");
        }
        if (transferEncoding != null) {
            String[] codings = transferEncoding.toLowerCase(Locale.ROOT).split(",");
            for (int i = 0; i < codings.length; i++) {
                String coding = codings[i].strip();
                if (!coding.equals("chunked")) {
                    return new Violation(coding.matches("gzip|deflate|compress|x-gzip|x-compress|identity") ? 400 : 501,
                                         "unsupported transfer coding '" + coding
                                         + "' (only a single 'chunked' is accepted)");
                }
                if (i != codings.length - 1 || codings.length > 1) {
                    return new Violation(400, "'chunked' given more than once in Transfer-Encoding");
                }
            }
        }
        if (contentLengths == 1 && contentLength > maxBodyBytes) {
            return new Violation(413, "body of " + contentLength + " bytes is over the limit of " + maxBodyBytes);
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
        schedule(ctx, idleTimeoutMillis, null);
    }

    /** The frontend finished a response: the connection's idle time starts again. */
    void responseDone(ChannelHandlerContext ctx) {
        if (state == State.HEAD && firstLine && headerBytes == 0) {
            schedule(ctx, idleTimeoutMillis, null);
        }
    }

    /** Arms the one timer: a violation to report, or {@code null} to just close an idle connection. */
    private void schedule(ChannelHandlerContext ctx, long millis, Violation onExpiry) {
        cancelTimer();
        if (millis <= 0) {
            return;
        }
        timer = ctx.executor().schedule(() -> {
            if (state == State.REFUSED) {
                return;
            }
            if (onExpiry == null) {
                ctx.fireUserEventTriggered(IdleTimeout.INSTANCE);
            } else {
                state = State.REFUSED;
                ctx.fireUserEventTriggered(onExpiry);
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** The connection saw no request for the idle timeout: the frontend closes it if nothing is under way. */
    enum IdleTimeout { INSTANCE }
}
