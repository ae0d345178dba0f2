-- A message staff queued again (/admin/messages, "retry") gets a fresh 24 hours of attempts from
-- that moment: the worker gives up 24 h after the later of created_at and retried_at.
ALTER TABLE outbox ADD COLUMN retried_at INTEGER;
