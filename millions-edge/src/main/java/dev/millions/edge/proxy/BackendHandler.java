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
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {

    private static final AttributeKey<Exchange> OWNER = AttributeKey.valueOf("millions.exchange");
    private static final AttributeKey<Long> IDLE_SINCE = AttributeKey.valueOf("millions.idleSince");

    static void own(Channel channel, Exchange exchange) {
        channel.attr(OWNER).set(exchange);
    }

    static void disown(Channel channel) {
        channel.attr(OWNER).set(null);
    }

    static void idleSince(Channel channel, long nanos) {
        channel.attr(IDLE_SINCE).set(nanos);
    }

    static long idleSince(Channel channel) {
        Long since = channel.attr(IDLE_SINCE).get();
        return since == null ? 0 : since;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Exchange exchange = ctx.channel().attr(OWNER).get();
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
        if (ctx.channel().attr(OWNER).get() == null) {
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Exchange exchange = ctx.channel().attr(OWNER).get();
        if (exchange != null) {
            exchange.onBackendFailure(ctx.channel(), "connection closed by the backend");
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Exchange exchange = ctx.channel().attr(OWNER).get();
        if (exchange != null) {
            exchange.onBackendFailure(ctx.channel(), cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
        ctx.close();
    }
}
