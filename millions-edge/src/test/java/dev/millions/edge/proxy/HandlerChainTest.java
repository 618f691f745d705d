package dev.millions.edge.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.millions.edge.testing.LeakCheck;
import dev.millions.edge.testing.Proxies;
import dev.millions.edge.testing.TestBackend;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The edge's handler seam, as a cache stage will use it: a stage that answers from its own store
 * without forwarding, a stage that copies the answer while it streams to the client, the route table
 * choosing between them, and a request no route takes. Leak detection at PARANOID throughout.
 */
class HandlerChainTest {

    static {
        LeakCheck.install();
    }

    static TestBackend backend;
    static ProxyServer proxy;
    static final ByteArrayOutputStream copied = new ByteArrayOutputStream();
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start("origin", 0);
        proxy = ProxyServer.start(Proxies.config("round-robin", List.of(backend)), System::nanoTime,
                                  forwarder -> RouteTable.builder().route(null, "/stored", HandlerChainTest::stored)
                                                         .route(null, "/big", copying(forwarder))
                                                         .route(null, "/id", forwarder).build());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        proxy.close();
        backend.close();
        assertThat(LeakCheck.leaks()).isEmpty();
    }

    @Test
    void storedAnswer_isServedByItsStage_withoutReachingTheBackend() throws Exception {
        int before = backend.requests();

        HttpResponse<String> response = get("/stored/page.html");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("from the store");
        assertThat(backend.requests()).isEqualTo(before);
    }

    @Test
    void copyingStage_seesEveryByteOfAStreamedAnswer_asTheClientDoes() throws Exception {
        copied.reset();

        HttpResponse<byte[]> response = http.send(request("/big?bytes=300000").build(),
                                                  HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).hasSize(300_000);
        synchronized (copied) {
            assertThat(copied.toByteArray()).isEqualTo(response.body());
        }
    }

    @Test
    void forwardingRoute_andNoRoute() throws Exception {
        assertThat(get("/id").body()).isEqualTo("origin");

        HttpResponse<String> none = get("/elsewhere");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(none.body()).contains("no route for /elsewhere");
    }

    /** A lookup that hits: the answer comes from the stage, and the request's body is released. */
    private static RequestHandler.Handling stored(RequestHandler.Call call) {
        return new LocalAnswer() {
            @Override
            public void start() {
                FullHttpResponse answer = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.copiedBuffer("from the store", StandardCharsets.UTF_8));
                answer.headers().set(HttpHeaderNames.CONTENT_LENGTH, answer.content().readableBytes());
                call.sink().done(answer, 200, call.info().keepAlive());
            }
        };
    }

    /** Forwards through {@code next}, copying each part of the answer before the client gets it. */
    private static RequestHandler copying(RequestHandler next) {
        return call -> {
            ResponseSink tee = new ForwardingSink(call.sink()) {
                @Override
                void see(HttpObject part) {
                    copy(part);
                }
            };
            return next.handle(new RequestHandler.Call(call.client(), call.pool(), call.request(), call.info(), tee));
        };
    }

    private static void copy(HttpObject part) {
        if (part instanceof HttpContent content) {
            byte[] bytes = new byte[content.content().readableBytes()];
            content.content().getBytes(content.content().readerIndex(), bytes);
            synchronized (copied) {
                copied.writeBytes(bytes);
            }
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.address().getPort() + path));
    }
}
