package dev.millions.app.media;

import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.millions.app.database.Reads;

/**
 * Photos in the {@code media} table. They travel with the rest of the data: every replica has them, a
 * failover keeps them, and a web node on any host reads them. A photo is written on the primary before
 * the post that shows it; it is read from a replica when the request may read there, and from the
 * primary when the replica has not replayed it yet (a photo is asked for right after its post is made).
 */
final class DatabaseMediaStore implements MediaStore {

    private final JdbcClient primary;
    private final Reads reads;

    DatabaseMediaStore(JdbcClient primary, Reads reads) {
        this.primary = primary;
        this.reads = reads;
    }

    @Override
    public String store(byte[] bytes, ImageType type) {
        String name = MediaStore.nameOf(bytes, type);
        // A cheap look first: a photo posted again would otherwise send its bytes to the database again.
        boolean stored = primary.sql("SELECT EXISTS (SELECT 1 FROM media WHERE name = ?)").param(name)
                                .query(Boolean.class).single();
        if (!stored) {
            primary.sql("INSERT INTO media (name, content) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")
                   .param(name).param(bytes).update();
        }
        return name;
    }

    @Override
    public Optional<byte[]> load(String name) {
        Optional<byte[]> found = read(reads, name);
        return found.isPresent() ? found : Reads.onPrimary(() -> read(reads, name));
    }

    private static Optional<byte[]> read(Reads reads, String name) {
        return reads.sql("SELECT content FROM media WHERE name = ?").param(name).query(byte[].class).optional();
    }
}
