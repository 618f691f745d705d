-- Each user's number of posts, kept in the transaction that adds a post. Counting instead costs
-- one index entry per post on every read of a profile, and a prolific author's first page (which
-- carries the count) is loaded again after each of their posts.
--
-- A table of its own, not a column of users: a popular author's count changes several times a
-- second, and those updates stay off the users rows that every read showing an author joins.
CREATE TABLE post_counts (
    user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    posts   bigint NOT NULL CHECK (posts > 0)
);

INSERT INTO post_counts (user_id, posts) SELECT author_id, count(*) FROM posts GROUP BY author_id;
