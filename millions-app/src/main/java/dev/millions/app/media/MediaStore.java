package dev.millions.app.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.stereotype.Component;

/**
 * Photos on disk, named by the SHA-256 of their bytes: the same photo is stored once, a name never
 * changes meaning (so the CDN may cache it forever), and a file is written whole to a temporary name
 * and moved into place, so no reader ever sees half of one.
 */
@Component
public class MediaStore {

    private final Path dir;

    public MediaStore(MediaProperties properties) throws IOException {
        this.dir = Files.createDirectories(properties.dir().toAbsolutePath().normalize());
    }

    /** Stores the bytes and returns the file's name. */
    public String store(byte[] bytes, ImageType type) {
        String name = sha256(bytes) + '.' + type.extension();
        Path target = dir.resolve(name);
        if (Files.exists(target)) {
            return name;
        }
        try {
            Path temp = Files.createTempFile(dir, ".upload-", ".part");
            try {
                Files.write(temp, bytes);
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
            return name;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store " + bytes.length + " bytes as " + target, e);
        }
    }

    Path dir() {
        return dir;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
