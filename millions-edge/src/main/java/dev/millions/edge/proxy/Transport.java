package dev.millions.edge.proxy;

import java.util.Locale;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

/**
 * The socket layer under the proxy: io_uring where the kernel allows it, else native epoll, else NIO.
 *
 * <p>io_uring first because the proxy's work per request is mostly system calls (a read and a write on
 * each side): io_uring submits and reaps them in batches, one {@code io_uring_enter} per loop turn, where
 * epoll costs a call each. Measured by {@code millions bench lb} on this project's 2-core machine: epoll
 * 0.87x HAProxy's throughput, io_uring 1.04x. Containers often forbid io_uring (Docker's default seccomp
 * profile does), hence the fallbacks; {@code -Dmillions.edge.transport=io_uring|epoll|nio} picks one.
 */
enum Transport {

    IO_URING(IoUringServerSocketChannel.class, IoUringSocketChannel.class),
    EPOLL(EpollServerSocketChannel.class, EpollSocketChannel.class),
    NIO(NioServerSocketChannel.class, NioSocketChannel.class);

    static final String PROPERTY = "millions.edge.transport";

    final Class<? extends ServerSocketChannel> serverChannel;
    final Class<? extends Channel> clientChannel;

    Transport(Class<? extends ServerSocketChannel> serverChannel, Class<? extends Channel> clientChannel) {
        this.serverChannel = serverChannel;
        this.clientChannel = clientChannel;
    }

    /** The one the system property names, else the fastest this platform has. */
    static Transport choose() {
        String named = System.getProperty(PROPERTY, "auto").strip().toLowerCase(Locale.ROOT);
        return switch (named) {
            case "auto" -> IoUring.isAvailable() ? IO_URING : Epoll.isAvailable() ? EPOLL : NIO;
            case "io_uring" -> require(IO_URING, IoUring.isAvailable(), IoUring.unavailabilityCause());
            case "epoll" -> require(EPOLL, Epoll.isAvailable(), Epoll.unavailabilityCause());
            case "nio" -> NIO;
            default -> throw new IllegalArgumentException(PROPERTY + ": " + named
                                                          + " (expected: auto, io_uring, epoll or nio)");
        };
    }

    private static Transport require(Transport transport, boolean available, Throwable cause) {
        if (!available) {
            throw new IllegalStateException(PROPERTY + ": " + transport.label() + " is not available here: " + cause,
                                            cause);
        }
        return transport;
    }

    EventLoopGroup group(int threads) {
        IoHandlerFactory handler = switch (this) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
        return new MultiThreadIoEventLoopGroup(threads, handler);
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
