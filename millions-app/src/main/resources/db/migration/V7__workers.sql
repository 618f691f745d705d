-- What the workers keep. None of it references posts or users: an event may be applied after the row
-- it names is gone (a post deleted before its fan-out ran), and the event that follows it on the same
-- key (the post's deletion) undoes the effect.

-- Fan-out on write: each post of a followed author, pushed to the follower's feed by a worker. The
-- reader's own posts and those of celebrities are merged in when the feed is read.
CREATE TABLE feed_entries (
    user_id   bigint NOT NULL,
    post_id   bigint NOT NULL,
    author_id bigint NOT NULL,
    PRIMARY KEY (user_id, post_id)
);
-- A post's deletion removes it from every feed.
CREATE INDEX feed_entries_post_idx ON feed_entries (post_id);

-- Authors whose posts are not fanned out (too many followers): readers merge them in. Once a
-- celebrity, always one, so that no post of theirs falls between the two paths.
CREATE TABLE celebrities (
    user_id bigint PRIMARY KEY
);

-- The smaller sizes of each photo, made by a worker and kept in the media store under names of their own.
CREATE TABLE thumbnails (
    image_name     text    NOT NULL,
    width          integer NOT NULL,
    thumbnail_name text    NOT NULL,
    PRIMARY KEY (image_name, width)
);

-- The idempotency guard: an event's effect and its row here commit together. A duplicate delivered
-- while the first copy's transaction is open waits on the primary key and, once that commits, inserts
-- nothing, so it applies nothing.
CREATE TABLE applied_events (
    event_id   uuid PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX applied_events_at_idx ON applied_events (applied_at);

-- Events on their way through the retry topics, in order per key: while a key has one here, its later
-- events queue behind it (each row's copy travels the retry topics), and nothing else waits.
CREATE TABLE parked_events (
    seq           bigserial PRIMARY KEY,
    topic         text        NOT NULL,
    event_key     text        NOT NULL,
    event_id      text        NOT NULL,
    level         integer     NOT NULL,
    hop           integer     NOT NULL,
    attempts      integer     NOT NULL,
    first_failure timestamptz,
    error         text,
    UNIQUE (topic, event_id)
);
CREATE INDEX parked_events_key_idx ON parked_events (topic, event_key, seq);
