package dev.millions.edge.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;

/**
 * The backend side of a connection: hands each response part to the exchange that owns the connection
 * now, and tells it when the connection fails. A part that arrives with no owner (a backend talking
 * out of turn on an idle connection) is dropped and the connection closed.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {

    /** The exchange that owns the connection now, or {@code null} while it idles in the pool. */
    private Exchange owner;
    private long idleSince;

    /** The handler is the last in a backend pipeline: reaching it costs no search. */
    private static BackendHandler of(Channel channel) {
        return (BackendHandler) channel.pipeline().last();
    }

    static void own(Channel channel, Exchange exchange) {
        of(channel).owner = exchange;
    }

    static void disown(Channel channel) {
        BackendHandler handler = of(channel);
        if (handler != null) {
            handler.owner = null;
        }
    }

    static void idleSince(Channel channel, long nanos) {
        of(channel).idleSince = nanos;
    }

    static long idleSince(Channel channel) {
        BackendHandler handler = of(channel);
        return handler == null ? 0 : handler.idleSince;
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
