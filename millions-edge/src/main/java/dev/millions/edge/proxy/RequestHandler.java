package dev.millions.edge.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;

/**
 * A stage of the edge's chain: given a request, it answers into the call's sink. Forwarding to a
 * backend group ({@link Forwarder}) is one; a cache stage wraps one, looking up before it forwards,
 * copying the answer while it streams, letting several clients wait on one fetch, or serving a stored
 * copy when the backend fails. The {@link RouteTable} picks the stage for a request.
 */
interface RequestHandler {

    /** A handling of {@code call}, not started yet. */
    Handling handle(Call call);

    /**
     * One request on one client connection.
     *
     * @param client the client's connection, read from only when the handling asks for more of the body
     * @param pool this event loop's backend connections
     */
    record Call(ChannelHandlerContext client, BackendPool pool, HttpRequest request, RequestInfo info,
                ResponseSink sink) {}

    /** A request being handled: its body arrives here, and its client may go away. */
    interface Handling {

        void start();

        /** A part of the request's body; the handling writes it on or releases it. */
        void onRequestContent(HttpContent part);

        /** Whether reading more of the request must wait: its body is not yet all passed on. */
        boolean holdsBackBody();

        /** Called on the connection's periodic tick, with the proxy's ticker. */
        void checkDeadline(long nowNanos);

        /** The client went away. */
        void abort();

        /** The backend that answered (or last tried), for the access log; {@code null} when none. */
        String upstream();

        int attempts();
    }
}
