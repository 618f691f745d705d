package dev.millions.app.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.millions.common.process.ChildProcess;
import dev.millions.common.process.Ports;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real server of the S3 protocol on loopback: S3Proxy (its jar from Maven Central, copied into
 * {@code target/s3proxy} by the build), in a process of its own, keeping objects in a temporary folder
 * and checking AWS signatures with its own key pair. A test class starts one and stops it.
 */
public final class TestS3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "millions-test";
    public static final String SECRET_KEY = "millions-test-secret";
    private static final Path JAR = Path.of("target", "s3proxy", "s3proxy.jar");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final ChildProcess process;
    private final URI endpoint;

    private TestS3Server(ChildProcess process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    public static TestS3Server start() {
        if (!Files.isReadable(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: the build copies it there in the "
                                            + "process-test-resources phase (run the tests through Maven)");
        }
        try {
            Path folder = Files.createTempDirectory("millions-s3-test-");
            Files.createDirectories(folder.resolve("objects"));
            int port = Ports.free("127.0.0.1");
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            Path properties = Files.writeString(folder.resolve("s3proxy.conf"), String.join("\n",
                    "s3proxy.endpoint=" + endpoint,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + folder.resolve("objects"), ""));
            String java = ProcessHandle.current().info().command().orElse("java");
            ChildProcess process = ChildProcess.start(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-jar",
                                                              JAR.toAbsolutePath().toString(), "--properties",
                                                              properties.toString()),
                                                      folder.resolve("s3proxy.log"), Map.of());
            awaitListening(process, port);
            return new TestS3Server(process, endpoint);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start S3Proxy", e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A client of the server, to look at the bucket from outside the app. */
    public S3Client client() {
        return S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).endpointOverride(endpoint)
                       .region(Region.US_EAST_1).forcePathStyle(true)
                       .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                       .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                       .build();
    }

    @Override
    public void close() {
        process.kill();
    }

    private static void awaitListening(ChildProcess process, int port) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.kill();
                    throw new IOException("S3Proxy did not listen on port " + port + " within " + START_TIMEOUT.toSeconds()
                                          + " s (alive: " + process.isAlive() + "); its log: "
                                          + Files.readString(process.log()));
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for S3Proxy", e);
                }
            }
        }
    }
}
