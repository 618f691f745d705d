package dev.millions.app.media;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Photos as objects of an S3-compatible bucket (AWS S3, or a server of the same protocol such as MinIO
 * or S3Proxy), shared by every web node that names the same bucket. Checksums are sent only where the
 * protocol requires them: the SDK's default trailing checksums are an AWS extension that other servers
 * of the protocol refuse.
 */
final class S3MediaStore implements MediaStore, AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(S3MediaStore.class);

    private final S3Client s3;
    private final String bucket;

    S3MediaStore(MediaProperties.S3 settings) {
        this.bucket = settings.bucket();
        this.s3 = S3Client.builder()
                          .httpClientBuilder(UrlConnectionHttpClient.builder())
                          .endpointOverride(settings.endpoint())
                          .region(Region.of(settings.region()))
                          .forcePathStyle(settings.pathStyle())
                          .credentialsProvider(StaticCredentialsProvider.create(
                                  AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())))
                          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                          .build();
        createBucketIfMissing(settings);
    }

    @Override
    public String store(byte[] bytes, ImageType type) {
        String name = MediaStore.nameOf(bytes, type);
        s3.putObject(put -> put.bucket(bucket).key(name).contentType(type.contentType()), RequestBody.fromBytes(bytes));
        return name;
    }

    @Override
    public Optional<byte[]> load(String name) {
        try {
            return Optional.of(s3.getObjectAsBytes(get -> get.bucket(bucket).key(name)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    /** Fails the start, with the endpoint and the cause, when the bucket cannot be reached or made. */
    private void createBucketIfMissing(MediaProperties.S3 settings) {
        try {
            try {
                s3.headBucket(head -> head.bucket(bucket));
            } catch (NoSuchBucketException e) {
                s3.createBucket(create -> create.bucket(bucket));
                logger.info("created the media bucket {} at {}", bucket, settings.endpoint());
            }
        } catch (SdkException e) {
            s3.close();
            throw new IllegalStateException("cannot use the media bucket '" + bucket + "' at " + settings.endpoint()
                                            + ": " + e.getMessage(), e);
        }
    }
}
