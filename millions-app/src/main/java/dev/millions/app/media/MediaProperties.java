package dev.millions.app.media;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Where photos are kept and what is accepted.
 *
 * @param store where photos are kept: {@code database} (the default) or {@code s3}
 * @param s3 the bucket, with {@code store: s3}
 * @param maxBytes the largest upload accepted
 * @param maxWidth the widest image accepted, in pixels
 * @param maxHeight the tallest image accepted, in pixels
 */
@ConfigurationProperties("millions.media")
public record MediaProperties(Store store, S3 s3, DataSize maxBytes, int maxWidth, int maxHeight) {

    public enum Store { DATABASE, S3 }

    public MediaProperties {
        store = store == null ? Store.DATABASE : store;
        if (store == Store.S3 && s3 == null) {
            throw new IllegalArgumentException("millions.media.s3: missing (expected: endpoint, bucket, access-key and "
                                               + "secret-key with millions.media.store=s3)");
        }
        if (maxBytes == null || maxBytes.toBytes() <= 0) {
            throw new IllegalArgumentException("millions.media.max-bytes: " + maxBytes + " (expected: > 0)");
        }
        if (maxWidth <= 0 || maxHeight <= 0) {
            throw new IllegalArgumentException("millions.media.max-width/max-height: " + maxWidth + 'x' + maxHeight
                                               + " (expected: > 0)");
        }
    }

    /**
     * An S3-compatible bucket.
     *
     * @param endpoint the server's URL, e.g. {@code https://s3.eu-west-1.amazonaws.com} or {@code http://127.0.0.1:9000}
     * @param region the region the SDK signs for ({@code us-east-1} by default; other servers ignore it)
     * @param bucket the bucket, created when missing
     * @param accessKey the access key id
     * @param secretKey the secret access key
     * @param pathStyle whether the bucket goes in the path rather than the host name (true by default, as
     *                  servers other than AWS expect)
     */
    public record S3(URI endpoint, String region, String bucket, String accessKey, String secretKey, Boolean pathStyle) {

        public S3 {
            require("endpoint", endpoint);
            require("bucket", bucket);
            require("access-key", accessKey);
            require("secret-key", secretKey);
            region = region == null || region.isBlank() ? "us-east-1" : region;
            pathStyle = pathStyle == null || pathStyle;
        }

        private static void require(String name, Object value) {
            if (value == null || value.toString().isBlank()) {
                throw new IllegalArgumentException("millions.media.s3." + name + ": missing (expected: a value with "
                                                   + "millions.media.store=s3)");
            }
        }
    }
}
