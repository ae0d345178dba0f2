/**
 * The outbox: every message to a person off the site is a row written in the transaction of the
 * event that causes it, and only the delivery worker sends it. Writing here is all a domain does.
 */
import { translator, type Locale, type MessageKey } from '../../i18n/index.ts';
import { config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { stmt } from '../db/statements.ts';

export const CHANNELS = ['sms', 'wecom', 'dingtalk', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export const MESSAGE_STATUSES = ['pending', 'sending', 'sent', 'failed', 'cancelled', 'merged'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

interface KindSpec {
  /** Template variables in the order an SMS template registered for this kind takes them. */
  readonly vars: readonly string[];
  /** Sent at once: not held by quiet hours, not counted against the daily cap. */
  readonly urgent: boolean;
  /** Free-text variables shortened in this order (with …) when the body would not fit one SMS segment. */
  readonly shrink?: readonly string[];
}

/** Every kind of message, its variables and whether it is urgent. */
export const MESSAGE_KINDS = {
  code: { vars: ['code'], urgent: true },
  'training.promoted': { vars: ['title', 'time', 'ref'], urgent: false, shrink: ['title'] },
  'training.cancelled': { vars: ['title', 'time', 'note'], urgent: false, shrink: ['note', 'title'] },
  'training.moved': { vars: ['title', 'time', 'place'], urgent: false, shrink: ['title'] },
  'training.new': { vars: ['title', 'time', 'unsub'], urgent: false, shrink: ['title'] },
  'training.reminder': { vars: ['time', 'title', 'place', 'ref'], urgent: false, shrink: ['title'] },
  'qa.answered': { vars: ['code', 'link'], urgent: false },
  'qa.overdue': { vars: ['region', 'count', 'days', 'link'], urgent: false, shrink: ['region'] },
  'price.digest': { vars: ['summary', 'unsub'], urgent: false, shrink: ['summary'] },
  notice: { vars: ['text', 'unsub'], urgent: false },
  alert: { vars: ['text', 'unsub'], urgent: true },
  'report.urgent': { vars: ['region', 'title', 'link'], urgent: true, shrink: ['title'] },
  'report.overdue': { vars: ['title', 'link'], urgent: true, shrink: ['title'] },
  'report.instruction': { vars: ['title', 'link'], urgent: false, shrink: ['title'] },
  'review.reminder': { vars: ['region', 'count', 'hours', 'link'], urgent: false },
  'coverage.weekly': { vars: ['region', 'count', 'link'], urgent: false },
  'wanted.match': { vars: ['product', 'title', 'link'], urgent: false, shrink: ['title', 'product'] },
  digest: { vars: ['count', 'link'], urgent: false },
  test: { vars: ['channel', 'time'], urgent: true },
} as const satisfies Record<string, KindSpec>;
export type MessageKind = keyof typeof MESSAGE_KINDS;
export const KIND_NAMES = Object.keys(MESSAGE_KINDS) as MessageKind[];

export function isKind(value: unknown): value is MessageKind {
  return typeof value === 'string' && Object.hasOwn(MESSAGE_KINDS, value);
}

export type MessageParams = Record<string, string>;

/** One SMS segment holds 70 characters when any of them is Chinese (UCS-2), signature included. */
export const SMS_SEGMENT_CHARS = 70;

/** Characters as a phone counts them (code points: an emoji or a rare 汉字 outside the BMP counts two in UCS-2). */
export function smsLength(text: string): number {
  let n = 0;
  for (const ch of text) n += ch.codePointAt(0)! > 0xffff ? 2 : 1;
  return n;
}

/** The signature every gateway puts in front of the text, as the phone shows it: 【乡信】. */
export function smsSignature(): string {
  return `【${config().SMS_SIGN_NAME}】`;
}

/** Characters left for the body of one SMS after the signature. */
export function smsRoom(): number {
  return SMS_SEGMENT_CHARS - smsLength(smsSignature());
}

/** The text of a message of this kind, in the portal's default language unless told otherwise. */
export function renderMessage(kind: MessageKind, params: MessageParams, locale: Locale = 'zh-CN'): string {
  return translator(locale)(`message.body.${kind}` as MessageKey, params);
}

/**
 * The variables of a message shortened so its SMS fits one segment: the kind's free-text variables
 * lose characters from their end (with …), the first one first. Undefined when even empty free
 * texts do not fit, or when the kind has none to shorten and it is too long: the caller must refuse it.
 */
export function fitSms(kind: MessageKind, params: MessageParams): MessageParams | undefined {
  const room = smsRoom();
  const spec: KindSpec = MESSAGE_KINDS[kind];
  let fitted = params;
  for (const name of spec.shrink ?? []) {
    const over = smsLength(renderMessage(kind, fitted)) - room;
    if (over <= 0) break;
    const chars = [...(fitted[name] ?? '')];
    // Drop `over` characters and one more for the ellipsis; code points outside the BMP count two.
    let drop = over + 1;
    while (drop > 0 && chars.length) drop -= smsLength(chars.pop()!);
    fitted = { ...fitted, [name]: chars.length ? `${chars.join('')}…` : '' };
  }
  return smsLength(renderMessage(kind, fitted)) <= room ? fitted : undefined;
}

export interface NewMessage {
  /** What caused it, unique per event: `training:12:promoted:345`, `report:9:urgent`. */
  event: string;
  channel: Channel;
  kind: MessageKind;
  /** Phone (sms), address (email) or region code of the robot (wecom, dingtalk). */
  recipient: string;
  /** The region the message is about (filters; the county whose staff see the phone). */
  regionCode: string;
  params: MessageParams;
  /** Overrides the kind's own urgency. */
  urgent?: boolean;
  /** Set for messages to a subscriber: nothing is sent once the subscription ended. */
  subscriberId?: number;
  /** Not before this time (a reminder the day before); default now. */
  dueAt?: number;
}

/** The idempotency key of one message: one event reaches one recipient once on one channel. */
export function idemKey(event: string, channel: Channel, recipient: string): string {
  return `${event}|${channel}|${recipient}`;
}

/** Thrown for an SMS that cannot be made to fit one segment: a bug in the caller, not user input. */
export class MessageTooLongError extends Error {}

/**
 * Queues one message; call it inside the transaction of the event that causes it. Returns false
 * when the same event already queued it for this recipient and channel (nothing changes then).
 * An SMS's free text is shortened to one segment here; authored texts are refused before (smsRoom).
 */
export function enqueue(db: Db, message: NewMessage, now = Date.now()): boolean {
  let params = message.params;
  if (message.channel === 'sms') {
    const fitted = fitSms(message.kind, params);
    if (!fitted) throw new MessageTooLongError(`${message.kind} does not fit one SMS`);
    params = fitted;
  }
  const { changes } = stmt(
    db,
    `INSERT INTO outbox (idem_key, channel, kind, recipient, region_code, urgent, params, body, subscriber_id, due_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idem_key) DO NOTHING`,
  ).run(
    idemKey(message.event, message.channel, message.recipient),
    message.channel,
    message.kind,
    message.recipient,
    message.regionCode,
    (message.urgent ?? MESSAGE_KINDS[message.kind].urgent) ? 1 : 0,
    JSON.stringify(params),
    renderMessage(message.kind, params),
    message.subscriberId ?? null,
    message.dueAt ?? now,
    now,
    now,
  );
  return changes > 0;
}

/**
 * Alerts a staff member may choose to receive on their own phone or e-mail (staff_contacts.alerts):
 * urgent reports below them, review queues waiting too long, urgent reports overdue.
 */
export const STAFF_ALERTS = ['urgent', 'review', 'overdue'] as const;
export type StaffAlert = (typeof STAFF_ALERTS)[number];
