package dev.millions.bench.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The latency fault: the relay passes bytes both ways, holding the node's answers when told to. */
class DelayRelayTest {

    @Test
    void relay_passesBytesBothWays_andHoldsAnswersForTheDelay() throws IOException {
        try (ServerSocket echo = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket socket = echo.accept()) {
                    socket.getInputStream().transferTo(socket.getOutputStream());
                } catch (IOException e) {
                    // The test closed its side.
                }
            });
            try (DelayRelay relay = DelayRelay.start(new java.net.InetSocketAddress(echo.getInetAddress(),
                                                                                    echo.getLocalPort()));
                 Socket client = new Socket(relay.address().getAddress(), relay.address().getPort())) {
                OutputStream out = client.getOutputStream();
                InputStream in = client.getInputStream();

                out.write('a');
                assertThat(in.read()).isEqualTo('a');

                relay.delay(Duration.ofMillis(300));
                long start = System.nanoTime();
                out.write('b');
                assertThat(in.read()).isEqualTo('b');
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            }
        }
    }
}
