package dev.millions.edge.proxy;

import dev.millions.edge.config.EdgeConfig;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;

/** The client side pipeline: framing guard, HTTP/1.1 codec, frontend. */
final class ProxyInitializer extends ChannelInitializer<SocketChannel> {

    private final ProxyContext proxy;

    ProxyInitializer(ProxyContext proxy) {
        this.proxy = proxy;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        EdgeConfig.Limits limits = proxy.config.limits();
        FramingGuard guard = new FramingGuard(limits.maxInitialLineBytes(), limits.maxHeaderBytes(),
                                              limits.maxBodyBytes(), limits.headerTimeoutMillis(),
                                              limits.idleTimeoutMillis(), proxy.ticker);
        channel.pipeline().addLast(guard,
                                   new HttpServerCodec(limits.maxInitialLineBytes() + 1, limits.maxHeaderBytes() + 1,
                                                       65536),
                                   new FrontendHandler(proxy, guard));
    }
}
