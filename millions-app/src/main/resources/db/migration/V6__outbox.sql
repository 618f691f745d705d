-- The transactional outbox: each change that other services hear about (a post made or deleted, a
-- follow or an unfollow) writes its event here in the same statement, so in the same transaction, as
-- the change itself. The relay publishes rows to Kafka and then deletes them; a row is never skipped,
-- whatever order rows commit in, because the relay keeps no position: it takes what is there.
CREATE TABLE outbox (
    id bigserial PRIMARY KEY,
    topic text NOT NULL,
    event_key text NOT NULL,
    payload jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
