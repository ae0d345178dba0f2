/** Reading the outbox in message tests. */
import type { Db } from '../../src/lib/db/index.ts';
import { many, one } from '../../src/lib/db/statements.ts';
import { type Channel, idemKey } from '../../src/lib/messages/outbox.ts';

export interface OutboxRow {
  id: number;
  idemKey: string;
  kind: string;
  recipient: string;
  status: string;
  attempts: number;
  dueAt: number;
  providerId: string | null;
  providerAnswer: string | null;
  lastError: string | null;
  mergedInto: number | null;
  params: string;
  body: string;
  sentAt: number | null;
}

const COLUMNS = `id, idem_key AS idemKey, kind, recipient, status, attempts, due_at AS dueAt, provider_id AS providerId,
  provider_answer AS providerAnswer, last_error AS lastError, merged_into AS mergedInto, params, body, sent_at AS sentAt`;

export function outboxRow(db: Db, event: string, channel: Channel, recipient: string): OutboxRow {
  const row = one<OutboxRow>(db, `SELECT ${COLUMNS} FROM outbox WHERE idem_key = ?`, idemKey(event, channel, recipient));
  if (!row) throw new Error(`no outbox row for ${event}`);
  return row;
}

export function outboxRows(db: Db): OutboxRow[] {
  return many<OutboxRow>(db, `SELECT ${COLUMNS} FROM outbox ORDER BY id`);
}
