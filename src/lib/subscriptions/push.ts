/**
 * County staff push a notice or a disaster/weather alert to the subscribers of their county or a
 * township in it (issue 17): the text must fit one SMS with the unsubscribe link, a preview shows
 * the exact text and how many receive it, and only the confirm queues it.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import { type Actor, can } from '../auth/can.ts';
import type { ChangeContext } from '../context.ts';
import type { Db } from '../db/index.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import { enqueue, renderMessage, smsLength, smsRoom } from '../messages/outbox.ts';
import { childRegions, getRegion, type Region } from '../regions/index.ts';
import { countSubscribersFor, subscribersFor, TOKEN_LENGTH, unsubLink } from './index.ts';

export const PUSH_KINDS = ['notice', 'alert'] as const;
export type PushKind = (typeof PUSH_KINDS)[number];

export const PUSH_INTENTS = ['preview', 'send'] as const;
export type PushIntent = (typeof PUSH_INTENTS)[number];

/** The intents a user has for pushing to a region: both or none. */
export function allowedIntents(actor: Actor | null | undefined, regionCode: string): PushIntent[] {
  return can(actor, 'message.push', regionCode) ? [...PUSH_INTENTS] : [];
}

/** The refusal of an intent `allowedIntents` leaves out; a region outside the user's scope is 403. */
export function refusePushIntent(actor: Actor | null | undefined, regionCode: string, intent: PushIntent): void {
  if (!allowedIntents(actor, regionCode).includes(intent)) throw new ForbiddenError('message.push', regionCode);
}

/** The characters a pushed text may have: one SMS with the signature, the template and the longest unsubscribe link. */
export function pushRoom(kind: PushKind): number {
  const link = unsubLink('x'.repeat(TOKEN_LENGTH));
  return smsRoom() - smsLength(renderMessage(kind, { text: '', unsub: link }));
}

/** Longer than any SMS: refused before counting characters. */
const TEXT_MAX_CHARS = 500;

const pushSchema = z.object({
  regionCode: z.string().regex(/^\d{6}(\d{3})?$/, 'validation.push.region'),
  kind: z.enum(PUSH_KINDS, { message: 'validation.push.kind' }),
  text: z.string().trim().min(1, 'validation.push.empty').max(TEXT_MAX_CHARS, 'validation.push.tooLong'),
});

const batchSchema = z.string().regex(/^[0-9a-f]{32}$/, 'validation.push.batch');

export interface PushPreview {
  regionCode: string;
  regionName: string;
  kind: PushKind;
  text: string;
  /** The SMS as a recipient reads it, with an unsubscribe link of the real length. */
  sms: string;
  recipients: number;
  /** Names the push: a second click on the confirm button queues nothing twice. */
  batch: string;
}

/** The counties and townships a user may push to. */
export function pushRegions(db: Db, actor: Actor): Region[] {
  const own = getRegion(db, actor.regionCode);
  if (!own) return [];
  const counties = own.level === 'county' ? [own] : own.level === 'city' ? childRegions(db, own.code) : [];
  return counties.flatMap((c) => [c, ...childRegions(db, c.code)]).filter((r) => can(actor, 'message.push', r.code));
}

function checked(db: Db, actor: Actor, raw: unknown): z.output<typeof pushSchema> & { region: Region } {
  const input = pushSchema.parse(raw);
  const region = getRegion(db, input.regionCode);
  if (!region || (region.level !== 'county' && region.level !== 'township')) throw new UserError('validation.push.region', 400, 'regionCode');
  refusePushIntent(actor, region.code, 'preview');
  if (smsLength(input.text) > pushRoom(input.kind)) throw new UserError('validation.push.tooLong', 400, 'text');
  return { ...input, region };
}

const topicOf = (kind: PushKind) => kind;

/** The preview: exact text, counted recipients and a fresh batch name for the confirm. */
export function previewPush(db: Db, ctx: ChangeContext, raw: unknown): PushPreview {
  const input = checked(db, ctx.actor, raw);
  return {
    regionCode: input.region.code,
    regionName: input.region.name,
    kind: input.kind,
    text: input.text,
    sms: renderMessage(input.kind, { text: input.text, unsub: unsubLink('x'.repeat(TOKEN_LENGTH)) }),
    recipients: countSubscribersFor(db, topicOf(input.kind), input.region.code),
    batch: randomUUID().replaceAll('-', ''),
  };
}

/** Queues the push to every active subscriber of the topic in the region; audited. Returns how many were queued. */
export function sendPush(db: Db, ctx: ChangeContext, raw: Record<string, string>, now = Date.now()): number {
  const input = checked(db, ctx.actor, raw);
  const batch = batchSchema.parse(raw.batch);
  return db.transaction(() => {
    let queued = 0;
    for (const s of subscribersFor(db, topicOf(input.kind), input.region.code)) {
      const message = { text: input.text, unsub: unsubLink(s.token) };
      if (enqueue(db, { event: `push:${batch}`, channel: 'sms', kind: input.kind, recipient: s.phone, regionCode: s.villageCode, params: message, subscriberId: s.id }, now))
        queued++;
    }
    recordAudit(db, ctx, { action: 'message.push', entity: 'push', entityId: batch, regionCode: input.region.code, summary: `${input.kind}; ${queued} recipients; ${input.text}` });
    return queued;
  }).immediate();
}
