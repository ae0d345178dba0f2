-- Audit integrity: each row carries the SHA-256 of its own fields and of the previous row's hash
-- (src/lib/audit/chain.ts). Rows written before this migration keep '' here until the first
-- write after it chains them, in id order (sealLegacyAudit): SQLite has no SHA-256 of its own.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';
