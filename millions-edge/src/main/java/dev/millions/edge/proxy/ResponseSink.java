package dev.millions.edge.proxy;

import io.netty.handler.codec.http.HttpObject;
import io.netty.util.concurrent.Future;

/**
 * Where an answer goes: the client's connection ({@link FrontendHandler}), or a stage in front of it
 * that also wants the answer (a cache copying it into storage while it streams, one fetch answering
 * several waiting clients). Each part handed over is the sink's to write or release.
 */
interface ResponseSink {

    /** Writes a part of the answer (not its last) without flushing. */
    void write(HttpObject part);

    /** Writes a part of the answer (not its last) and flushes; the future says when the client took it. */
    Future<Void> writeAndFlush(HttpObject part);

    /** The answer is complete: {@code last} is its last part. */
    void done(HttpObject last, int status, boolean keepAlive);

    /** The handling ended before any part of an answer was written: answer {@code status} for it. */
    void failed(int status, String detail, boolean requestComplete);

    /** The answer broke off after parts of it were written: the client can only learn it from a close. */
    void aborted(String reason);
}
