package dev.millions.edge.proxy;

import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;

/**
 * An origin group with a backup, as CloudFront's origin groups: a GET, HEAD or OPTIONS without a body
 * that the primary group fails (no backend reachable, a reset, a timeout, or an answer with one of the
 * failover statuses) goes to the backup group at once, before any byte reached the client. Within a
 * group, the forwarder's own retry already tried another backend; active health checks take a dead
 * origin out of the choice within a few of their intervals, so later requests go straight to the backup.
 */
final class OriginFailover implements RequestHandler {

    private static final Set<Integer> FORWARDER_FAILURES = Set.of(502, 503, 504);

    private final RequestHandler primary;
    private final RequestHandler backup;
    private final Set<Integer> failoverStatuses;
    private final LongAdder failovers;

    OriginFailover(RequestHandler primary, RequestHandler backup, Set<Integer> failoverStatuses, LongAdder failovers) {
        this.primary = primary;
        this.backup = backup;
        this.failoverStatuses = failoverStatuses;
        this.failovers = failovers;
    }

    @Override
    public Handling handle(Call call) {
        HttpRequest request = call.request();
        HttpMethod method = request.method();
        boolean safe = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD) || method.equals(HttpMethod.OPTIONS);
        boolean bodiless = !HttpUtil.isTransferEncodingChunked(request) && HttpUtil.getContentLength(request, 0L) == 0;
        return safe && bodiless ? new Attempt(call) : primary.handle(call);
    }

    /** A request on the primary group, ready to move to the backup; answers reach the client through it. */
    private final class Attempt implements Handling, ResponseSink {

        private final Call call;
        private Handling current;
        private boolean onBackup;
        private boolean discarding;
        private boolean requestComplete;

        Attempt(Call call) {
            this.call = call;
            this.current = primary.handle(new Call(call.client(), call.pool(), call.request(), call.info(), this));
        }

        @Override
        public void start() {
            current.start();
        }

        @Override
        public void onRequestContent(HttpContent part) {
            if (part instanceof LastHttpContent) {
                requestComplete = true;
            }
            current.onRequestContent(part);
        }

        @Override
        public boolean holdsBackBody() {
            return current.holdsBackBody();
        }

        @Override
        public void checkDeadline(long nowNanos) {
            current.checkDeadline(nowNanos);
        }

        @Override
        public void abort() {
            current.abort();
        }

        @Override
        public String upstream() {
            return current.upstream();
        }

        @Override
        public int attempts() {
            return current.attempts();
        }

        @Override
        public void write(HttpObject part) {
            if (!discard(part)) {
                call.sink().write(part);
            }
        }

        @Override
        public Future<Void> writeAndFlush(HttpObject part) {
            if (discard(part)) {
                return call.client().executor().newSucceededFuture(null);
            }
            return call.sink().writeAndFlush(part);
        }

        /** Whether {@code part} belongs to a primary's answer that the backup replaces; if so, it is released. */
        private boolean discard(HttpObject part) {
            if (!onBackup && part instanceof HttpResponse response && failoverStatuses.contains(response.status().code())) {
                discarding = true;
            }
            if (discarding) {
                ReferenceCountUtil.release(part);
            }
            return discarding;
        }

        @Override
        public void done(HttpObject last, int status, boolean keepAlive) {
            if (discard(last)) {
                toBackup();
                return;
            }
            call.sink().done(last, status, keepAlive);
        }

        @Override
        public void failed(int status, String detail, boolean complete) {
            if (!onBackup && FORWARDER_FAILURES.contains(status)) {
                toBackup();
                return;
            }
            call.sink().failed(status, detail, complete);
        }

        @Override
        public void aborted(String reason) {
            call.sink().aborted(reason);
        }

        private void toBackup() {
            failovers.increment();
            onBackup = true;
            discarding = false;
            current = backup.handle(new Call(call.client(), call.pool(), call.request(), call.info(), this));
            if (requestComplete) {
                current.onRequestContent(LastHttpContent.EMPTY_LAST_CONTENT);
            }
            current.start();
        }
    }
}
