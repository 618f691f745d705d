-- The request that caused an event: its W3C traceparent and request id travel with the event to the
-- workers (as Kafka headers), so that one request's lines are found on every node it reached.
ALTER TABLE outbox ADD COLUMN traceparent text, ADD COLUMN request_id text;
