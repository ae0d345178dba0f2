import { expect } from 'vitest';
import type { Db } from '../../../src/lib/db/index.ts';
import type { FormClient } from '../../helpers/browserlessClient.ts';

/** Posts repeated fields (checkboxes) as a browser does. */
export function postPairs(client: FormClient, path: string, pairs: [string, string][]): Promise<Response> {
  return client.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: client.base },
    body: new URLSearchParams(pairs).toString(),
  });
}

export interface Choice {
  phone: string;
  villageCode: string;
  topics?: string[];
  commodities?: number[];
}

export function choicePairs(c: Choice): [string, string][] {
  return [
    ['phone', c.phone],
    ['villageCode', c.villageCode],
    ...(c.topics ?? []).map((t): [string, string] => ['topic', t]),
    ...(c.commodities ?? []).map((id): [string, string] => ['commodity', String(id)]),
  ];
}

/** The code of the latest code SMS queued for a phone (read from the outbox, as the gateway would send it). */
export function lastCode(db: Db, phone: string): string | undefined {
  const row = db.prepare(`SELECT params FROM outbox WHERE kind = 'code' AND recipient = ? ORDER BY id DESC LIMIT 1`).get(phone) as { params: string } | undefined;
  return row ? (JSON.parse(row.params) as { code: string }).code : undefined;
}

/** Subscribes over HTTP: the form, the code from the outbox, the confirm. */
export async function subscribe(client: FormClient, db: Db, c: Choice): Promise<void> {
  const asked = await postPairs(client, '/subscribe', choicePairs(c));
  expect(asked.status).toBe(200);
  const confirmed = await postPairs(client, '/subscribe/confirm', [...choicePairs(c), ['code', lastCode(db, c.phone)!]]);
  expect(confirmed.status).toBe(303);
}

export function count(db: Db, sql: string, ...params: unknown[]): number {
  return (db.prepare(sql).get(...params) as { n: number }).n;
}
