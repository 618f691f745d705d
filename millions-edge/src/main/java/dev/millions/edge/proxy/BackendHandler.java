package dev.millions.edge.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

/**
 * The backend side of a connection: hands each response part to the exchange that owns the connection
 * now, and tells it when the connection fails. A part that arrives with no owner (a backend talking
 * out of turn on an idle connection) is dropped and the connection closed.
 *
 * <p>It also holds the connection's place in {@link BackendPool}: owned by one exchange, idle in the
 * pool, or neither. Confined to the connection's event loop.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {

    /** The exchange that owns the connection now, or {@code null}. */
    private Exchange owner;
    private boolean pooled;
    private long idleSince;

    /** Kept as an attribute, not looked up in the pipeline, which is emptied once the channel closes. */
    private static final AttributeKey<BackendHandler> KEY = AttributeKey.valueOf(BackendHandler.class, "handler");

    /** A new handler, bound to {@code channel} so that {@link #of} finds it for the channel's whole life. */
    static BackendHandler bind(Channel channel) {
        BackendHandler handler = new BackendHandler();
        channel.attr(KEY).set(handler);
        return handler;
    }

    static BackendHandler of(Channel channel) {
        return channel.attr(KEY).get();
    }

    /** Hands the connection to {@code exchange}; a connection that is pooled or owned is a bug. */
    void own(Exchange exchange) {
        if (owner != null || pooled) {
            throw new IllegalStateException("a backend connection handed to a second owner while "
                                            + (pooled ? "idle in the pool" : "owned by another exchange"));
        }
        owner = exchange;
    }

    /** Ends {@code exchange}'s ownership; false, changing nothing, when it is not the owner. */
    boolean disown(Exchange exchange) {
        if (owner != exchange || exchange == null) {
            return false;
        }
        owner = null;
        return true;
    }

    void enterPool(long nowNanos) {
        pooled = true;
        idleSince = nowNanos;
    }

    /** Takes the connection out of the pool's books; true when it was there. */
    boolean leavePool() {
        boolean was = pooled;
        pooled = false;
        return was;
    }

    long idleSince() {
        return idleSince;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Exchange exchange = owner;
        if (exchange == null || !(msg instanceof HttpObject part)) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        exchange.onResponsePart(part);
    }

    /**
     * An idle pooled connection keeps reading: a byte from the backend there is a protocol error that
     * closes it, a close is seen at once, and the socket's read interest stays set for the next request.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (owner == null) {
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Exchange exchange = owner;
        if (exchange != null) {
            exchange.onBackendFailure(ctx.channel(), "connection closed by the backend");
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Exchange exchange = owner;
        if (exchange != null) {
            exchange.onBackendFailure(ctx.channel(), cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
        ctx.close();
    }
}
