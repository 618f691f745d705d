package dev.millions.app.media;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Where photos are kept, readable by every web node wherever it runs: in the database by default
 * ({@link DatabaseMediaStore}, so streaming replication copies them to every replica and a failover
 * keeps them), or in an S3-compatible bucket ({@link S3MediaStore}). A photo is named by the SHA-256 of
 * its bytes: the same photo is stored once, and a name never changes meaning, so the CDN may cache it
 * forever and storing it twice is harmless.
 */
public interface MediaStore {

    /** Stores the bytes, if not already there, and returns their name. */
    String store(byte[] bytes, ImageType type);

    /** The bytes named {@code name}, or empty when the store has no such photo. */
    Optional<byte[]> load(String name);

    /** A photo's name: the hex SHA-256 of its bytes and the type's extension. */
    static String nameOf(byte[] bytes, ImageType type) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)) + '.' + type.extension();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
