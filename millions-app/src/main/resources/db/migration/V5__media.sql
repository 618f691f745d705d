-- Photos live in the database by default: streaming replication copies them to every replica, a
-- failover keeps them, and every web node reads them wherever it runs. The CDN in front makes reads
-- rare. Images are compressed already, so PostgreSQL is told not to try (EXTERNAL: out of line, as is).
CREATE TABLE media (
    name text PRIMARY KEY,
    content bytea NOT NULL,
    stored_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE media ALTER COLUMN content SET STORAGE EXTERNAL;
