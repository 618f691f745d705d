-- The posts that show an image: a CDN edge's miss on /media/NAME asks which posts (and authors) tag it,
-- and an image no post shows any more is not served.
CREATE INDEX posts_image_name_idx ON posts (image_name);
