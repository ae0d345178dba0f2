/**
 * The outbox as staff see it (/admin/messages): what was queued in their subtree, its state and
 * text, retry and cancel, delivery counts per day and a test message to themselves. Phones and
 * addresses are masked for everyone but the county staff of the message's county.
 */
import { translator } from '../../i18n/index.ts';
import { recordAudit } from '../audit/index.ts';
import { can, permit, type Actor } from '../auth/index.ts';
import { config } from '../config.ts';
import type { ChangeContext } from '../context.ts';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { Where } from '../db/where.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import { getRegion } from '../regions/index.ts';
import { formatDateTime, startOfDay, today } from '../time.ts';
import { parseId } from '../validation/number.ts';
import { getStaffContact } from './contacts.ts';
import { CHANNELS, enqueue, idemKey, isKind, MESSAGE_STATUSES, type Channel, type MessageKind, type MessageStatus } from './outbox.ts';

const DAY = 24 * 3600_000;
/** China days start at 16:00 UTC: added to a timestamp, whole days of it are China dates. */
const CHINA_OFFSET = 8 * 3600_000;

export interface OutboxMessage {
  id: number;
  channel: Channel;
  kind: MessageKind;
  recipient: string;
  regionCode: string;
  urgent: boolean;
  body: string;
  status: MessageStatus;
  attempts: number;
  dueAt: number;
  sentAt: number | null;
  createdAt: number;
  lastError: string | null;
  providerId: string | null;
}

interface OutboxRow extends Omit<OutboxMessage, 'channel' | 'kind' | 'urgent' | 'status'> {
  channel: string;
  kind: string;
  urgent: number;
  status: string;
}

const isChannel = (value: unknown): value is Channel => typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
const isStatus = (value: unknown): value is MessageStatus => typeof value === 'string' && (MESSAGE_STATUSES as readonly string[]).includes(value);

/** The row as the domain types it; the CHECK constraints and enqueue() keep the stored values within these. */
function toMessage(row: OutboxRow): OutboxMessage {
  if (!isChannel(row.channel) || !isKind(row.kind) || !isStatus(row.status)) throw new Error(`outbox row ${row.id} has an unknown channel, kind or status`);
  return { ...row, channel: row.channel, kind: row.kind, status: row.status, urgent: row.urgent === 1 };
}

const SELECT = `SELECT id, channel, kind, recipient, region_code AS regionCode, urgent, body, status, attempts, due_at AS dueAt,
  sent_at AS sentAt, created_at AS createdAt, last_error AS lastError, provider_id AS providerId FROM outbox`;

/**
 * Region codes are digit strings that extend their parent's, so a subtree is one range of the
 * index: from the scope itself up to (not including) the scope followed by ':', the character after '9'.
 */
function inSubtree(where: Where, scope: string, useIndex = true): Where {
  // Unary `+` keeps SQLite off the region index, for queries another index serves better.
  const column = useIndex ? 'region_code' : '+region_code';
  return where.and(`${column} >= ? AND ${column} < ?`, scope, `${scope}:`);
}

export const PAGE_SIZE = 50;
/** Further than this is a probe, not paging: the list offers a filter instead. */
const MAX_PAGE = 1000;

export interface MessageFilter {
  /** The actor's region, or a region below it chosen in the filter. */
  region: string;
  status?: MessageStatus | undefined;
  channel?: Channel | undefined;
  kind?: MessageKind | undefined;
  /** `YYYY-MM-DD`: only messages queued on that China day. */
  date?: string | undefined;
  page: number;
}

/** The filter from the list's query string; values that are not one of the choices (or out of scope) are ignored. */
export function messageFilterFromQuery(params: URLSearchParams, scope: string): MessageFilter {
  const region = params.get('region') ?? '';
  const date = params.get('date') ?? '';
  const status = params.get('status');
  const channel = params.get('channel');
  const kind = params.get('kind');
  const page = parseId(params.get('page'));
  return {
    region: /^\d{4,12}$/.test(region) && region.startsWith(scope) ? region : scope,
    status: isStatus(status) ? status : undefined,
    channel: isChannel(channel) ? channel : undefined,
    kind: isKind(kind) ? kind : undefined,
    date: startOfDay(date) === undefined ? undefined : date,
    page: page !== undefined && page <= MAX_PAGE ? page : 1,
  };
}

/** Statuses few rows have at any time (the worker drains them): the status index finds them faster than a walk in time order. */
const FEW: readonly MessageStatus[] = ['pending', 'sending', 'failed', 'cancelled'];

/**
 * One page of messages, newest first, and how many match. The page walks the time index from the
 * newest row and stops after a page (unary `+` keeps SQLite off the region and status indexes,
 * which would sort the whole subtree first) unless a rare status or a day narrows it more.
 */
export function listMessages(db: Db, filter: MessageFilter): { messages: OutboxMessage[]; total: number } {
  const count = inSubtree(new Where(), filter.region);
  const page = inSubtree(new Where(), filter.region, false);
  if (filter.status) {
    count.and('status = ?', filter.status);
    page.and(FEW.includes(filter.status) ? 'status = ?' : '+status = ?', filter.status);
  }
  for (const where of [count, page]) {
    if (filter.channel) where.and('channel = ?', filter.channel);
    if (filter.kind) where.and('kind = ?', filter.kind);
    const from = filter.date === undefined ? undefined : startOfDay(filter.date);
    if (from !== undefined) where.and('created_at >= ? AND created_at < ?', from, from + DAY);
  }
  const total = one<{ n: number }>(db, `SELECT count(*) AS n FROM outbox ${count}`, ...count.params)!.n;
  const rows = many<OutboxRow>(db, `${SELECT} ${page} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, ...page.params, PAGE_SIZE, (filter.page - 1) * PAGE_SIZE);
  return { messages: rows.map(toMessage), total };
}

export function getMessage(db: Db, id: number): OutboxMessage | undefined {
  const row = one<OutboxRow>(db, `${SELECT} WHERE id = ?`, id);
  return row && toMessage(row);
}

/**
 * The message a route parameter names, if the actor may see it. Unknown and out of scope both
 * give undefined (the page answers 404, so the answer does not tell that it exists); the refusal is audited.
 */
export function messageForStaffPage(db: Db, ctx: ChangeContext, param: string | undefined): OutboxMessage | undefined {
  const id = parseId(param);
  const message = id === undefined ? undefined : getMessage(db, id);
  return message && permit(db, ctx, 'message.view', message.regionCode) ? message : undefined;
}

/** Failed messages in the actor's subtree: the dashboard's call to look. */
export function countFailed(db: Db, scope: string): number {
  const where = inSubtree(new Where(), scope).and("status = 'failed'");
  return one<{ n: number }>(db, `SELECT count(*) AS n FROM outbox ${where}`, ...where.params)!.n;
}

export const DELIVERY_DAYS = 14;

export interface DeliveryDay {
  /** `YYYY-MM-DD`, China time. */
  date: string;
  counts: Record<MessageStatus, number>;
}

/** Messages queued per China day over the last 14 days (today first), by their status now. */
export function deliveryCounts(db: Db, scope: string, now = Date.now()): DeliveryDay[] {
  const todayNumber = Math.floor((now + CHINA_OFFSET) / DAY);
  const since = (todayNumber - DELIVERY_DAYS + 1) * DAY - CHINA_OFFSET;
  // The last 14 days by the time index: the subtree's older messages are never read.
  const where = inSubtree(new Where(), scope, false).and('created_at >= ?', since);
  const rows = many<{ day: number; status: string; n: number }>(
    db,
    // Integer division: the China day number, as todayNumber counts it (8 h and 24 h in milliseconds).
    `SELECT (created_at + 28800000) / 86400000 AS day, status, count(*) AS n FROM outbox ${where} GROUP BY day, status`,
    ...where.params,
  );
  return Array.from({ length: DELIVERY_DAYS }, (_, i) => {
    const day = todayNumber - i;
    const counts: Record<MessageStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0, cancelled: 0, merged: 0 };
    for (const row of rows) if (row.day === day && isStatus(row.status)) counts[row.status] = row.n;
    return { date: today(day * DAY - CHINA_OFFSET), counts };
  });
}

/** `13800000000` → `138****0000`; other phone forms keep their first three and last four characters. */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

/** `zhang.san@example.com` → `z***@example.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 1 ? '***' : `${email[0]}***${email.slice(at)}`;
}

const MOBILES = /(?<!\d)1[3-9]\d{9}(?!\d)/g;

/** Only the county staff of the message's own county see its phone or address in full. */
export function seesRecipient(viewer: Actor, message: Pick<OutboxMessage, 'regionCode'>): boolean {
  return viewer.role === 'county_staff' && message.regionCode.length >= 6 && message.regionCode.slice(0, 6) === viewer.regionCode;
}

/** The recipient as this viewer may see it: masked, or for a robot the name of its region. */
export function shownRecipient(db: Db, viewer: Actor, message: Pick<OutboxMessage, 'channel' | 'recipient' | 'regionCode'>): string {
  if (message.channel === 'wecom' || message.channel === 'dingtalk') return getRegion(db, message.recipient)?.name ?? message.recipient;
  if (seesRecipient(viewer, message)) return message.recipient;
  return message.channel === 'email' ? maskEmail(message.recipient) : maskPhone(message.recipient);
}

/**
 * Free text of a message as this viewer may see it: a phone in it is masked like the recipient,
 * and a confirmation code is never shown (staff could otherwise confirm a farmer's subscription).
 */
export function shownText(viewer: Actor, message: Pick<OutboxMessage, 'kind' | 'regionCode'>, text: string): string {
  const visible = message.kind === 'code' ? text.replace(/\d{6}/g, '******') : text;
  return seesRecipient(viewer, message) ? visible : visible.replace(MOBILES, maskPhone);
}

export const MESSAGE_INTENTS = ['retry', 'cancel'] as const;
export type MessageIntent = (typeof MESSAGE_INTENTS)[number];

/** A failed or cancelled message can be queued again; a pending one can be stopped. Sending, sent and merged ones are final here. */
export function allowedMessageIntents(actor: Actor | null | undefined, message: Pick<OutboxMessage, 'status' | 'regionCode'>): MessageIntent[] {
  if (!can(actor, 'message.manage', message.regionCode)) return [];
  if (message.status === 'failed' || message.status === 'cancelled') return ['retry'];
  if (message.status === 'pending') return ['cancel'];
  return [];
}

/** The refusal of an intent `allowedMessageIntents` leaves out: no right to manage 403, otherwise 409 (its state changed). */
export function refuseMessageIntent(actor: Actor | null | undefined, message: Pick<OutboxMessage, 'status' | 'regionCode'>, intent: MessageIntent): void {
  if (allowedMessageIntents(actor, message).includes(intent)) return;
  if (!can(actor, 'message.manage', message.regionCode)) throw new ForbiddenError('message.manage', message.regionCode);
  throw new UserError('messagesAdmin.error.state', 409);
}

function messageForWrite(db: Db, ctx: ChangeContext, id: number, intent: MessageIntent): OutboxMessage {
  const message = getMessage(db, id);
  if (!message || !can(ctx.actor, 'message.view', message.regionCode)) throw new UserError('error.notFound', 404);
  refuseMessageIntent(ctx.actor, message, intent);
  return message;
}

/** Queues a failed or cancelled message again, due now, with 24 h of attempts from now; its attempts stay counted. */
export function retryMessage(db: Db, ctx: ChangeContext, id: number, now = Date.now()): void {
  db.transaction(() => {
    const message = messageForWrite(db, ctx, id, 'retry');
    stmt(db, `UPDATE outbox SET status = 'pending', due_at = ?, retried_at = ?, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ?`).run(now, now, now, id);
    recordAudit(db, ctx, {
      action: 'message.retry',
      entity: 'message',
      entityId: String(id),
      regionCode: message.regionCode,
      summary: `${message.kind} ${message.channel}; ${message.status} → pending`,
    });
  }).immediate();
}

/** Stops a pending message; the worker claims only pending rows, so it is never sent. */
export function cancelMessage(db: Db, ctx: ChangeContext, id: number, now = Date.now()): void {
  db.transaction(() => {
    const message = messageForWrite(db, ctx, id, 'cancel');
    stmt(db, `UPDATE outbox SET status = 'cancelled', updated_at = ? WHERE id = ?`).run(now, id);
    recordAudit(db, ctx, { action: 'message.cancel', entity: 'message', entityId: String(id), regionCode: message.regionCode, summary: `${message.kind} ${message.channel}` });
  }).immediate();
}

/**
 * Where a test message on each channel would go for this actor: their own phone and e-mail (from
 * their contact settings) and the robots of their own region. A channel without a destination is absent.
 */
export function testDestinations(db: Db, actor: Actor): Partial<Record<Channel, string>> {
  const contact = getStaffContact(db, actor.id);
  const robots = config().ROBOTS.filter((r) => r.regionCode === actor.regionCode);
  const destinations: Partial<Record<Channel, string>> = {};
  if (contact.phone) destinations.sms = contact.phone;
  if (contact.email) destinations.email = contact.email;
  for (const robot of robots) destinations[robot.channel] = robot.regionCode;
  return destinations;
}

/** Queues a test message to the actor on one channel (the worker sends it like any other) and returns its id. */
export function sendTestMessage(db: Db, ctx: ChangeContext, channel: string, now = Date.now()): number {
  if (!isChannel(channel)) throw new UserError('messagesAdmin.error.channel', 400, 'channel');
  const recipient = testDestinations(db, ctx.actor)[channel];
  if (recipient === undefined) throw new UserError('messagesAdmin.error.noDestination', 409, 'channel');
  const t = translator('zh-CN');
  const event = `test:${ctx.actor.id}:${channel}:${now}`;
  return db.transaction(() => {
    enqueue(
      db,
      { event, channel, kind: 'test', recipient, regionCode: ctx.actor.regionCode, params: { channel: t(`messagesAdmin.channel.${channel}`), time: formatDateTime(now, 'zh-CN') } },
      now,
    );
    const id = one<{ id: number }>(db, 'SELECT id FROM outbox WHERE idem_key = ?', idemKey(event, channel, recipient))!.id;
    recordAudit(db, ctx, { action: 'message.test', entity: 'message', entityId: String(id), regionCode: ctx.actor.regionCode, summary: channel });
    return id;
  }).immediate();
}

/** Whether the outbox page links to the push form: the actor may push to subscribers of their own region. */
export function canPush(actor: Actor): boolean {
  return can(actor, 'message.push', actor.regionCode);
}
