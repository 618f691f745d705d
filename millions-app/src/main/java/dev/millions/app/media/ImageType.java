package dev.millions.app.media;

import java.util.Arrays;
import java.util.Optional;

/**
 * The image formats the app accepts, recognised by their magic bytes: a file's name and declared
 * content type are the uploader's claims, its first bytes are not.
 */
public enum ImageType {
    JPEG("image/jpeg", "jpg", new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF }),
    PNG("image/png", "png", new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' }),
    GIF("image/gif", "gif", new byte[] { 'G', 'I', 'F', '8' });

    private final String contentType;
    private final String extension;
    private final byte[] magic;

    ImageType(String contentType, String extension, byte[] magic) {
        this.contentType = contentType;
        this.extension = extension;
        this.magic = magic;
    }

    public String contentType() {
        return contentType;
    }

    public String extension() {
        return extension;
    }

    static Optional<ImageType> sniff(byte[] head) {
        return Arrays.stream(values())
                     .filter(type -> head.length >= type.magic.length
                                     && Arrays.equals(head, 0, type.magic.length, type.magic, 0, type.magic.length))
                     .findFirst();
    }
}
