-- Each user's number of posts, kept in the transaction that adds a post. Counting instead costs
-- one index entry per post on every read of a profile, and a prolific author's first page (which
-- carries the count) is loaded again after each of their posts: 3.4 ms for 1400 posts, measured
-- under `millions bench cache`, where this count was most of a cached feed's p99.
ALTER TABLE users ADD COLUMN post_count bigint NOT NULL DEFAULT 0;

UPDATE users SET post_count = (SELECT count(*) FROM posts WHERE posts.author_id = users.id);
