/**
 * The delivery worker: the only code that sends messages. It runs in every server process; a
 * lease on each claimed row keeps two processes on one database from sending it twice, and a row
 * whose lease ran out (its process died mid-send) is claimed again and resent with the same
 * out-id, which the provider recognises. Retries back off; after a day a message fails for good.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { siteUrl } from '../site.ts';
import { createDrivers, type Drivers } from './drivers/index.ts';
import { type OutgoingMessage, SendFailure } from './drivers/types.ts';
import { type Channel, enqueue, idemKey, isKind, MessageTooLongError, type MessageParams, renderMessage } from './outbox.ts';
import { chinaDay, chinaDayStart, inQuietHours, nextDayRelease, type QuietHours, quietEnd } from './quiet.ts';

/** Waits after the 1st, 2nd, 3rd failed attempt, then the last one for every further attempt. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000] as const;
/** A message still unsent this long after it was queued fails for good. */
export const GIVE_UP_AFTER_MS = 24 * 3600_000;
/** Rows claimed per round; they are sent concurrently. */
const BATCH = 20;

export function retryDelay(attempts: number): number {
  return RETRY_DELAYS_MS[Math.min(Math.max(attempts, 1), RETRY_DELAYS_MS.length) - 1]!;
}

/** Mainland mobiles (with or without 86) in a log line as 138****8000: logs never hold a whole phone number. */
export function maskPhones(text: string): string {
  return text.replace(/(?<!\d)((?:86)?1[3-9]\d)\d{4}(\d{4})(?!\d)/g, '$1****$2');
}

interface DueRow {
  id: number;
  idemKey: string;
  channel: Channel;
  kind: string;
  recipient: string;
  regionCode: string;
  urgent: number;
  params: string;
  body: string;
  status: string;
  attempts: number;
  subscriberStatus: string | null;
}

export interface DeliveryOptions {
  /** The channel drivers; default from the settings. */
  drivers?: Drivers;
  /** This worker's name on its leases; default host, process and a random part. */
  owner?: string;
  /** The clock (tests move it); default Date.now. */
  now?: () => number;
  /** Default MESSAGE_SEND_TIMEOUT_MS. */
  sendTimeoutMs?: number;
  quietHours?: QuietHours | undefined;
  dailyCap?: number;
  /** Where failed sends and failed rounds are told, already without phone numbers. */
  report?: (detail: string) => void;
}

type Settled = Required<Omit<DeliveryOptions, 'quietHours'>> & { quietHours: QuietHours | undefined };

function settle(options: DeliveryOptions): Settled {
  const settings = config();
  return {
    drivers: options.drivers ?? createDrivers(),
    owner: options.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
    now: options.now ?? Date.now,
    sendTimeoutMs: options.sendTimeoutMs ?? settings.MESSAGE_SEND_TIMEOUT_MS,
    quietHours: 'quietHours' in options ? options.quietHours : settings.MESSAGE_QUIET_HOURS,
    dailyCap: options.dailyCap ?? settings.SMS_DAILY_CAP,
    report: options.report ?? ((detail) => console.error(detail)),
  };
}

/** A lease outlasts a send that runs into its timeout, with room to record the result. */
function leaseMs(sendTimeoutMs: number): number {
  return 2 * sendTimeoutMs + 5000;
}

/** Non-urgent SMS to this phone sent (or being sent) since the start of the China day. */
function smsToday(db: Db, phone: string, now: number): number {
  return (
    one<{ n: number }>(
      db,
      `SELECT count(*) AS n FROM outbox
       WHERE recipient = ? AND channel = 'sms' AND urgent = 0 AND status IN ('sent', 'sending') AND COALESCE(sent_at, updated_at) >= ?`,
      phone,
      chinaDayStart(now),
    )?.n ?? 0
  );
}

/**
 * Folds a message over the daily cap into the phone's digest of the day (queued for the next
 * morning, its count kept current). False when that digest already left or cannot be written:
 * the message goes alone.
 */
function mergeIntoDigest(db: Db, row: DueRow, now: number, quiet: QuietHours | undefined): boolean {
  const event = `digest:${row.recipient}:${chinaDay(now)}`;
  const link = siteUrl();
  try {
    // Sized for the largest count; the real one is written below.
    const params = { count: '999', link };
    enqueue(db, { event, channel: 'sms', kind: 'digest', recipient: row.recipient, regionCode: row.regionCode, params, dueAt: nextDayRelease(now, quiet) }, now);
  } catch (err) {
    // A site address too long for one SMS: no digest, the message goes alone rather than never.
    if (err instanceof MessageTooLongError) return false;
    throw err;
  }
  const digest = one<{ id: number; status: string }>(db, 'SELECT id, status FROM outbox WHERE idem_key = ?', idemKey(event, 'sms', row.recipient))!;
  if (digest.status !== 'pending') return false;
  stmt(db, "UPDATE outbox SET status = 'merged', merged_into = ?, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ?").run(digest.id, now, row.id);
  const count = one<{ n: number }>(db, 'SELECT count(*) AS n FROM outbox WHERE merged_into = ?', digest.id)?.n ?? 1;
  const params: MessageParams = { count: String(count), link };
  stmt(db, 'UPDATE outbox SET params = ?, body = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(params), renderMessage('digest', params), now, digest.id);
  return true;
}

function parseParams(raw: string): MessageParams {
  const parsed: unknown = JSON.parse(raw);
  const params: MessageParams = {};
  if (parsed && typeof parsed === 'object') for (const [k, v] of Object.entries(parsed)) params[k] = String(v);
  return params;
}

/**
 * Claims the due rows in one IMMEDIATE transaction: pending rows whose time came and rows whose
 * lease ran out. Before claiming, a message to an ended subscription is cancelled, a non-urgent
 * SMS inside quiet hours waits for their end, and one over the phone's daily cap joins the digest.
 */
function claimDue(db: Db, options: Settled): OutgoingMessage[] {
  const { owner, quietHours, dailyCap } = options;
  const now = options.now();
  return db
    .transaction(() => {
      const rows = many<DueRow>(
        db,
        `SELECT o.id, o.idem_key AS idemKey, o.channel, o.kind, o.recipient, o.region_code AS regionCode, o.urgent, o.params, o.body,
                o.status, o.attempts, s.status AS subscriberStatus
         FROM outbox o LEFT JOIN subscribers s ON s.id = o.subscriber_id
         WHERE o.id IN (SELECT id FROM outbox WHERE status = 'pending' AND due_at <= ?
                        UNION ALL SELECT id FROM outbox WHERE status = 'sending' AND lease_until < ?)
         ORDER BY o.urgent DESC, o.due_at, o.id LIMIT ?`,
        now,
        now,
        BATCH,
      );
      const claimed: OutgoingMessage[] = [];
      for (const row of rows) {
        if (row.subscriberStatus !== null && row.subscriberStatus !== 'active') {
          stmt(db, "UPDATE outbox SET status = 'cancelled', last_error = 'subscription ended', lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ?").run(
            now,
            row.id,
          );
          continue;
        }
        if (!isKind(row.kind)) {
          stmt(db, "UPDATE outbox SET status = 'failed', last_error = ?, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ?").run(
            `unknown kind "${row.kind}"`,
            now,
            row.id,
          );
          continue;
        }
        const held = row.channel === 'sms' && row.urgent === 0;
        if (held && quietHours && inQuietHours(now, quietHours)) {
          stmt(db, "UPDATE outbox SET status = 'pending', due_at = ?, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ?").run(
            quietEnd(now, quietHours),
            now,
            row.id,
          );
          continue;
        }
        // The cap is decided once, on the first attempt; a digest is never merged into another.
        if (held && row.attempts === 0 && row.kind !== 'digest' && smsToday(db, row.recipient, now) >= dailyCap && mergeIntoDigest(db, row, now, quietHours)) continue;
        stmt(db, "UPDATE outbox SET status = 'sending', lease_owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?").run(
          owner,
          now + leaseMs(options.sendTimeoutMs),
          now,
          row.id,
        );
        claimed.push({ id: row.id, idemKey: row.idemKey, channel: row.channel, kind: row.kind, recipient: row.recipient, params: parseParams(row.params), body: row.body });
      }
      return claimed;
    })
    .immediate();
}

/** The driver's send, given up on (as retryable) when the timeout passes even if the driver ignores the signal. */
async function sendWithTimeout(drivers: Drivers, message: OutgoingMessage, timeoutMs: number) {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new SendFailure(`timeout after ${timeoutMs} ms`, { retryable: true }));
    }, timeoutMs);
  });
  try {
    return await Promise.race([drivers[message.channel].send(message, controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Records what happened, unless this worker lost the row's lease meanwhile (then the new holder
 * records). Answers and errors are kept with phones masked (Tencent's answer repeats the number):
 * staff who may not see a phone read them in the admin outbox.
 */
function record(db: Db, message: OutgoingMessage, outcome: PromiseSettledResult<{ providerId: string; answer: string }>, options: Settled): void {
  const now = options.now();
  const mine = 'id = ? AND status = ? AND lease_owner = ?';
  if (outcome.status === 'fulfilled') {
    stmt(
      db,
      `UPDATE outbox SET status = 'sent', provider_id = ?, provider_answer = ?, sent_at = ?, last_error = NULL, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE ${mine}`,
    ).run(outcome.value.providerId, maskPhones(outcome.value.answer), now, now, message.id, 'sending', options.owner);
    return;
  }
  const err: unknown = outcome.reason;
  const failure = err instanceof SendFailure ? err : new SendFailure(err instanceof Error ? err.message : String(err), { retryable: true });
  // Attempts run for 24 h from queueing, or from the last time staff queued it again.
  const row = one<{ since: number; attempts: number }>(db, 'SELECT max(created_at, COALESCE(retried_at, 0)) AS since, attempts FROM outbox WHERE id = ?', message.id);
  if (!row) return;
  const givesUp = !failure.retryable || now - row.since >= GIVE_UP_AFTER_MS;
  stmt(
    db,
    `UPDATE outbox SET status = ?, due_at = ?, last_error = ?, provider_answer = COALESCE(?, provider_answer), lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE ${mine}`,
  ).run(
    givesUp ? 'failed' : 'pending',
    givesUp ? now : now + retryDelay(row.attempts),
    maskPhones(failure.message.slice(0, 1000)),
    failure.answer === undefined ? null : maskPhones(failure.answer),
    now,
    message.id,
    'sending',
    options.owner,
  );
  options.report(maskPhones(`message ${message.id} (${message.channel} ${message.kind} to ${message.recipient}) ${givesUp ? 'failed' : 'will be retried'}: ${failure.message}`));
}

/** One round: claim what is due, send it, record the outcomes. Returns how many were claimed. */
export async function deliverDue(db: Db, options: DeliveryOptions = {}): Promise<number> {
  return deliverWith(db, settle(options));
}

async function deliverWith(db: Db, options: Settled): Promise<number> {
  const claimed = claimDue(db, options);
  const outcomes = await Promise.allSettled(claimed.map((message) => sendWithTimeout(options.drivers, message, options.sendTimeoutMs)));
  claimed.forEach((message, i) => record(db, message, outcomes[i]!, options));
  return claimed.length;
}

export interface DeliveryWorker {
  /** Stops polling and waits for the round in flight. */
  stop: () => Promise<void>;
}

/**
 * Delivers every `everyMs` (OUTBOX_POLL_MS) from the server process. A full batch is followed at
 * once by the next; a round never overlaps the previous one. The timer never keeps the process alive.
 */
export function startDelivery(db: Db, options: DeliveryOptions & { everyMs?: number } = {}): DeliveryWorker {
  const settled = settle(options);
  let current: Promise<void> | undefined;
  let stopped = false;
  const round = () => {
    if (current || stopped) return;
    current = (async () => {
      try {
        let full = true;
        while (full && !stopped) full = (await deliverWith(db, settled)) === BATCH;
      } catch (err) {
        settled.report(maskPhones(err instanceof Error ? (err.stack ?? err.message) : String(err)));
      } finally {
        current = undefined;
      }
    })();
  };
  const timer = setInterval(round, options.everyMs ?? config().OUTBOX_POLL_MS);
  timer.unref();
  round();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
