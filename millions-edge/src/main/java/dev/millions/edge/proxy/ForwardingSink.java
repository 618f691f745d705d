package dev.millions.edge.proxy;

import io.netty.handler.codec.http.HttpObject;
import io.netty.util.concurrent.Future;

/**
 * A sink that passes everything on to another, after {@link #see} has looked at each part of the
 * answer: the base of a stage that watches or rewrites an answer on its way to the client.
 */
abstract class ForwardingSink implements ResponseSink {

    private final ResponseSink next;

    ForwardingSink(ResponseSink next) {
        this.next = next;
    }

    /** Called with each part, the last one too, before it goes on; it may change the part, not replace it. */
    abstract void see(HttpObject part);

    @Override
    public void write(HttpObject part) {
        see(part);
        next.write(part);
    }

    @Override
    public Future<Void> writeAndFlush(HttpObject part) {
        see(part);
        return next.writeAndFlush(part);
    }

    @Override
    public void done(HttpObject last, int status, boolean keepAlive) {
        see(last);
        next.done(last, status, keepAlive);
    }

    @Override
    public void failed(int status, String detail, boolean requestComplete) {
        next.failed(status, detail, requestComplete);
    }

    @Override
    public void aborted(String reason) {
        next.aborted(reason);
    }
}
