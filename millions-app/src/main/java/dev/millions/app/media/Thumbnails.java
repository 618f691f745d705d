package dev.millions.app.media;

import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.millions.app.database.Reads;

/**
 * Which thumbnail of a photo is stored under which name: a worker makes them after the post is written
 * ({@code /media/w320/NAME} answers 404 until then, and the page shows the photo itself meanwhile).
 */
@Repository
public class Thumbnails {

    private final JdbcClient primary;
    private final Reads reads;

    Thumbnails(JdbcClient primary, Reads reads) {
        this.primary = primary;
        this.reads = reads;
    }

    /** The name of {@code imageName}'s thumbnail {@code width} pixels wide, once made. */
    public Optional<String> find(String imageName, int width) {
        Optional<String> found = lookUp(imageName, width);
        return found.isPresent() ? found : Reads.onPrimary(() -> lookUp(imageName, width));
    }

    /** How many of these widths {@code imageName} has thumbnails for. */
    public int count(String imageName) {
        return primary.sql("SELECT count(*) FROM thumbnails WHERE image_name = ?").param(imageName)
                      .query(Integer.class).single();
    }

    /** Records a thumbnail; recording it again changes nothing (its name follows from the photo's). */
    public void record(String imageName, int width, String thumbnailName) {
        primary.sql("INSERT INTO thumbnails (image_name, width, thumbnail_name) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
               .params(imageName, width, thumbnailName).update();
    }

    private Optional<String> lookUp(String imageName, int width) {
        return reads.sql("SELECT thumbnail_name FROM thumbnails WHERE image_name = ? AND width = ?")
                    .params(imageName, width).query(String.class).optional();
    }
}
