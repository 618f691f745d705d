-- The photo app's data. Ids are identities, so "newest first" is "highest id first" and keyset
-- pagination walks one index.
CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      text        NOT NULL UNIQUE,
    display_name  text        NOT NULL,
    password_hash text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE follows (
    follower_id bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    followee_id bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (follower_id, followee_id),
    CHECK (follower_id <> followee_id)
);

-- Follower counts and "who follows X".
CREATE INDEX follows_followee_idx ON follows (followee_id);

CREATE TABLE posts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    caption      text        NOT NULL,
    image_name   text        NOT NULL,
    content_type text        NOT NULL,
    width        integer     NOT NULL,
    height       integer     NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- A user's posts, newest first, and the feed's merge of the followees' posts.
CREATE INDEX posts_author_id_idx ON posts (author_id, id DESC);
