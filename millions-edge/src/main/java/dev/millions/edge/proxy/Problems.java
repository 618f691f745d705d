package dev.millions.edge.proxy;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** The proxy's own answers: RFC 9457 problem documents. */
final class Problems {

    private Problems() {}

    static FullHttpResponse response(int status, String detail, String requestId) {
        HttpResponseStatus code = HttpResponseStatus.valueOf(status);
        String body = "{\"type\":\"about:blank\",\"title\":\"" + json(code.reasonPhrase()) + "\",\"status\":" + status
                      + ",\"detail\":\"" + json(detail) + '"'
                      + (requestId == null ? "" : ",\"requestId\":\"" + json(requestId) + '"') + "}";
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, code,
                Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        if (requestId != null) {
            response.headers().set("X-Request-Id", requestId);
        }
        return response;
    }

    static String json(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
