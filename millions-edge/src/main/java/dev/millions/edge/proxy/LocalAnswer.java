package dev.millions.edge.proxy;

import io.netty.handler.codec.http.HttpContent;

/**
 * A handling that answers from the edge itself in {@link #start()}: a refusal, or a stored copy (a
 * cache hit). It reaches no backend, so it has no deadline and no upstream, and releases whatever body
 * the request still sends.
 */
abstract class LocalAnswer implements RequestHandler.Handling {

    @Override
    public void onRequestContent(HttpContent part) {
        part.release();
    }

    @Override
    public boolean holdsBackBody() {
        return false;
    }

    @Override
    public void checkDeadline(long nowNanos) {}

    @Override
    public void abort() {}

    @Override
    public String upstream() {
        return null;
    }

    @Override
    public int attempts() {
        return 0;
    }
}
